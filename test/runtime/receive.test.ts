import { describe, expect, it } from 'vitest';
import { ReceiveInProgressError, TIMEOUT, type Pid } from '../../src/index.js';
import { reportsOf, testNode } from '../helpers.js';

const isNumber = (message: unknown): message is number => typeof message === 'number';

describe('send and receive', () => {
  it('receive - takes messages in the order they were sent between a pair', async () => {
    const { node } = testNode();
    const got = await node.run(async (ctx) => {
      const me = ctx.self;
      ctx.spawn((sender) => {
        for (let i = 0; i < 1000; i++) sender.send(me, i);
      });
      const seen: unknown[] = [];
      for (let i = 0; i < 1000; i++) seen.push(await ctx.receive());
      return seen;
    });
    expect(got).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it('receive(matcher) - takes the first match; the others stay queued in order', async () => {
    const { node } = testNode();
    const got = await node.run(async (ctx) => {
      for (const message of ['a', 1, 'b', 2, 'c']) ctx.send(ctx.self, message);
      const first = await ctx.receive(isNumber);
      const second = await ctx.receive(isNumber);
      const rest = [await ctx.receive(), await ctx.receive(), await ctx.receive()];
      return { first, second, rest };
    });
    expect(got).toEqual({ first: 1, second: 2, rest: ['a', 'b', 'c'] });
  });

  it('receive(matcher) - waits past non-matching arrivals and keeps them', async () => {
    const { node } = testNode();
    const got = await node.run(async (ctx) => {
      const me = ctx.self;
      ctx.spawn((sender) => {
        sender.send(me, 'noise-1');
        sender.send(me, 'noise-2');
        sender.send(me, 7);
      });
      const number = await ctx.receive(isNumber);
      return { number, queued: [await ctx.receive(0), await ctx.receive(0), await ctx.receive(0)] };
    });
    expect(got).toEqual({ number: 7, queued: ['noise-1', 'noise-2', TIMEOUT] });
  });

  it('receive(matcher, timeout) - returns TIMEOUT and leaves no timer behind', async () => {
    const { node } = testNode();
    const before = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const got = await node.run(async (ctx) => {
      const timedOut = await ctx.receive(isNumber, 5);
      ctx.send(ctx.self, 3);
      const early = await ctx.receive(isNumber, 60_000); // matched at once: its timer must go
      const me = ctx.self;
      ctx.spawn((s) => s.send(me, 4));
      const late = await ctx.receive(isNumber, 60_000); // matched on arrival: its timer must go
      return { timedOut, early, late };
    });
    expect(got).toEqual({ timedOut: TIMEOUT, early: 3, late: 4 });
    const after = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    expect(after).toBeLessThanOrEqual(before);
  });

  it('receive(0) - only looks: a queued message, else TIMEOUT at once', async () => {
    const { node } = testNode();
    const got = await node.run(async (ctx) => {
      const empty = await ctx.receive(0);
      ctx.send(ctx.self, 'here');
      return { empty, full: await ctx.receive(0) };
    });
    expect(got).toEqual({ empty: TIMEOUT, full: 'here' });
  });

  it('receive(Infinity) - waits without a timer', async () => {
    const { node } = testNode();
    const got = await node.run(async (ctx) => {
      const me = ctx.self;
      ctx.spawn((s) => s.send(me, 'eventually'));
      return ctx.receive(undefined, Infinity);
    });
    expect(got).toBe('eventually');
  });

  it('receive - a timeout longer than setTimeout allows does not fire early', async () => {
    const { node } = testNode();
    const got = await node.run(async (ctx) => {
      const me = ctx.self;
      ctx.sendAfter(5, me, 'first');
      return ctx.receive(undefined, 2 ** 31 + 10);
    });
    expect(got).toBe('first');
  });

  it('receive - bad timeouts and matchers are TypeErrors', async () => {
    const { node } = testNode();
    await node.run((ctx) => {
      for (const timeout of [-1, Number.NaN, '10', null]) {
        expect(() => ctx.receive(undefined, timeout as number)).toThrow(/Expected `timeout` to be a number of milliseconds/);
      }
      expect(() => ctx.receive(-5)).toThrow(TypeError);
      expect(() => ctx.receive('x' as never)).toThrow(/Expected `matcher` to be a function/);
    });
  });

  it('receive - a second receive while one waits throws ReceiveInProgressError', async () => {
    const { node } = testNode();
    const error = await node.run(async (ctx) => {
      void ctx.receive();
      try {
        await ctx.receive();
      } catch (caught) {
        return caught;
      }
      return undefined;
    });
    expect(error).toBeInstanceOf(ReceiveInProgressError);
  });

  it('a matcher that throws ends the receiver, never the sender', async () => {
    const { node, reports } = testNode();
    const result = await node.run(async (ctx) => {
      const receiver = ctx.spawn(async (r) => {
        await r.receive(() => {
          throw new Error('bad matcher');
        });
      });
      const watch = node.awaitExit(receiver);
      await ctx.yield(); // the receiver is now waiting with its matcher
      ctx.send(receiver, 'trigger');
      return { reason: await watch, senderAlive: ctx.isAlive(ctx.self) };
    });
    expect((result.reason as Error).message).toBe('bad matcher');
    expect(result.senderAlive).toBe(true);
    expect(reportsOf(reports, 'crash_report')).toHaveLength(1);
  });

  it('a matcher that throws while scanning the mailbox ends the receiver', async () => {
    const { node } = testNode();
    const pid = node.spawn(async (ctx) => {
      ctx.send(ctx.self, 'queued');
      await ctx.receive(() => {
        throw new Error('scan');
      });
    });
    expect(((await node.awaitExit(pid)) as Error).message).toBe('scan');
  });

  it('tryReceive - takes a queued match synchronously, else TIMEOUT', async () => {
    const { node } = testNode();
    const got = await node.run((ctx) => {
      const empty = ctx.tryReceive();
      ctx.send(ctx.self, 'x');
      ctx.send(ctx.self, 9);
      return { empty, number: ctx.tryReceive(isNumber), none: ctx.tryReceive(isNumber), rest: ctx.tryReceive() };
    });
    expect(got).toEqual({ empty: TIMEOUT, number: 9, none: TIMEOUT, rest: 'x' });
  });

  it('send - to a dead pid does nothing; bad destinations are TypeErrors', async () => {
    const { node } = testNode();
    const dead = node.spawn(() => undefined);
    await node.awaitExit(dead);
    await node.run((ctx) => {
      ctx.send(dead, 'lost');
      expect(() => ctx.send(42 as never, 'x')).toThrow(/Expected `dest` to be a Pid or a registered name/);
    });
  });

  it('send - a promise or thenable is refused with a TypeError, as an awaited receive could not return it', async () => {
    const { node } = testNode();
    await node.run(async (ctx) => {
      const thenable = { then: () => undefined };
      for (const message of [Promise.resolve(1), thenable]) {
        expect(() => ctx.send(ctx.self, message)).toThrow(/Expected `message` to be a value that is not a promise or thenable/);
        expect(() => ctx.sendAfter(1, ctx.self, message)).toThrow(TypeError);
      }
      expect(() => node.send(ctx.self, thenable)).toThrow(TypeError);
      ctx.send(ctx.self, { then: 'not a function' });
      ctx.send(ctx.self, { promise: Promise.resolve(1) });
      expect(await ctx.receive()).toEqual({ then: 'not a function' });
      expect(((await ctx.receive()) as { promise: Promise<number> }).promise).toBeInstanceOf(Promise);
      expect(await ctx.receive(0)).toBe(TIMEOUT);
    });
  });

  it('send - from outside any process (node.send) delivers too', async () => {
    const { node } = testNode();
    const pid = node.spawn(async (ctx) => {
      const reply = (await ctx.receive()) as { to: Pid };
      ctx.send(reply.to, 'got it');
    });
    const answer = await node.run(async (ctx) => {
      node.send(pid, { to: ctx.self });
      return ctx.receive();
    });
    expect(answer).toBe('got it');
  });

  it('counters - messages in and out, reductions and queue length', async () => {
    const { node } = testNode();
    await node.run(async (ctx) => {
      const sink = ctx.spawn(async (s) => {
        await s.receive((m) => m === 'never');
      });
      for (let i = 0; i < 5; i++) ctx.send(sink, i);
      const info = node.processInfo(sink);
      expect(info).toMatchObject({ messagesIn: 5, messageQueueLength: 5, messagesOut: 0, status: 'runnable' });
      expect(node.processInfo(ctx.self)?.messagesOut).toBe(5);
      expect(node.processInfo(ctx.self)?.reductions).toBeGreaterThanOrEqual(5);
    });
  });
});
