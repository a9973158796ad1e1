import { describe, expect, it } from 'vitest';
import { BadArgError, TIMEOUT } from '../../src/index.js';
import { captureError, testNode } from '../helpers.js';

describe('suspend and resume', () => {
  it('a suspended process keeps receiving into its mailbox but does not run until resumed', async () => {
    const { node } = testNode();
    await node.run(async (ctx) => {
      const me = ctx.self;
      const echo = ctx.spawn(async (e) => {
        for (;;) e.send(me, await e.receive());
      });
      await ctx.yield();
      expect(node.suspend(echo)).toBe(true);
      expect(node.processInfo(echo)?.status).toBe('suspended');
      ctx.send(echo, 'one');
      ctx.send(echo, 'two');
      expect(await ctx.receive(0)).not.toBe('one');
      expect(node.processInfo(echo)?.messageQueueLength).toBe(2);
      node.suspend(echo);
      node.resume(echo); // still suspended once
      expect(node.processInfo(echo)?.status).toBe('suspended');
      node.resume(echo);
      expect(await ctx.receive()).toBe('one');
      expect(await ctx.receive()).toBe('two');
    });
  });

  it('a process suspended before it first ran starts when resumed', async () => {
    const { node } = testNode();
    const result = await node.run(async (ctx) => {
      const me = ctx.self;
      const late = ctx.spawn((l) => l.send(me, 'started'));
      node.suspend(late);
      expect(await ctx.receive(0)).not.toBe('started');
      node.resume(late);
      return ctx.receive();
    });
    expect(result).toBe('started');
  });

  it('a receive that times out while its process is suspended returns only after the resume', async () => {
    const { node } = testNode();
    const result = await node.run(async (ctx) => {
      const me = ctx.self;
      const sleeper = ctx.spawn(async (s) => {
        s.send(me, { timedOut: (await s.receive((m) => m === 'never', 1)) === TIMEOUT });
      });
      await ctx.yield(); // the sleeper waits, with its 1 ms timeout running
      node.suspend(sleeper);
      const whileSuspended = await ctx.receive(20); // its timeout fires meanwhile
      node.resume(sleeper);
      return { whileSuspended, after: await ctx.receive() };
    });
    expect(result).toEqual({ whileSuspended: TIMEOUT, after: { timedOut: true } });
  });

  it('resume of a process that is not suspended is a BadArgError; dead pids give false', async () => {
    const { node } = testNode();
    const pid = node.spawn(async (ctx) => {
      await ctx.receive();
    });
    expect(captureError(() => node.resume(pid))).toBeInstanceOf(BadArgError);
    node.exit(pid, 'kill');
    expect(node.suspend(pid)).toBe(false);
    expect(node.resume(pid)).toBe(false);
  });
});
