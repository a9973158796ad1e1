import { describe, expect, it } from 'vitest';
import {
  AlreadyRegisteredError,
  BadArgError,
  NameInUseError,
  NotAliveError,
  NotRegisteredError,
  
} from '../../src/index.js';
import { captureError, idle, testNode } from '../helpers.js';

describe('registered names', () => {
  it('register / whereis / registered / unregister', async () => {
    const { node } = testNode();
    const pid = node.spawn(idle);
    node.register('server', pid);
    expect(node.whereis('server')).toBe(pid);
    expect(node.registered()).toEqual(['server']);
    expect(node.processInfo('server')?.registeredName).toBe('server');
    node.unregister('server');
    expect(node.whereis('server')).toBeUndefined();
    expect(node.processInfo(pid)?.registeredName).toBeUndefined();
  });

  it('register - a taken name throws NameInUseError', async () => {
    const { node } = testNode();
    node.spawn(idle, { name: 'taken' });
    const error = captureError(() => node.register('taken', node.spawn(idle)));
    expect(error).toBeInstanceOf(NameInUseError);
    expect(error).toBeInstanceOf(BadArgError);
    expect(error).toMatchObject({ code: 'name_in_use', registeredName: 'taken' });
  });

  it('register - a process that already has a name throws AlreadyRegisteredError', async () => {
    const { node } = testNode();
    const pid = node.spawn(idle, { name: 'first' });
    expect(captureError(() => node.register('second', pid))).toMatchObject({
      code: 'already_registered',
      registeredName: 'first',
    });
    expect(captureError(() => node.register('second', pid))).toBeInstanceOf(AlreadyRegisteredError);
  });

  it('register - a dead pid throws NotAliveError', async () => {
    const { node } = testNode();
    const dead = node.spawn(() => undefined);
    await node.awaitExit(dead);
    expect(captureError(() => node.register('ghost', dead))).toBeInstanceOf(NotAliveError);
  });

  it("register - bad names are TypeErrors; 'undefined' is reserved as in Erlang", async () => {
    const { node } = testNode();
    const pid = node.spawn(idle);
    for (const name of ['', 'undefined', 42, null]) {
      expect(() => node.register(name as string, pid)).toThrow(TypeError);
    }
    expect(() => node.register('ok', 'pid' as never)).toThrow(/Expected `pid` to be a Pid/);
  });

  it('unregister - an unknown name throws NotRegisteredError', async () => {
    const { node } = testNode();
    expect(captureError(() => node.unregister('nobody'))).toBeInstanceOf(NotRegisteredError);
  });

  it('send - to an unknown name throws NotRegisteredError; to a name delivers', async () => {
    const { node } = testNode();
    const result = await node.run(async (ctx) => {
      const error = captureError(() => ctx.send('nobody', 'hi'));
      ctx.register('me');
      ctx.send('me', 'hello');
      return { error, message: await ctx.receive(0) };
    });
    expect(result.error).toBeInstanceOf(NotRegisteredError);
    expect(result.message).toBe('hello');
  });

  it('spawn with a taken name - throws and spawns nothing', async () => {
    const { node } = testNode();
    node.spawn(idle, { name: 'only' });
    const before = node.processCount;
    expect(captureError(() => node.spawn(idle, { name: 'only' }))).toBeInstanceOf(NameInUseError);
    expect(node.processCount).toBe(before);
  });

  it('the name is released atomically with the exit, so a restart can take it at once', async () => {
    const { node } = testNode();
    await node.run((ctx) => {
      const first = ctx.spawn(idle, { name: 'worker' });
      ctx.exit(first, 'kill');
      const second = ctx.spawn(idle, { name: 'worker' });
      expect(ctx.whereis('worker')).toBe(second);
    });
  });

  it('a name is freed however the process ends: normal, crash or kill', async () => {
    const { node } = testNode();
    const bodies = [() => undefined, () => Promise.reject(new Error('crash')), idle];
    for (const body of bodies) {
      const pid = node.spawn(body, { name: 'reused' });
      if (body === idle) node.exit(pid, 'kill');
      await node.awaitExit(pid);
      expect(node.whereis('reused')).toBeUndefined();
    }
  });
});
