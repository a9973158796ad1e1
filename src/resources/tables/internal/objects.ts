import type { TableKey } from '../types.js';
import { normalizeKey } from './keys.js';
import { invalid } from './validate.js';

/*
 * Objects as tables keep them: arrays (tuples) with the key at an index, or plain records with the
 * key in a field. An inserted object is a frozen shallow copy, with an array key frozen too, so the
 * caller may reuse its own object and readers may share the stored one without copying.
 */

/** Where objects keep their key: an index for arrays, a field name for records. */
export type KeyPosition = number | string;

/** A stored object: frozen, its key at the table's key position. */
export type Stored = object;

/** Reads the key of a stored object. */
export function keyOf(object: Stored, keyPos: KeyPosition): TableKey {
  return (object as Record<KeyPosition, TableKey>)[keyPos] as TableKey;
}

function isPlainRecord(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function shape(keyPos: KeyPosition): string {
  return typeof keyPos === 'number' ? `an array with its key at index ${keyPos}` : `a plain object with its key in field '${keyPos}'`;
}

/**
 * Checks an object for a table with this key position and returns the frozen copy to store.
 * Throws `TypeError` (naming `name`) for a value of the wrong shape, a missing key or a bad key.
 */
export function prepareObject(name: string, value: unknown, keyPos: KeyPosition): Stored {
  if (typeof value !== 'object' || value === null) throw invalid(name, shape(keyPos), value);
  let copy: Record<KeyPosition, unknown>;
  if (typeof keyPos === 'number') {
    if (!Array.isArray(value) || value.length <= keyPos) throw invalid(name, shape(keyPos), value);
    copy = value.slice() as unknown as Record<KeyPosition, unknown>;
  } else {
    if (Array.isArray(value) || !isPlainRecord(value) || !Object.prototype.hasOwnProperty.call(value, keyPos)) {
      throw invalid(name, shape(keyPos), value);
    }
    copy = { ...(value as Record<string, unknown>) };
  }
  copy[keyPos] = normalizeKey(() => `${name}[${JSON.stringify(keyPos)}]`, copy[keyPos]);
  return Object.freeze(copy);
}

/** A copy of a stored object with some positions changed, frozen again (the key is never among them). */
export function withElements(object: Stored, changes: readonly (readonly [KeyPosition, unknown])[]): Stored {
  const copy = (Array.isArray(object) ? object.slice() : { ...(object as Record<string, unknown>) }) as Record<KeyPosition, unknown>;
  for (const [pos, value] of changes) copy[pos] = value;
  return Object.freeze(copy);
}

/** Whether the object has this position: an index within the array, or an own field of the record. */
export function hasPosition(object: Stored, pos: KeyPosition): boolean {
  return Array.isArray(object) ? typeof pos === 'number' && Number.isInteger(pos) && pos >= 0 && pos < object.length : Object.prototype.hasOwnProperty.call(object, pos);
}

// Rough V8 sizes on 64-bit: a header of 16 bytes, 8 per slot, strings one byte per Latin-1 char.
const NESTED_BUDGET = 64;

/**
 * Estimated bytes of a stored object: its own slots and what they hold, nested values included
 * up to a budget of 64 values per object. An estimate for comparing tables, not an exact count.
 */
export function estimateBytes(object: Stored): number {
  budgetLeft = NESTED_BUDGET;
  return sizeOf(object, 0);
}

let budgetLeft = 0;

function sizeOf(value: unknown, depth: number): number {
  switch (typeof value) {
    case 'string':
      return 16 + value.length;
    case 'bigint':
      return 16 + 8 * Math.ceil(value.toString(16).length / 16);
    case 'object': {
      if (value === null) return 0;
      if (budgetLeft <= 0 || depth > 4) return 16;
      budgetLeft--;
      if (ArrayBuffer.isView(value)) return 64 + value.byteLength;
      if (Array.isArray(value)) {
        let total = 16 + 8 * value.length;
        for (const element of value) total += sizeOf(element, depth + 1);
        return total;
      }
      if (!isPlainRecord(value)) return 32;
      let total = 24;
      for (const key in value) total += 8 + sizeOf((value as Record<string, unknown>)[key], depth + 1);
      return total;
    }
    case 'number':
      return Number.isInteger(value) ? 0 : 16;
    default:
      return 0;
  }
}
