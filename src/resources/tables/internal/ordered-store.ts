import sortedBtree from 'sorted-btree';
import type { KeyRange, TableKey } from '../types.js';
import { compareKeys, termEquals } from './keys.js';
import { estimateBytes, keyOf, type KeyPosition, type Stored } from './objects.js';
import { beyond, type Cursor, type Store } from './store.js';

// sorted-btree is CommonJS with `exports.default`: Node's ESM import gives the exports object,
// bundlers that honour `__esModule` give the class itself.
type BTreeClass = typeof sortedBtree.default;
const BTree: BTreeClass = (sortedBtree as unknown as { default?: BTreeClass }).default ?? (sortedBtree as unknown as BTreeClass);
type Tree = import('sorted-btree').default<TableKey, Stored>;

// Estimated bytes per key in the B+ tree: a key and a value slot plus the nodes' share.
const ENTRY_BYTES = 40;

/** ordered_set: a B+ tree (sorted-btree) keyed by `compareKeys`; O(log n) per operation. */
export class OrderedStore implements Store {
  readonly #keyPos: KeyPosition;
  readonly #tree: Tree = new BTree(undefined, compareKeys);
  #bytes = 0;

  constructor(keyPos: KeyPosition) {
    this.#keyPos = keyPos;
  }

  get size(): number {
    return this.#tree.size;
  }

  get memory(): number {
    return this.#bytes;
  }

  insert(object: Stored): void {
    const key = keyOf(object, this.#keyPos);
    const held = this.#tree.get(key) as Stored | undefined;
    this.#bytes += estimateBytes(object) + (held === undefined ? ENTRY_BYTES : -estimateBytes(held));
    // Overwriting also stores the new key, so `1n` replaces `1` as ets's 1.0 replaces 1.
    this.#tree.set(key, object);
  }

  hasKey(key: TableKey): boolean {
    return this.#tree.has(key);
  }

  lookup(key: TableKey): Stored[] {
    const held = this.#tree.get(key) as Stored | undefined;
    return held === undefined ? [] : [held];
  }

  deleteKey(key: TableKey): Stored[] {
    const held = this.#tree.get(key) as Stored | undefined;
    if (held === undefined) return [];
    this.#tree.delete(key);
    this.#bytes = Math.max(0, this.#bytes - ENTRY_BYTES - estimateBytes(held));
    return [held];
  }

  deleteObject(object: Stored): void {
    const key = keyOf(object, this.#keyPos);
    const held = this.#tree.get(key) as Stored | undefined;
    if (held !== undefined && termEquals(held, object)) this.deleteKey(key);
  }

  replace(object: Stored): void {
    this.insert(object);
  }

  clear(): void {
    this.#tree.clear();
    this.#bytes = 0;
  }

  first(): TableKey | undefined {
    return this.#tree.minKey() as TableKey | undefined;
  }

  last(): TableKey | undefined {
    return this.#tree.maxKey() as TableKey | undefined;
  }

  next(key: TableKey): TableKey | undefined {
    return this.#tree.nextHigherKey(key) as TableKey | undefined;
  }

  prev(key: TableKey): TableKey | undefined {
    return this.#tree.nextLowerKey(key) as TableKey | undefined;
  }

  forEach(fn: (object: Stored) => void): void {
    this.#tree.forEach((object) => fn(object as Stored));
  }

  cursor(range: KeyRange | undefined, reverse: boolean): Cursor {
    return new OrderedCursor(this.#tree, range ?? {}, reverse);
  }
}

/**
 * A walk in key order that remembers only the last key it reached, so it resumes correctly
 * whatever changed in between (ets's ordered_set continuations work the same way).
 */
class OrderedCursor implements Cursor {
  readonly #tree: Tree;
  readonly #range: KeyRange;
  readonly #reverse: boolean;
  #last: TableKey | undefined;
  #started = false;

  constructor(tree: Tree, range: KeyRange, reverse: boolean) {
    this.#tree = tree;
    this.#range = range;
    this.#reverse = reverse;
  }

  clone(): OrderedCursor {
    const copy = new OrderedCursor(this.#tree, this.#range, this.#reverse);
    copy.#last = this.#last;
    copy.#started = this.#started;
    return copy;
  }

  collect(limit: number, accept: (object: Stored) => boolean, out: Stored[]): boolean {
    const range = this.#range;
    const reverse = this.#reverse;
    let from: TableKey | undefined;
    if (this.#started) from = this.#last;
    else from = reverse ? (range.lte ?? range.lt) : (range.gte ?? range.gt);
    const pairs = reverse ? this.#tree.entriesReversed(from) : this.#tree.entries(from);
    for (const [key, object] of pairs as Iterable<[TableKey, Stored]>) {
      // Skip what the bounds exclude and the key the previous chunk ended on.
      if (this.#started ? compareKeys(key, this.#last as TableKey) === 0 : from !== undefined && excluded(key, range, reverse)) continue;
      if (beyond(key, range, reverse)) return false;
      this.#started = true;
      this.#last = key;
      if (accept(object)) {
        out.push(object);
        if (out.length >= limit) return true;
      }
    }
    return false;
  }
}

// The starting bound itself when it is exclusive (gt walking forward, lt walking backward).
function excluded(key: TableKey, range: KeyRange, reverse: boolean): boolean {
  const bound = reverse ? range.lt : range.gt;
  return bound !== undefined && compareKeys(key, bound) === 0;
}
