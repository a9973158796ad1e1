/** Returned by `takeFirstMatch` when no queued item matches. */
export const NO_MATCH: unique symbol = Symbol('beamish.no-match');

const FIRST_SEGMENT = 8;
const LARGEST_SEGMENT = 4096;

/** A run of queued items: `items[head..tail)`. */
class Segment<T> {
  readonly items: (T | undefined)[];
  head = 0;
  tail = 0;
  next: Segment<T> | null = null;

  constructor(capacity: number) {
    this.items = new Array<T | undefined>(capacity);
  }
}

/**
 * A first-in first-out queue: a chain of array segments that double in size up to 4096 slots.
 * Appending and taking the oldest item are O(1), with no large copies however long the queue
 * grows (a mailbox can hold millions of messages), and a short queue stays a few hundred bytes.
 * Taking an item from the middle (a selective receive) costs the scan plus a shift within one
 * segment, as a selective receive costs a scan of the mailbox in Erlang.
 * Mailboxes and the run queue are both Fifos.
 */
export class Fifo<T> {
  #first: Segment<T> | null = null;
  #last: Segment<T> | null = null;
  #length = 0;

  get length(): number {
    return this.#length;
  }

  push(item: T): void {
    let last = this.#last;
    if (last === null) {
      last = this.#first = this.#last = new Segment(FIRST_SEGMENT);
    } else if (last.tail === last.items.length) {
      const next = new Segment<T>(Math.min(last.items.length * 2, LARGEST_SEGMENT));
      last.next = next;
      this.#last = last = next;
    }
    last.items[last.tail++] = item;
    this.#length++;
  }

  /** Takes the oldest item; the caller has checked that there is one. */
  shift(): T {
    const first = this.#first as Segment<T>;
    const item = first.items[first.head] as T;
    first.items[first.head++] = undefined;
    this.#length--;
    if (first.head === first.tail) this.#dropEmpty(first, null);
    return item;
  }

  /** Takes the oldest item (the oldest `test` accepts, if given), or returns NO_MATCH when there is none. */
  take(test: ((item: T) => boolean) | null | undefined): T | typeof NO_MATCH {
    if (this.#length === 0) return NO_MATCH;
    return test == null ? this.shift() : this.takeFirstMatch(test);
  }

  /** Takes the oldest item `test` accepts, or returns NO_MATCH and leaves the queue as it was. */
  takeFirstMatch(test: (item: T) => boolean): T | typeof NO_MATCH {
    let previous: Segment<T> | null = null;
    for (let segment = this.#first; segment !== null; previous = segment, segment = segment.next) {
      const items = segment.items;
      for (let i = segment.head; i < segment.tail; i++) {
        const item = items[i] as T;
        if (!test(item)) continue;
        if (i === segment.head) {
          items[segment.head++] = undefined;
        } else {
          items.copyWithin(i, i + 1, segment.tail);
          items[--segment.tail] = undefined;
        }
        this.#length--;
        if (segment.head === segment.tail) this.#dropEmpty(segment, previous);
        return item;
      }
    }
    return NO_MATCH;
  }

  /** Removes every item `test` accepts; returns how many. */
  removeAll(test: (item: T) => boolean): number {
    const kept = this.peek(this.#length).filter((item) => !test(item));
    const removed = this.#length - kept.length;
    this.clear();
    for (const item of kept) this.push(item);
    return removed;
  }

  /** Up to `limit` of the oldest items, left in place (for bounded introspection). */
  peek(limit: number): T[] {
    const out: T[] = [];
    for (let segment = this.#first; segment !== null && out.length < limit; segment = segment.next) {
      for (let i = segment.head; i < segment.tail && out.length < limit; i++) out.push(segment.items[i] as T);
    }
    return out;
  }

  /** Empties the queue and frees its storage. */
  clear(): void {
    this.#first = this.#last = null;
    this.#length = 0;
  }

  /** Unlinks a segment that has just become empty; the only segment is kept for reuse. */
  #dropEmpty(segment: Segment<T>, previous: Segment<T> | null): void {
    if (segment === this.#first && segment.next === null) {
      segment.head = segment.tail = 0;
      return;
    }
    if (previous === null) this.#first = segment.next;
    else previous.next = segment.next;
    if (segment === this.#last) this.#last = previous;
  }
}
