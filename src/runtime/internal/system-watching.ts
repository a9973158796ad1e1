import type { SystemWatchEvent, SystemWatch } from '../system-watch.js';
import { extrasOf } from './extras.js';
import type { Kernel } from './kernel.js';
import type { Process } from './process.js';

/**
 * How many nodes of this thread watch for long schedules. While it is 0, the runtime's calls pay
 * one comparison; while not, every process's call into the runtime reads the clock and the event
 * loop's idle time, as a stretch is measured between two such calls.
 */
export let scheduleWatchers = 0;
let lastStamp = 0;
let lastIdle = 0;
const timing = performance.nodeTiming;

let runtimeAccounting = 0;

/**
 * Turns per-process run-time accounting on or off (counted: it stays on while anyone wants it).
 * It rides on the stretch measurement, so it costs what watching long schedules costs.
 */
export function accountRuntime(on: boolean): void {
  if (on) {
    runtimeAccounting++;
    if (scheduleWatchers++ === 0) stampSchedule();
  } else if (runtimeAccounting > 0) {
    runtimeAccounting--;
    scheduleWatchers--;
  }
}

/**
 * Notes that a process is resumed (or started): a stretch of its code may begin now. Kept per
 * process, because a process can wake others from inside its own stretch (a node-level send
 * does), and their wake must not cut its stretch short.
 */
export function stampResume(process: Process): void {
  const extra = extrasOf(process);
  extra.resumedAt = performance.now();
  extra.resumedIdle = timing.idleTime;
}

/** Starts measuring from now: no stretch before this counts. */
export function stampSchedule(): void {
  lastStamp = performance.now();
  lastIdle = timing.idleTime;
}

/**
 * Called when a process calls into the runtime while schedules are watched: ends the stretch that
 * began at the later of its own resume and the last call any process made into the runtime,
 * minus the time the event loop sat idle since, reports it if long, and starts the next one.
 * `caller` is the runtime method called, so the reported location is the process's own code.
 */
export function endStretch(process: Process, caller: Function): void {
  const now = performance.now();
  const idle = timing.idleTime;
  let start = lastStamp;
  let startIdle = lastIdle;
  const extra = process.extra;
  if (extra !== null && extra.resumedAt > start) {
    start = extra.resumedAt;
    startIdle = extra.resumedIdle;
  }
  const busy = now - start - (idle - startIdle);
  lastStamp = now;
  lastIdle = idle;
  if (runtimeAccounting !== 0) extrasOf(process).runtimeMs += busy;
  const threshold = process.kernel.systemWatch?.longScheduleMs;
  if (threshold !== undefined && busy >= threshold) {
    emit(process.kernel, { kind: 'long_schedule', pid: process.pid, timeMs: Math.round(busy), location: callSite(caller) });
  }
}

function callSite(caller: Function): string {
  const holder: { stack?: string } = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 1;
  Error.captureStackTrace(holder, caller);
  Error.stackTraceLimit = limit;
  return holder.stack?.split('\n')[1]?.trim().replace(/^at /, '') ?? 'unknown';
}

/** A mailbox grew to the watched length: reported once, until it comes down again. */
export function noteLongQueue(process: Process, length: number): void {
  const extra = process.extra;
  if (extra !== null && extra.longQueue) return;
  extrasOf(process).longQueue = true;
  emit(process.kernel, { kind: 'long_message_queue', pid: process.pid, long: true, queueLength: length });
}

/** A mailbox marked long shrank: reported when it is down to the `disable` length. */
export function noteQueueShrank(process: Process, length: number): void {
  const disable = process.kernel.systemWatch?.longMessageQueue?.disable ?? Infinity;
  if (length > disable) return;
  extrasOf(process).longQueue = false;
  emit(process.kernel, { kind: 'long_message_queue', pid: process.pid, long: false, queueLength: length });
}

/** Installs a node's watch (or removes it with undefined); returns the previous one. */
export function setSystemWatch(kernel: Kernel, watch: SystemWatch | undefined): SystemWatch | undefined {
  const previous = kernel.systemWatch;
  if (previous?.longScheduleMs !== undefined) scheduleWatchers--;
  if (watch?.longScheduleMs !== undefined) {
    if (scheduleWatchers++ === 0) stampSchedule();
  }
  kernel.systemWatch = watch;
  kernel.longQueueEnable = watch?.longMessageQueue?.enable ?? Infinity;
  // Marks of the old watch mean nothing to the new one: O(n), once per change.
  kernel.table.forEach((process) => {
    if (process.extra !== null) process.extra.longQueue = false;
  });
  return previous;
}

/** Hands an event to the node's watcher; the watcher's failure never reaches the runtime. */
export function emit(kernel: Kernel, event: SystemWatchEvent): void {
  try {
    kernel.systemWatch?.onEvent(event);
  } catch {
    // A watcher must not throw; if it does, the event is lost rather than the caller's operation.
  }
}
