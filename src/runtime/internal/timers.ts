import { TimeoutMessage } from '../messages.js';
import { Pid } from '../pid.js';
import { Ref } from '../ref.js';
import { extrasOf } from './extras.js';
import type { Kernel } from './kernel.js';
import { cancelTimeout, startTimeout, type TimeoutHandle } from './long-timeout.js';
import type { Process } from './process.js';
import { expectDelay, expectMessage, expectName, invalid } from './validate.js';

/**
 * A timer of `sendAfter` / `startTimer`. A timer aimed at a pid belongs to that process: it is
 * cancelled when the process exits (or at once, if the process is already gone), as OTP's timers
 * are. A timer aimed at a name looks the name up when it fires and does nothing if nobody holds it.
 */
export class ProcessTimer {
  handle: TimeoutHandle | null = null;

  constructor(
    readonly ref: Ref,
    readonly kernel: Kernel,
    readonly target: Process | string,
    readonly message: unknown,
    /** performance.now() at which it fires. */
    readonly due: number,
  ) {}
}

function fire(timer: ProcessTimer): void {
  forget(timer);
  const target = timer.target;
  if (typeof target !== 'string') target.deliver(timer.message);
  else timer.kernel.names.get(target)?.deliver(timer.message);
}

function forget(timer: ProcessTimer): void {
  timer.kernel.timers.delete(timer.ref);
  if (typeof timer.target !== 'string') timer.target.extra?.timers?.delete(timer);
}

function remaining(timer: ProcessTimer): number {
  return Math.max(0, Math.ceil(timer.due - performance.now()));
}

/** Starts a timer that delivers `message` (wrapped in a `TimeoutMessage` if `wrap`) after `ms`. */
export function startProcessTimer(kernel: Kernel, ms: number, dest: Pid | string, message: unknown, wrap: boolean): Ref {
  expectDelay('ms', ms);
  expectMessage(message);
  let target: Process | string;
  if (dest instanceof Pid) {
    const process = dest.proc;
    if (process === null) return kernel.makeRef();
    target = process;
  } else {
    target = expectName('dest', dest);
  }
  const ref = kernel.makeRef();
  const timer = new ProcessTimer(ref, kernel, target, wrap ? new TimeoutMessage(ref, message) : message, performance.now() + ms);
  timer.handle = startTimeout(fire, ms, timer);
  kernel.timers.set(ref, timer);
  if (typeof target !== 'string') (extrasOf(target).timers ??= new Set()).add(timer);
  return ref;
}

function timerOf(kernel: Kernel, ref: Ref): ProcessTimer | undefined {
  if (!(ref instanceof Ref)) throw invalid('ref', 'a timer Ref', ref);
  return kernel.timers.get(ref);
}

/** Cancels a timer; returns the milliseconds it had left, or false if it had fired or is unknown. */
export function cancelProcessTimer(kernel: Kernel, ref: Ref): number | false {
  const timer = timerOf(kernel, ref);
  if (timer === undefined) return false;
  if (timer.handle !== null) cancelTimeout(timer.handle);
  forget(timer);
  return remaining(timer);
}

/** The milliseconds a timer has left, or false if it has fired or was cancelled. */
export function readProcessTimer(kernel: Kernel, ref: Ref): number | false {
  const timer = timerOf(kernel, ref);
  return timer === undefined ? false : remaining(timer);
}

/** Cancels every timer aimed at a process that is exiting. */
export function cancelTimersOf(process: Process): void {
  const timers = process.extra?.timers;
  if (timers == null) return;
  for (const timer of timers) {
    if (timer.handle !== null) cancelTimeout(timer.handle);
    timer.kernel.timers.delete(timer.ref);
  }
  extrasOf(process).timers = null;
}

/** Cancels every timer of a node that is stopping. */
export function cancelAllTimers(kernel: Kernel): void {
  for (const timer of kernel.timers.values()) {
    if (timer.handle !== null) cancelTimeout(timer.handle);
    forget(timer);
  }
  kernel.timers.clear();
}
