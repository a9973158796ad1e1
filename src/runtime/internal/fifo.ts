/** Returned by `takeFirstMatch` when no queued item matches. */
export const NO_MATCH: unique symbol = Symbol('beamish.no-match');

const COMPACT_AT = 1024;

/**
 * A first-in first-out queue: an array with a moving head, so appending and taking the oldest item
 * are O(1) without the O(n) of `Array#shift`. Taking an item from the middle (a selective receive)
 * costs the scan plus a splice, as a selective receive costs a scan of the mailbox in Erlang.
 * Mailboxes and the run queue are both Fifos.
 */
export class Fifo<T> {
  #items: (T | undefined)[] = [];
  #head = 0;

  get length(): number {
    return this.#items.length - this.#head;
  }

  push(item: T): void {
    this.#items.push(item);
  }

  /** Takes the oldest item; the caller has checked that there is one. */
  shift(): T {
    const item = this.#items[this.#head] as T;
    this.#items[this.#head] = undefined;
    this.#head += 1;
    this.#compact();
    return item;
  }

  /** Takes the oldest item `test` accepts, or returns NO_MATCH and leaves the queue as it was. */
  takeFirstMatch(test: (item: T) => boolean): T | typeof NO_MATCH {
    const items = this.#items;
    for (let i = this.#head; i < items.length; i++) {
      const item = items[i] as T;
      if (test(item)) {
        if (i === this.#head) return this.shift();
        items.splice(i, 1);
        return item;
      }
    }
    return NO_MATCH;
  }

  /** Removes every item `test` accepts; returns how many. */
  removeAll(test: (item: T) => boolean): number {
    const before = this.length;
    this.#items = this.#items.slice(this.#head).filter((item) => !test(item as T));
    this.#head = 0;
    return before - this.length;
  }

  /** Up to `limit` of the oldest items, left in place (for bounded introspection). */
  peek(limit: number): T[] {
    return this.#items.slice(this.#head, this.#head + limit) as T[];
  }

  /** Empties the queue and frees its storage. */
  clear(): void {
    this.#items = [];
    this.#head = 0;
  }

  #compact(): void {
    const items = this.#items;
    if (this.#head === items.length) {
      items.length = 0;
      this.#head = 0;
    } else if (this.#head >= COMPACT_AT && this.#head * 2 >= items.length) {
      this.#items = items.slice(this.#head);
      this.#head = 0;
    }
  }
}
