/**
 * Keeps the `capacity` entries with the largest values seen so far, in a binary min-heap: O(log n)
 * per entry that gets in, O(1) per entry that does not, and never more than `capacity` entries.
 */
export class TopHeap<T> {
  readonly #values: number[] = [];
  readonly #items: T[] = [];
  readonly #capacity: number;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** Whether a value would get in: call first, to build the item only when it would. */
  admits(value: number): boolean {
    return this.#capacity > 0 && (this.#values.length < this.#capacity || value > (this.#values[0] as number));
  }

  offer(value: number, item: T): void {
    if (!this.admits(value)) return;
    if (this.#values.length < this.#capacity) {
      this.#values.push(value);
      this.#items.push(item);
      this.#up(this.#values.length - 1);
    } else {
      this.#values[0] = value;
      this.#items[0] = item;
      this.#down(0);
    }
  }

  /** The entries, largest value first. */
  sorted(): { value: number; item: T }[] {
    return this.#values.map((value, i) => ({ value, item: this.#items[i] as T })).sort((a, b) => b.value - a.value);
  }

  #up(index: number): void {
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if ((this.#values[parent] as number) <= (this.#values[index] as number)) return;
      this.#swap(index, parent);
      index = parent;
    }
  }

  #down(index: number): void {
    const length = this.#values.length;
    for (;;) {
      const left = index * 2 + 1;
      const right = left + 1;
      let smallest = index;
      if (left < length && (this.#values[left] as number) < (this.#values[smallest] as number)) smallest = left;
      if (right < length && (this.#values[right] as number) < (this.#values[smallest] as number)) smallest = right;
      if (smallest === index) return;
      this.#swap(index, smallest);
      index = smallest;
    }
  }

  #swap(a: number, b: number): void {
    const values = this.#values;
    const items = this.#items;
    [values[a], values[b]] = [values[b] as number, values[a] as number];
    [items[a], items[b]] = [items[b] as T, items[a] as T];
  }
}
