import { ExitSignal, ReceiveInProgressError } from '../errors.js';
import { DownMessage, TIMEOUT } from '../messages.js';
import type { ProcessContext, ProcessFunction, SpawnOptions } from '../context.js';
import type { BeamishNode } from '../node.js';
import type { Pid } from '../pid.js';
import type { ExitReason } from '../reasons.js';
import type { Ref } from '../ref.js';
import { extrasOf, isSuspended, trapsExits, type ProcessExtras } from './extras.js';
import { Fifo, NO_MATCH } from './fifo.js';
import type { Kernel } from './kernel.js';
import { cancelTimeout, startTimeout, type TimeoutHandle } from './long-timeout.js';
import { PROCESS_BUDGET, scheduler } from './scheduler.js';
import { crashed, demonitor, link, linkProcesses, mailboxOverflow, monitor, sendExit, terminate, unlink } from './signals.js';
import { cancelProcessTimer, readProcessTimer, startProcessTimer } from './timers.js';
import { endStretch, noteLongQueue, noteQueueShrank, scheduleWatchers, stampResume } from './system-watching.js';
import { expectBoolean, expectFunction, expectPid, expectTimeout } from './validate.js';

/** Spawned, waiting in the run queue for its first run. */
export const STARTING = 0;
/** Running, or awaiting something that is not a receive (a fetch, a file read). */
export const RUNNING = 1;
/** Blocked in receive. */
export const WAITING = 2;
/** Has a message (or a yield) to resume with, and waits in the run queue for its turn. */
export const RUNNABLE = 3;
/** Exited. */
export const DEAD = 4;

type Resolve = (value: unknown) => void;
type Matcher = (message: unknown) => boolean;

// Capturing the resolver through a module variable instead of a closure saves an allocation per
// receive, which matters at millions of receives per second.
let resolverTarget: Process;
function captureResolver(resolve: Resolve): void {
  resolverTarget.resolve = resolve;
}

/** A promise that never settles: what a dead process's receive returns, so its code stops there. */
function park(): Promise<never> {
  return new Promise<never>(() => {});
}

function receiveTimedOut(process: Process): void {
  process.pending = undefined;
  if (process.status === WAITING) process.wake(TIMEOUT);
}

/** Cancels the timeout of the receive a process waits in, if it has one. */
export function cancelReceiveTimeout(process: Process): void {
  if (process.status === WAITING && process.pending !== undefined) {
    cancelTimeout(process.pending as TimeoutHandle);
    process.pending = undefined;
  }
}

/** Observes the end of a process's function: a return is a normal exit, a throw a crash. */
function watchCompletion(process: Process, completion: PromiseLike<unknown>): void {
  // Two closures over one context: cheaper than bound functions, which V8 gives a property
  // store and a name string each.
  completion.then(
    () => {
      if (scheduleWatchers !== 0) endStretch(process, watchCompletion);
      terminate(process, 'normal');
    },
    (error: unknown) => {
      if (scheduleWatchers !== 0) endStretch(process, watchCompletion);
      crashed(process, error);
    },
  );
}

/**
 * A process: its state, counters and mailbox, and the context its function is given. The fields
 * are internal to the runtime; users see the `ProcessContext` interface only. Rarely used parts
 * live in `extra`, allocated on first use, to keep a blocked process small.
 */
export class Process implements ProcessContext {
  readonly kernel: Kernel;
  readonly pid: Pid;
  readonly fn: ProcessFunction;
  readonly parent: Pid | undefined;
  /** Milliseconds after the node started (a small integer, stored unboxed). */
  readonly spawnedAt: number;
  status = STARTING;
  mailbox: Fifo<unknown> | null = null;
  /** The matcher of the waiting receive (null: any message). */
  matcher: Matcher | null = null;
  /** Resolves the promise of the waiting (or queued) receive. */
  resolve: Resolve | null = null;
  /**
   * What the status needs kept, in one slot to keep processes small: while WAITING, the handle of
   * the receive's timeout (if any); while RUNNABLE, the value to resume with; once DEAD, the exit reason.
   */
  pending: unknown = undefined;
  reductions = 0;
  /** Reductions since the process last waited or was queued. */
  runReductions = 0;
  messagesIn = 0;
  messagesOut = 0;
  extra: ProcessExtras | null = null;

  constructor(kernel: Kernel, pid: Pid, fn: ProcessFunction, parent: Pid | undefined) {
    this.kernel = kernel;
    this.pid = pid;
    this.fn = fn;
    this.parent = parent;
    this.spawnedAt = kernel.uptime();
  }

  get self(): Pid {
    return this.pid;
  }

  get node(): BeamishNode {
    return this.kernel.node;
  }

  get signal(): AbortSignal {
    if (this.status === DEAD) return AbortSignal.abort(this.kernel.exitedError(this, this.pending));
    return (extrasOf(this).abort ??= new AbortController()).signal;
  }

  /** Called by the scheduler: the first run, or a resume queued because the slice was used up. */
  run(): void {
    if (isSuspended(this)) return;
    if (this.status === STARTING) this.#start();
    else if (this.status === RUNNABLE) this.#resumeNow(this.pending);
  }

  #start(): void {
    this.status = RUNNING;
    if (scheduleWatchers !== 0) stampResume(this);
    const fn = this.fn; // called as a plain function, so stack traces name it, not `Process.fn`
    let result: unknown;
    try {
      result = fn(this);
    } catch (error) {
      if (scheduleWatchers !== 0) endStretch(this, fn);
      crashed(this, error);
      return;
    }
    if (typeof (result as PromiseLike<unknown> | undefined)?.then === 'function') {
      watchCompletion(this, result as PromiseLike<unknown>);
    } else {
      if (scheduleWatchers !== 0) endStretch(this, fn);
      terminate(this, 'normal');
    }
  }

  #resumeNow(value: unknown): void {
    this.status = RUNNING;
    if (scheduleWatchers !== 0) stampResume(this);
    this.pending = undefined;
    const resolve = this.resolve as Resolve;
    this.resolve = null;
    resolve(value);
  }

  /**
   * Ends a wait with `value`: now, or from the run queue if the scheduler's slice is used up. A
   * suspended process (its receive timed out) is queued, and runs once it is resumed.
   */
  wake(value: unknown): void {
    this.matcher = null;
    cancelReceiveTimeout(this);
    if (scheduler.spendReduction() || isSuspended(this)) this.#requeue(value);
    else this.#resumeNow(value);
  }

  #requeue(value: unknown): void {
    this.status = RUNNABLE;
    this.pending = value;
    this.runReductions = 0;
    scheduler.enqueue(this);
  }

  /** Puts a message in this process's mailbox, or hands it straight to a receive waiting for it. */
  deliver(message: unknown): void {
    if (this.status === DEAD) return;
    this.messagesIn++;
    if (this.status === WAITING && !isSuspended(this)) {
      const matcher = this.matcher;
      if (matcher === null) return this.wake(message);
      let matched: boolean;
      try {
        matched = matcher(message);
      } catch (error) {
        // The matcher is the receiver's code: its failure ends the receiver, never the sender.
        return crashed(this, error);
      }
      if (matched) return this.wake(message);
    }
    const mailbox = (this.mailbox ??= new Fifo());
    mailbox.push(message);
    if (mailbox.length >= this.kernel.longQueueEnable) noteLongQueue(this, mailbox.length);
    const limit = this.extra?.mailboxLimit;
    if (limit != null && mailbox.length > limit.size) mailboxOverflow(this, limit);
  }

  receive(matcherOrTimeout?: Matcher | number, maybeTimeout?: number): Promise<never> {
    if (this.status === DEAD) return park();
    let matcher: Matcher | undefined;
    let timeout = Infinity;
    if (typeof matcherOrTimeout === 'number') timeout = expectTimeout('timeout', matcherOrTimeout);
    else {
      if (matcherOrTimeout !== undefined) matcher = expectFunction<Matcher>('matcher', matcherOrTimeout);
      if (maybeTimeout !== undefined) timeout = expectTimeout('timeout', maybeTimeout);
    }
    if (this.resolve !== null) throw new ReceiveInProgressError(this.pid);
    if (scheduleWatchers !== 0) endStretch(this, this.receive);
    this.reductions++;
    const mailbox = this.mailbox;
    if (mailbox !== null && mailbox.length !== 0 && !isSuspended(this)) {
      const message = mailbox.take(matcher);
      if (message !== NO_MATCH) {
        if (this.extra !== null && this.extra.longQueue) noteQueueShrank(this, mailbox.length);
        if (++this.runReductions < PROCESS_BUDGET && !scheduler.spendReduction()) {
          return Promise.resolve(message) as Promise<never>;
        }
        this.#requeue(message);
        return this.#suspension();
      }
    }
    if (timeout === 0) {
      // An empty look still costs a reduction: a loop of them must yield like any other loop.
      if (++this.runReductions < PROCESS_BUDGET && !scheduler.spendReduction()) return Promise.resolve(TIMEOUT) as Promise<never>;
      this.#requeue(TIMEOUT);
      return this.#suspension();
    }
    this.status = WAITING;
    this.runReductions = 0;
    this.matcher = matcher ?? null;
    if (timeout !== Infinity) this.pending = startTimeout(receiveTimedOut, timeout, this);
    if (this.kernel.trackLocations) this.#noteLocation();
    return this.#suspension();
  }

  #suspension(): Promise<never> {
    resolverTarget = this;
    return new Promise(captureResolver) as Promise<never>;
  }

  #noteLocation(): void {
    const holder: { stack?: string } = {};
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 1;
    Error.captureStackTrace(holder, this.receive);
    Error.stackTraceLimit = limit;
    extrasOf(this).location = holder;
  }

  tryReceive(matcher?: Matcher): never {
    if (matcher !== undefined) expectFunction('matcher', matcher);
    if (this.status === DEAD || isSuspended(this)) return TIMEOUT as never;
    if (this.resolve !== null) throw new ReceiveInProgressError(this.pid);
    if (scheduleWatchers !== 0) endStretch(this, this.tryReceive);
    this.reductions++;
    this.runReductions++;
    const mailbox = this.mailbox;
    const message = mailbox === null ? NO_MATCH : mailbox.take(matcher);
    if (message !== NO_MATCH && this.extra !== null && this.extra.longQueue) noteQueueShrank(this, (mailbox as Fifo<unknown>).length);
    return (message === NO_MATCH ? TIMEOUT : message) as never;
  }

  yield(): Promise<void> {
    if (this.status === DEAD) return park();
    if (this.resolve !== null) throw new ReceiveInProgressError(this.pid);
    if (scheduleWatchers !== 0) endStretch(this, this.yield);
    this.reductions++;
    this.#requeue(undefined);
    return this.#suspension();
  }

  send(dest: Pid | string, message: unknown): void {
    if (this.status === DEAD) return;
    if (scheduleWatchers !== 0) endStretch(this, this.send);
    this.messagesOut++;
    this.reductions++;
    this.runReductions++;
    this.kernel.send(dest, message);
  }

  spawn(fn: ProcessFunction, options?: SpawnOptions): Pid {
    this.#assertAlive();
    return this.kernel.spawn(fn, options, this).pid;
  }

  spawnLink(fn: ProcessFunction, options?: SpawnOptions): Pid {
    this.#assertAlive();
    const child = this.kernel.spawn(fn, options, this);
    linkProcesses(this, child);
    return child.pid;
  }

  spawnMonitor(fn: ProcessFunction, options?: SpawnOptions): { pid: Pid; ref: Ref } {
    this.#assertAlive();
    const child = this.kernel.spawn(fn, options, this);
    return { pid: child.pid, ref: monitor(this, child, this.kernel.makeRef(), undefined) };
  }

  link(pid: Pid): void {
    this.#assertAlive();
    link(this, expectPid('pid', pid));
  }

  unlink(pid: Pid): void {
    this.#assertAlive();
    unlink(this, expectPid('pid', pid));
  }

  monitor(target: Pid | string): Ref {
    this.#assertAlive();
    const ref = this.kernel.makeRef();
    if (typeof target === 'string') {
      const process = this.kernel.names.get(target);
      if (process === undefined) this.deliver(new DownMessage(ref, undefined, target, 'noproc'));
      else monitor(this, process, ref, target);
      return ref;
    }
    const process = expectPid('target', target).proc;
    if (process === null) this.deliver(new DownMessage(ref, target, undefined, 'noproc'));
    else monitor(this, process, ref, undefined);
    return ref;
  }

  demonitor(ref: Ref, options?: { readonly flush?: boolean }): boolean {
    this.#assertAlive();
    const active = demonitor(this, ref);
    if (options?.flush === true && this.mailbox !== null) {
      this.mailbox.removeAll((message) => message instanceof DownMessage && message.ref === ref);
      if (this.extra !== null && this.extra.longQueue) noteQueueShrank(this, this.mailbox.length);
    }
    return active;
  }

  exit(...args: [reason: ExitReason] | [pid: Pid, reason: ExitReason]): never {
    if (args.length < 2) throw new ExitSignal(args[0]);
    this.#assertAlive();
    const [pid, reason] = args;
    sendExit(expectPid('pid', pid), this.pid, reason);
    // The signal may have ended this very process (exit to itself, or through a link).
    this.#assertAlive();
    return undefined as never;
  }

  get trapsExits(): boolean {
    return trapsExits(this);
  }

  trapExit(on: boolean): boolean {
    this.#assertAlive();
    const previous = trapsExits(this);
    expectBoolean('on', on);
    if (on || this.extra !== null) extrasOf(this).trapExit = on;
    return previous;
  }

  register(name: string, pid: Pid = this.pid): void {
    this.#assertAlive();
    this.kernel.register(name, pid);
  }

  unregister(name: string): void {
    this.#assertAlive();
    this.kernel.unregister(name);
  }

  whereis(name: string): Pid | undefined {
    return this.kernel.whereis(name);
  }

  isAlive(pid: Pid): boolean {
    return expectPid('pid', pid).proc !== null;
  }

  sendAfter(ms: number, dest: Pid | string, message: unknown): Ref {
    this.#assertAlive();
    return startProcessTimer(this.kernel, ms, dest, message, false);
  }

  startTimer(ms: number, dest: Pid | string, message: unknown): Ref {
    this.#assertAlive();
    return startProcessTimer(this.kernel, ms, dest, message, true);
  }

  cancelTimer(ref: Ref): number | false {
    return cancelProcessTimer(this.kernel, ref);
  }

  readTimer(ref: Ref): number | false {
    return readProcessTimer(this.kernel, ref);
  }

  exposeState(probe: (() => unknown) | undefined): void {
    this.#assertAlive();
    if (probe !== undefined) expectFunction('probe', probe);
    if (probe !== undefined || this.extra !== null) extrasOf(this).stateProbe = probe ?? null;
  }

  /** Code still running in a process that has exited stops here. */
  ensureAlive(): void {
    this.#assertAlive();
  }

  #assertAlive(): void {
    if (this.status === DEAD) throw new ExitSignal(this.pending);
  }
}
