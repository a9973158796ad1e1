import type { Pid } from '../runtime/index.js';
import { forceGc } from './internal/force-gc.js';
import { TopHeap } from './internal/top-heap.js';
import { expectRows, nodeOf, type MedicOptions } from './options.js';
import { ProcessMemoryEstimator } from './process-memory.js';

/** A process and the Buffers it keeps after a collection. */
export interface BinLeakRow {
  readonly pid: Pid;
  readonly name: string;
  readonly currentLocation: string;
  /** Bytes of the backing stores its state and mailbox keep alive. */
  readonly retained: number;
  /** Bytes of the views it uses. */
  readonly used: number;
  /** `retained - used`: bytes kept alive only because a slice points into a larger store. */
  readonly pinned: number;
}

/** What `binLeak` found. */
export interface BinLeakReport {
  /** ArrayBuffer bytes before and after the collection, and the difference it freed. */
  readonly before: number;
  readonly after: number;
  readonly released: number;
  /** Processes keeping the most Buffer bytes alive, most first. */
  readonly processes: readonly BinLeakRow[];
}

/**
 * recon's `bin_leak/1`, for V8: runs a full collection (without needing `--expose-gc`), says how
 * many Buffer bytes it released, then ranks the `n` processes whose state and mailbox keep the most
 * Buffer memory alive, with the part pinned by slices (`buf.subarray` keeps its whole store alive:
 * Node's sub-binary leak). V8 has one heap for all processes, so what a collection releases cannot
 * be charged to processes as recon does; what they keep afterwards is what leaks. Cost: two full
 * collections (blocking, tens of ms on a large heap) and one bounded estimate per process.
 */
export function binLeak(n: number, options?: MedicOptions): BinLeakReport {
  const rows = expectRows('n', n);
  const node = nodeOf(options);
  const before = process.memoryUsage().arrayBuffers;
  forceGc();
  // V8 frees ArrayBuffer stores on a background sweeper; the next collection waits for it.
  forceGc();
  const after = process.memoryUsage().arrayBuffers;
  const estimator = new ProcessMemoryEstimator();
  const top = new TopHeap<{ pid: Pid; used: number }>(rows);
  node.scanProcesses((probe) => {
    if (probe.messageQueueLength === 0 && !probe.exposesState) return;
    const { buffers, buffersRetained } = estimator.estimate(probe);
    if (buffersRetained > 0 && top.admits(buffersRetained)) top.offer(buffersRetained, { pid: probe.pid, used: buffers });
  });
  const processes: BinLeakRow[] = [];
  for (const { value, item } of top.sorted()) {
    const probe = node.probe(item.pid);
    if (probe === undefined) continue;
    processes.push({ pid: item.pid, name: probe.name, currentLocation: probe.currentLocation, retained: value, used: item.used, pinned: Math.max(0, value - item.used) });
  }
  return { before, after, released: Math.max(0, before - after), processes };
}
