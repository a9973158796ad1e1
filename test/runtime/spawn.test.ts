import { describe, expect, it } from 'vitest';
import { ExitSignal, TIMEOUT, type ProcessContext } from '../../src/index.js';
import { testNode } from '../helpers.js';

describe('spawn', () => {
  it('spawn - options are validated before anything is created', () => {
    const { node } = testNode();
    expect(() => node.spawn('not a function' as never)).toThrow(/Expected `fn` to be a function/);
    expect(() => node.spawn(() => undefined, 5 as never)).toThrow(/Expected `options` to be an object/);
    expect(() => node.spawn(() => undefined, { trapExit: 1 as never })).toThrow(/options.trapExit/);
    expect(() => node.spawn(() => undefined, { label: 3 as never })).toThrow(/options.label/);
    expect(() => node.spawn(() => undefined, { name: '' })).toThrow(/options.name/);
    expect(node.processCount).toBe(0);
  });

  it('spawnLink - links parent and child from the start', async () => {
    const { node } = testNode();
    await node.run((ctx) => {
      const child = ctx.spawnLink(async (c) => {
        await c.receive();
      });
      expect(node.processInfo(child)?.links).toEqual([ctx.self]);
      expect(node.processInfo(child)?.parent).toBe(ctx.self);
    });
  });

  it('a synchronous process function ends the process when it returns', async () => {
    const { node } = testNode();
    const pid = node.spawn(() => 'ignored');
    expect(await node.awaitExit(pid)).toBe('normal');
  });

  it('run - resolves with what the function returns', async () => {
    const { node } = testNode();
    expect(await node.run(async (ctx) => ctx.self.id > 0)).toBe(true);
    expect(await node.run(() => 42)).toBe(42);
    expect(() => node.run(undefined as never)).toThrow(/Expected `fn` to be a function/);
  });

  it('code left running in a killed process stops at its next Beamish operation', async () => {
    const { node } = testNode();
    const trace: string[] = [];
    let release!: () => void;
    const outside = new Promise<void>((resolve) => (release = resolve));
    const pid = node.spawn(async (ctx: ProcessContext) => {
      await outside; // awaiting something that is not a receive
      trace.push('resumed after death');
      ctx.send(ctx.self, 'dropped'); // does nothing
      expect(ctx.tryReceive()).toBe(TIMEOUT);
      try {
        ctx.spawn(() => undefined);
      } catch (error) {
        trace.push(error instanceof ExitSignal ? `exit signal ${String(error.reason)}` : 'other error');
      }
      try {
        ctx.ensureAlive(); // what layers call before starting work outside the runtime
      } catch (error) {
        trace.push(error instanceof ExitSignal ? `ensureAlive ${String(error.reason)}` : 'other error');
      }
      await ctx.receive(); // never returns
      trace.push('not reached');
    });
    await node.run((ctx) => ctx.yield());
    node.exit(pid, 'kill');
    release();
    await node.run(async (ctx) => {
      for (let i = 0; i < 5; i++) await ctx.yield();
    });
    expect(trace).toEqual(['resumed after death', 'exit signal killed', 'ensureAlive killed']);
    expect(node.processCount).toBe(0);
  });
});
