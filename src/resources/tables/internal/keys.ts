import { Pid, Ref } from '../../../runtime/index.js';
import type { TableKey } from '../types.js';
import { invalid } from './validate.js';

/*
 * Keys: validation, the total order of `ordered_set`, the hash form of hashed tables, and the
 * value equality that bags and `deleteObject` use.
 */

const MAX_DEPTH = 32;

/**
 * Checks that `value` is a key and returns the form the table keeps: primitives as they are, an
 * array key as a frozen deep copy (so the caller's array can change without moving the object).
 */
export function normalizeKey(name: string | (() => string), value: unknown): TableKey {
  return normalize(name, value, 0);
}

function normalize(name: string | (() => string), value: unknown, depth: number): TableKey {
  switch (typeof value) {
    case 'string':
    case 'bigint':
    case 'boolean':
      return value;
    case 'number':
      if (Number.isNaN(value)) throw invalid(typeof name === 'string' ? name : name(), 'a key (NaN is not a key)', value);
      return value;
    case 'object':
      if (value === null || value instanceof Pid || value instanceof Ref) return value;
      if (Array.isArray(value) && depth < MAX_DEPTH) {
        const copy = new Array<TableKey>(value.length);
        for (let i = 0; i < value.length; i++) copy[i] = normalize(name, value[i], depth + 1);
        return Object.freeze(copy);
      }
  }
  throw invalid(typeof name === 'string' ? name : name(), 'a key: string, number, bigint, boolean, null, Pid, Ref or an array of keys', value);
}

// Erlang's term order, mapped: numbers < atoms (false < null < true) < refs < pids < arrays < strings.
function rank(key: TableKey): number {
  switch (typeof key) {
    case 'number':
    case 'bigint':
      return 0;
    case 'boolean':
      return 1;
    case 'string':
      return 5;
    default:
      if (key === null) return 1;
      if (key instanceof Ref) return 2;
      if (key instanceof Pid) return 3;
      return 4;
  }
}

function atomOrder(key: boolean | null): number {
  return key === false ? 0 : key === null ? 1 : 2;
}

function compareNodes(a: { name: string; creation: number }, b: { name: string; creation: number }): number {
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  return a.creation - b.creation;
}

/**
 * The total order of `ordered_set` keys: numbers and bigints numerically (so `1` and `1n` are the
 * same key, as `1` and `1.0` in ets), then `false` < `null` < `true`, refs, pids, arrays
 * (element by element, a prefix first) and strings (by UTF-16 code units).
 */
export function compareKeys(a: TableKey, b: TableKey): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 0:
    case 5:
      return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
    case 1:
      return atomOrder(a as boolean | null) - atomOrder(b as boolean | null);
    case 2:
    case 3: {
      const x = a as Pid | Ref;
      const y = b as Pid | Ref;
      return compareNodes(x.node, y.node) || x.id - y.id;
    }
    default: {
      const x = a as readonly TableKey[];
      const y = b as readonly TableKey[];
      const n = Math.min(x.length, y.length);
      for (let i = 0; i < n; i++) {
        const c = compareKeys(x[i] as TableKey, y[i] as TableKey);
        if (c !== 0) return c;
      }
      return x.length - y.length;
    }
  }
}

/**
 * The `Map` key of a hashed table: primitives as they are (a `Map` keeps `1` and `1n` apart, as
 * ets's hashed tables keep `1` and `1.0`), compound keys encoded as a string that no plain string
 * key can equal (those starting with U+0001 are escaped).
 */
export function hashKey(key: TableKey): unknown {
  if (typeof key === 'string') return key.charCodeAt(0) === 1 ? `\u0001${key}` : key;
  if (typeof key !== 'object' || key === null) return key;
  return `\u0001${encode(key)}`;
}

function encode(key: TableKey): string {
  switch (typeof key) {
    case 'string':
      return JSON.stringify(key);
    case 'number':
      return `n${key}`;
    case 'bigint':
      return `b${key}`;
    case 'boolean':
      return key ? 't' : 'f';
    default:
      if (key === null) return 'z';
      if (key instanceof Pid) return `p${JSON.stringify(key.node.name)}:${key.node.creation}:${key.id}`;
      if (key instanceof Ref) return `r${JSON.stringify(key.node.name)}:${key.node.creation}:${key.id}`;
      return `[${(key as readonly TableKey[]).map(encode).join(',')}]`;
  }
}

/**
 * Value equality of stored terms (ets's `=:=` on objects): primitives by value (`1` and `1n`
 * differ), pids and refs by identity of what they name, arrays element-wise, plain objects by
 * their own fields, dates by time, byte arrays by content; other objects by reference.
 */
export function termEquals(a: unknown, b: unknown, depth = 0): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b);
  }
  if (depth > MAX_DEPTH) return false;
  if (a instanceof Pid) return a.equals(b);
  if (a instanceof Ref) return b instanceof Ref && b.id === a.id && compareNodes(a.node, b.node) === 0;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!termEquals(a[i], b[i], depth + 1)) return false;
    return true;
  }
  if (a instanceof Date) return b instanceof Date && a.getTime() === b.getTime();
  if (ArrayBuffer.isView(a)) {
    if (!ArrayBuffer.isView(b) || a.byteLength !== b.byteLength || a.constructor !== b.constructor) return false;
    const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
    return true;
  }
  const pa = Object.getPrototypeOf(a);
  if ((pa !== Object.prototype && pa !== null) || Object.getPrototypeOf(b) !== pa || Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, k)) return false;
    if (!termEquals((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], depth + 1)) return false;
  }
  return true;
}
