import type { Pid } from '../runtime/index.js';

/** What `top` can sort its rows by (etop's sort keys). */
export type TopSort = 'reductions' | 'memory' | 'messageQueueLength' | 'runtime';

/** One row of `top`: a process and what it did over the interval. */
export interface TopRow {
  readonly pid: Pid;
  /** Its registered name, else its label, else its initial function. */
  readonly name: string;
  /** Reductions spent since the previous frame. */
  readonly reductions: number;
  /** Its memory estimate, in bytes. */
  readonly memory: number;
  readonly messageQueueLength: number;
  /** Milliseconds of run time since the previous frame, where the node measures it; else 0. */
  readonly runtime: number;
  /** Where it is: the receive it waits in, or its status. */
  readonly currentLocation: string;
}

/** One frame of `top`: the node's header figures and the top rows. */
export interface TopFrame {
  readonly node: string;
  /** When the frame was taken, epoch ms. */
  readonly at: number;
  /** Milliseconds since the previous frame. */
  readonly intervalMs: number;
  /** Event-loop utilization of each scheduler thread over the interval, 0..1. */
  readonly schedulerUsage: readonly number[];
  readonly processCount: number;
  readonly runQueueLength: number;
  readonly memory: { readonly total: number; readonly processes: number; readonly heapUsed: number; readonly external: number; readonly rss: number };
  readonly sort: TopSort;
  readonly rows: readonly TopRow[];
}
