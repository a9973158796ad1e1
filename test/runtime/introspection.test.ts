import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { type SystemWatchEvent, type ProcessContext } from '../../src/index.js';
import { captureError, idle, testNode } from '../helpers.js';

async function waitingFor(ctx: ProcessContext, message: string): Promise<void> {
  await ctx.receive((m) => m === message);
}

describe('scanProcesses and probe', () => {
  it('visits every live process through one probe, reading counters in place', async () => {
    const { node } = testNode();
    const a = node.spawn(idle, { name: 'a' });
    const b = node.spawn(idle, { label: 'worker' });
    await node.run(async () => {}); // both are now waiting
    node.send(b, 'one');
    node.send(b, 'two');
    const seen: { name: string; queue: number }[] = [];
    const probes = new Set<unknown>();
    const visited = node.scanProcesses((probe) => {
      probes.add(probe);
      seen.push({ name: probe.name, queue: probe.messageQueueLength });
    });
    expect(visited).toBe(2);
    expect(probes.size).toBe(1);
    expect(seen).toEqual([
      { name: 'a', queue: 0 },
      { name: 'worker', queue: 2 },
    ]);
    expect(node.probe('a')?.pid).toBe(a);
    expect(node.probe(b)?.peekMailbox(1)).toEqual(['one']);
    expect(node.probe(String(b))?.label).toBe('worker');
  });

  it('stops early when the visitor returns false, and gives undefined for the dead', async () => {
    const { node } = testNode();
    for (let i = 0; i < 5; i++) node.spawn(idle);
    expect(node.scanProcesses(() => false)).toBe(1);
    const gone = node.spawn(() => {});
    await node.awaitExit(gone);
    expect(node.probe(gone)).toBeUndefined();
    expect(node.probe('nobody')).toBeUndefined();
    expect(captureError(() => node.scanProcesses(42 as never))).toBeInstanceOf(TypeError);
  });

  it('reads what a process exposes as its state, and swallows a failing probe', async () => {
    const { node } = testNode();
    const pid = node.spawn(async (ctx) => {
      let count = 0;
      ctx.exposeState(() => ({ count }));
      for (;;) {
        await ctx.receive();
        count++;
        if (count === 2) ctx.exposeState(() => {
          throw new Error('broken probe');
        });
      }
    });
    await node.run(async () => {});
    node.send(pid, 'x');
    await node.run(async () => {});
    expect(node.probe(pid)?.exposedState()).toEqual({ count: 1 });
    node.send(pid, 'y');
    await node.run(async () => {});
    expect(node.probe(pid)?.exposesState).toBe(true);
    expect(node.probe(pid)?.exposedState()).toBeUndefined();
  });
});

describe('statistics', () => {
  it('counts spawns, exits and the reductions of exited processes', async () => {
    const { node } = testNode();
    const before = node.statistics();
    const pid = node.spawn(async (ctx) => {
      for (let i = 0; i < 10; i++) ctx.send(ctx.self, i);
      for (let i = 0; i < 10; i++) await ctx.receive();
    });
    await node.awaitExit(pid);
    const after = node.statistics();
    expect(after.spawned - before.spawned).toBe(1);
    expect(after.exited - before.exited).toBe(1);
    expect(after.reductions - before.reductions).toBeGreaterThanOrEqual(20);
  });
});

describe('watchSystem', () => {
  it('reports a long message queue once on the way up and once on the way down (hysteresis)', async () => {
    const { node } = testNode();
    const events: SystemWatchEvent[] = [];
    node.watchSystem({ longMessageQueue: { disable: 1, enable: 3 }, onEvent: (e) => events.push(e) });
    const pid = node.spawn((ctx) => waitingFor(ctx, 'drain').then(async () => {
      for (;;) if ((await ctx.receive(0)) === 'stop') return;
    }));
    await node.run(async () => {});
    for (let i = 0; i < 6; i++) node.send(pid, i);
    expect(events).toEqual([{ kind: 'long_message_queue', pid, long: true, queueLength: 3 }]);
    const done = node.awaitExit(pid);
    node.send(pid, 'drain');
    node.send(pid, 'stop');
    await done;
    expect(events.map((e) => (e.kind === 'long_message_queue' ? [e.long, e.queueLength] : e.kind))).toEqual([
      [true, 3],
      [false, 1],
    ]);
  });

  it('reports a process that runs long without calling the runtime, and not one that awaits a timer', async () => {
    const { node } = testNode();
    const events: SystemWatchEvent[] = [];
    node.watchSystem({ longScheduleMs: 40, onEvent: (e) => events.push(e) });
    const sleeper = node.spawn(async (ctx) => {
      await sleep(120); // idle event loop: not a long schedule
      ctx.send(ctx.self, 'woke');
      await ctx.receive();
    });
    await node.awaitExit(sleeper);
    const bystander = node.spawn(async (ctx) => void (await ctx.receive()));
    const hog = node.spawn(async function hog(ctx) {
      const end = performance.now() + 60;
      while (performance.now() < end);
      ctx.node.send(bystander, 'woken'); // waking another from inside the stretch does not cut it
      await ctx.receive(0);
    });
    await node.awaitExit(hog);
    node.watchSystem(undefined);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'long_schedule', pid: hog });
    const event = events[0] as Extract<SystemWatchEvent, { kind: 'long_schedule' }>;
    expect(event.timeMs).toBeGreaterThanOrEqual(60);
    expect(event.location).toContain('introspection.test.ts');
  });

  it('passes busy-port notices on only while they are watched, and replaces the previous watch', () => {
    const { node } = testNode();
    const events: SystemWatchEvent[] = [];
    node.notifyBusyPort(node.pid, 'port', 'cat');
    const first = { busyPort: true, onEvent: (e: SystemWatchEvent) => events.push(e) };
    expect(node.watchSystem(first)).toBeUndefined();
    node.notifyBusyPort(node.pid, 'port', 'cat');
    expect(node.watchSystem({ onEvent: () => {} })).toBe(first);
    node.notifyBusyPort(node.pid, 'port', 'cat');
    expect(events).toEqual([{ kind: 'busy_port', pid: node.pid, port: 'port', description: 'cat' }]);
  });

  it('rejects a malformed watch with a TypeError that names the field, and survives a throwing watcher', async () => {
    const { node } = testNode();
    expect(String(captureError(() => node.watchSystem({} as never)))).toContain('watch.onEvent');
    expect(String(captureError(() => node.watchSystem({ longMessageQueue: { disable: 5, enable: 5 }, onEvent: () => {} })))).toContain('disable');
    node.watchSystem({ longMessageQueue: { disable: 0, enable: 1 }, onEvent: () => { throw new Error('bad watcher'); } });
    const pid = node.spawn(async (ctx) => void (await ctx.receive()));
    node.send(pid, 'hello');
    expect(await node.awaitExit(pid)).toBe('normal');
  });
});
