import { afterEach, describe, expect, it } from 'vitest';
import {
  awaitExit,
  BeamishError,
  cancelTimer,
  configureDefaultNode,
  defaultNode,
  exit,
  isAlive,
  processes,
  processInfo,
  readTimer,
  register,
  registered,
  run,
  send,
  sendAfter,
  spawn,
  startTimer,
  unregister,
  whereis,
  
} from '../../src/index.js';
import { captureError, idle } from '../helpers.js';

afterEach(async () => {
  await defaultNode().stop({ timeout: 500 });
});

describe('the default node', () => {
  it('top-level functions act on one default node, created on first use', async () => {
    configureDefaultNode({ handleSignals: false, logger: { log() {} } });
    const pid = spawn(idle);
    expect(defaultNode().name).toBe('nonode@nohost');
    expect(pid.node).toBe(defaultNode().identity);
    register('idle', pid);
    expect(whereis('idle')).toBe(pid);
    expect(registered()).toEqual(['idle']);
    expect(processes()).toEqual([pid]);
    expect(processInfo('idle')?.pid).toBe(pid);
    unregister('idle');
    const ref = sendAfter(60_000, pid, 'later');
    expect(readTimer(ref)).toBeGreaterThan(0);
    expect(cancelTimer(ref)).toBeGreaterThan(0);
    expect(readTimer(startTimer(60_000, pid, 'x'))).toBeGreaterThan(0);
    send(pid, 'hello');
    expect(processInfo(pid)?.messageQueueLength).toBe(1);
    const exited = awaitExit(pid);
    exit(pid, 'bye');
    expect(await exited).toBe('bye');
    expect(isAlive(pid)).toBe(false);
    expect(await run(() => 'ran')).toBe('ran');
  });

  it('configureDefaultNode - refused while the default node runs; a stopped one is replaced', async () => {
    configureDefaultNode({ handleSignals: false, name: 'first@host' });
    const first = defaultNode();
    const error = captureError(() => configureDefaultNode({ name: 'second@host' }));
    expect(error).toBeInstanceOf(BeamishError);
    expect((error as BeamishError).code).toBe('default_node_running');
    await first.stop();
    configureDefaultNode({ handleSignals: false, name: 'second@host' });
    expect(defaultNode()).not.toBe(first);
    expect(defaultNode().name).toBe('second@host');
  });

  it('handles SIGTERM by default and removes its handlers when stopped', async () => {
    const before = process.listenerCount('SIGTERM');
    configureDefaultNode({});
    defaultNode();
    expect(process.listenerCount('SIGTERM')).toBe(before + 1);
    expect(process.listenerCount('SIGINT')).toBeGreaterThanOrEqual(1);
    await defaultNode().stop();
    expect(process.listenerCount('SIGTERM')).toBe(before);
  });
});
