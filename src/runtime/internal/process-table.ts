import type { Process } from './process.js';

/** Slots per page: small, so a page kept alive by one long-lived process wastes at most 512 bytes. */
const PAGE_SIZE = 64;

interface Page {
  readonly slots: (Process | undefined)[];
  live: number;
}

/**
 * The live processes of a node by id. Ids only grow, so the table is paged: each page holds 64
 * consecutive ids and is dropped when its last process exits. A dense table costs about 9 bytes a
 * process (a Map costs about 30, and rehashes as it grows); lookup is O(1), and iteration runs in
 * spawn order because pages are created in id order.
 */
export class ProcessTable {
  readonly #pages = new Map<number, Page>();
  #size = 0;

  /** Live processes. */
  get size(): number {
    return this.#size;
  }

  add(process: Process): void {
    const id = process.pid.id;
    const index = Math.floor(id / PAGE_SIZE);
    let page = this.#pages.get(index);
    if (page === undefined) {
      page = { slots: new Array<Process | undefined>(PAGE_SIZE).fill(undefined), live: 0 };
      this.#pages.set(index, page);
    }
    page.slots[id % PAGE_SIZE] = process;
    page.live++;
    this.#size++;
  }

  delete(process: Process): void {
    const id = process.pid.id;
    const index = Math.floor(id / PAGE_SIZE);
    const page = this.#pages.get(index);
    if (page === undefined || page.slots[id % PAGE_SIZE] !== process) return;
    page.slots[id % PAGE_SIZE] = undefined;
    this.#size--;
    if (--page.live === 0) this.#pages.delete(index);
  }

  get(id: number): Process | undefined {
    return this.#pages.get(Math.floor(id / PAGE_SIZE))?.slots[id % PAGE_SIZE];
  }

  /**
   * Calls `visit` with each live process in spawn order until it returns false; returns how many
   * were visited. A plain loop: several times faster than `values()` over a million processes.
   */
  forEach(visit: (process: Process) => boolean | void): number {
    let visited = 0;
    for (const page of this.#pages.values()) {
      const slots = page.slots;
      for (let i = 0; i < slots.length; i++) {
        const process = slots[i];
        if (process === undefined) continue;
        visited++;
        if (visit(process) === false) return visited;
      }
    }
    return visited;
  }

  /** Live processes in spawn order. Processes that exit during the iteration are skipped. */
  *values(): IterableIterator<Process> {
    for (const page of this.#pages.values()) {
      for (const process of page.slots) if (process !== undefined) yield process;
    }
  }
}
