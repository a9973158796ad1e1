import { describe, expect, it } from 'vitest';
import { ProcessExitedError, type ProcessContext } from '../../src/index.js';
import { testNode } from '../helpers.js';

describe('the AbortSignal of a process', () => {
  it('is aborted with a ProcessExitedError when the process exits normally', async () => {
    const { node } = testNode();
    let signal: AbortSignal | undefined;
    const pid = node.spawn((ctx) => {
      signal = ctx.signal;
      expect(signal.aborted).toBe(false);
    });
    await node.awaitExit(pid);
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toBeInstanceOf(ProcessExitedError);
    expect(signal?.reason).toMatchObject({ pid, reason: 'normal' });
  });

  it('is aborted when the process is killed, cancelling work it started', async () => {
    const { node } = testNode();
    const cancelled = await node.run(async (ctx) => {
      const worker = ctx.spawn(async (w) => {
        const aborted = new Promise((resolve) => w.signal.addEventListener('abort', () => resolve(w.signal.reason)));
        ctx.send(ctx.self, 'started');
        // A long operation the process started: it must stop when the process dies.
        await new Promise((_, reject) => {
          const timer = setTimeout(() => reject(new Error('should have been aborted')), 60_000);
          w.signal.addEventListener('abort', () => clearTimeout(timer));
        });
        await aborted;
      });
      await ctx.receive((m) => m === 'started');
      const watch = node.awaitExit(worker);
      ctx.exit(worker, 'kill');
      return watch;
    });
    expect(cancelled).toBe('killed');
  });

  it('of an exited process is already aborted, with the exit reason', async () => {
    const { node } = testNode();
    const failure = new Error('crashed');
    let context: ProcessContext | undefined;
    const pid = node.spawn(async (ctx) => {
      context = ctx;
      await ctx.yield();
      throw failure;
    });
    await node.awaitExit(pid);
    const signal = context!.signal; // first asked for after the exit
    expect(signal.aborted).toBe(true);
    expect(signal.reason.reason).toBe(failure);
    expect(signal.reason.cause).toBe(failure);
  });
});
