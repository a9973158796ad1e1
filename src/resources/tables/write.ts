import { resolveWrite, type TableRef } from './internal/access.js';
import { normalizeKey } from './internal/keys.js';
import { keyOf, prepareObject, type Stored } from './internal/objects.js';
import type { Caller, TableKey } from './types.js';
import { invalid } from './internal/validate.js';

/*
 * Writes. Each checks everything first and then changes the table in one synchronous step, so a
 * bad argument leaves the table as it was and no other process ever sees half a write.
 */

function prepareAll(name: string, objects: unknown, keyPos: string | number): Stored[] {
  if (!Array.isArray(objects)) throw invalid(name, 'an array of objects', objects);
  return objects.map((object, i) => prepareObject(`${name}[${i}]`, object, keyPos));
}

/**
 * Inserts an object (ets:insert/2): a set replaces the object with the same key, a bag adds it
 * unless an equal object is there, a duplicate_bag always adds it. The table keeps a frozen
 * shallow copy. O(1) hashed (O(k) in the objects under the key for a bag), O(log n) ordered_set.
 * Needs write access. Throws `TypeError` for an object of the wrong shape or with a bad key.
 */
export function insert<T extends object>(caller: Caller, table: TableRef<T>, object: T): void {
  const state = resolveWrite(caller, table, 'insert');
  state.store.insert(prepareObject('object', object, state.keyPos));
}

/** Inserts several objects at once, all or none (ets:insert/2 with a list). */
export function insertMany<T extends object>(caller: Caller, table: TableRef<T>, objects: readonly T[]): void {
  const state = resolveWrite(caller, table, 'insertMany');
  for (const object of prepareAll('objects', objects, state.keyPos)) state.store.insert(object);
}

/**
 * Inserts an object only if no object has its key (ets:insert_new/2); returns whether it did.
 * For bags too, any object under the key counts.
 */
export function insertNew<T extends object>(caller: Caller, table: TableRef<T>, object: T): boolean {
  const state = resolveWrite(caller, table, 'insertNew');
  const prepared = prepareObject('object', object, state.keyPos);
  if (state.store.hasKey(keyOf(prepared, state.keyPos))) return false;
  state.store.insert(prepared);
  return true;
}

/** Inserts all the objects if none of their keys is in the table, else none; returns whether it did. */
export function insertNewMany<T extends object>(caller: Caller, table: TableRef<T>, objects: readonly T[]): boolean {
  const state = resolveWrite(caller, table, 'insertNewMany');
  const prepared = prepareAll('objects', objects, state.keyPos);
  for (const object of prepared) if (state.store.hasKey(keyOf(object, state.keyPos))) return false;
  for (const object of prepared) state.store.insert(object);
  return true;
}

/** Deletes every object under `key` (ets:delete/2); nothing happens if there is none. */
export function deleteKey(caller: Caller, table: TableRef, key: TableKey): void {
  const state = resolveWrite(caller, table, 'deleteKey');
  state.store.deleteKey(normalizeKey('key', key));
}

/**
 * Deletes the objects equal to `object` (ets:delete_object/2): in a duplicate_bag, all its
 * copies; in a set, the object under its key only if it is equal. Equality compares values.
 */
export function deleteObject<T extends object>(caller: Caller, table: TableRef<T>, object: T): void {
  const state = resolveWrite(caller, table, 'deleteObject');
  state.store.deleteObject(prepareObject('object', object, state.keyPos));
}

/** Empties the table, keeping it (ets:delete_all_objects/1). O(n). */
export function deleteAllObjects(caller: Caller, table: TableRef): void {
  resolveWrite(caller, table, 'deleteAllObjects').store.clear();
}

/** Removes and returns the objects under `key` (ets:take/2). */
export function take<T extends object>(caller: Caller, table: TableRef<T>, key: TableKey): Readonly<T>[] {
  const state = resolveWrite(caller, table, 'take');
  return state.store.deleteKey(normalizeKey('key', key)) as Readonly<T>[];
}
