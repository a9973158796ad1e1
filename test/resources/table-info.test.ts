import { describe, expect, it } from 'vitest';
import { Table, type TableId } from '../../src/index.js';
import { captureError, testNode } from '../helpers.js';
import { agent } from './table-helpers.js';

describe('Table info', () => {
  // ets_SUITE: info
  it('.info() - settings, owner, heir, size and a memory estimate, for any process, private tables included', async () => {
    const { node } = testNode();
    const owner = agent(node);
    const heir = agent(node);
    const other = agent(node);
    for (const type of ['set', 'ordered_set', 'bag', 'duplicate_bag'] as const) {
      for (const protection of ['private', 'protected', 'public'] as const) {
        const t = await owner.do((ctx) => Table.create<[string, unknown]>(ctx, { type, protection, keyPos: 1, name: 'foobar', heir: { pid: heir.pid } }));
        const info = await other.do((ctx) => Table.info(ctx, t));
        expect(info).toEqual({
          id: t,
          name: 'foobar',
          named: false,
          type,
          protection,
          keyPos: 1,
          owner: owner.pid,
          heir: heir.pid,
          size: 0,
          memory: expect.any(Number),
          node: node.name,
        });
      }
    }
    expect(Table.info(node, 'non_existing_table_xxyy')).toBeUndefined();
    expect(captureError(() => Table.info(node, 42 as never))).toBeInstanceOf(TypeError);
    expect(captureError(() => Table.info('node' as never, 'x'))).toBeInstanceOf(TypeError);
  });

  it('.info() memory - grows with the objects, shrinks when they go, and comes back to the empty size', async () => {
    const { node } = testNode();
    await node.run((ctx) => {
      for (const type of ['set', 'ordered_set', 'bag', 'duplicate_bag'] as const) {
        const t = Table.create<[number, string]>(ctx, { type });
        const empty = Table.info(ctx, t)!.memory;
        for (let i = 0; i < 1000; i++) Table.insert(ctx, t, [i, 'x'.repeat(100)]);
        const full = Table.info(ctx, t)!.memory;
        expect(full).toBeGreaterThan(empty + 1000 * 100);
        for (let i = 0; i < 500; i++) Table.deleteKey(ctx, t, i);
        const half = Table.info(ctx, t)!.memory;
        expect(half).toBeLessThan(full);
        expect(half).toBeGreaterThan(empty);
        Table.selectDelete(ctx, t, () => true);
        expect(Table.info(ctx, t)!.memory).toBe(empty);
        Table.insert(ctx, t, [1, 'y']);
        Table.deleteAllObjects(ctx, t);
        expect(Table.info(ctx, t)!.memory).toBe(empty);
      }
    });
  });

  // ets_SUITE: whereis_table
  it('.whereis() - finds named tables of the node only, and nothing once deleted', async () => {
    const { node } = testNode();
    await node.run((ctx) => {
      const named = Table.create(ctx, { name: 'whereis_test', named: true });
      Table.create(ctx, { name: 'unnamed' });
      expect(Table.whereis(ctx, 'whereis_test')).toBe(named);
      expect(Table.whereis(node, 'whereis_test')).toBe(named);
      expect(Table.whereis(ctx, 'unnamed')).toBeUndefined();
      Table.delete(ctx, named);
      expect(Table.whereis(ctx, 'whereis_test')).toBeUndefined();
      expect(captureError(() => Table.whereis(ctx, 1 as never))).toBeInstanceOf(TypeError);
    });
  });

  // ets_SUITE: ets_all, misc1
  it('.all() .count() - list the node\'s tables with owner, name, type, size and memory, bounded by a limit', async () => {
    const { node } = testNode();
    const owners = [agent(node), agent(node)];
    const ids: TableId<[number]>[] = [];
    for (let i = 0; i < 150; i++) {
      ids.push(
        await owners[i % 2]!.do((ctx) => {
          const t = Table.create<[number]>(ctx, { name: `t${i}`, type: i % 3 === 0 ? 'ordered_set' : 'set' });
          Table.insertMany(ctx, t, Array.from({ length: i }, (_, k) => [k]));
          return t;
        }),
      );
    }
    expect(Table.count(node)).toBe(150);
    const listed = Table.all(node);
    expect(listed.length).toBe(100);
    expect(listed.map((t) => t.id)).toEqual(ids.slice(0, 100));
    expect(listed[7]).toMatchObject({ name: 't7', owner: owners[1]!.pid, type: 'set', size: 7 });
    expect(Table.all(node, { limit: 5 }).length).toBe(5);
    expect(Table.all(node, { limit: 1000 }).length).toBe(150);
    const biggest = Table.all(node, { limit: 3, sortBy: 'size' });
    expect(biggest.map((t) => t.name)).toEqual(['t149', 't148', 't147']);
    expect(Table.all(node, { limit: 1, sortBy: 'memory' })[0]!.name).toBe('t149');
    for (const bad of [{ limit: -1 }, { sortBy: 'name' }, 'all']) expect(captureError(() => Table.all(node, bad as never))).toBeInstanceOf(TypeError);
    // Another node has its own tables.
    expect(Table.count(testNode().node)).toBe(0);
    await owners[0]!.exit('normal');
    expect(Table.count(node)).toBe(75);
  });

  it('.i() - prints a bounded text table and says how many tables it left out', async () => {
    const { node } = testNode();
    const owner = agent(node);
    await owner.do((ctx) => {
      for (let i = 0; i < 4; i++) Table.insert(ctx, Table.create<[number]>(ctx, { name: `tab${i}`, type: 'bag' }), [i]);
    });
    const text = Table.i(node, { limit: 3 });
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^id\s+name\s+type\s+protection\s+size\s+memory\s+owner$/);
    expect(lines.slice(1, 4).every((line) => /^#Table<\d+\.\d+>\s+tab\d\s+bag\s+protected\s+1\s+\d+\s+<\d+\.\d+\.\d+>$/.test(line))).toBe(true);
    expect(lines[4]).toBe('… and 1 more (of 4)');
    expect(lines.length).toBe(5);
  });
});
