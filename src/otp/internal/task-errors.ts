import { BeamishError, formatTerm, type ExitReason } from '../../runtime/index.js';
import type { Task } from './task-handle.js';

/*
 * The typed errors of Task: what Elixir raises as exits ({:timeout, {Task, :await, …}},
 * {reason, {Task, :await, …}}) and as ArgumentErrors (awaiting twice, or from another process).
 */

/**
 * A task did not reply within the timeout (`Task.await`, `Task.awaitMany`, or one item of
 * `Task.asyncStream` with `onTimeout: 'exit'`). Every task in `pending` was killed before this was
 * thrown: its handle is spent, so nobody could receive its result any more.
 */
export class TaskTimeoutError extends BeamishError {
  /** The task waited for; for `awaitMany`, the first of those that had not replied. */
  readonly task: Task<unknown>;
  /** The milliseconds waited. */
  readonly timeout: number;
  /** Every task that had not replied in time (killed since). */
  readonly pending: readonly Task<unknown>[];

  constructor(task: Task<unknown>, timeout: number, pending: readonly Task<unknown>[] = [task]) {
    const others = pending.length > 1 ? ` (and ${pending.length - 1} more)` : '';
    super('task_timeout', `task ${task.pid}${others} did not reply within ${timeout} ms; killed`);
    this.task = task;
    this.timeout = timeout;
    this.pending = pending;
  }
}

/**
 * A task exited without replying (its function threw, called `ctx.exit`, or was killed), seen by
 * `Task.await` or `Task.awaitMany` in an owner that traps exits (an owner that does not trap exits
 * is taken down by the link first, with the same reason). `reason` is the task's exit reason; an
 * Error reason is also the `cause`.
 */
export class TaskExitError extends BeamishError {
  readonly task: Task<unknown>;
  readonly reason: ExitReason;

  constructor(task: Task<unknown>, reason: ExitReason) {
    super('task_exit', `task ${task.pid} exited without replying: ${formatTerm(reason, 300)}`, reason instanceof Error ? { cause: reason } : undefined);
    this.task = task;
    this.reason = reason;
  }
}

/**
 * A task was awaited (or yielded, or shut down) by a process other than its owner, when the
 * caller named itself with `{ caller: ctx }`. As Elixir's ArgumentError "must be queried from the
 * owner".
 */
export class TaskOwnerError extends BeamishError {
  readonly task: Task<unknown>;
  readonly caller: unknown;

  constructor(task: Task<unknown>, caller: unknown) {
    super('not_task_owner', `task ${task.pid} must be queried from its owner ${task.owner} but was queried from ${String(caller)}`);
    this.task = task;
    this.caller = caller;
  }
}

/**
 * A task's result was already taken (by `await`, a `yield` that returned it, or `shutdown`), or
 * another wait for it is still in progress. A task is awaited once.
 */
export class TaskAlreadyAwaitedError extends BeamishError {
  readonly task: Task<unknown>;

  constructor(task: Task<unknown>, inProgress: boolean) {
    const what = inProgress ? 'is already being awaited' : 'was already awaited (its result is taken)';
    super('task_already_awaited', `task ${task.pid} ${what}`);
    this.task = task;
  }
}
