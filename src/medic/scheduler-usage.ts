import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { expectWindow, waitWindow, type MedicOptions } from './options.js';

/** How busy one scheduler thread was over a window. */
export interface SchedulerUsage {
  /** 1 for the main thread (the only scheduler until schedulers run on worker threads). */
  readonly scheduler: number;
  /** Event-loop utilization: the share of the window the thread spent running, not waiting for I/O. 0..1. */
  readonly usage: number;
}

/** @internal A reading to measure usage from. */
export function readLoop(): EventLoopUtilization {
  return performance.eventLoopUtilization();
}

/** @internal Usage of the schedulers between two readings. */
export function usageBetween(before: EventLoopUtilization): SchedulerUsage[] {
  return [{ scheduler: 1, usage: performance.eventLoopUtilization(before).utilization }];
}

/**
 * The usage of every scheduler thread over a window of `ms` (recon's `scheduler_usage/1`): the
 * event-loop utilization, which counts time spent in any JavaScript (processes or not) and native
 * callbacks as busy, and time blocked waiting for I/O or timers as idle. Costs two readings;
 * resolves after `ms` (at most 10 minutes), or rejects when `options.signal` aborts.
 */
export async function schedulerUsage(ms: number, options?: Pick<MedicOptions, 'signal'>): Promise<SchedulerUsage[]> {
  const windowMs = expectWindow('ms', ms);
  const before = readLoop();
  await waitWindow(windowMs, options?.signal);
  return usageBetween(before);
}
