import { KeyNotFoundError } from './errors.js';
import { resolve, type TableRef } from './internal/access.js';
import { normalizeKey } from './internal/keys.js';
import { MISSING } from './internal/store.js';
import type { Caller, TableKey } from './types.js';

/*
 * Reads. Every object returned is the table's own frozen copy: reading allocates only the result
 * array, and no reader can change what another sees.
 */

/**
 * The objects stored under `key` (ets:lookup/2): none or one for sets, in insertion order for
 * bags. O(1) for hashed tables, O(log n) for ordered_set. Needs read access.
 */
export function lookup<T extends object>(caller: Caller, table: TableRef<T>, key: TableKey): Readonly<T>[] {
  const state = resolve(caller, table, 'lookup', 'read');
  return state.store.lookup(normalizeKey('key', key)) as Readonly<T>[];
}

/** Whether any object is stored under `key` (ets:member/2). Cost as `lookup`. */
export function member(caller: Caller, table: TableRef, key: TableKey): boolean {
  const state = resolve(caller, table, 'member', 'read');
  return state.store.hasKey(normalizeKey('key', key));
}

/**
 * The first key (ets:first/1), or undefined for an empty table: the smallest for ordered_set,
 * the oldest key for hashed tables (which keep key insertion order). O(1) / O(log n).
 */
export function first(caller: Caller, table: TableRef): TableKey | undefined {
  return resolve(caller, table, 'first', 'read').store.first();
}

/** The last key (ets:last/1): the largest for ordered_set, the newest key for hashed tables. */
export function last(caller: Caller, table: TableRef): TableKey | undefined {
  return resolve(caller, table, 'last', 'read').store.last();
}

/**
 * The key after `key` (ets:next/2), or undefined at the end. For ordered_set `key` need not be in
 * the table (the next larger key is returned); for hashed tables it must be, else
 * `KeyNotFoundError` (ets's badarg): walk a changing hashed table with `select` instead.
 */
export function next(caller: Caller, table: TableRef, key: TableKey): TableKey | undefined {
  const state = resolve(caller, table, 'next', 'read');
  const found = state.store.next(normalizeKey('key', key));
  if (found === MISSING) throw new KeyNotFoundError(state.label, key);
  return found;
}

/** The key before `key` (ets:prev/2), or undefined at the start; as `next`, backwards. */
export function prev(caller: Caller, table: TableRef, key: TableKey): TableKey | undefined {
  const state = resolve(caller, table, 'prev', 'read');
  const found = state.store.prev(normalizeKey('key', key));
  if (found === MISSING) throw new KeyNotFoundError(state.label, key);
  return found;
}

/**
 * Every object of the table, in table order (ets:tab2list/1). O(n) in time and in the array it
 * returns: for big tables, page through them with `select` and a limit instead.
 */
export function toList<T extends object>(caller: Caller, table: TableRef<T>): Readonly<T>[] {
  const state = resolve(caller, table, 'toList', 'read');
  const out: Readonly<T>[] = [];
  state.store.forEach((object) => out.push(object as Readonly<T>));
  return out;
}
