import type { Pid, ProcessContext, Ref } from '../../runtime/index.js';

/**
 * How a table stores objects, as ets's table types:
 *
 * - `'set'`: one object per key; inserting with an existing key replaces the object.
 * - `'ordered_set'`: a `set` kept in key order (a B-tree), with ordered `first`/`next`/`prev`/`last`
 *   and key ranges. Keys that compare equal (`1` and `1n`) are the same key.
 * - `'bag'`: many objects per key, but never two equal objects.
 * - `'duplicate_bag'`: many objects per key, equal ones included.
 */
export type TableType = 'set' | 'ordered_set' | 'bag' | 'duplicate_bag';

/**
 * Who may use a table, as ets's access rights:
 *
 * - `'public'`: every process of the node reads and writes.
 * - `'protected'` (the default): every process reads; only the owner writes.
 * - `'private'`: only the owner reads or writes.
 *
 * Ownership operations (`delete`, `giveAway`, `setOptions`) are the owner's whatever the protection.
 */
export type Protection = 'public' | 'protected' | 'private';

/**
 * A key: a string, a number, a bigint, a boolean, `null`, a `Pid`, a `Ref`, or an array of keys (a
 * compound key such as `['user', 42]`). Keys are compared by value; an array key is copied and
 * frozen when an object is inserted, so changing the caller's array later cannot move the object.
 */
export type TableKey = string | number | bigint | boolean | null | Pid | Ref | readonly TableKey[];

/**
 * Where the key sits in an object: an index for tables of arrays (tuples), a field name for tables
 * of records.
 */
export type KeyPos<T> = T extends readonly unknown[] ? number : keyof T & string;

/** A position of an object other than its key, as `updateCounter` and `updateElement` take it. */
export type Position<T> = T extends readonly unknown[] ? number : keyof T & string;

/** Who is calling: the calling process's context, or its pid. Every table operation names one. */
export type Caller = ProcessContext | Pid;

/** The heir of a table: the process that inherits it when its owner exits, and what it is told. */
export interface Heir {
  readonly pid: Pid;
  /** Sent to the heir in the `TableTransferMessage` (ets's HeirData). Default `undefined`. */
  readonly data?: unknown;
}

/** Options of `Table.create`. */
export interface TableOptions<T> {
  /** Default `'set'`. */
  readonly type?: TableType;
  /** Default `'protected'`. */
  readonly protection?: Protection;
  /**
   * Where each object keeps its key: an index (objects are arrays; default 0) or a field name
   * (objects are plain records), as ets's `keypos` (which counts from 1).
   */
  readonly keyPos?: KeyPos<T>;
  /** A name shown by `info` and the listings; with `named`, the name also finds the table. */
  readonly name?: string;
  /** Register `name` on the node (ets's `named_table`): operations may then pass the name. */
  readonly named?: boolean;
  /** Who inherits the table when the owner exits. Ignored if that process is not alive (as ets). */
  readonly heir?: Heir;
}

/** A key range for `select` (ets's key guards on an `ordered_set`): any lower and any upper bound. */
export interface KeyRange {
  readonly gt?: TableKey;
  readonly gte?: TableKey;
  readonly lt?: TableKey;
  readonly lte?: TableKey;
}

/** A counter update of `updateCounter`: ets's `{Pos, Incr}` and `{Pos, Incr, Threshold, SetValue}`. */
export interface CounterOp<T> {
  readonly pos: Position<T>;
  readonly incr: number;
  /**
   * With `setValue`: when `incr >= 0` and the result is above `threshold`, or `incr < 0` and the
   * result is below it, the counter is set to `setValue` instead (a wrap-around counter).
   */
  readonly threshold?: number;
  readonly setValue?: number;
}
