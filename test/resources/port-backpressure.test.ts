import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { Port, PortClosedError, PortData } from '../../src/index.js';
import { inTrappingProcess } from '../helpers.js';
import { eventually, nextFrom } from './port-helpers.js';

const CHUNK = Buffer.alloc(64 * 1024, 'x');

/** Writes without waiting until the port is busy; returns the bytes it took. */
function fill(port: Port): number {
  let accepted = 0;
  while (Port.commandNosuspend(port, CHUNK)) accepted += CHUNK.length;
  return accepted;
}

/** Whether a promise is still pending after the event loop has had a few turns. */
async function isPending(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let i = 0; i < 5; i++) await nextTurn();
  return !settled;
}

// A program that reads nothing until SIGUSR1, then reads everything.
const DEAF_UNTIL_SIGNALLED = [
  '-e',
  "process.on('SIGUSR1', () => process.stdin.resume().on('end', () => process.exit(0)));" +
    "setInterval(() => {}, 1e9); process.stdout.write('ready\\n');",
];

describe('Port busy back-pressure', () => {
  it('a program that does not read fills the pipe: the port turns busy, nosuspend returns false, command waits (full pipe)', async () => {
    await inTrappingProcess(async (ctx) => {
      const port = Port.open(ctx, { spawn: 'sleep', args: ['1000'] }, { termAfter: 0 });
      const accepted = fill(port);
      expect(accepted).toBeGreaterThan(0);
      expect(Port.info(port)).toMatchObject({ busy: true });
      expect(Port.info(port)!.queueSize).toBeGreaterThan(0);
      expect(Port.commandNosuspend(port, 'x')).toBe(false);
      const waiting = Port.command(port, 'waits');
      expect(await isPending(waiting)).toBe(true);
      expect(Port.info(port)!.queueSize).toBeGreaterThanOrEqual(5);
      // Closing fails the waiting sender; its data is not sent.
      Port.close(port);
      await expect(waiting).rejects.toBeInstanceOf(PortClosedError);
    });
  });

  it('waiting senders go on, in order, once the program reads; the port is not busy afterwards', async () => {
    const order = await inTrappingProcess(async (ctx) => {
      const port = Port.open(ctx, { spawn: process.execPath, args: DEAF_UNTIL_SIGNALLED }, { exitStatus: true });
      expect(((await nextFrom(ctx, port)) as PortData).data.toString()).toBe('ready\n');
      fill(port);
      const resolved: string[] = [];
      const first = Port.command(port, CHUNK).then(() => resolved.push('first'));
      const second = Port.command(port, 'second').then(() => resolved.push('second'));
      expect(Port.commandNosuspend(port, 'jumps the queue?')).toBe(false);
      expect(await isPending(first)).toBe(true);
      process.kill(Port.info(port)!.osPid, 'SIGUSR1');
      await Promise.all([first, second]);
      expect(await eventually(() => Port.info(port)!.busy === false)).toBe(true);
      expect(Port.commandNosuspend(port, 'now there is room')).toBe(true);
      return resolved;
    });
    expect(order).toEqual(['first', 'second']);
  });

  it('a sender that does not await a waiting command is not an unhandled rejection when the port closes', async () => {
    await inTrappingProcess(async (ctx) => {
      const port = Port.open(ctx, { spawn: 'sleep', args: ['1000'] }, { termAfter: 0 });
      fill(port);
      void Port.command(port, 'never awaited');
      Port.close(port);
      await Port.released(port);
    });
  });
});
