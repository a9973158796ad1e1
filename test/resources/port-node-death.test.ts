import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { OrphanProtection } from '../../src/index.js';
import { isRunning, stillRunningAfter } from './port-helpers.js';

const fixture = fileURLToPath(new URL('../fixtures/port-node-killed.ts', import.meta.url));

interface Started {
  readonly programs: number[];
  readonly grandchildren: number[];
  readonly protection: OrphanProtection;
}

/** Runs the fixture node with `env` changes, waits for its ports, SIGKILLs it; returns what it had started. */
async function startAndKill(env: Record<string, string>): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.setEncoding('utf8');
  const started = await new Promise<Started>((resolve, reject) => {
    child.stdout.on('data', (chunk: string) => {
      output += chunk;
      if (output.includes('\n')) resolve(JSON.parse(output) as Started);
    });
    child.once('exit', (code) => reject(new Error(`the fixture exited early (${code}): ${output}`)));
  });
  expect([...started.programs, ...started.grandchildren].filter(isRunning)).toHaveLength(6);
  child.kill('SIGKILL');
  const [, signal] = await once(child, 'exit');
  expect(signal).toBe('SIGKILL');
  return started;
}

describe.skipIf(process.platform !== 'linux')('Port programs when the node is killed', () => {
  it('SIGKILL of the Node.js process kills every port program and what they started within a second', async () => {
    const { programs, grandchildren, protection } = await startAndKill({});
    expect(protection).toMatchObject({ parentDeathSignal: expect.any(String), groupReaper: true });
    expect(await stillRunningAfter([...programs, ...grandchildren], 1000)).toEqual([]);
  });

  it('with the parent-death signal alone, the programs die but what they started survives', async () => {
    const { programs, grandchildren, protection } = await startAndKill({ BEAMISH_PORT_REAPER: '' });
    expect(protection.groupReaper).toBe(false);
    expect(await stillRunningAfter(programs, 1000)).toEqual([]);
    const survivors = grandchildren.filter(isRunning);
    for (const pid of survivors) process.kill(pid, 'SIGKILL');
    expect(survivors).toEqual(grandchildren);
  });

  it('with the group reaper alone (no setpriv), programs and what they started die too', async () => {
    const { programs, grandchildren, protection } = await startAndKill({ BEAMISH_SETPRIV: '' });
    expect(protection.parentDeathSignal).toBeUndefined(); // (undefined is dropped by JSON)
    expect(protection).toMatchObject({ groupReaper: true, notes: ['no parent-death signal: turned off by BEAMISH_SETPRIV'] });
    expect(await stillRunningAfter([...programs, ...grandchildren], 1000)).toEqual([]);
  });
});
