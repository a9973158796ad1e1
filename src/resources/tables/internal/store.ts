import type { KeyRange, TableKey } from '../types.js';
import { compareKeys } from './keys.js';
import type { Stored } from './objects.js';

/** What `next`/`prev` return for a key a hashed table does not hold (ets raises `badarg` then). */
export const MISSING: unique symbol = Symbol('missing key');

/**
 * A resumable walk over a table, as a select continuation keeps it. It survives changes made
 * between two chunks: objects deleted meanwhile are not returned, objects added may or may not be.
 */
export interface Cursor {
  /**
   * Appends to `out` the objects that `accept` takes until `out` holds `limit`; returns true if
   * it stopped at the limit (more may follow), false once the walk is over.
   */
  collect(limit: number, accept: (object: Stored) => boolean, out: Stored[]): boolean;
  /** A cursor at the same place that moves on its own, so a continuation can be used again. */
  clone(): Cursor;
}

/** The storage of one table: a hashed store for set/bag/duplicate_bag, a B-tree for ordered_set. */
export interface Store {
  /** Objects held. */
  readonly size: number;
  /** Estimated bytes held, structure included. */
  readonly memory: number;
  /** Inserts a prepared object with the type's semantics (replace, skip an equal one, or add). */
  insert(object: Stored): void;
  hasKey(key: TableKey): boolean;
  /** The objects under `key`, in insertion order; a fresh array. */
  lookup(key: TableKey): Stored[];
  /** Removes and returns the objects under `key`. */
  deleteKey(key: TableKey): Stored[];
  /** Removes every object equal to `object`. */
  deleteObject(object: Stored): void;
  /** Replaces the one object under its key (set and ordered_set; the key must be present). */
  replace(object: Stored): void;
  clear(): void;
  first(): TableKey | undefined;
  last(): TableKey | undefined;
  next(key: TableKey): TableKey | undefined | typeof MISSING;
  prev(key: TableKey): TableKey | undefined | typeof MISSING;
  /** Calls `fn` on every object, in table order; `fn` must not change the store. */
  forEach(fn: (object: Stored) => void): void;
  cursor(range: KeyRange | undefined, reverse: boolean): Cursor;
}

/** Whether `key` lies within `range`. */
export function inRange(key: TableKey, range: KeyRange): boolean {
  if (range.gt !== undefined && compareKeys(key, range.gt) <= 0) return false;
  if (range.gte !== undefined && compareKeys(key, range.gte) < 0) return false;
  if (range.lt !== undefined && compareKeys(key, range.lt) >= 0) return false;
  if (range.lte !== undefined && compareKeys(key, range.lte) > 0) return false;
  return true;
}

/** Whether `key` is past the upper end of `range` (walking forward) or the lower end (backward). */
export function beyond(key: TableKey, range: KeyRange, reverse: boolean): boolean {
  if (reverse) return (range.gt !== undefined && compareKeys(key, range.gt) <= 0) || (range.gte !== undefined && compareKeys(key, range.gte) < 0);
  return (range.lt !== undefined && compareKeys(key, range.lt) >= 0) || (range.lte !== undefined && compareKeys(key, range.lte) > 0);
}
