import type { Pid } from './pid.js';
import type { Ref } from './ref.js';
import { isSuspended, trapsExits } from './internal/extras.js';
import { DEAD, RUNNING, STARTING, WAITING, type Process } from './internal/process.js';
import { initialCallOf } from './internal/reports.js';

/** What a process is doing, as Erlang's `process_info(Pid, status)`. */
export type ProcessStatus = 'running' | 'runnable' | 'waiting' | 'exiting' | 'suspended';

/** A monitor a process holds: on a pid, or on a registered name. */
export interface MonitorInfo {
  readonly ref: Ref;
  readonly pid: Pid;
  readonly name: string | undefined;
}

/**
 * A snapshot of one process's counters and relations, as `process_info/1`. It never includes
 * mailbox contents, and its lists are cut at `listLimit` entries (the `…Count` fields give the
 * full numbers), so it is cheap and bounded whatever the process looks like.
 */
export interface ProcessInfo {
  readonly pid: Pid;
  readonly registeredName: string | undefined;
  readonly label: string | undefined;
  readonly status: ProcessStatus;
  /** Where it is: the receive it waits in (its matcher's name; the call site when the node tracks locations). */
  readonly currentLocation: string;
  /** The name of the function the process was spawned with. */
  readonly initialCall: string;
  readonly parent: Pid | undefined;
  /** When it was spawned, in epoch milliseconds. */
  readonly spawnedAt: number;
  /** Work done, in reductions: one per message received or sent, per run and per yield. */
  readonly reductions: number;
  readonly messagesIn: number;
  readonly messagesOut: number;
  readonly messageQueueLength: number;
  readonly mailboxLimit: number | undefined;
  readonly trapExit: boolean;
  readonly links: readonly Pid[];
  readonly linkCount: number;
  readonly monitors: readonly MonitorInfo[];
  readonly monitorCount: number;
  /** Processes watching this one; `'node'` for a node-level watcher such as `awaitExit`. */
  readonly monitoredBy: readonly (Pid | 'node')[];
  readonly monitoredByCount: number;
  /** Timers that will deliver to it. */
  readonly timerCount: number;
}

/** Entries each list of a `ProcessInfo` holds unless told otherwise. */
export const DEFAULT_LIST_LIMIT = 100;

/** @internal */
export function statusOf(process: Process): ProcessStatus {
  if (isSuspended(process)) return 'suspended';
  switch (process.status) {
    case RUNNING:
      return 'running';
    case WAITING:
      return 'waiting';
    case DEAD:
      return 'exiting';
    default:
      return 'runnable';
  }
}

/** @internal */
export function locationOf(process: Process): string {
  if (process.status === STARTING) return `start of ${initialCallOf(process)}`;
  if (process.status !== WAITING) return statusOf(process);
  const matcherName = process.matcher?.name;
  const waiting = matcherName ? `receive (${matcherName})` : 'receive';
  const site = process.extra?.location?.stack?.split('\n')[1]?.trim().replace(/^at /, '');
  return site === undefined ? waiting : `${waiting} at ${site}`;
}

function take<T, R>(items: Iterable<T> | null | undefined, limit: number, map: (item: T) => R): R[] {
  const out: R[] = [];
  if (items == null) return out;
  for (const item of items) {
    if (out.length >= limit) break;
    out.push(map(item));
  }
  return out;
}

/** @internal Builds the snapshot; O(listLimit). */
export function snapshotProcess(process: Process, listLimit: number): ProcessInfo {
  const extra = process.extra;
  return {
    pid: process.pid,
    registeredName: extra?.registeredName,
    label: extra?.label,
    status: statusOf(process),
    currentLocation: locationOf(process),
    initialCall: initialCallOf(process),
    parent: process.parent,
    spawnedAt: process.kernel.startedAt + process.spawnedAt,
    reductions: process.reductions,
    messagesIn: process.messagesIn,
    messagesOut: process.messagesOut,
    messageQueueLength: process.mailbox?.length ?? 0,
    mailboxLimit: extra?.mailboxLimit?.size,
    trapExit: trapsExits(process),
    links: take(extra?.links, listLimit, (other) => other.pid),
    linkCount: extra?.links?.size ?? 0,
    monitors: take(extra?.monitors?.values(), listLimit, (m) => ({ ref: m.ref, pid: m.target.pid, name: m.name })),
    monitorCount: extra?.monitors?.size ?? 0,
    monitoredBy: take(extra?.monitoredBy?.values(), listLimit, (m) =>
      typeof m.watcher === 'function' ? ('node' as const) : m.watcher.pid,
    ),
    monitoredByCount: extra?.monitoredBy?.size ?? 0,
    timerCount: extra?.timers?.size ?? 0,
  };
}
