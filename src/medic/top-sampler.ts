import { invalidArgument, type BeamishNode, type Pid, type ProcessProbe } from '../runtime/index.js';
import { TopHeap } from './internal/top-heap.js';
import { readMemory } from './memory.js';
import { expectRows } from './options.js';
import { ProcessMemoryEstimator } from './process-memory.js';
import { readLoop, usageBetween } from './scheduler-usage.js';
import type { TopFrame, TopRow, TopSort } from './top-frame.js';

export type { TopFrame, TopRow, TopSort } from './top-frame.js';

const SORTS: readonly TopSort[] = ['reductions', 'memory', 'messageQueueLength', 'runtime'];

interface Previous {
  reductions: number;
  runtimeMs: number;
}

/**
 * etop's sampler: each `frame` ranks the processes by reductions or run time since the previous
 * frame, by memory, or by mailbox length, and reads the node's header figures. It keeps one entry
 * per live process between frames (their counters), and measures run time while it is open (see
 * `BeamishNode.accountRuntime`, whose cost it brings): `close` it. O(processes) per frame, including a memory
 * estimate of each (for the header's total and the memory sort).
 */
export class TopSampler {
  readonly #node: BeamishNode;
  #previous = new Map<Pid, Previous>();
  #loop = readLoop();
  #at = Date.now();
  #closed = false;
  readonly #estimator = new ProcessMemoryEstimator();

  constructor(node: BeamishNode) {
    this.#node = node;
    node.accountRuntime(true);
    this.#remember();
  }

  #remember(): void {
    const previous = new Map<Pid, Previous>();
    this.#node.scanProcesses((probe) => void previous.set(probe.pid, { reductions: probe.reductions, runtimeMs: probe.runtimeMs }));
    this.#previous = previous;
  }

  /** The next frame: rows sorted by `sort`, at most `lines` of them. */
  frame(options: { readonly sort?: TopSort; readonly lines?: number } = {}): TopFrame {
    const sort = options.sort ?? 'reductions';
    if (!SORTS.includes(sort)) throw invalidArgument('sort', `one of ${SORTS.join(', ')}`, sort);
    const lines = expectRows('lines', options.lines ?? 20);
    const node = this.#node;
    const previous = this.#previous;
    const value = (probe: ProcessProbe): number => {
      const before = previous.get(probe.pid);
      switch (sort) {
        case 'reductions':
          return probe.reductions - (before?.reductions ?? 0);
        case 'runtime':
          return probe.runtimeMs - (before?.runtimeMs ?? 0);
        case 'memory':
          return memoryOfCurrent;
        case 'messageQueueLength':
          return probe.messageQueueLength;
      }
    };
    const top = new TopHeap<Pid>(lines);
    let processesMemory = 0;
    let memoryOfCurrent = 0;
    node.scanProcesses((probe) => {
      memoryOfCurrent = this.#estimator.total(probe);
      processesMemory += memoryOfCurrent;
      const v = value(probe);
      if (top.admits(v)) top.offer(v, probe.pid);
    });
    const rows: TopRow[] = [];
    for (const { item: pid } of top.sorted()) {
      const probe = node.probe(pid);
      if (probe === undefined) continue;
      const before = previous.get(pid);
      rows.push({
        pid,
        name: probe.name,
        reductions: probe.reductions - (before?.reductions ?? 0),
        memory: this.#estimator.total(probe),
        messageQueueLength: probe.messageQueueLength,
        runtime: Math.round(probe.runtimeMs - (before?.runtimeMs ?? 0)),
        currentLocation: probe.currentLocation,
      });
    }
    const now = Date.now();
    const memory = readMemory();
    const frame: TopFrame = {
      node: node.name,
      at: now,
      intervalMs: now - this.#at,
      schedulerUsage: usageBetween(this.#loop).map((s) => s.usage),
      processCount: node.processCount,
      runQueueLength: node.runQueueLength,
      memory: { total: memory.rss, processes: processesMemory, heapUsed: memory.heapUsed, external: memory.external, rss: memory.rss },
      sort,
      rows,
    };
    this.#loop = readLoop();
    this.#at = now;
    this.#remember();
    return frame;
  }

  /** Stops measuring run time for this sampler and drops what it kept. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#previous.clear();
    this.#node.accountRuntime(false);
  }
}
