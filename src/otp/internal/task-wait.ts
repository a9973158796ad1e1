import type { ExitReason, Pid } from '../../runtime/index.js';
import { TaskExitError, TaskTimeoutError } from './task-errors.js';
import { Task, type TaskResult } from './task-handle.js';

/*
 * Waiting for tasks without a mailbox: each wait subscribes to the handles it waits on and
 * decides, synchronously in the callback that saw the change (or in the timer), what it returns,
 * so nothing can slip in between the decision and its effects (killing what timed out).
 */

/** What a wait does once it is over: returns the result or throws the error. */
type Settle<R> = () => R;

/**
 * Settles with `settleIfDone()`'s settle function as soon as it gives one (now, or after any change
 * of `tasks`), or with `settleAtTimeout` after `timeout` ms.
 */
function waitOn<R>(tasks: readonly Task<unknown>[], timeout: number, settleIfDone: () => Settle<R> | undefined, settleAtTimeout: Settle<R>): Promise<R> {
  const ready = settleIfDone();
  if (ready !== undefined) {
    try {
      return Promise.resolve(ready());
    } catch (error) {
      return Promise.reject(error);
    }
  }
  return new Promise<R>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    let unsubscribers: (() => void)[] = [];
    const finish = (settle: Settle<R>): void => {
      for (const unsubscribe of unsubscribers) unsubscribe();
      unsubscribers = [];
      if (timer !== undefined) clearTimeout(timer);
      try {
        resolve(settle());
      } catch (error) {
        reject(error);
      }
    };
    unsubscribers = tasks.map((task) =>
      task.subscribe(() => {
        const settle = settleIfDone();
        if (settle !== undefined) finish(settle);
      }),
    );
    if (timeout !== Infinity) timer = setTimeout(() => finish(settleAtTimeout), timeout);
  });
}

/** Claims every task for one wait, or none of them. */
function claimAll(tasks: readonly Task<unknown>[], caller: Pid | undefined): void {
  const claimed: Task<unknown>[] = [];
  try {
    for (const task of tasks) {
      task.claim(caller);
      claimed.push(task);
    }
  } catch (error) {
    for (const task of claimed) task.release(false);
    throw error;
  }
}

/** @internal `Task.await`: the reply; `TaskExitError`; or, at the timeout, kill and `TaskTimeoutError`. */
export function awaitTask<T>(task: Task<T>, timeout: number, caller: Pid | undefined): Promise<T> {
  task.claim(caller);
  return waitOn<T>(
    [task],
    timeout,
    () => {
      const outcome = task.outcome;
      if (outcome === undefined) return undefined;
      return () => {
        task.release(true);
        if ('ok' in outcome) return outcome.ok;
        throw new TaskExitError(task, outcome.exit);
      };
    },
    () => {
      task.release(true);
      task.signal('kill');
      throw new TaskTimeoutError(task, timeout);
    },
  );
}

/** @internal `Task.yield`: the result if there is one in time, else undefined (the task runs on). */
export function yieldTask<T>(task: Task<T>, timeout: number, caller: Pid | undefined): Promise<TaskResult<T> | undefined> {
  task.claim(caller);
  return waitOn<TaskResult<T> | undefined>(
    [task],
    timeout,
    () => {
      const outcome = task.outcome;
      if (outcome === undefined) return undefined;
      return () => {
        task.release(true);
        return outcome;
      };
    },
    () => {
      task.release(false);
      return undefined;
    },
  );
}

/** @internal `Task.awaitMany`: all replies in order, or the first exit, or the timeout. */
export function awaitManyTasks<T>(tasks: readonly Task<T>[], timeout: number, caller: Pid | undefined): Promise<T[]> {
  claimAll(tasks, caller);
  const giveUp = (): Task<T>[] => {
    const pending = tasks.filter((task) => task.outcome === undefined);
    for (const task of tasks) task.release(true);
    for (const task of pending) task.signal('kill');
    return pending;
  };
  return waitOn<T[]>(
    tasks,
    timeout,
    () => {
      const failed = tasks.find((task) => task.reply === undefined && task.exited);
      if (failed !== undefined) {
        return () => {
          giveUp();
          throw new TaskExitError(failed, failed.reason);
        };
      }
      if (!tasks.every((task) => task.reply !== undefined)) return undefined;
      return () => {
        for (const task of tasks) task.release(true);
        return tasks.map((task) => task.reply!.value);
      };
    },
    () => {
      const pending = giveUp();
      throw new TaskTimeoutError(pending[0]!, timeout, pending);
    },
  );
}

/** What `Task.yieldMany` does with the tasks still running at its timeout. */
export type YieldManyOnTimeout = 'nothing' | 'killTask';

/**
 * @internal `Task.yieldMany`: each task's result or undefined, in the tasks' order, once `limit`
 * of them have one or at the timeout (then `onTimeout` applies to the others).
 */
export function yieldManyTasks<T>(
  tasks: readonly Task<T>[],
  timeout: number,
  limit: number,
  onTimeout: YieldManyOnTimeout,
  caller: Pid | undefined,
): Promise<(TaskResult<T> | undefined)[]> {
  claimAll(tasks, caller);
  const enough = Math.min(limit, tasks.length);
  const collect = (timedOut: boolean): (TaskResult<T> | undefined)[] =>
    tasks.map((task) => {
      const outcome = task.outcome;
      if (outcome !== undefined) {
        task.release(true);
        return outcome;
      }
      const kill = timedOut && onTimeout === 'killTask';
      task.release(kill);
      if (kill) task.signal('kill');
      return undefined;
    });
  return waitOn(
    tasks,
    timeout,
    () => (tasks.filter((task) => task.outcome !== undefined).length >= enough ? () => collect(false) : undefined),
    () => collect(true),
  );
}

/**
 * @internal `Task.shutdown`: unlinks and stops the task (`'shutdown'`, then `'kill'` after
 * `timeout`; or `'kill'` at once with `'brutal_kill'`) and says how it ended: its reply if it gave
 * one, undefined if it died of this shutdown, else its exit. A spent task gives `{ exit: 'noproc' }`.
 */
export function shutdownTask<T>(task: Task<T>, how: number | 'brutal_kill', caller: Pid | undefined): Promise<TaskResult<T> | undefined> {
  if (task.spent && (caller === undefined || caller === task.owner)) return Promise.resolve({ exit: 'noproc' });
  task.claim(caller);
  const brutal = how === 'brutal_kill';
  const settle = (): TaskResult<T> | undefined => {
    task.release(true);
    const reply = task.reply;
    if (reply !== undefined) return { ok: reply.value };
    const reason: ExitReason = task.reason;
    if (brutal ? reason === 'killed' : reason === 'shutdown') return undefined;
    return { exit: reason };
  };
  task.signal(brutal ? 'kill' : 'shutdown');
  return waitOn([task], brutal ? Infinity : (how as number), () => (task.exited ? settle : undefined), () => {
    task.signal('kill');
    return settle();
  });
}
