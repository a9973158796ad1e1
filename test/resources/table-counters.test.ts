import { describe, expect, it } from 'vitest';
import { BadElementError, KeyNotFoundError, Table } from '../../src/index.js';
import { captureError, inProcess } from '../helpers.js';

type Counter = [string, ...number[]];
type Op = { pos: number; incr: number; threshold?: number; setValue?: number };

/** ets_SUITE's uc_mimic: what update_counter should do, computed the plain way. */
function mimic(object: readonly unknown[], ops: readonly Op[]): { object: unknown[]; values: number[] } {
  const next = [...object];
  const values = ops.map(({ pos, incr, threshold, setValue }) => {
    let value = (next[pos] as number) + incr;
    if (threshold !== undefined && (incr >= 0 ? value > threshold : value < threshold)) value = setValue!;
    next[pos] = value;
    return value;
  });
  return { object: next, values };
}

/** A small seeded generator, so a failing case can be replayed. */
function random(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

describe('Table counters', () => {
  // ets_SUITE: update_counter (update_counter_for)
  it('.updateCounter() - a plain increment updates the element after the key; {pos, incr} any other', () =>
    inProcess((ctx) => {
      for (const type of ['set', 'ordered_set'] as const) {
        const t = Table.create<Counter>(ctx, { type });
        Table.insert(ctx, t, ['a', 1, 1]);
        expect(Table.updateCounter(ctx, t, 'a', 100)).toBe(101);
        expect(Table.lookup(ctx, t, 'a')).toEqual([['a', 101, 1]]);
        expect(Table.updateCounter(ctx, t, 'a', { pos: 2, incr: 100 })).toBe(101);
        expect(Table.lookup(ctx, t, 'a')).toEqual([['a', 101, 101]]);
        expect(Table.updateCounter(ctx, t, 'a', [{ pos: 1, incr: -1 }, { pos: 1, incr: -1 }, { pos: 2, incr: 0 }])).toEqual([100, 99, 101]);
      }
    }));

  it('.updateCounter() - matches the plain computation over random ops, thresholds and lists included', () =>
    inProcess((ctx) => {
      const next = random(42);
      const big = 2 ** 40;
      const randomOp = (): Op => {
        const pos = 1 + next(4);
        const incr = next(2) === 0 ? next(1000) - 500 : next(big) - big / 2;
        if (next(3) !== 0) return { pos, incr };
        const threshold = next(2 * big) - big;
        return { pos, incr, threshold, setValue: next(2 * big) - big };
      };
      for (const type of ['set', 'ordered_set'] as const) {
        const t = Table.create<Counter>(ctx, { type });
        let object: unknown[] = ['a', 0, 0, 0, 0];
        Table.insert(ctx, t, object as Counter);
        for (let round = 0; round < 2000; round++) {
          const list = next(2) === 0;
          const ops = list ? Array.from({ length: 1 + next(6) }, randomOp) : [randomOp()];
          const expected = mimic(object, ops);
          const got = list ? Table.updateCounter(ctx, t, 'a', ops) : Table.updateCounter(ctx, t, 'a', ops[0]!);
          expect(got).toEqual(list ? expected.values : expected.values[0]);
          // The same ops on a missing key with the object as default give the same result.
          expect(list ? Table.updateCounter(ctx, t, 'b', ops, object as Counter) : Table.updateCounter(ctx, t, 'b', ops[0]!, object as Counter)).toEqual(got);
          expect(Table.take(ctx, t, 'b')).toEqual([['b', ...expected.object.slice(1)]]);
          object = expected.object;
          expect(Table.lookup(ctx, t, 'a')).toEqual([object]);
        }
      }
    }));

  it('.updateCounter() threshold - with incr >= 0 past a threshold above, or incr < 0 below it, the counter wraps to setValue', () =>
    inProcess((ctx) => {
      const t = Table.create<Counter>(ctx);
      Table.insert(ctx, t, ['k', 5, 10]);
      expect(Table.updateCounter(ctx, t, 'k', [{ pos: 1, incr: 10, threshold: 12, setValue: 0 }, { pos: 2, incr: -20, threshold: 0, setValue: 100 }, { pos: 1, incr: 1 }])).toEqual([0, 100, 1]);
      expect(Table.updateCounter(ctx, t, 'k', { pos: 1, incr: 0, threshold: 0, setValue: 55 })).toBe(55);
      expect(Table.updateCounter(ctx, t, 'k', { pos: 1, incr: 0, threshold: 55, setValue: 0 })).toBe(55);
    }));

  // ets_SUITE: update_counter_with_default
  it('.updateCounter() default - inserts the default object under the key when it is missing', () =>
    inProcess((ctx) => {
      for (const type of ['set', 'ordered_set'] as const) {
        const t = Table.create<[unknown, number, number?]>(ctx, { type });
        expect(Table.updateCounter(ctx, t, 'foo', 2, ['beaufort', 1])).toBe(3);
        expect(Table.info(ctx, t)!.size).toBe(1);
        expect(Table.updateCounter(ctx, t, 'foo', 2, ['cabecou', 1])).toBe(5);
        expect(Table.updateCounter(ctx, t, 'foo', [{ pos: 1, incr: 4 }], ['camembert', 1])).toEqual([9]);
        expect(Table.lookup(ctx, t, 'foo')).toEqual([['foo', 9]]);
        expect(Table.updateCounter(ctx, t, ['foo', 'bar'], 2, [['chaource', 'chevrotin'], 1])).toBe(3);
        expect(Table.updateCounter(ctx, t, ['foo', 'bar'], 2, [['cantal', 'comte'], 1])).toBe(5);
        expect(Table.info(ctx, t)!.size).toBe(2);
        // The default's counter is not an integer, or the default has no such position: nothing is inserted.
        expect(captureError(() => Table.updateCounter(ctx, t, 'qux', { pos: 1, incr: 3 }, ['saint', 'felicien' as never]))).toBeInstanceOf(BadElementError);
        expect(captureError(() => Table.updateCounter(ctx, t, 'qux', [{ pos: 2, incr: 1 }], ['roquefort', 1]))).toBeInstanceOf(BadElementError);
        expect(Table.info(ctx, t)!.size).toBe(2);
        if (type === 'ordered_set') {
          // Arithmetically equal keys are one key.
          expect(Table.updateCounter(ctx, t, 1, 2, [1n, 1])).toBe(3);
          expect(Table.updateCounter(ctx, t, 1n, 2, [1, 1])).toBe(5);
          expect(Table.info(ctx, t)!.size).toBe(3);
        }
      }
    }));

  // ets_SUITE: update_counter_with_default_bad_default
  it('.updateCounter() default - a bad default is refused even when the key exists', () =>
    inProcess((ctx) => {
      const t = Table.create<unknown[]>(ctx, { keyPos: 2 });
      expect(captureError(() => Table.updateCounter(ctx, t, 'key', { pos: 1, incr: 1 }, [0, 0]))).toBeInstanceOf(TypeError);
      expect(Table.info(ctx, t)!.size).toBe(0);
      Table.insert(ctx, t, [0, 0, 'key']);
      expect(captureError(() => Table.updateCounter(ctx, t, 'key', { pos: 1, incr: 1 }, [0, 0]))).toBeInstanceOf(TypeError);
      expect(Table.lookup(ctx, t, 'key')).toEqual([[0, 0, 'key']]);
    }));

  // ets_SUITE: update_counter_table_growth
  it('.updateCounter() default - grows a table of 10,000 counters', () =>
    inProcess((ctx) => {
      for (const type of ['set', 'ordered_set'] as const) {
        const t = Table.create<[number, number]>(ctx, { type });
        for (let n = 1; n <= 10_000; n++) Table.updateCounter(ctx, t, n, { pos: 1, incr: 1 }, [n, 1]);
        expect(Table.info(ctx, t)!.size).toBe(10_000);
        expect(Table.lookup(ctx, t, 5000)).toEqual([[5000, 2]]);
      }
    }));

  // ets_SUITE: update_counter (update_counter_neg_for), update_counter_with_default_bad_pos
  it('.updateCounter() - bad ops, missing keys and non-integer values are typed errors that change nothing', () =>
    inProcess((ctx) => {
      for (const type of ['set', 'ordered_set'] as const) {
        const t = Table.create<unknown[]>(ctx, { type });
        const object = ['key', 0, false, 1];
        Table.insert(ctx, t, object);
        const typeErrors: unknown[] = [false, { pos: 1 }, { pos: 1, incr: false }, { pos: false, incr: 1 }, { pos: -1, incr: 1 }, { pos: 0, incr: 1 }, { pos: 1, incr: 1, threshold: 100 }, { pos: 1, incr: 1, threshold: false, setValue: 0 }, { pos: 1, incr: 1.5 }, { pos: 1, incr: 2 ** 60 }];
        const stateErrors: unknown[] = [{ pos: 2, incr: 1 }, { pos: 4, incr: 1 }, { pos: 9, incr: 1 }];
        for (const bad of typeErrors) {
          for (const ops of [bad, [{ pos: 1, incr: 1 }, bad], [bad, { pos: 1, incr: 1 }], [{ pos: 3, incr: 100, threshold: 50, setValue: 0 }, { pos: 1, incr: 1 }, bad]]) {
            expect([ops, captureError(() => Table.updateCounter(ctx, t, 'key', ops as never))]).toEqual([ops, expect.any(TypeError)]);
          }
        }
        for (const bad of stateErrors) {
          for (const ops of [bad, [{ pos: 1, incr: 1 }, bad], [bad, { pos: 1, incr: 1 }]]) {
            expect([ops, captureError(() => Table.updateCounter(ctx, t, 'key', ops as never))]).toEqual([ops, expect.any(BadElementError)]);
          }
        }
        expect(Table.lookup(ctx, t, 'key')).toEqual([object]);
        const notInteger = captureError(() => Table.updateCounter(ctx, t, 'key', { pos: 2, incr: 1 })) as BadElementError;
        expect(notInteger.code).toBe('not_integer');
        expect((captureError(() => Table.updateCounter(ctx, t, 'key', { pos: 9, incr: 1 })) as BadElementError).code).toBe('bad_position');
        Table.insert(ctx, t, ['max', Number.MAX_SAFE_INTEGER]);
        expect((captureError(() => Table.updateCounter(ctx, t, 'max', 1)) as BadElementError).code).toBe('counter_overflow');
        const missing = captureError(() => Table.updateCounter(ctx, t, 'absent', 1)) as KeyNotFoundError;
        expect(missing).toBeInstanceOf(KeyNotFoundError);
        expect(missing.code).toBe('key_not_found');
        // update_counter_with_default_bad_pos: the key position is no counter, default or not.
        expect(captureError(() => Table.updateCounter(ctx, t, 101065, { pos: 0, incr: 1 }, [101065, 0]))).toBeInstanceOf(TypeError);
        expect(Table.member(ctx, t, 101065)).toBe(false);
        Table.deleteKey(ctx, t, 'key');
        expect(captureError(() => Table.updateCounter(ctx, t, 'key', 1))).toBeInstanceOf(KeyNotFoundError);
      }
      const records = Table.create<{ id: string; hits: number }>(ctx, { keyPos: 'id' });
      Table.insert(ctx, records, { id: 'home', hits: 0 });
      expect(Table.updateCounter(ctx, records, 'home', { pos: 'hits', incr: 2 })).toBe(2);
      expect(captureError(() => Table.updateCounter(ctx, records, 'home', 1))).toBeInstanceOf(TypeError);
      expect(captureError(() => Table.updateCounter(ctx, records, 'home', { pos: 'id', incr: 1 }))).toBeInstanceOf(TypeError);
    }));

  // ets_SUITE: update_element (update_element_do, update_element_neg)
  it('.updateElement() - replaces one or several elements atomically; false for a missing key', () =>
    inProcess((ctx) => {
      for (const type of ['set', 'ordered_set'] as const) {
        const t = Table.create<unknown[]>(ctx, { type });
        const object = ['key', 0, 'Hej'];
        Table.insert(ctx, t, object);
        expect(Table.updateElement(ctx, t, 'key', 1, 623)).toBe(true);
        expect(Table.updateElement(ctx, t, 'key', [[2, 'Sverker'], [1, -27], [1, 28]])).toBe(true);
        expect(Table.lookup(ctx, t, 'key')).toEqual([['key', 28, 'Sverker']]);
        expect(Table.updateElement(ctx, t, 'key', [])).toBe(true);
        expect(Table.updateElement(ctx, t, false, [])).toBe(false);
        expect(Table.updateElement(ctx, t, false, 1, 1)).toBe(false);
        Table.insert(ctx, t, object);
        for (const bad of [[[0, 1]], [[-1, 1]], [[false, 1]], [[1]], [[1, 1, false]], 'changes']) {
          for (const changes of [bad, [[1, 1], ...(Array.isArray(bad) ? bad : [bad])]]) {
            expect([changes, captureError(() => Table.updateElement(ctx, t, 'key', changes as never))]).toEqual([changes, expect.any(TypeError)]);
          }
        }
        expect(captureError(() => Table.updateElement(ctx, t, 'key', 0, 'other key'))).toBeInstanceOf(TypeError);
        expect(captureError(() => Table.updateElement(ctx, t, 'key', [[1, 1], [3, 1]]))).toBeInstanceOf(BadElementError);
        expect(Table.lookup(ctx, t, 'key')).toEqual([object]);
        Table.deleteKey(ctx, t, 'key');
        expect(Table.updateElement(ctx, t, 'key', 1, 1)).toBe(false);
      }
      const records = Table.create<{ id: string; name: string }>(ctx, { keyPos: 'id', type: 'ordered_set' });
      Table.insert(ctx, records, { id: 'a', name: 'old' });
      expect(Table.updateElement(ctx, records, 'a', 'name', 'new')).toBe(true);
      expect(Table.lookup(ctx, records, 'a')).toEqual([{ id: 'a', name: 'new' }]);
    }));
});
