import { Pid, Ref, isProcessContext } from '../../runtime/index.js';

/**
 * V8's object sizes on 64-bit Node.js without pointer compression (Node's default builds),
 * measured with heap deltas over 100,000 objects of each shape (test/medic/process-memory.test.ts
 * holds the estimate to them). Fields are 8 bytes; numbers that are not small integers are boxed.
 */
const WORD = 8;
const OBJECT_HEADER = 24;
/** A literal `{}` reserves four in-object fields. */
const MIN_OBJECT_FIELDS = 4;
const ARRAY_HEADER = 48;
const STRING_HEADER = 16;
const HEAP_NUMBER = 16;
const COLLECTION_HEADER = 72;
const MAP_BYTES_PER_SLOT = 28;
const SET_BYTES_PER_SLOT = 20;
const TYPED_ARRAY_OBJECT = 184;
const DATE = 112;
const FUNCTION = 64;
const OPAQUE_OBJECT = 48;

/** Children walked in full per collection; larger ones are extrapolated from these. */
const SAMPLE = 8;
const MAX_DEPTH = 24;

/** What one estimate found. */
export interface SizeTally {
  /** V8 heap bytes. */
  heap: number;
  /** Bytes of Buffers and typed arrays reachable (their views, each backing store once). */
  buffers: number;
  /** Bytes of the backing stores those views keep alive: more than `buffers` when a small slice pins a large store. */
  buffersRetained: number;
  /** Values visited; the walk stops at the budget and extrapolates. */
  visited: number;
}

/** A fresh, empty tally. */
export function emptyTally(): SizeTally {
  return { heap: 0, buffers: 0, buffersRetained: 0, visited: 0 };
}

function roundUp(bytes: number): number {
  return (bytes + 7) & ~7;
}

function stringSize(text: string): number {
  return roundUp(STRING_HEADER + text.length);
}

function capacityOf(size: number): number {
  let capacity = 4;
  while (capacity < size) capacity *= 2;
  return capacity;
}

/**
 * Estimates the memory a value holds, adding to `tally`: a walk of what it references, each
 * object counted once per `seen` set (share the set to count shared parts once across values).
 * Bounded: it visits at most `budget` values, walks at most 8 children of any array, Map, Set or
 * object and scales them up to the collection's size, and stops at pids, refs and process
 * contexts (they belong to other processes). Cost O(budget).
 */
export function estimateSize(value: unknown, tally: SizeTally, seen: Set<object>, budget: number): void {
  walk(value, { tally, seen, budget }, 0, 1);
}

/** What every step of one estimate shares. */
interface Walk {
  readonly tally: SizeTally;
  readonly seen: Set<object>;
  readonly budget: number;
}

function walk(value: unknown, state: Walk, depth: number, weight: number): void {
  const { tally, seen } = state;
  switch (typeof value) {
    case 'string':
      tally.heap += stringSize(value) * weight;
      return;
    case 'number':
      if (!Number.isInteger(value) || value > 0x3fffffff || value < -0x40000000) tally.heap += HEAP_NUMBER * weight;
      return;
    case 'bigint':
      tally.heap += roundUp(16 + Math.ceil(value.toString(16).length / 2)) * weight;
      return;
    case 'function':
      if (seen.has(value)) return;
      seen.add(value);
      tally.heap += FUNCTION * weight;
      return;
    case 'object':
      break;
    default:
      return; // undefined, booleans and symbols are immortal or shared
  }
  if (value === null || seen.has(value)) return;
  seen.add(value);
  tally.visited++;
  if (value instanceof Pid || value instanceof Ref || isProcessContext(value)) {
    tally.heap += OPAQUE_OBJECT * weight;
    return;
  }
  if (ArrayBuffer.isView(value)) {
    tally.heap += TYPED_ARRAY_OBJECT * weight;
    tally.buffers += value.byteLength * weight;
    const store = value.buffer;
    if (!seen.has(store)) {
      seen.add(store);
      tally.buffersRetained += store.byteLength * weight;
    }
    return;
  }
  if (value instanceof ArrayBuffer) {
    tally.heap += TYPED_ARRAY_OBJECT * weight;
    tally.buffers += value.byteLength * weight;
    tally.buffersRetained += value.byteLength * weight;
    return;
  }
  if (value instanceof Date) {
    tally.heap += DATE * weight;
    return;
  }
  const deeper = depth < MAX_DEPTH && tally.visited < state.budget;
  if (Array.isArray(value)) {
    tally.heap += (ARRAY_HEADER + WORD * value.length) * weight;
    if (deeper) sampleList(value.length, (i) => value[i], state, depth, weight);
    return;
  }
  if (value instanceof Map) {
    tally.heap += (COLLECTION_HEADER + MAP_BYTES_PER_SLOT * capacityOf(value.size)) * weight;
    if (deeper) sampleEntries(value.entries(), true, value.size, state, depth, weight);
    return;
  }
  if (value instanceof Set) {
    tally.heap += (COLLECTION_HEADER + SET_BYTES_PER_SLOT * capacityOf(value.size)) * weight;
    if (deeper) sampleEntries(value.values(), false, value.size, state, depth, weight);
    return;
  }
  if (value instanceof Promise || value instanceof WeakMap || value instanceof WeakSet || value instanceof WeakRef) {
    tally.heap += OPAQUE_OBJECT * weight;
    return;
  }
  const keys = Object.keys(value);
  tally.heap += (OBJECT_HEADER + WORD * Math.max(MIN_OBJECT_FIELDS, keys.length)) * weight;
  if (keys.length > MIN_OBJECT_FIELDS * 4) tally.heap += keys.length * 16 * weight; // a dictionary: its hash table
  if (deeper) {
    const record = value as Record<string, unknown>;
    sampleList(keys.length, (i) => record[keys[i] as string], state, depth, weight);
  }
}

/** Walks up to SAMPLE children spread over the list, each weighted to stand for its share. */
function sampleList(
  length: number,
  at: (index: number) => unknown,
  state: Walk,
  depth: number,
  weight: number,
): void {
  if (length === 0) return;
  const taken = Math.min(length, SAMPLE);
  const step = length / taken;
  const childWeight = (weight * length) / taken;
  for (let k = 0; k < taken; k++) walk(at(Math.floor(k * step)), state, depth + 1, childWeight);
}

function sampleEntries(
  entries: IterableIterator<unknown>,
  pairs: boolean,
  size: number,
  state: Walk,
  depth: number,
  weight: number,
): void {
  if (size === 0) return;
  const taken = Math.min(size, SAMPLE);
  const childWeight = (weight * size) / taken;
  let k = 0;
  for (const entry of entries) {
    if (k++ === taken) break;
    if (pairs) {
      const [key, value] = entry as [unknown, unknown];
      walk(key, state, depth + 1, childWeight);
      walk(value, state, depth + 1, childWeight);
    } else {
      walk(entry, state, depth + 1, childWeight);
    }
  }
}
