import { describe, expect, it } from 'vitest';
import { medic, Table } from '../../src/index.js';
import { captureError, captureRejection, idle, testNode } from '../helpers.js';

describe('memory', () => {
  it('derives used, allocated, unused and usage from one reading, so usage never passes 1', () => {
    for (let i = 0; i < 50; i++) {
      const usage = medic.memory('usage');
      expect(usage).toBeGreaterThan(0);
      expect(usage).toBeLessThanOrEqual(1);
    }
    expect(medic.memory('used')).toBeGreaterThan(0);
    expect(medic.memory('allocated')).toBeGreaterThanOrEqual(medic.memory('unused'));
    expect(String(captureError(() => medic.memory('free' as never)))).toContain('`kind`');
  });

  it('gives every heap space its used and committed bytes, worst usage first', () => {
    const spaces = medic.heapFragmentation();
    expect(spaces.length).toBeGreaterThan(2);
    for (const space of spaces) expect(space.used).toBeLessThanOrEqual(space.allocated);
    const usages = spaces.map((space) => space.usage);
    expect(usages).toEqual([...usages].sort((a, b) => a - b));
  });

  it('breaks a node’s memory down, counting its processes, mailboxes and tables', async () => {
    const { node } = testNode();
    const holder = node.spawn(idle);
    await node.run(async (ctx) => {
      const table = Table.create(ctx, { name: 'medic_table' });
      for (let i = 0; i < 100; i++) Table.insert(ctx, table, [i, `value ${i}`]);
      Table.giveAway(ctx, table, holder, undefined);
    });
    for (let i = 0; i < 100; i++) node.send(holder, { text: 'x'.repeat(100) });
    const breakdown = medic.memoryBreakdown({ node });
    expect(breakdown.processCount).toBe(1);
    expect(breakdown.tableCount).toBe(1);
    expect(breakdown.tables).toBeGreaterThan(100 * 30);
    expect(breakdown.mailboxes).toBeGreaterThan(100 * 100);
    expect(breakdown.processes).toBeGreaterThan(breakdown.mailboxes);
    expect(breakdown.rss).toBeGreaterThan(breakdown.heapUsed);
    expect(breakdown.code).toBeGreaterThan(0);
  });
});

describe('nodeStats', () => {
  it('reads counts, memory, reductions, collections and scheduler usage', async () => {
    const { node } = testNode();
    node.spawn(idle);
    await node.run(async () => {});
    const stats = medic.nodeStats({ node });
    expect(stats).toMatchObject({ node: node.name, processCount: 1, portCount: 0, socketCount: 0, bytesIn: 0, bytesOut: 0 });
    expect(stats.reductions).toBeGreaterThan(0);
    expect(stats.schedulerUsage).toHaveLength(1);
    expect(stats.schedulerUsage[0]?.usage).toBeGreaterThanOrEqual(0);
  });

  it('samples n intervals with the changes in each, and prints them', async () => {
    const { node } = testNode();
    const worker = node.spawn(async (ctx) => {
      for (;;) await ctx.receive();
    });
    const sampling = medic.nodeStatsList(2, 30, { node });
    for (let i = 0; i < 100; i++) node.send(worker, i);
    const samples = await sampling;
    expect(samples).toHaveLength(2);
    expect(samples[0]?.delta.reductions).toBeGreaterThanOrEqual(100);
    expect(samples[0]?.intervalMs).toBeGreaterThanOrEqual(29);
    const text = medic.formatNodeStats(samples);
    expect(text.split('\n')).toHaveLength(3);
    expect(text).toMatch(/^procs\s+runq/);
    expect(String(await captureRejection(medic.nodeStatsList(1000, 1000, { node })))).toContain('n × intervalMs');
  });

  it('counts collections and the bytes they reclaimed', async () => {
    const before = medic.nodeStats();
    let garbage: unknown[] = [];
    for (let round = 0; round < 20; round++) garbage = Array.from({ length: 50_000 }, (_, i) => ({ i, round }));
    expect(garbage).toHaveLength(50_000);
    // The observer reports collections from a later task: sample until they arrive.
    const after = await medic.nodeStatsList(1, 20).then((samples) => samples[0]);
    expect((after?.gcCount ?? 0) - before.gcCount).toBeGreaterThan(0);
    expect(after?.gcBytesReclaimed).toBeGreaterThan(before.gcBytesReclaimed);
  });
});

describe('schedulerUsage', () => {
  it('measures the event loop busy over the window', async () => {
    const measuring = medic.schedulerUsage(60);
    const end = performance.now() + 40;
    while (performance.now() < end);
    const [usage] = await measuring;
    expect(usage?.scheduler).toBe(1);
    expect(usage?.usage).toBeGreaterThan(0.3);
    expect(usage?.usage).toBeLessThanOrEqual(1);
  });
});
