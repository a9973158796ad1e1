import { describe, expect, it } from 'vitest';
import {
  NoTableError,
  NotAliveError,
  Table,
  TableAccessError,
  TableError,
  TableNameInUseError,
  TableTypeError,
  type Pid,
  type ProcessContext,
  type TableId,
} from '../../src/index.js';
import { captureError, testNode } from '../helpers.js';
import { agent } from './table-helpers.js';

type Pair = [unknown, unknown];
const protections = ['public', 'protected', 'private'] as const;

/** Calls every operation of the API on `table` as `ctx`, each in its own try, and returns the errors' classes by operation. */
function everyOperation(ctx: ProcessContext, table: TableId<Pair> | string, someone: Pid): Record<string, string> {
  const ops: Record<string, () => unknown> = {
    lookup: () => Table.lookup(ctx, table, 'key'),
    member: () => Table.member(ctx, table, 'key'),
    first: () => Table.first(ctx, table),
    last: () => Table.last(ctx, table),
    next: () => Table.next(ctx, table, 'key'),
    prev: () => Table.prev(ctx, table, 'key'),
    toList: () => Table.toList(ctx, table),
    match: () => Table.match(ctx, table, () => true),
    select: () => Table.select(ctx, table, () => true, 17),
    selectCount: () => Table.selectCount(ctx, table, () => true),
    insert: () => Table.insert(ctx, table, ['key', 'data']),
    insertMany: () => Table.insertMany(ctx, table, [['key', 'data']]),
    insertNew: () => Table.insertNew(ctx, table, ['key', 'data']),
    insertNewMany: () => Table.insertNewMany(ctx, table, [['key', 'data'], ['other', 'data']]),
    deleteKey: () => Table.deleteKey(ctx, table, 'key'),
    deleteObject: () => Table.deleteObject(ctx, table, ['key', 'data']),
    deleteAllObjects: () => Table.deleteAllObjects(ctx, table),
    take: () => Table.take(ctx, table, 'key'),
    selectDelete: () => Table.selectDelete(ctx, table, () => true),
    updateCounter: () => Table.updateCounter(ctx, table, 'key', 1),
    updateElement: () => Table.updateElement(ctx, table, 'key', 1, 'new'),
    giveAway: () => Table.giveAway(ctx, table, someone, 'data'),
    setOptions: () => Table.setOptions(ctx, table, { heir: null }),
    delete: () => Table.delete(ctx, table),
  };
  const outcome: Record<string, string> = {};
  for (const [name, op] of Object.entries(ops)) {
    try {
      op();
      outcome[name] = 'ok';
    } catch (error) {
      outcome[name] = (error as Error).constructor.name;
    }
  }
  return outcome;
}

const reads = ['lookup', 'member', 'first', 'last', 'next', 'prev', 'toList', 'match', 'select', 'selectCount'];
const writes = ['insert', 'insertMany', 'insertNew', 'insertNewMany', 'deleteKey', 'deleteObject', 'deleteAllObjects', 'take', 'selectDelete', 'updateCounter', 'updateElement'];
const ownerOnly = ['giveAway', 'setOptions', 'delete'];

describe('Table access', () => {
  // ets_SUITE: privacy (privacy_check)
  it('protection - public: all read and write; protected: all read, the owner writes; private: only the owner', async () => {
    const { node } = testNode();
    const owner = agent(node);
    const other = agent(node);
    const tables = await owner.do((ctx) => protections.map((protection) => Table.create<Pair>(ctx, { protection })));
    const [pub, prot, priv] = tables as [TableId<Pair>, TableId<Pair>, TableId<Pair>];
    await other.do((ctx) => {
      expect(Table.lookup(ctx, pub, 'foo')).toEqual([]);
      expect(Table.lookup(ctx, prot, 'foo')).toEqual([]);
      expect(captureError(() => Table.lookup(ctx, priv, 'foo'))).toBeInstanceOf(TableAccessError);
      Table.insert(ctx, pub, [1, 'foo']);
      const denied = captureError(() => Table.insert(ctx, prot, [2, 'foo'])) as TableAccessError;
      expect(denied).toBeInstanceOf(TableAccessError);
      expect(denied).toMatchObject({ code: 'table_access', operation: 'insert', caller: ctx.self, owner: owner.pid, protection: 'protected' });
      expect(denied.message).toMatch(/insert by <\d+\.\d+\.\d+> refused: the table is protected and owned by/);
      expect(captureError(() => Table.insert(ctx, priv, [3, 'foo']))).toBeInstanceOf(TableAccessError);
    });
    // It really wasn't written.
    await owner.do((ctx) => {
      expect(Table.lookup(ctx, pub, 1)).toEqual([[1, 'foo']]);
      expect(Table.info(ctx, prot)!.size).toBe(0);
      expect(Table.info(ctx, priv)!.size).toBe(0);
    });
  });

  it('protection - every operation checks the rights it needs, for the owner and for another process', async () => {
    const { node } = testNode();
    const owner = agent(node);
    const other = agent(node);
    // Each case gets fresh tables: the owner-only operations end them.
    for (const protection of protections) {
      const t1 = await owner.do((ctx) => Table.create<Pair>(ctx, { protection }));
      const asOther = await other.do((ctx) => everyOperation(ctx, t1, owner.pid));
      for (const op of reads) expect([op, asOther[op]]).toEqual([op, protection === 'private' ? 'TableAccessError' : expectedRead(op)]);
      for (const op of writes) expect([op, asOther[op]]).toEqual([op, protection === 'public' ? expectedWrite(op) : 'TableAccessError']);
      for (const op of ownerOnly) expect([op, asOther[op]]).toEqual([op, 'TableAccessError']);
      const t2 = await owner.do((ctx) => Table.create<Pair>(ctx, { protection }));
      const asOwner = await owner.do((ctx) => everyOperation(ctx, t2, other.pid));
      for (const op of reads) expect([op, asOwner[op]]).toEqual([op, expectedRead(op)]);
      for (const op of writes) expect([op, asOwner[op]]).toEqual([op, expectedWrite(op)]);
      // giveAway succeeded, so the owner lost the rest.
      expect([asOwner.giveAway, asOwner.setOptions, asOwner.delete]).toEqual(['ok', 'TableAccessError', 'TableAccessError']);
    }
  });

  // ets_SUITE: bad_table
  it('bad table - every operation on a deleted table, a dead name or a foreign private table fails with a typed error', async () => {
    const { node } = testNode();
    const owner = agent(node);
    const [priv] = await owner.do((ctx) => [Table.create<Pair>(ctx, { name: 'priv', named: true, protection: 'private' })]);
    await node.run((ctx) => {
      const t1 = Table.create<Pair>(ctx);
      Table.delete(ctx, t1);
      const t2 = Table.create<Pair>(ctx, { name: 'named', named: true });
      Table.delete(ctx, t2);
      for (const table of [t1, t2, 'named', 'noname']) {
        const outcome = everyOperation(ctx, table, owner.pid);
        for (const [op, error] of Object.entries(outcome)) expect([op, error]).toEqual([op, 'NoTableError']);
      }
      for (const table of [priv!, 'priv']) {
        const outcome = everyOperation(ctx, table, owner.pid);
        for (const [op, error] of Object.entries(outcome)) expect([op, error]).toEqual([op, 'TableAccessError']);
      }
      const error = captureError(() => Table.lookup(ctx, t1, 'key')) as NoTableError;
      expect(error.code).toBe('no_table');
      expect(error.message).toMatch(/^table #Table<\d+\.\d+>: no such table/);
    });
  });

  // ets_SUITE: named, delete_tab, badnew
  it('.create() named - the name finds the table on its node, is unique, and is free again once the table is deleted', async () => {
    const { node } = testNode();
    await node.run((ctx) => {
      const t = Table.create<Pair>(ctx, { name: 'foo', named: true, protection: 'public' });
      Table.insert(ctx, 'foo', ['key', 'val']);
      expect(Table.lookup(ctx, t, 'key')).toEqual([['key', 'val']]);
      expect(Table.whereis(ctx, 'foo')).toBe(t);
      expect(captureError(() => Table.create(ctx, { name: 'foo', named: true }))).toBeInstanceOf(TableNameInUseError);
      const unnamed = Table.create(ctx, { name: 'foo' });
      expect(Table.info(ctx, unnamed)).toMatchObject({ name: 'foo', named: false });
      Table.delete(ctx, 'foo');
      expect(Table.whereis(ctx, 'foo')).toBeUndefined();
      const again = Table.create(ctx, { name: 'foo', named: true });
      expect(again).not.toBe(t);
    });
    const otherNode = testNode().node;
    await otherNode.run((ctx) => {
      expect(Table.whereis(ctx, 'foo')).toBeUndefined();
      expect(captureError(() => Table.lookup(ctx, 'foo', 'key'))).toBeInstanceOf(NoTableError);
    });
  });

  it('.create() - bad options are TypeErrors', async () => {
    const { node } = testNode();
    await node.run((ctx) => {
      const bad: unknown[] = [
        'set',
        { type: 'tree' },
        { protection: 'open' },
        { keyPos: -1 },
        { keyPos: 1.5 },
        { keyPos: '' },
        { name: 12 },
        { named: true },
        { named: 'yes', name: 'x' },
        { heir: ctx.self },
        { heir: { pid: 'not a pid' } },
        { heir: { pid: ctx.self, data: Promise.resolve() } },
      ];
      for (const options of bad) {
        const error = captureError(() => Table.create(ctx, options as Table.TableOptions<unknown[]>));
        expect([options, error]).toEqual([options, expect.any(TypeError)]);
      }
      expect(captureError(() => Table.create('ctx' as unknown as ProcessContext))).toBeInstanceOf(TypeError);
      expect((captureError(() => Table.create(ctx, { keyPos: -1 })) as Error).message).toMatch(/^Expected `options\.keyPos` to be an index from 0 up/);
    });
  });

  it('caller - a dead process, or a process of another node, is refused', async () => {
    const { node } = testNode();
    const other = testNode().node;
    const owner = agent(node);
    const t = await owner.do((ctx) => Table.create<Pair>(ctx, { protection: 'public' }));
    const dead = node.spawn(() => undefined);
    await node.awaitExit(dead);
    expect(captureError(() => Table.lookup(dead, t, 'key'))).toBeInstanceOf(NotAliveError);
    expect(captureError(() => Table.create(dead))).toBeInstanceOf(NotAliveError);
    await other.run((ctx) => {
      const error = captureError(() => Table.insert(ctx, t, ['k', 'v'])) as TableError;
      expect(error).toBeInstanceOf(TableError);
      expect(error.code).toBe('not_local');
    });
    // A pid of the node works as well as its ctx.
    expect(Table.lookup(owner.pid, t, 'key')).toEqual([]);
  });

  it('updateCounter / updateElement - a bag refuses them with TableTypeError', async () => {
    const { node } = testNode();
    await node.run((ctx) => {
      for (const type of ['bag', 'duplicate_bag'] as const) {
        const t = Table.create<[string, number]>(ctx, { type });
        Table.insert(ctx, t, ['key', 1]);
        expect(captureError(() => Table.updateCounter(ctx, t, 'key', 1))).toBeInstanceOf(TableTypeError);
        expect(captureError(() => Table.updateElement(ctx, t, 'key', 1, 2))).toBeInstanceOf(TableTypeError);
      }
    });
  });
});

function expectedRead(op: string): string {
  // `next`/`prev` of a key a hashed table lacks is ets's badarg.
  return op === 'next' || op === 'prev' ? 'KeyNotFoundError' : 'ok';
}

function expectedWrite(op: string): string {
  return op === 'updateCounter' ? 'KeyNotFoundError' : 'ok';
}
