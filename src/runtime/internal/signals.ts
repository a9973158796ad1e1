import { ExitSignal, NoProcError, UncaughtThrowError } from '../errors.js';
import { logSafely, type CallbackFailedReport } from '../logger.js';
import { DownMessage, ExitMessage } from '../messages.js';
import type { Pid } from '../pid.js';
import { isError, type ExitReason } from '../reasons.js';
import type { Ref } from '../ref.js';
import { Monitor, extrasOf, trapsExits, type DownCallback, type ResolvedMailboxLimit } from './extras.js';
import { Fifo } from './fifo.js';
import { cancelReceiveTimeout, DEAD, type Process } from './process.js';
import { crashReport, mailboxLimitReport } from './reports.js';
import { cancelTimersOf } from './timers.js';

/*
 * Links, monitors and exit signals, with OTP's semantics. Signals take effect synchronously: when
 * `exit(pid, 'kill')` returns, the target is dead and its name is free. The consequences of a
 * death (exit signals over its links, DOWN messages) are worked off from a queue rather than by
 * recursion, so a chain of a million linked processes dies without overflowing the stack.
 */

/** Links two live processes (both directions). */
export function linkProcesses(a: Process, b: Process): void {
  if (a === b) return;
  (extrasOf(a).links ??= new Set()).add(b);
  (extrasOf(b).links ??= new Set()).add(a);
}

/** `link/1`: a dead target gives a trapping caller `ExitMessage(pid, 'noproc')`, others `NoProcError`. */
export function link(caller: Process, pid: Pid): void {
  const target = pid.proc;
  if (target !== null) return linkProcesses(caller, target);
  if (trapsExits(caller)) caller.deliver(new ExitMessage(pid, 'noproc'));
  else throw new NoProcError(pid);
}

/** `unlink/1`: removes the link if there is one; unlinking a dead process does nothing. */
export function unlink(caller: Process, pid: Pid): void {
  const target = pid.proc;
  if (target === null) return;
  caller.extra?.links?.delete(target);
  target.extra?.links?.delete(caller);
}

/** Starts a monitor of a live `target` by a process or a node-level callback. */
export function monitor(
  watcher: Process | DownCallback,
  target: Process,
  ref: Ref,
  name: string | undefined,
): Ref {
  const record = new Monitor(ref, watcher, target, name);
  (extrasOf(target).monitoredBy ??= new Map()).set(ref, record);
  if (typeof watcher !== 'function') (extrasOf(watcher).monitors ??= new Map()).set(ref, record);
  return ref;
}

/** Starts a node-level monitor of a live `target` that calls `callback` with the DOWN. */
export function watch(callback: DownCallback, target: Process, ref: Ref, name: string | undefined): Monitor {
  const record = new Monitor(ref, callback, target, name);
  (extrasOf(target).monitoredBy ??= new Map()).set(ref, record);
  return record;
}

/** Stops a node-level monitor; returns whether it was still active. */
export function unwatch(record: Monitor): boolean {
  return record.target.extra?.monitoredBy?.delete(record.ref) ?? false;
}

/** Stops a monitor `watcher` holds; returns whether it was still active. */
export function demonitor(watcher: Process, ref: Ref): boolean {
  const record = watcher.extra?.monitors?.get(ref);
  if (record === undefined) return false;
  watcher.extra?.monitors?.delete(ref);
  record.target.extra?.monitoredBy?.delete(ref);
  return true;
}

/** `exit/2`: sends an exit signal from `from` to the process `target` names, if it is alive. */
export function sendExit(target: Pid, from: Pid, reason: ExitReason): void {
  const process = target.proc;
  if (process !== null) receiveExitSignal(process, from, reason, false);
}

/** What an exit signal does to its receiver, by OTP's rules. */
function receiveExitSignal(target: Process, from: Pid, reason: ExitReason, viaLink: boolean): void {
  if (target.status === DEAD) return;
  // Only `exit(pid, kill)` is untrappable; a process that itself exited with reason `kill`
  // sends an ordinary, trappable `kill` over its links (as OTP does).
  if (!viaLink && reason === 'kill') return terminate(target, 'killed');
  if (trapsExits(target)) return target.deliver(new ExitMessage(from, reason));
  if (reason !== 'normal') return terminate(target, reason);
  if (!viaLink && from === target.pid) terminate(target, 'normal');
}

const dying = new Fifo<Process>();
let cascading = false;

/**
 * Ends a process with `reason`. At once: it stops receiving, its name is free and sends to it are
 * dropped. Then, from the queue: its timers are cancelled, its monitors removed, linked processes
 * get exit signals, watchers get DOWN messages, and its AbortSignal is aborted.
 */
export function terminate(process: Process, reason: ExitReason): void {
  if (process.status === DEAD) return;
  cancelReceiveTimeout(process);
  process.status = DEAD;
  process.pending = reason;
  process.matcher = null;
  process.resolve = null;
  process.kernel.releaseName(process);
  process.pid.proc = null;
  dying.push(process);
  if (cascading) return;
  cascading = true;
  try {
    while (dying.length > 0) announceExit(dying.shift());
  } finally {
    cascading = false;
  }
}

function announceExit(process: Process): void {
  const reason = process.pending;
  const extra = process.extra;
  process.mailbox = null;
  if (extra !== null) {
    if (extra.timers !== null) cancelTimersOf(process);
    if (extra.monitors !== null) {
      for (const record of extra.monitors.values()) record.target.extra?.monitoredBy?.delete(record.ref);
      extra.monitors = null;
    }
    if (extra.links !== null) {
      const links = extra.links;
      extra.links = null;
      for (const other of links) {
        other.extra?.links?.delete(process);
        receiveExitSignal(other, process.pid, reason, true);
      }
    }
    if (extra.monitoredBy !== null) {
      const records = extra.monitoredBy;
      extra.monitoredBy = null;
      for (const record of records.values()) sendDown(record, reason);
    }
    if (extra.abort !== null) extra.abort.abort(process.kernel.exitedError(process, reason));
  }
  process.kernel.processExited(process);
}

function sendDown(record: Monitor, reason: ExitReason): void {
  const down = new DownMessage(record.ref, record.target.pid, record.name, reason);
  const watcher = record.watcher;
  if (typeof watcher !== 'function') {
    watcher.extra?.monitors?.delete(record.ref);
    watcher.deliver(down);
    return;
  }
  try {
    watcher(down);
  } catch (error) {
    const report: CallbackFailedReport = { kind: 'callback_failed', callback: 'monitor', error };
    logSafely(record.target.kernel.logger, 'error', report);
  }
}

/**
 * A process's code threw (or its promise rejected): an `ExitSignal` ends it with the signal's
 * reason; anything else ends it with the error as reason, after a crash report.
 */
export function crashed(process: Process, error: unknown): void {
  if (process.status === DEAD) return;
  if (error instanceof ExitSignal) return terminate(process, error.reason);
  const reason = isError(error) ? error : new UncaughtThrowError(error);
  logSafely(process.kernel.logger, 'error', crashReport(process, reason));
  terminate(process, reason);
}

/**
 * A message took a mailbox past its limit (checked as each message arrives). Reports once each
 * time the queue crosses the limit, and kills the process unless the limit says not to.
 */
export function mailboxOverflow(process: Process, limit: ResolvedMailboxLimit): void {
  const length = process.mailbox?.length ?? 0;
  if (!limit.kill && length !== limit.size + 1) return;
  if (limit.report) logSafely(process.kernel.logger, 'error', mailboxLimitReport(process, limit, length));
  if (limit.kill) terminate(process, 'killed');
}
