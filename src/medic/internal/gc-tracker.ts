import { PerformanceObserver, constants, type PerformanceEntry } from 'node:perf_hooks';
import v8 from 'node:v8';

/** One collection, as V8 reports it. */
export interface GcEvent {
  readonly kind: 'minor' | 'major' | 'incremental' | 'weakcb' | 'unknown';
  readonly durationMs: number;
}

/** Counts since the tracker started. */
export interface GcTotals {
  readonly count: number;
  readonly pauseMs: number;
  readonly bytesReclaimed: number;
}

const DRAIN_MS = 2000;

function kindOf(entry: PerformanceEntry): GcEvent['kind'] {
  switch ((entry as unknown as { readonly detail?: { readonly kind?: number } }).detail?.kind) {
    case constants.NODE_PERFORMANCE_GC_MINOR:
      return 'minor';
    case constants.NODE_PERFORMANCE_GC_MAJOR:
      return 'major';
    case constants.NODE_PERFORMANCE_GC_INCREMENTAL:
      return 'incremental';
    case constants.NODE_PERFORMANCE_GC_WEAKCB:
      return 'weakcb';
    default:
      return 'unknown';
  }
}

interface ProfileStatistic {
  readonly beforeGC?: { readonly heapStatistics?: { readonly usedHeapSize?: number } };
  readonly afterGC?: { readonly heapStatistics?: { readonly usedHeapSize?: number } };
}

/**
 * Watches V8's collections for the whole thread, from its first use on: a PerformanceObserver for
 * counts and pauses (and listeners such as the system monitor's `long_gc`), and a GCProfiler for
 * the bytes each collection reclaimed, drained every 2 s so that what it buffers stays small. Its
 * timer never holds the event loop open.
 */
class GcTracker {
  #count = 0;
  #pauseMs = 0;
  #reclaimed = 0;
  #profiler: v8.GCProfiler | undefined;
  #observer: PerformanceObserver | undefined;
  readonly #listeners = new Set<(event: GcEvent) => void>();

  /** Starts watching, if not yet. */
  start(): void {
    if (this.#observer !== undefined) return;
    this.#observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        this.#count++;
        this.#pauseMs += entry.duration;
        if (this.#listeners.size === 0) continue;
        const event: GcEvent = { kind: kindOf(entry), durationMs: entry.duration };
        for (const listener of this.#listeners) listener(event);
      }
    });
    this.#observer.observe({ entryTypes: ['gc'] });
    this.#profiler = new v8.GCProfiler();
    this.#profiler.start();
    setInterval(() => this.#drain(), DRAIN_MS).unref();
  }

  #drain(): void {
    const profiler = this.#profiler;
    if (profiler === undefined) return;
    const result = profiler.stop() as { statistics?: readonly ProfileStatistic[] } | undefined;
    profiler.start();
    for (const statistic of result?.statistics ?? []) {
      const before = statistic.beforeGC?.heapStatistics?.usedHeapSize ?? 0;
      const after = statistic.afterGC?.heapStatistics?.usedHeapSize ?? 0;
      if (before > after) this.#reclaimed += before - after;
    }
  }

  /** The totals now (collections not yet drained are drained first). */
  totals(): GcTotals {
    this.start();
    this.#drain();
    return { count: this.#count, pauseMs: this.#pauseMs, bytesReclaimed: this.#reclaimed };
  }

  /** Calls `listener` for each collection from now on; returns its remover. */
  listen(listener: (event: GcEvent) => void): () => void {
    this.start();
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

/** @internal The tracker of this thread. */
export const gcTracker = new GcTracker();
