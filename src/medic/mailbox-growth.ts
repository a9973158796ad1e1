import type { Pid } from '../runtime/index.js';
import { TopHeap } from './internal/top-heap.js';
import { expectRows, expectWindow, nodeOf, waitWindow, type MedicOptions } from './options.js';

/** How one mailbox moved over a window. */
export interface MailboxGrowthRow {
  readonly pid: Pid;
  readonly name: string;
  readonly currentLocation: string;
  readonly messageQueueLength: number;
  /** Messages per second: arriving, taken out, and the net change of the queue. */
  readonly arrivalRate: number;
  readonly drainRate: number;
  readonly growthRate: number;
  /** At this growth, seconds until the mailbox limit is reached; undefined without a limit or growth. */
  readonly secondsToLimit: number | undefined;
}

/**
 * ★ How fast each mailbox fills and drains: reads every process's queue length and messages
 * received, waits `ms`, reads again, and ranks the `n` fastest-growing mailboxes with their
 * arrival, drain and growth rates, and the time left before a mailbox limit kills the process.
 * A queue that is long but draining is on its way back; a short one growing at 10,000/s is the
 * next incident. Processes with no traffic in the window are left out. Costs two passes and a map
 * of every process's counters; resolves after `ms` (at most 10 minutes), or rejects when
 * `options.signal` aborts.
 */
export async function mailboxGrowth(n: number, ms: number, options?: MedicOptions): Promise<MailboxGrowthRow[]> {
  const rows = expectRows('n', n);
  const windowMs = expectWindow('ms', ms);
  const node = nodeOf(options);
  const before = new Map<Pid, { queue: number; received: number }>();
  node.scanProcesses((probe) => void before.set(probe.pid, { queue: probe.messageQueueLength, received: probe.messagesIn }));
  const started = performance.now();
  await waitWindow(windowMs, options?.signal);
  const seconds = Math.max(performance.now() - started, 1) / 1000;
  const top = new TopHeap<MailboxGrowthRow>(rows);
  node.scanProcesses((probe) => {
    const then = before.get(probe.pid) ?? { queue: 0, received: 0 };
    const queue = probe.messageQueueLength;
    const arrived = probe.messagesIn - then.received;
    const growth = queue - then.queue;
    if (arrived === 0 && growth === 0) return;
    const growthRate = growth / seconds;
    if (!top.admits(growthRate)) return;
    const limit = probe.mailboxLimit;
    top.offer(growthRate, {
      pid: probe.pid,
      name: probe.name,
      currentLocation: probe.currentLocation,
      messageQueueLength: queue,
      arrivalRate: arrived / seconds,
      drainRate: (arrived - growth) / seconds,
      growthRate,
      secondsToLimit: limit === undefined || growthRate <= 0 ? undefined : Math.max(0, limit - queue) / growthRate,
    });
  });
  return top.sorted().map(({ item }) => item);
}
