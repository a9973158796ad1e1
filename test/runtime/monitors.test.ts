import { describe, expect, it } from 'vitest';
import { DownMessage, downOf, TIMEOUT, type Pid } from '../../src/index.js';
import { idle, testNode } from '../helpers.js';

describe('monitors', () => {
  it('monitor - delivers a DownMessage with the exit reason', async () => {
    const { node } = testNode();
    const down = await node.run(async (ctx) => {
      const target = ctx.spawn(async (t) => {
        await t.receive();
        t.exit({ shutdown: 'asked' });
      });
      const ref = ctx.monitor(target);
      ctx.send(target, 'go');
      const message = await ctx.receive(downOf(ref));
      expect(message.pid).toBe(target);
      expect(message.name).toBeUndefined();
      return message.reason;
    });
    expect(down).toEqual({ shutdown: 'asked' });
  });

  it("monitor - a dead pid gives an immediate DOWN with 'noproc'", async () => {
    const { node } = testNode();
    const dead = node.spawn(() => undefined);
    await node.awaitExit(dead);
    const down = await node.run(async (ctx) => {
      const ref = ctx.monitor(dead);
      return ctx.receive(downOf(ref), 0);
    });
    expect(down).toBeInstanceOf(DownMessage);
    expect((down as DownMessage).reason).toBe('noproc');
  });

  it("monitor - an unknown name gives an immediate DOWN with 'noproc' and the name", async () => {
    const { node } = testNode();
    const down = await node.run(async (ctx) => ctx.receive(downOf(ctx.monitor('nobody')), 0));
    expect(down).toMatchObject({ name: 'nobody', pid: undefined, reason: 'noproc' });
  });

  it('monitor - by registered name, the DOWN carries the name and the pid', async () => {
    const { node } = testNode();
    const target = node.spawn(idle, { name: 'watched' });
    const down = await node.run(async (ctx) => {
      const ref = ctx.monitor('watched');
      ctx.exit(target, 'gone');
      return ctx.receive(downOf(ref));
    });
    expect(down).toMatchObject({ name: 'watched', pid: target, reason: 'gone' });
  });

  it('spawnMonitor - watches the new process from its first moment', async () => {
    const { node } = testNode();
    const reason = await node.run(async (ctx) => {
      const { ref } = ctx.spawnMonitor(() => {
        throw new Error('at once');
      });
      return (await ctx.receive(downOf(ref))).reason;
    });
    expect((reason as Error).message).toBe('at once');
  });

  it('demonitor - stops the DOWN; returns whether the monitor was active', async () => {
    const { node } = testNode();
    const result = await node.run(async (ctx) => {
      const target = ctx.spawn(idle);
      const ref = ctx.monitor(target);
      const active = ctx.demonitor(ref);
      ctx.exit(target, 'bye');
      const message = await ctx.receive(downOf(ref), 0);
      return { active, again: ctx.demonitor(ref), message };
    });
    expect(result).toEqual({ active: true, again: false, message: TIMEOUT });
  });

  it('demonitor with flush - removes a DOWN that has already arrived', async () => {
    const { node } = testNode();
    const result = await node.run(async (ctx) => {
      const target = ctx.spawn(idle);
      const ref = ctx.monitor(target);
      ctx.send(ctx.self, 'before');
      ctx.exit(target, 'bye');
      ctx.send(ctx.self, 'after');
      const active = ctx.demonitor(ref, { flush: true });
      return { active, first: await ctx.receive(0), second: await ctx.receive(0), third: await ctx.receive(0) };
    });
    expect(result).toEqual({ active: false, first: 'before', second: 'after', third: TIMEOUT });
  });

  it('monitors are removed from both ends when the watcher exits', async () => {
    const { node } = testNode();
    const target = node.spawn(idle);
    const watcher = node.spawn(async (ctx) => {
      ctx.monitor(target);
      ctx.monitor(target);
    });
    await node.awaitExit(watcher);
    expect(node.processInfo(target)?.monitoredBy).toEqual([]);
  });

  it('several monitors of one target each get their own DOWN', async () => {
    const { node } = testNode();
    const reasons = await node.run(async (ctx) => {
      const target = ctx.spawn(idle);
      const refs = [ctx.monitor(target), ctx.monitor(target), ctx.monitor(target)];
      ctx.exit(target, 'once');
      const got: unknown[] = [];
      for (const ref of refs) got.push((await ctx.receive(downOf(ref))).reason);
      return got;
    });
    expect(reasons).toEqual(['once', 'once', 'once']);
  });

  it('awaitExit - resolves with the reason; a dead pid resolves noproc', async () => {
    const { node } = testNode();
    const pid: Pid = node.spawn((ctx) => ctx.exit('done'));
    expect(await node.awaitExit(pid)).toBe('done');
    expect(await node.awaitExit(pid)).toBe('noproc');
  });

  it('monitor validates its target', async () => {
    const { node } = testNode();
    await node.run((ctx) => {
      expect(() => ctx.monitor(42 as never)).toThrow(/Expected `target` to be a Pid/);
    });
  });
});
