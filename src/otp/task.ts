/**
 * Task: run one computation in its own process and collect its result, as Elixir's `Task`.
 * See docs/task.md for a guided tour.
 *
 * - Start: `async(ctx, fn)` runs `fn` in a new process linked to the caller, its owner.
 * - Collect: `await` (once; throws on exit or timeout), `yield` (poll; undefined if not done),
 *   `awaitMany`, `yieldMany`.
 * - Stop: `shutdown` (returns the result if it arrived meanwhile).
 * - Many items: `asyncStream` maps a function over an iterable with bounded concurrency.
 * - Supervised: `Task.Supervisor` (`asyncNolink` for tasks whose crash the owner handles).
 *
 * A task never outlives its owner: when the owner exits, for any reason, `normal` included, its
 * tasks are ended. Replies travel through the handle, never as mailbox messages, so a late reply
 * after a timeout or a shutdown lands nowhere.
 *
 * **When not to use it.** A task is for one computation whose result its owner wants. Work nobody
 * awaits (fire and forget) belongs under a supervisor; long-lived state belongs in a GenServer;
 * CPU-bound work does not get faster in a task (processes share one thread).
 */
import { Pid, type ProcessContext } from '../runtime/index.js';
import { expectTimeout } from './call.js';
import { Task, type TaskResult } from './internal/task-handle.js';
import { startTask, type TaskFunction } from './internal/task-start.js';
import { awaitManyTasks, awaitTask, shutdownTask, yieldManyTasks, yieldTask, type YieldManyOnTimeout } from './internal/task-wait.js';
import { describeValue, expectContext } from './internal/task-validate.js';

export { Task, type TaskResult } from './internal/task-handle.js';
export { TaskAlreadyAwaitedError, TaskExitError, TaskOwnerError, TaskTimeoutError } from './internal/task-errors.js';
export { asyncStream, type AsyncStreamOptions } from './async-stream.js';
export * as Supervisor from './task-supervisor.js';
export type { TaskFunction } from './internal/task-start.js';

/** The replies of `awaitMany`'s tasks, position by position. */
export type Replies<Ts extends readonly Task<unknown>[]> = { -readonly [K in keyof Ts]: Ts[K] extends Task<infer R> ? R : never };

/** The results of `yieldMany`'s tasks, position by position. */
export type YieldResults<Ts extends readonly Task<unknown>[]> = {
  -readonly [K in keyof Ts]: (Ts[K] extends Task<infer R> ? TaskResult<R> : never) | undefined;
};

/** Options of `async`. */
export interface AsyncOptions {
  /** A short description shown by introspection and in reports. */
  readonly label?: string;
}

/**
 * Options of the waits. `caller` names the calling process so that a wait from any other process
 * than the task's owner throws `TaskOwnerError` (Beamish has no implicit `self()`: without it, the
 * owner cannot be checked).
 */
export interface WaitOptions {
  /** Milliseconds to wait, or `Infinity`. Default 5000. */
  readonly timeout?: number;
  /** The calling process (its `ctx`), checked against the task's owner. */
  readonly caller?: { readonly self: Pid };
}

/** Options of `yieldMany`. */
export interface YieldManyOptions extends WaitOptions {
  /** Return as soon as this many tasks have a result (no `onTimeout` then). Default: all of them. */
  readonly limit?: number;
  /** What to do with tasks still running at the timeout: leave them (default) or kill them. */
  readonly onTimeout?: YieldManyOnTimeout;
}

/** Options of `shutdown`. */
export interface ShutdownOptions {
  /** Milliseconds the task gets to exit after `'shutdown'` before it is killed, or `'brutal_kill'`. Default 5000. */
  readonly timeout?: number | 'brutal_kill';
  /** The calling process (its `ctx`), checked against the task's owner. */
  readonly caller?: { readonly self: Pid };
}

/**
 * Runs `fn(taskCtx)` in a new process linked to `ctx`'s process, which owns the task, and returns
 * the handle to await. Costs one process and two node-level monitors (task and owner).
 *
 * Linked as in Elixir: if the task exits abnormally, an owner that does not trap exits dies with
 * the same reason; an owner that traps gets an `ExitMessage` and `await` throws `TaskExitError`.
 * Beyond Elixir: when the owner exits for any reason — `normal` too, which a link ignores — a task
 * still running gets the exit signal `{ shutdown: ownerReason }`, and is killed if it traps exits.
 * Throws `TypeError` for a bad `ctx`, `fn` or options; `SystemLimitError` as `spawn` does.
 *
 * @example
 * const task = Task.async(ctx, async () => fetchPrice('ACME'));
 * const other = await fetchVolume('ACME');
 * const price = await Task.await(task);
 */
function async<T>(ctx: ProcessContext, fn: TaskFunction<T>, options?: AsyncOptions): Task<T> {
  expectContext('ctx', ctx);
  if (typeof fn !== 'function') throw new TypeError(`Expected \`fn\` to be a function, got ${describeValue(fn)}`);
  const label = asyncOptionsOf(options).label;
  return startTask((body) => ctx.spawnLink(body, label === undefined ? undefined : { label }), ctx, fn, { link: true });
}

/**
 * Waits for the task's reply and resolves with it. Once only: the result is then taken.
 *
 * Throws `TaskExitError` if the task exited without replying (seen by an owner that traps exits;
 * one that does not is taken down by the link first). After `timeout` ms (default 5000) throws
 * `TaskTimeoutError` and **kills the task** first: its handle is spent and nobody could receive its
 * result (in Elixir the timeout exits the owner, which takes the linked task down; use `yield` to
 * wait without giving up). Throws `TaskAlreadyAwaitedError` if the result was taken or another wait
 * is in progress, `TaskOwnerError` for a `caller` that is not the owner, `TypeError` for bad arguments.
 */
function awaitOne<T>(task: Task<T>, timeout?: number | WaitOptions): Promise<T> {
  expectTask('task', task);
  const { timeout: ms, caller } = waitOptionsOf(timeout);
  return awaitTask(task, ms, caller);
}

/**
 * Waits up to `timeout` ms (default 5000) for the task: resolves with `{ ok: value }` if it
 * replied, `{ exit: reason }` if it exited without replying (then the result is taken), or
 * undefined if it is still running — it runs on, and can be yielded again, awaited or shut down.
 * Throws as `await` does for a spent task, a wrong `caller` and bad arguments.
 */
function yieldOne<T>(task: Task<T>, timeout?: number | WaitOptions): Promise<TaskResult<T> | undefined> {
  expectTask('task', task);
  const { timeout: ms, caller } = waitOptionsOf(timeout);
  return yieldTask(task, ms, caller);
}

/**
 * Awaits every task and resolves with their replies in the tasks' order. Throws `TaskExitError` as
 * soon as one exits without replying, and `TaskTimeoutError` after `timeout` ms (default 5000);
 * either way the tasks still running are killed first (their `pending` list is on the timeout
 * error). Every task's result is taken. Throws as `await` does for misuse.
 */
function awaitMany<const Ts extends readonly Task<unknown>[]>(tasks: Ts, timeout?: number | WaitOptions): Promise<Replies<Ts>> {
  expectTasks(tasks);
  const { timeout: ms, caller } = waitOptionsOf(timeout);
  return awaitManyTasks(tasks, ms, caller) as Promise<Replies<Ts>>;
}

/**
 * Waits up to `timeout` ms (default 5000) for the tasks, and resolves with each one's result
 * (`{ ok }`, `{ exit }`) or undefined, in the tasks' order. With `limit`, returns as soon as that
 * many have a result. With `onTimeout: 'killTask'`, the tasks still running at the timeout are
 * killed (their result is then undefined and their handle spent); by default they run on.
 */
function yieldMany<const Ts extends readonly Task<unknown>[]>(tasks: Ts, timeout?: number | YieldManyOptions): Promise<YieldResults<Ts>> {
  expectTasks(tasks);
  const { timeout: ms, caller } = waitOptionsOf(timeout);
  const options: YieldManyOptions = typeof timeout === 'object' ? timeout : {};
  const limit = options.limit ?? tasks.length;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new TypeError(`Expected \`options.limit\` to be a whole number from 1 up, got ${describeValue(limit)}`);
  }
  const onTimeout = options.onTimeout ?? 'nothing';
  if (onTimeout !== 'nothing' && onTimeout !== 'killTask') {
    throw new TypeError(`Expected \`options.onTimeout\` to be 'nothing' or 'killTask', got ${describeValue(onTimeout)}`);
  }
  return yieldManyTasks(tasks, ms, limit, onTimeout, caller) as Promise<YieldResults<Ts>>;
}

/**
 * Unlinks and stops the task: the exit signal `'shutdown'`, then `'kill'` if it is still alive
 * after `timeout` ms (default 5000), or `'kill'` at once with `'brutal_kill'`. Resolves once it is
 * dead with `{ ok: value }` if it replied meanwhile, undefined if it died of this shutdown, or
 * `{ exit: reason }` if it had exited otherwise (`{ exit: 'killed' }` when the timeout had to kill
 * it). A task whose result was already taken gives `{ exit: 'noproc' }`, as in Elixir.
 */
function shutdown<T>(task: Task<T>, timeout: number | 'brutal_kill' | ShutdownOptions = 5000): Promise<TaskResult<T> | undefined> {
  expectTask('task', task);
  let how: number | 'brutal_kill' = 5000;
  let caller: Pid | undefined;
  if (typeof timeout === 'object' && timeout !== null) {
    caller = callerOf(timeout.caller);
    if (timeout.timeout !== undefined) how = timeout.timeout;
  } else {
    how = timeout;
  }
  if (how !== 'brutal_kill') how = expectTimeout(typeof timeout === 'object' ? 'options.timeout' : 'timeout', how);
  return shutdownTask(task, how, caller);
}

export { async, awaitOne as await, yieldOne as yield, awaitMany, yieldMany, shutdown };

function expectTask(name: string, task: unknown): asserts task is Task<unknown> {
  if (!(task instanceof Task)) throw new TypeError(`Expected \`${name}\` to be a Task, got ${describeValue(task)}`);
}

function expectTasks(tasks: unknown): asserts tasks is readonly Task<unknown>[] {
  if (!Array.isArray(tasks)) throw new TypeError(`Expected \`tasks\` to be an array of Tasks, got ${describeValue(tasks)}`);
  tasks.forEach((task, index) => expectTask(`tasks[${index}]`, task));
}

function callerOf(caller: unknown): Pid | undefined {
  if (caller === undefined) return undefined;
  const self = (caller as { self?: unknown } | null)?.self;
  if (!(self instanceof Pid)) throw new TypeError(`Expected \`options.caller\` to be a process context, got ${describeValue(caller)}`);
  return self;
}

function waitOptionsOf(timeout: number | WaitOptions | undefined): { timeout: number; caller: Pid | undefined } {
  if (timeout === undefined) return { timeout: 5000, caller: undefined };
  if (typeof timeout === 'number') return { timeout: expectTimeout('timeout', timeout), caller: undefined };
  if (typeof timeout !== 'object' || timeout === null) {
    throw new TypeError(`Expected \`timeout\` to be a number of milliseconds or options, got ${describeValue(timeout)}`);
  }
  return {
    timeout: timeout.timeout === undefined ? 5000 : expectTimeout('options.timeout', timeout.timeout),
    caller: callerOf(timeout.caller),
  };
}

function asyncOptionsOf(options: AsyncOptions | undefined): AsyncOptions {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null) throw new TypeError(`Expected \`options\` to be an object, got ${describeValue(options)}`);
  if (options.label !== undefined && typeof options.label !== 'string') {
    throw new TypeError(`Expected \`options.label\` to be a string, got ${describeValue(options.label)}`);
  }
  return options;
}
