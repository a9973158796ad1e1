import type { KeyRange, TableKey } from '../types.js';
import { hashKey, termEquals } from './keys.js';
import { estimateBytes, keyOf, type KeyPosition, type Stored } from './objects.js';
import { inRange, MISSING, type Cursor, type Store } from './store.js';

// Estimated bytes per key: a Map slot, the entry and its bucket array; then 8 per object slot.
const ENTRY_BYTES = 112;
const EMPTY: Stored[] = [];

/**
 * One key of a hashed table, in a doubly linked list in key insertion order, so that `next` is
 * O(1) and a paused walk can resume. A removed entry keeps its `next`, so a cursor parked on it
 * finds its way back to the live list.
 */
class Entry {
  prev: Entry | null = null;
  next: Entry | null = null;
  removed = false;

  constructor(
    readonly key: TableKey,
    /** Replaced, never shrunk in place, so a cursor's copy of it stays a consistent snapshot. */
    public bucket: Stored[],
  ) {}
}

/** set, bag and duplicate_bag: a `Map` from each key's hash form to its entry. */
export class HashStore implements Store {
  readonly #type: 'set' | 'bag' | 'duplicate_bag';
  readonly #keyPos: KeyPosition;
  readonly #map = new Map<unknown, Entry>();
  readonly #head = new Entry(null, EMPTY);
  #tail = this.#head;
  #size = 0;
  #bytes = 0;

  constructor(type: 'set' | 'bag' | 'duplicate_bag', keyPos: KeyPosition) {
    this.#type = type;
    this.#keyPos = keyPos;
  }

  get size(): number {
    return this.#size;
  }

  get memory(): number {
    return this.#bytes;
  }

  insert(object: Stored): void {
    const key = keyOf(object, this.#keyPos);
    const hash = hashKey(key);
    const entry = this.#map.get(hash);
    if (entry === undefined) {
      const added = new Entry(key, [object]);
      added.prev = this.#tail;
      this.#tail.next = added;
      this.#tail = added;
      this.#map.set(hash, added);
      this.#size++;
      this.#bytes += ENTRY_BYTES + estimateBytes(object);
    } else if (this.#type === 'set') {
      this.#bytes += estimateBytes(object) - estimateBytes(entry.bucket[0] as Stored);
      entry.bucket = [object];
    } else {
      if (this.#type === 'bag') for (const held of entry.bucket) if (termEquals(held, object)) return;
      // Appending in place is safe for cursors: they only ever read up to what they see.
      entry.bucket.push(object);
      this.#size++;
      this.#bytes += 8 + estimateBytes(object);
    }
  }

  hasKey(key: TableKey): boolean {
    return this.#map.has(hashKey(key));
  }

  lookup(key: TableKey): Stored[] {
    const entry = this.#map.get(hashKey(key));
    return entry === undefined ? [] : entry.bucket.slice();
  }

  deleteKey(key: TableKey): Stored[] {
    const hash = hashKey(key);
    const entry = this.#map.get(hash);
    if (entry === undefined) return [];
    this.#map.delete(hash);
    this.#unlink(entry);
    return entry.bucket.slice();
  }

  deleteObject(object: Stored): void {
    const hash = hashKey(keyOf(object, this.#keyPos));
    const entry = this.#map.get(hash);
    if (entry === undefined) return;
    const kept = entry.bucket.filter((held) => !termEquals(held, object));
    const removed = entry.bucket.length - kept.length;
    if (removed === 0) return;
    if (kept.length === 0) {
      this.#map.delete(hash);
      this.#unlink(entry);
      return;
    }
    this.#size -= removed;
    this.#bytes -= removed * (8 + estimateBytes(object));
    entry.bucket = kept;
  }

  replace(object: Stored): void {
    const entry = this.#map.get(hashKey(keyOf(object, this.#keyPos))) as Entry;
    this.#bytes += estimateBytes(object) - estimateBytes(entry.bucket[0] as Stored);
    entry.bucket = [object];
  }

  #unlink(entry: Entry): void {
    entry.removed = true;
    (entry.prev as Entry).next = entry.next;
    if (entry.next !== null) entry.next.prev = entry.prev;
    else this.#tail = entry.prev as Entry;
    this.#size -= entry.bucket.length;
    let bytes = ENTRY_BYTES - 8;
    for (const object of entry.bucket) bytes += 8 + estimateBytes(object);
    this.#bytes = Math.max(0, this.#bytes - bytes);
  }

  clear(): void {
    // Nothing live is left to lead a parked cursor to, so cut the chain and let it all be collected.
    for (let entry = this.#head.next; entry !== null; ) {
      const next: Entry | null = entry.next;
      entry.removed = true;
      entry.next = null;
      entry.bucket = EMPTY;
      entry = next;
    }
    this.#map.clear();
    this.#head.next = null;
    this.#tail = this.#head;
    this.#size = 0;
    this.#bytes = 0;
  }

  first(): TableKey | undefined {
    return this.#head.next?.key;
  }

  last(): TableKey | undefined {
    return this.#tail === this.#head ? undefined : this.#tail.key;
  }

  next(key: TableKey): TableKey | undefined | typeof MISSING {
    const entry = this.#map.get(hashKey(key));
    return entry === undefined ? MISSING : entry.next?.key;
  }

  prev(key: TableKey): TableKey | undefined | typeof MISSING {
    const entry = this.#map.get(hashKey(key));
    return entry === undefined ? MISSING : entry.prev === this.#head ? undefined : entry.prev?.key;
  }

  forEach(fn: (object: Stored) => void): void {
    for (let entry = this.#head.next; entry !== null; entry = entry.next) {
      const bucket = entry.bucket;
      for (let i = 0; i < bucket.length; i++) fn(bucket[i] as Stored);
    }
  }

  cursor(range: KeyRange | undefined): Cursor {
    return new HashCursor(this.#head, range);
  }
}

/** A walk in key insertion order; `select_reverse` on a hashed table walks the same way, as in ets. */
class HashCursor implements Cursor {
  #entry: Entry;
  #bucket: Stored[] = EMPTY;
  #index = 0;
  readonly #range: KeyRange | undefined;

  constructor(head: Entry, range: KeyRange | undefined) {
    this.#entry = head;
    this.#range = range;
  }

  clone(): HashCursor {
    const copy = new HashCursor(this.#entry, this.#range);
    copy.#bucket = this.#bucket;
    copy.#index = this.#index;
    return copy;
  }

  collect(limit: number, accept: (object: Stored) => boolean, out: Stored[]): boolean {
    for (;;) {
      const bucket = this.#bucket;
      while (this.#index < bucket.length) {
        const object = bucket[this.#index++] as Stored;
        if (accept(object)) {
          out.push(object);
          if (out.length >= limit) return true;
        }
      }
      let next = this.#entry.next;
      while (next !== null && next.removed) next = next.next;
      if (next === null) return false;
      this.#entry = next;
      this.#bucket = this.#range === undefined || inRange(next.key, this.#range) ? next.bucket : EMPTY;
      this.#index = 0;
    }
  }
}
