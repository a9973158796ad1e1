/**
 * Task.Supervisor: tasks started under a supervisor rather than by their owner alone, as Elixir's
 * `Task.Supervisor`. A dynamic supervisor of temporary children: it shuts its tasks down with the
 * tree, and `asyncNolink` lets an owner start a task whose crash it handles as a value instead of
 * dying with it. Reached as `Task.Supervisor`.
 *
 * **When not to use it.** A task whose crash should take its owner down, in a tree that is torn
 * down with the owner anyway, needs no supervisor: use `Task.async`.
 */
import type { Pid, ProcessContext } from '../runtime/index.js';
import * as DynamicSupervisor from './dynamic-supervisor.js';
import type { Task } from './internal/task-handle.js';
import { prepareTask, type TaskFunction } from './internal/task-start.js';
import { describeValue, expectContext } from './internal/task-validate.js';
import type { ServerRef } from './server-ref.js';
import type { StartOptions, StartResult } from './start.js';

/** Options of a task supervisor. */
export interface TaskSupervisorOptions extends StartOptions {
  /** Most tasks at once; starting one more throws `MaxChildrenError`. Default `Infinity`. */
  readonly maxChildren?: number;
}

/** Options of one supervised task. */
export interface SupervisedTaskOptions {
  /** Milliseconds the task gets to stop after `'shutdown'` when its supervisor stops, or `'brutal_kill'`. Default 5000. */
  readonly shutdown?: number | 'brutal_kill';
}

/** Starts a task supervisor, not linked. */
export function start(options?: TaskSupervisorOptions): Promise<StartResult> {
  return DynamicSupervisor.start({ ...options, label: options?.label ?? 'Task.Supervisor' });
}

/** Starts a task supervisor linked to `ctx`, usually as a child of the application's tree. */
export function startLink(ctx: ProcessContext, options?: TaskSupervisorOptions): Promise<StartResult> {
  return DynamicSupervisor.startLink(ctx, { ...options, label: options?.label ?? 'Task.Supervisor' });
}

async function startSupervised<T>(ctx: ProcessContext, supervisor: ServerRef, fn: TaskFunction<T>, link: boolean, options: SupervisedTaskOptions | undefined): Promise<Task<T>> {
  expectContext('ctx', ctx);
  if (typeof fn !== 'function') throw new TypeError(`Expected \`fn\` to be a function, got ${describeValue(fn)}`);
  const prepared = prepareTask(ctx, fn, { link });
  let result: StartResult;
  try {
    result = await DynamicSupervisor.startChild(supervisor, {
      restart: 'temporary',
      shutdown: options?.shutdown ?? 5000,
      start: (supervisorCtx: ProcessContext) => supervisorCtx.spawnLink(prepared.body, { label: 'supervised task' }),
    });
  } catch (error) {
    prepared.abandon();
    throw error;
  }
  if (!result.ok) {
    prepared.abandon();
    throw result.ignored ? new Error('the task supervisor ignored the task') : result.error;
  }
  return prepared.attach(result.pid);
}

/**
 * Runs `fn` as a task under `supervisor`, linked to the owner `ctx` as `Task.async` is: await it
 * with `Task.await`. When the owner exits, for any reason, the task is ended. Throws the
 * supervisor's `MaxChildrenError` at its limit, `CallExitError` if it is not alive.
 */
export function async<T>(ctx: ProcessContext, supervisor: ServerRef, fn: TaskFunction<T>, options?: SupervisedTaskOptions): Promise<Task<T>> {
  return startSupervised(ctx, supervisor, fn, true, options);
}

/**
 * As `async`, but not linked to the owner: if the task crashes, the owner lives on and
 * `Task.await` throws `TaskExitError` (`Task.yield` gives `{ exit: reason }`) — the way to run work
 * that may fail from a GenServer that must not. The task still ends when its owner does.
 */
export function asyncNolink<T>(ctx: ProcessContext, supervisor: ServerRef, fn: TaskFunction<T>, options?: SupervisedTaskOptions): Promise<Task<T>> {
  return startSupervised(ctx, supervisor, fn, false, options);
}

/**
 * Starts a fire-and-forget task under `supervisor`: nobody awaits it, nobody owns it but the
 * supervisor, which stops it with the tree. Resolves with its pid.
 */
export async function startChild(supervisor: ServerRef, fn: (ctx: ProcessContext) => unknown, options?: SupervisedTaskOptions): Promise<Pid> {
  if (typeof fn !== 'function') throw new TypeError(`Expected \`fn\` to be a function, got ${describeValue(fn)}`);
  const result = await DynamicSupervisor.startChild(supervisor, {
    restart: 'temporary',
    shutdown: options?.shutdown ?? 5000,
    start: (supervisorCtx: ProcessContext) =>
      supervisorCtx.spawnLink(async (taskCtx) => void (await fn(taskCtx)), { label: 'supervised task' }),
  });
  if (!result.ok) throw result.ignored ? new Error('the task supervisor ignored the task') : result.error;
  return result.pid;
}

/** The pids of the running tasks. O(tasks). */
export async function children(supervisor: ServerRef): Promise<Pid[]> {
  const list = await DynamicSupervisor.whichChildren(supervisor);
  return list.flatMap((child) => (typeof child.pid === 'object' ? [child.pid] : []));
}

/** Stops one task. Rejects with `ChildNotFoundError` if it is not one of the supervisor's. */
export function terminateChild(supervisor: ServerRef, pid: Pid): Promise<void> {
  return DynamicSupervisor.terminateChild(supervisor, pid);
}

/** Stops the supervisor and, at once, every task under it. */
export function stop(supervisor: ServerRef, reason: unknown = 'normal', timeout = Infinity): Promise<void> {
  return DynamicSupervisor.stop(supervisor, reason, timeout);
}
