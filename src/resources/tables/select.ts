import { resolve, resolveWrite, scanning, type TableRef } from './internal/access.js';
import { keyOf, type Stored } from './internal/objects.js';
import { expectRange } from './internal/options.js';
import type { TableState } from './internal/state.js';
import type { Cursor } from './internal/store.js';
import { expectCount, expectFunction, expectOptions, invalid } from './internal/validate.js';
import type { TableId } from './table-id.js';
import type { Caller, KeyRange } from './types.js';

/*
 * Scans by predicate: ets's match/select family with a TypeScript function in place of a match
 * specification. A predicate only looks: while it runs, writes to the table it scans throw
 * `TableBusyError`. Its cost is one call per object examined.
 */

/** A test of one stored (frozen) object. */
export type Predicate<T> = (object: Readonly<T>) => boolean;

/** Options of `select`. */
export interface SelectOptions {
  /** Only keys in this range. An ordered_set walks just the range: O(log n + k). */
  readonly range?: KeyRange;
  /** Walk from the largest key down (ets:select_reverse); hashed tables ignore it, as ets does. */
  readonly reverse?: boolean;
}

/** One chunk of a `select`: the objects, and where to go on from, or undefined when done. */
export interface SelectResult<T extends object> {
  readonly objects: Readonly<T>[];
  readonly continuation: SelectContinuation<T> | undefined;
}

let chunkOf: <T extends object>(caller: Caller, continuation: SelectContinuation<T>) => SelectResult<T>;

/**
 * Where a `select` stopped. Pass it back to `select(caller, continuation)` for the next chunk; it
 * can be used again (it does not move), by any process with read access. A continuation of a
 * table that was deleted throws `NoTableError`, even if a table of the same name exists now.
 */
export class SelectContinuation<T extends object = object> {
  readonly #table: TableId<T>;
  readonly #cursor: Cursor;
  readonly #predicate: Predicate<T>;
  readonly #limit: number;

  static {
    chunkOf = <T extends object>(caller: Caller, continuation: SelectContinuation<T>): SelectResult<T> => {
      const state = resolve(caller, continuation.#table, 'select', 'read');
      return collect(state, continuation.#cursor.clone(), continuation.#predicate, continuation.#limit);
    };
  }

  /** @internal Made by `select`. */
  constructor(table: TableId<T>, cursor: Cursor, predicate: Predicate<T>, limit: number) {
    this.#table = table;
    this.#cursor = cursor;
    this.#predicate = predicate;
    this.#limit = limit;
  }

  /** The table it walks. */
  get table(): TableId<T> {
    return this.#table;
  }
}

function collect<T extends object>(state: TableState, cursor: Cursor, predicate: Predicate<T>, limit: number): SelectResult<T> {
  const objects: Stored[] = [];
  const more = scanning(state, () => cursor.collect(limit, predicate as (object: Stored) => boolean, objects));
  return {
    objects: objects as Readonly<T>[],
    continuation: more ? new SelectContinuation(state.id as TableId<T>, cursor, predicate, limit) : undefined,
  };
}

/**
 * The objects `predicate` accepts, at most `limit` of them, and a continuation for the rest
 * (ets:select/3, select/1). For an ordered_set the chunks come in key order (`reverse` for the
 * opposite), and a `range` limits the walk to those keys. Changes made between chunks are seen as
 * ets sees them: deleted objects are not returned, added ones may or may not be.
 *
 * A chunk costs a predicate call per object examined until `limit` match, so a rare match can
 * examine many objects. Needs read access. Throws `TypeError` for a bad predicate, limit or range.
 */
export function select<T extends object>(caller: Caller, table: TableRef<T>, predicate: Predicate<T>, limit: number, options?: SelectOptions): SelectResult<T>;
export function select<T extends object>(caller: Caller, continuation: SelectContinuation<T>): SelectResult<T>;
export function select<T extends object>(
  caller: Caller,
  table: TableRef<T> | SelectContinuation<T>,
  predicate?: Predicate<T>,
  limit?: number,
  options?: SelectOptions,
): SelectResult<T> {
  if (table instanceof SelectContinuation) return chunkOf(caller, table);
  const state = resolve(caller, table, 'select', 'read');
  expectFunction('predicate', predicate);
  expectCount('limit', limit, 1);
  const o = expectOptions<SelectOptions>('options', options);
  const range = expectRange('options.range', o?.range);
  const reverse = o?.reverse ?? false;
  if (typeof reverse !== 'boolean') throw invalid('options.reverse', 'a boolean', reverse);
  return collect(state, state.store.cursor(range, reverse), predicate as Predicate<T>, limit as number);
}

/**
 * Every object `predicate` accepts, in table order (ets:match_object/2 with a function). O(n):
 * use `select` with a limit to page through a big table.
 */
export function match<T extends object>(caller: Caller, table: TableRef<T>, predicate: Predicate<T>): Readonly<T>[] {
  const state = resolve(caller, table, 'match', 'read');
  expectFunction('predicate', predicate);
  const out: Readonly<T>[] = [];
  scanning(state, () =>
    state.store.forEach((object) => {
      if (predicate(object as Readonly<T>)) out.push(object as Readonly<T>);
    }),
  );
  return out;
}

/** How many objects `predicate` accepts (ets:select_count/2). O(n), and returns only a number. */
export function selectCount<T extends object>(caller: Caller, table: TableRef<T>, predicate: Predicate<T>): number {
  const state = resolve(caller, table, 'selectCount', 'read');
  expectFunction('predicate', predicate);
  let count = 0;
  scanning(state, () =>
    state.store.forEach((object) => {
      if (predicate(object as Readonly<T>)) count++;
    }),
  );
  return count;
}

/**
 * Deletes the objects `predicate` accepts and returns how many (ets:select_delete/2). The
 * predicate runs over the whole table first, so one that throws leaves the table untouched. O(n).
 */
export function selectDelete<T extends object>(caller: Caller, table: TableRef<T>, predicate: Predicate<T>): number {
  const state = resolveWrite(caller, table, 'selectDelete');
  expectFunction('predicate', predicate);
  const victims: Stored[] = [];
  scanning(state, () =>
    state.store.forEach((object) => {
      if (predicate(object as Readonly<T>)) victims.push(object);
    }),
  );
  const bySet = state.type === 'set' || state.type === 'ordered_set';
  for (const object of victims) {
    if (bySet) state.store.deleteKey(keyOf(object, state.keyPos));
    else state.store.deleteObject(object);
  }
  return victims.length;
}
