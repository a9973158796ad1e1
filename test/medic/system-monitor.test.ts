import { describe, expect, it } from 'vitest';
import { medic, Port, type ProcessContext } from '../../src/index.js';
import { captureError, idle, testNode } from '../helpers.js';

const { SystemMonitorMessage } = medic;
type Message = InstanceType<typeof SystemMonitorMessage>;
const isMonitorMessage = (message: unknown): message is Message => message instanceof SystemMonitorMessage;

describe('systemMonitor', () => {
  it('tells its subscriber of long message queues on the way up and down', async () => {
    const { node } = testNode();
    const received = await node.run(async (ctx: ProcessContext) => {
      medic.systemMonitor(ctx.self, { longMessageQueue: { disable: 2, enable: 10 } }, { node });
      const slow = ctx.spawn(async (inner) => {
        await inner.receive((m) => m === 'go');
        for (;;) if ((await inner.receive(0)) === 'stop') return;
      });
      for (let i = 0; i < 20; i++) ctx.send(slow, i);
      const up = await ctx.receive(isMonitorMessage);
      ctx.send(slow, 'go');
      ctx.send(slow, 'stop');
      const down = await ctx.receive(isMonitorMessage);
      return [up, down].map((m) => [m.kind, m.pid === slow, m.info.long, m.dropped]);
    });
    expect(received).toEqual([
      ['long_message_queue', true, true, 0],
      ['long_message_queue', true, false, 0],
    ]);
  });

  it('reports long schedules with the process and where it was, and a large process', async () => {
    const { node } = testNode();
    const kinds = await node.run(async (ctx: ProcessContext) => {
      medic.systemMonitor(ctx.self, { longScheduleMs: 30, largeHeapBytes: 1_000_000, largeHeapCheckMs: 20 }, { node });
      const hog = ctx.spawn(async function hog(inner) {
        const end = performance.now() + 50;
        while (performance.now() < end);
        await inner.receive(0);
      });
      const fat = ctx.spawn(async (inner) => {
        const rows = Array.from({ length: 50_000 }, (_, i) => ({ i, name: `row ${i}` }));
        inner.exposeState(() => rows);
        await inner.receive(() => false);
      });
      const seen = new Map<string, Message>();
      while (seen.size < 2) {
        const message = await ctx.receive(isMonitorMessage);
        seen.set(message.kind, message);
      }
      return { schedule: seen.get('long_schedule'), heap: seen.get('large_heap'), hog, fat };
    });
    expect(kinds.schedule?.pid).toBe(kinds.hog);
    expect(kinds.schedule?.info.timeMs).toBeGreaterThanOrEqual(50);
    expect(kinds.heap?.pid).toBe(kinds.fat);
    expect(kinds.heap?.info.bytes).toBeGreaterThan(1_000_000);
  });

  it('reports long collections', async () => {
    const { node } = testNode();
    const message = await node.run(async (ctx: ProcessContext) => {
      medic.systemMonitor(ctx.self, { longGcMs: 0 }, { node });
      medic.binLeak(0, { node }); // runs full collections
      return ctx.receive(isMonitorMessage);
    });
    expect(message.kind).toBe('long_gc');
    expect(message.pid).toBeUndefined();
  });

  it('never delivers more than its rate allows, and counts what it dropped', async () => {
    const { node } = testNode();
    const { first, nothingMore, second } = await node.run(async (ctx: ProcessContext) => {
      medic.systemMonitor(ctx.self, { longMessageQueue: { disable: 0, enable: 1 }, maxEventsPerSecond: 1 }, { node });
      // 50 processes each get a long queue: 50 events in a moment, one gets through.
      for (let i = 0; i < 50; i++) ctx.send(ctx.spawn(idle), 'x');
      const first = await ctx.receive(isMonitorMessage);
      const nothingMore = await ctx.receive(isMonitorMessage, 0);
      // A second queue a second later gets through, carrying the count of the 49 dropped.
      await new Promise((resolve) => setTimeout(resolve, 1100)); // the rate's own window, not a guess
      ctx.send(ctx.spawn(idle), 'x');
      const second = await ctx.receive(isMonitorMessage);
      expect(medic.currentSystemMonitor({ node })?.settings.maxEventsPerSecond).toBe(1);
      return { first, nothingMore, second };
    });
    expect(first.dropped).toBe(0);
    expect(typeof nothingMore).toBe('symbol');
    expect(second.dropped).toBe(49);
    expect(medic.currentSystemMonitor({ node })).toBeUndefined(); // its subscriber has exited
  });

  it('reports a sender made to wait by a busy port', async () => {
    const { node } = testNode();
    const { message, port, self } = await node.run(async (ctx: ProcessContext) => {
      medic.systemMonitor(ctx.self, { busyPort: true }, { node });
      const port = Port.open(ctx, { spawn: 'sleep', args: ['1000'] }, { termAfter: 0 });
      while (Port.commandNosuspend(port, Buffer.alloc(64 * 1024))); // a program that never reads: the pipe fills
      void Port.command(port, 'waits').catch(() => undefined);
      const message = await ctx.receive(isMonitorMessage);
      Port.close(port);
      return { message, port, self: ctx.self };
    }, { trapExit: true });
    expect(message).toMatchObject({ kind: 'busy_port', pid: self, dropped: 0 });
    expect(message.info.port).toBe(port);
    expect(message.info.description).toContain('waits for room');
  });

  it('goes away when its subscriber exits, and replacing it returns the previous one', async () => {
    const { node } = testNode();
    const first = node.spawn(idle);
    const second = node.spawn(idle);
    expect(medic.systemMonitor(first, { busyPort: true }, { node })).toBeUndefined();
    expect(medic.systemMonitor(second, {}, { node })).toMatchObject({ subscriber: first });
    const exited = node.awaitExit(second);
    node.exit(second, 'kill');
    await exited;
    expect(medic.currentSystemMonitor({ node })).toBeUndefined();
    expect(String(captureError(() => medic.systemMonitor(second, {}, { node })))).toContain('subscriber');
    expect(String(captureError(() => medic.systemMonitor(first, { maxEventsPerSecond: 0 }, { node })))).toContain('maxEventsPerSecond');
  });
});
