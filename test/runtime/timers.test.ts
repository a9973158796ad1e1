import { describe, expect, it } from 'vitest';
import { TIMEOUT, TimeoutMessage } from '../../src/index.js';
import { idle, testNode } from '../helpers.js';

describe('timers', () => {
  it('sendAfter - delivers the message after the delay', async () => {
    const { node } = testNode();
    const got = await node.run(async (ctx) => {
      const started = performance.now();
      ctx.sendAfter(20, ctx.self, 'tick');
      const message = await ctx.receive();
      return { message, waited: performance.now() - started };
    });
    expect(got.message).toBe('tick');
    expect(got.waited).toBeGreaterThanOrEqual(19);
  });

  it('startTimer - delivers TimeoutMessage(ref, message)', async () => {
    const { node } = testNode();
    const got = await node.run(async (ctx) => {
      const ref = ctx.startTimer(1, ctx.self, 'payload');
      const message = (await ctx.receive()) as TimeoutMessage;
      return { same: message.ref === ref, message };
    });
    expect(got.same).toBe(true);
    expect(got.message).toBeInstanceOf(TimeoutMessage);
    expect(got.message.message).toBe('payload');
  });

  it('cancelTimer / readTimer - time left, then false once cancelled or fired', async () => {
    const { node } = testNode();
    await node.run(async (ctx) => {
      const ref = ctx.startTimer(10_000, ctx.self, 'never');
      const left = ctx.readTimer(ref);
      expect(left).toBeGreaterThan(9_000);
      expect(left).toBeLessThanOrEqual(10_000);
      expect(ctx.cancelTimer(ref)).toBeGreaterThan(9_000);
      expect(ctx.cancelTimer(ref)).toBe(false);
      expect(ctx.readTimer(ref)).toBe(false);
      const fired = ctx.sendAfter(0, ctx.self, 'now');
      await ctx.receive();
      expect(ctx.readTimer(fired)).toBe(false);
      expect(ctx.cancelTimer(fired)).toBe(false);
      expect(await ctx.receive(0)).toBe(TIMEOUT);
    });
  });

  it('a timer aimed at a process is cancelled when that process exits', async () => {
    const { node } = testNode();
    const target = node.spawn(idle);
    const ref = node.sendAfter(60_000, target, 'late');
    expect(node.processInfo(target)?.timerCount).toBe(1);
    node.exit(target, 'kill');
    expect(node.readTimer(ref)).toBe(false);
  });

  it('a timer aimed at a dead pid is never armed', async () => {
    const { node } = testNode();
    const dead = node.spawn(() => undefined);
    await node.awaitExit(dead);
    expect(node.readTimer(node.sendAfter(60_000, dead, 'x'))).toBe(false);
  });

  it('a timer aimed at a name looks it up when it fires, and does nothing if nobody holds it', async () => {
    const { node } = testNode();
    const got = await node.run(async (ctx) => {
      ctx.sendAfter(5, 'nobody-yet', 'dropped');
      ctx.sendAfter(10, 'later', 'found');
      ctx.register('later');
      return ctx.receive();
    });
    expect(got).toBe('found');
  });

  it('bad delays and refs are TypeErrors', async () => {
    const { node } = testNode();
    await node.run((ctx) => {
      expect(() => ctx.sendAfter(-1, ctx.self, 'x')).toThrow(/Expected `ms` to be a finite number/);
      expect(() => ctx.sendAfter(Infinity, ctx.self, 'x')).toThrow(TypeError);
      expect(() => ctx.startTimer(5, 7 as never, 'x')).toThrow(TypeError);
      expect(() => ctx.cancelTimer('ref' as never)).toThrow(/Expected `ref` to be a timer Ref/);
    });
  });
});
