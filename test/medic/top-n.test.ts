import { describe, expect, it } from 'vitest';
import { GenServer, medic, type ProcessContext } from '../../src/index.js';
import { captureError, captureRejection, idle, testNode } from '../helpers.js';

async function settled(node: ReturnType<typeof testNode>['node']): Promise<void> {
  await node.run(async () => {});
}

describe('procCount', () => {
  it('ranks processes by an attribute, largest first, naming each with its location and initial call', async () => {
    const { node } = testNode();
    const quiet = node.spawn(idle, { name: 'quiet' });
    const busy = node.spawn(async function busyMailbox(ctx: ProcessContext) {
      await ctx.receive(() => false);
    }, { name: 'busy' });
    const middling = node.spawn(idle, { label: 'middling' });
    await settled(node);
    for (let i = 0; i < 30; i++) node.send(busy, { i });
    for (let i = 0; i < 5; i++) node.send(middling, i);
    const rows = medic.procCount('messageQueueLength', 2, { node });
    expect(rows.map((row) => [row.pid, row.value, row.name])).toEqual([
      [busy, 30, 'busy'],
      [middling, 5, 'middling'],
    ]);
    expect(rows[0]?.initialCall).toBe('busyMailbox');
    expect(rows[0]?.currentLocation).toContain('receive');
    expect(medic.procCount('memory', 1, { node })[0]?.pid).toBe(busy);
    expect(medic.procCount('reductions', 0, { node })).toEqual([]);
    expect(quiet).toBeDefined();
  });

  it('ranks GenServers by the memory their state holds', async () => {
    const { node } = testNode();
    const small = await GenServer.start({ init: () => ({ state: [1, 2, 3] }) }, undefined, { node, name: 'small' });
    const big = await GenServer.start({ init: () => ({ state: Array.from({ length: 20_000 }, (_, i) => ({ id: i, text: `item ${i}` })) }) }, undefined, { node, name: 'big' });
    if (!small.ok || !big.ok) throw new Error('start failed');
    const [top] = medic.procCount('memory', 1, { node });
    expect(top?.pid).toBe(big.pid);
    expect(top?.value).toBeGreaterThan(20_000 * 80);
  });

  it('rejects an unknown attribute and a bad count with TypeErrors that name them', () => {
    const { node } = testNode();
    expect(String(captureError(() => medic.procCount('heap' as never, 3, { node })))).toContain('attribute');
    expect(String(captureError(() => medic.procCount('memory', -1, { node })))).toContain('`n`');
  });
});

describe('procWindow', () => {
  it('ranks by growth over the window, not by totals', async () => {
    const { node } = testNode();
    const old = node.spawn(idle, { name: 'old' });
    const fresh = node.spawn(idle, { name: 'fresh' });
    await settled(node);
    for (let i = 0; i < 50; i++) node.send(old, i);
    const window = medic.procWindow('messagesIn', 1, 50, { node });
    for (let i = 0; i < 10; i++) node.send(fresh, i);
    const rows = await window;
    expect(rows.map((row) => [row.pid, row.value])).toEqual([[fresh, 10]]);
  });

  it('stops when its signal aborts, and bounds the window', async () => {
    const { node } = testNode();
    const controller = new AbortController();
    const window = medic.procWindow('reductions', 5, 60_000, { node, signal: controller.signal });
    controller.abort(new Error('operator left'));
    expect(String(await captureRejection(window))).toContain('operator left');
    expect(String(await captureRejection(medic.procWindow('reductions', 5, 3_600_000, { node })))).toContain('`ms`');
  });
});

describe('procWindow runtime', () => {
  it('finds the process that takes the CPU, accounting run time only for the window', async () => {
    const { node } = testNode();
    const hog = node.spawn(async (ctx) => {
      for (;;) {
        await ctx.receive();
        const end = performance.now() + 30;
        while (performance.now() < end);
      }
    }, { name: 'hog' });
    const calm = node.spawn(async (ctx) => {
      for (;;) await ctx.receive();
    }, { name: 'calm' });
    await node.run(async () => {});
    const window = medic.procWindow('runtime', 2, 150, { node });
    node.send(hog, 'think');
    node.send(calm, 'think');
    const rows = await window;
    expect(rows[0]).toMatchObject({ pid: hog });
    expect(rows[0]?.value).toBeGreaterThanOrEqual(30);
    expect(rows[1]?.value ?? 0).toBeLessThan(30);
    expect(calm).toBeDefined();
  });
});

describe('mailboxGrowth', () => {
  it('shows the mailbox that fills fastest, with its rates and the time left before its limit', async () => {
    const { node } = testNode();
    const flooded = node.spawn(idle, { name: 'flooded', maxMailbox: 10_000 });
    const keepsUp = node.spawn(async (ctx) => {
      for (;;) await ctx.receive();
    }, { name: 'keeps_up' });
    await settled(node);
    const growth = medic.mailboxGrowth(5, 100, { node });
    for (let i = 0; i < 200; i++) {
      node.send(flooded, i);
      node.send(keepsUp, i);
    }
    const rows = await growth;
    expect(rows[0]).toMatchObject({ pid: flooded, name: 'flooded', messageQueueLength: 200 });
    expect(rows[0]?.growthRate).toBeGreaterThan(0);
    expect(rows[0]?.drainRate).toBe(0);
    expect(rows[0]?.secondsToLimit).toBeCloseTo((10_000 - 200) / (rows[0]?.growthRate ?? 1), 5);
    const drained = rows.find((row) => row.pid === keepsUp);
    expect(drained?.growthRate).toBe(0);
    expect(drained?.drainRate).toBeGreaterThan(0);
  });
});

describe('orphans', () => {
  it('lists processes that nothing links to or watches, oldest first, leaving out named and linked ones', async () => {
    const { node } = testNode();
    const lonely = node.spawn(idle);
    node.spawn(idle, { name: 'named' });
    node.spawn((ctx) => {
      ctx.spawnLink(idle);
      return idle(ctx);
    });
    const later = node.spawn(idle);
    await settled(node);
    const found = medic.orphans(1, { node });
    expect(found.total).toBe(2);
    expect(found.oldest.map((row) => row.pid)).toEqual([lonely]);
    expect(later).toBeDefined();
  });
});

describe('locationCount', () => {
  it('groups processes by where they wait, most first', async () => {
    const { node } = testNode({ trackLocations: true });
    for (let i = 0; i < 3; i++) node.spawn(idle);
    node.spawn(async (ctx) => void (await ctx.receive()));
    await node.run(async () => {});
    const [first, second] = medic.locationCount(5, { node });
    expect(first?.processes).toBe(3);
    expect(first?.location).toContain('helpers.ts');
    expect(second?.processes).toBe(1);
    expect(second?.location).toContain('top-n.test.ts');
  });
});
