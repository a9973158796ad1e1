import { createServer, connect, type AddressInfo } from 'node:net';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { TIMEOUT } from '../../src/index.js';
import { testNode } from '../helpers.js';

/**
 * The bound this suite holds the scheduler to: while processes keep themselves busy, Node's
 * timers and sockets still run within this many milliseconds of when they should. The scheduler
 * yields to the event loop every SLICE_MS (2 ms) of process work, so the real figure is a few
 * milliseconds; the bound leaves room for a loaded CI machine.
 */
const LATENESS_BOUND_MS = 100;

describe('fair scheduling', () => {
  it('a process flooding itself for seconds does not starve timers, sockets or other processes', async () => {
    const { node } = testNode();
    const floodFor = 2000;

    const server = createServer((socket) => socket.pipe(socket));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const client = connect((server.address() as AddressInfo).port, '127.0.0.1');
    await once(client, 'connect');

    const flooder = node.spawn(async (ctx) => {
      const until = performance.now() + floodFor;
      let rounds = 0;
      while (performance.now() < until) {
        ctx.send(ctx.self, rounds);
        await ctx.receive();
        rounds++;
      }
      ctx.exit({ rounds });
    });
    const flooded = node.awaitExit(flooder);

    // A timer that should fire every 10 ms: record how late it runs.
    let worstTimer = 0;
    let expected = performance.now() + 10;
    const interval = setInterval(() => {
      const now = performance.now();
      worstTimer = Math.max(worstTimer, now - expected);
      expected = now + 10;
    }, 10);

    // A socket echo, round trip after round trip.
    let worstEcho = 0;
    let echoes = 0;
    const echoing = (async () => {
      const deadline = performance.now() + floodFor - 200;
      while (performance.now() < deadline) {
        const sent = performance.now();
        client.write('ping');
        await once(client, 'data');
        worstEcho = Math.max(worstEcho, performance.now() - sent);
        echoes++;
      }
    })();

    // Another process waiting on its own timeouts keeps getting its turns.
    const ticks = node.run(async (ctx) => {
      let count = 0;
      const until = performance.now() + floodFor - 200;
      while (performance.now() < until) if ((await ctx.receive((m) => m === 'never', 10)) === TIMEOUT) count++;
      return count;
    });

    const [{ rounds }] = (await Promise.all([flooded, echoing])) as [{ rounds: number }, void];
    clearInterval(interval);
    client.destroy();
    server.close();

    expect(rounds).toBeGreaterThan(10_000); // the flooder really did flood
    expect(worstTimer).toBeLessThan(LATENESS_BOUND_MS);
    expect(worstEcho).toBeLessThan(LATENESS_BOUND_MS);
    expect(echoes).toBeGreaterThan(50);
    expect(await ticks).toBeGreaterThan(50);
  });

  it('a process that keeps finding messages in its mailbox goes to the back of the run queue', async () => {
    const { node } = testNode();
    const order = await node.run(async (ctx) => {
      const log: string[] = [];
      const me = ctx.self;
      const busy = ctx.spawn(async (b) => {
        for (let i = 0; i < 20_000; i++) b.send(b.self, i);
        for (let i = 0; i < 20_000; i++) await b.receive();
        log.push('busy done');
        b.send(me, 'done');
      });
      ctx.spawn(async (quick) => {
        await quick.yield();
        log.push('quick ran');
      });
      await ctx.receive((m) => m === 'done');
      void busy;
      return log;
    });
    expect(order).toEqual(['quick ran', 'busy done']);
  });

  it('work that arrives after the event loop sat idle runs at once, in a fresh slice, not after the next poll', async () => {
    const { node } = testNode();
    let handled = 0;
    const counter = node.spawn(async (ctx) => {
      for (;;) {
        await ctx.receive();
        handled++;
      }
    });
    // Let the loop idle well past a slice, then deliver a burst from a timer (a new macrotask).
    const handledBeforeImmediate = await new Promise<number>((resolve) =>
      setTimeout(() => {
        setImmediate(() => resolve(handled));
        for (let i = 0; i < 500; i++) node.send(counter, i);
      }, 20),
    );
    expect(handledBeforeImmediate).toBe(500);
  });

  it('receive(0) - a loop of looks at an empty mailbox does not starve timers', async () => {
    const { node } = testNode();
    let fired = false;
    setTimeout(() => (fired = true), 1);
    const looks = await node.run(async (ctx) => {
      let count = 0;
      while (!fired && count < 5_000_000) {
        await ctx.receive(0);
        count++;
      }
      return count;
    });
    expect(fired).toBe(true);
    expect(looks).toBeLessThan(5_000_000);
  });

  it('yield - lets the other runnable processes go first', async () => {
    const { node } = testNode();
    const order = await node.run(async (ctx) => {
      const log: string[] = [];
      ctx.spawn(() => void log.push('other'));
      await ctx.yield();
      log.push('after yield');
      return log;
    });
    expect(order).toEqual(['other', 'after yield']);
  });

  it('a spawned process starts after its parent yields, in spawn order', async () => {
    const { node } = testNode();
    const order = await node.run(async (ctx) => {
      const log: string[] = [];
      ctx.spawn(() => void log.push('first'));
      ctx.spawn(() => void log.push('second'));
      log.push('parent');
      await ctx.yield();
      return log;
    });
    expect(order).toEqual(['parent', 'first', 'second']);
  });
});
