import { describe, expect, it } from 'vitest';
import { NoTableError, Table, TableAccessError, TableBusyError, type ProcessContext } from '../../src/index.js';
import { captureError, inProcess, testNode } from '../helpers.js';
import { agent } from './table-helpers.js';

type Row = [number, string];
const types = ['set', 'ordered_set', 'bag', 'duplicate_bag'] as const;

function fill(ctx: ProcessContext, t: Table.TableId<Row>, n: number): void {
  Table.insertMany(
    ctx,
    t,
    Array.from({ length: n }, (_, i): Row => [i + 1, String(i + 1)]),
  );
}

/** Every chunk of a select, followed to the end. */
function allChunks<T extends object>(ctx: ProcessContext, first: Table.SelectResult<T>): Readonly<T>[][] {
  const chunks = [first.objects];
  for (let c = first.continuation; c !== undefined; ) {
    const next = Table.select(ctx, c);
    chunks.push(next.objects);
    c = next.continuation;
  }
  return chunks;
}

describe('Table select', () => {
  it('.select() - returns matches in chunks of at most `limit` with a continuation, for every type', () =>
    inProcess((ctx) => {
      for (const type of types) {
        const t = Table.create<Row>(ctx, { type });
        fill(ctx, t, 1000);
        const chunks = allChunks(ctx, Table.select(ctx, t, (o) => o[0] % 5 > 2, 7));
        const flat = chunks.flat();
        expect(flat.length).toBe(400);
        expect(chunks.slice(0, -1).every((c) => c.length === 7)).toBe(true);
        expect(new Set(flat.map((o) => o[0])).size).toBe(400);
        expect(flat.every((o) => o[0] % 5 > 2)).toBe(true);
        if (type === 'ordered_set') expect(flat.map((o) => o[0])).toEqual([...flat.map((o) => o[0])].sort((a, b) => a - b));
      }
    }));

  // ets_SUITE: select_bound_chunk
  it('.select() - a chunk bigger than the table ends with no continuation', () =>
    inProcess((ctx) => {
      for (const type of types) {
        const t = Table.create<[string, number]>(ctx, { type });
        Table.insert(ctx, t, ['key', 1]);
        expect(Table.select(ctx, t, (o) => o[0] === 'key' && o[1] === 1, 100_000)).toEqual({ objects: [['key', 1]], continuation: undefined });
        expect(Table.select(ctx, t, () => false, 10)).toEqual({ objects: [], continuation: undefined });
      }
    }));

  // ets_SUITE: otp_6842_select_1000
  it('.select() - a chunk of exactly the remaining objects may leave a continuation that yields nothing more', () =>
    inProcess((ctx) => {
      for (const type of types) {
        const t = Table.create<Row>(ctx, { type });
        fill(ctx, t, 10_000);
        const chunks = allChunks(ctx, Table.select(ctx, t, () => true, 1000));
        expect(chunks.flat().length).toBe(10_000);
        expect(chunks.slice(0, 10).every((c) => c.length === 1000)).toBe(true);
        expect(chunks.slice(10).flat()).toEqual([]);
      }
    }));

  it('.select() range - an ordered_set walks only the range, forward or in reverse, bounds inclusive or not', () =>
    inProcess((ctx) => {
      const t = Table.create<Row>(ctx, { type: 'ordered_set' });
      fill(ctx, t, 100);
      let examined = 0;
      const keys = (range: Table.KeyRange, reverse = false) =>
        allChunks(
          ctx,
          Table.select(
            ctx,
            t,
            () => {
              examined++;
              return true;
            },
            3,
            { range, reverse },
          ),
        )
          .flat()
          .map((o) => o[0]);
      expect(keys({ gte: 10, lte: 15 })).toEqual([10, 11, 12, 13, 14, 15]);
      expect(examined).toBe(6);
      expect(keys({ gt: 10, lt: 15 })).toEqual([11, 12, 13, 14]);
      expect(keys({ gt: 97 })).toEqual([98, 99, 100]);
      expect(keys({ lt: 3 })).toEqual([1, 2]);
      expect(keys({ gte: 10.5, lte: 12.5 })).toEqual([11, 12]);
      expect(keys({ gte: 10, lte: 15 }, true)).toEqual([15, 14, 13, 12, 11, 10]);
      expect(keys({ gt: 10, lt: 15 }, true)).toEqual([14, 13, 12, 11]);
      expect(keys({ lte: 2 }, true)).toEqual([2, 1]);
      expect(keys({ gte: 50, lte: 40 })).toEqual([]);
      // Hashed tables filter by the range.
      const set = Table.create<Row>(ctx);
      fill(ctx, set, 100);
      const inRange = Table.select(ctx, set, () => true, 1000, { range: { gt: 90 } }).objects.map((o) => o[0]);
      expect(inRange.sort((a, b) => a - b)).toEqual([91, 92, 93, 94, 95, 96, 97, 98, 99, 100]);
      for (const range of [{ gt: 1, gte: 2 }, { lt: 1, lte: 2 }, { gt: NaN }, 'all']) {
        expect(captureError(() => Table.select(ctx, t, () => true, 1, { range: range as Table.KeyRange }))).toBeInstanceOf(TypeError);
      }
    }));

  it('.select() range - compound keys give prefix ranges', () =>
    inProcess((ctx) => {
      const t = Table.create<[[string, number], string]>(ctx, { type: 'ordered_set' });
      for (const user of ['ada', 'bob', 'cy']) for (let n = 1; n <= 3; n++) Table.insert(ctx, t, [[user, n], `${user}${n}`]);
      const bob = Table.select(ctx, t, () => true, 100, { range: { gte: ['bob'], lt: ['bob', Infinity] } });
      expect(bob.objects.map((o) => o[1])).toEqual(['bob1', 'bob2', 'bob3']);
    }));

  // ets_SUITE: t_select_reverse
  it('.select() reverse - an ordered_set gives the reverse of select; hashed tables the same as select', () =>
    inProcess((ctx) => {
      const predicate = (o: Readonly<Row>) => o[0] % 5 > 2;
      const ordered = Table.create<Row>(ctx, { type: 'ordered_set' });
      fill(ctx, ordered, 1000);
      const forward = allChunks(ctx, Table.select(ctx, ordered, predicate, 3)).flat();
      const backward = allChunks(ctx, Table.select(ctx, ordered, predicate, 3, { reverse: true })).flat();
      expect(backward).toEqual([...forward].reverse());
      for (const type of ['set', 'bag', 'duplicate_bag'] as const) {
        const t = Table.create<Row>(ctx, { type });
        fill(ctx, t, 1000);
        expect(Table.select(ctx, t, predicate, 10_000, { reverse: true }).objects).toEqual(Table.select(ctx, t, predicate, 10_000).objects);
      }
    }));

  // ets_SUITE: t_bucket_disappears
  it('.select() continuation - survives the deletion of the key it stopped at', () =>
    inProcess((ctx) => {
      for (const type of types) {
        const t = Table.create<[string, number, number]>(ctx, { type, keyPos: 1, protection: 'public' });
        Table.insertMany(ctx, t, [['abcd', 1, 2], ['abcd', 2, 2], ['abcd', 3, 2]]);
        const first = Table.select(ctx, t, (o) => o[1] < 10, 1);
        expect(first.objects).toEqual([['abcd', 1, 2]]);
        Table.deleteKey(ctx, t, 1);
        Table.deleteKey(ctx, t, 2);
        expect(allChunks(ctx, Table.select(ctx, first.continuation!)).flat()).toEqual([['abcd', 3, 2]]);
      }
    }));

  it('.select() continuation - sees changes made between chunks as ets does: deleted objects are not returned', () =>
    inProcess((ctx) => {
      for (const type of types) {
        const t = Table.create<Row>(ctx, { type });
        fill(ctx, t, 10);
        const first = Table.select(ctx, t, () => true, 4);
        const seen = new Set(first.objects.map((o) => o[0]));
        const notYet = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].filter((k) => !seen.has(k));
        Table.deleteKey(ctx, t, notYet[0]!);
        if (type === 'ordered_set') Table.insert(ctx, t, [4.5, 'new']);
        const rest = allChunks(ctx, Table.select(ctx, first.continuation!)).flat().map((o) => o[0]);
        expect(rest).not.toContain(notYet[0]);
        for (const k of notYet.slice(1)) expect(rest).toContain(k);
        if (type === 'ordered_set') expect(rest).toEqual([4.5, 6, 7, 8, 9, 10]);
      }
    }));

  it('.select() continuation - after deleteAllObjects it returns nothing more, without error', () =>
    inProcess((ctx) => {
      for (const type of types) {
        const t = Table.create<Row>(ctx, { type });
        fill(ctx, t, 10);
        const { continuation } = Table.select(ctx, t, () => true, 3);
        Table.deleteAllObjects(ctx, t);
        expect(allChunks(ctx, Table.select(ctx, continuation!)).flat()).toEqual([]);
      }
    }));

  // ets_SUITE: t_repair_continuation (a continuation can be used again)
  it('.select() continuation - can be used again: it does not move', () =>
    inProcess((ctx) => {
      for (const type of types) {
        const t = Table.create<Row>(ctx, { type });
        fill(ctx, t, 1000);
        const { continuation } = Table.select(ctx, t, () => true, 5);
        const again1 = Table.select(ctx, continuation!);
        const again2 = Table.select(ctx, continuation!);
        expect(again1.objects.length).toBe(5);
        expect(again2.objects).toEqual(again1.objects);
        expect(Table.select(ctx, again1.continuation!).objects).not.toEqual(again1.objects);
      }
    }));

  // ets_SUITE: t_named_select
  it('.select() continuation - fails once its table is deleted, even if a table of the same name is created', async () => {
    const { node } = testNode();
    await node.run((ctx) => {
      for (const type of types) {
        Table.create<Row>(ctx, { type, name: 't_name_tid_select', named: true });
        Table.insertMany(ctx, 't_name_tid_select', [[1, '11'], [2, '22'], [3, '33']]);
        const { objects, continuation } = Table.select<Row>(ctx, 't_name_tid_select', (o) => o[1] === '22' || o[0] === 1, 1);
        expect(objects.length).toBe(1);
        Table.delete(ctx, 't_name_tid_select');
        expect(captureError(() => Table.select(ctx, continuation!))).toBeInstanceOf(NoTableError);
        Table.create<Row>(ctx, { type, name: 't_name_tid_select', named: true });
        expect(captureError(() => Table.select(ctx, continuation!))).toBeInstanceOf(NoTableError);
        Table.delete(ctx, 't_name_tid_select');
      }
    });
  });

  it('.select() continuation - another process needs read access to use it', async () => {
    const { node } = testNode();
    const owner = agent(node);
    const other = agent(node);
    const continuation = await owner.do((ctx) => {
      const t = Table.create<Row>(ctx, { protection: 'private' });
      fill(ctx, t, 10);
      return Table.select(ctx, t, () => true, 2).continuation!;
    });
    await other.do((ctx) => expect(captureError(() => Table.select(ctx, continuation))).toBeInstanceOf(TableAccessError));
  });

  it('.select() - bad predicate, limit or options are TypeErrors', () =>
    inProcess((ctx) => {
      const t = Table.create<Row>(ctx);
      for (const [predicate, limit, options] of [
        ['not a function', 1, undefined],
        [() => true, 0, undefined],
        [() => true, 1.5, undefined],
        [() => true, '10', undefined],
        [() => true, 1, 'reverse'],
        [() => true, 1, { reverse: 'yes' }],
      ] as const) {
        expect(captureError(() => Table.select(ctx, t, predicate as never, limit as never, options as never))).toBeInstanceOf(TypeError);
      }
      expect((captureError(() => Table.select(ctx, t, () => true, 0)) as Error).message).toBe('Expected `limit` to be a whole number from 1 up, got `0` (number)');
    }));

  // ets_SUITE: t_select_delete (select_count and select_delete)
  it('.selectCount() .selectDelete() - count and delete what the predicate accepts', () =>
    inProcess((ctx) => {
      for (const type of types) {
        const t = Table.create<Row>(ctx, { type });
        fill(ctx, t, 10_000);
        if (type === 'bag' || type === 'duplicate_bag') fill(ctx, t, 10_000);
        const factor = type === 'duplicate_bag' ? 2 : 1;
        expect(Table.selectCount(ctx, t, (o) => o[0] % 5 > 2)).toBe(4000 * factor);
        expect(Table.selectDelete(ctx, t, (o) => o[0] % 5 > 2)).toBe(4000 * factor);
        expect(Table.info(ctx, t)!.size).toBe(6000 * factor);
        expect(Table.match(ctx, t, (o) => o[0] % 5 > 2)).toEqual([]);
        expect(Table.selectDelete(ctx, t, () => true)).toBe(6000 * factor);
        expect(Table.info(ctx, t)!.size).toBe(0);
      }
    }));

  // ets_SUITE: match_delete
  it('.selectDelete() - a predicate that throws deletes nothing', () =>
    inProcess((ctx) => {
      const t = Table.create<Row>(ctx);
      fill(ctx, t, 10);
      expect(() =>
        Table.selectDelete(ctx, t, (o) => {
          if (o[0] === 7) throw new Error('bad predicate');
          return true;
        }),
      ).toThrow('bad predicate');
      expect(Table.info(ctx, t)!.size).toBe(10);
    }));

  // ets_SUITE: ordered_match
  it('.match() - returns every accepted object, in key order for an ordered_set', () =>
    inProcess((ctx) => {
      const t = Table.create<[number, string, number, number, number]>(ctx, { type: 'ordered_set' });
      for (let x = 3000; x >= 1; x--) Table.insert(ctx, t, [x, String(x), x % 10, x % 100, x % 1000]);
      expect(Table.match(ctx, t, (o) => o[4] === 3).map((o) => [o[2], o[3]])).toEqual([
        [3, 3],
        [3, 3],
        [3, 3],
      ]);
      const expected = Array.from({ length: 3000 }, (_, i) => i + 1).filter((x) => x % 100 === 2);
      expect(Table.match(ctx, t, (o) => o[3] === 2).map((o) => o[0])).toEqual(expected);
      Table.selectDelete(ctx, t, (o) => o[3] === 2);
      expect(Table.match(ctx, t, (o) => o[3] === 2)).toEqual([]);
    }));

  it('predicates - may read but not write the table they scan (TableBusyError), and the table stays usable', () =>
    inProcess((ctx) => {
      for (const type of types) {
        const t = Table.create<Row>(ctx, { type });
        fill(ctx, t, 10);
        const scans = [
          () => Table.match(ctx, t, () => Table.insert(ctx, t, [99, 'x']) === undefined),
          () => Table.select(ctx, t, () => (Table.deleteKey(ctx, t, 1), true), 5),
          () => Table.selectCount(ctx, t, () => Table.updateElement(ctx, t, 1, 1, 'y')),
          () => Table.selectDelete(ctx, t, () => (Table.delete(ctx, t), true)),
        ];
        for (const scan of scans) expect(captureError(scan)).toBeInstanceOf(TableBusyError);
        expect(Table.match(ctx, t, (o) => Table.member(ctx, t, o[0])).length).toBe(10);
        Table.insert(ctx, t, [11, '11']);
        expect(Table.info(ctx, t)!.size).toBe(11);
      }
    }));
});
