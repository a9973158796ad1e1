import type { ExitReason, Pid, ProcessContext, ProcessFunction, Ref } from '../../runtime/index.js';
import { Task } from './task-handle.js';

/*
 * The body of every task process and the way its reply reaches the handle, shared by `Task.async`,
 * `Task.asyncStream` and supervised tasks. Elixir's Task.Supervised monitors the owner only while
 * the task waits for its orders; here the owner is watched for the task's whole life, so that a
 * task never outlives its owner, whatever the owner's exit reason (links ignore `normal`).
 */

/** A task's function: what `Task.async` runs in the new process, given that process's context. */
export type TaskFunction<T> = (ctx: ProcessContext) => T | PromiseLike<T>;

/** How `prepareTask` ties the task to its owner. */
export interface TaskStartOptions {
  /**
   * Whether owner and task are linked: by the spawn function (`ctx.spawnLink`), or else `attach`
   * links them. Linked tasks are unlinked before `shutdown` and timeouts stop them.
   */
  readonly link: boolean;
  /**
   * End the task when its owner exits for any reason (default true): the task gets an exit signal
   * `{ shutdown: ownerReason }`, and is killed if it traps exits.
   */
  readonly killWithOwner?: boolean;
}

/** A task ready to be spawned: spawn `body` any way, then `attach` the pid to get its handle. */
export interface PreparedTask<T> {
  /** The process function to spawn. It waits for `attach` before running the task's function. */
  readonly body: ProcessFunction;
  /** Arms the handle for the spawned `pid` and lets the body run. Call once. */
  attach(pid: Pid): Task<T>;
  /** The spawn failed or was given up: stop watching the owner; a body that runs exits at once. */
  abandon(): void;
}

/** Ends a task whose owner is gone: shutdown with the owner's reason, kill if it traps exits. */
function endTask(task: Task<unknown>, ownerReason: ExitReason): void {
  const node = task.node;
  if (task.exited) return;
  node.exit(task.pid, { shutdown: ownerReason });
  if (node.isAlive(task.pid)) node.exit(task.pid, 'kill');
}

/**
 * @internal Prepares a task owned by `owner` running `fn`, for a spawn that may be asynchronous (a
 * supervisor's `startChild`): the body does not run `fn` before `attach`, so the handle sees the
 * task's whole life, and exits with `{ shutdown: reason }` if the owner dies first.
 */
export function prepareTask<T>(owner: ProcessContext, fn: TaskFunction<T>, options: TaskStartOptions): PreparedTask<T> {
  const node = owner.node;
  let task: Task<T> | undefined;
  let stopped: { readonly reason: ExitReason } | undefined;
  let openGate: (() => void) | undefined;
  let ownerMonitor: Ref | undefined;
  if (options.killWithOwner !== false) {
    ownerMonitor = node.monitor(owner.self, (down) => {
      ownerMonitor = undefined;
      stopped = { reason: down.reason };
      if (task !== undefined) endTask(task, down.reason);
      openGate?.();
    });
  }
  const name = fn.name || 'task';
  const body = {
    [name]: async (ctx: ProcessContext) => {
      if (task === undefined && stopped === undefined) await new Promise<void>((resolve) => (openGate = resolve));
      if (stopped !== undefined) ctx.exit({ shutdown: stopped.reason });
      const value = await fn(ctx);
      task!.deliver(value);
    },
  }[name] as ProcessFunction;
  return {
    body,
    attach(pid) {
      if (task !== undefined) throw new Error('a prepared task is attached once');
      if (options.link && node.isAlive(pid) && node.isAlive(owner.self)) owner.link(pid);
      const handle = new Task<T>(pid, owner, options.link);
      task = handle;
      node.monitor(pid, (down) => {
        if (ownerMonitor !== undefined) node.demonitor(ownerMonitor);
        ownerMonitor = undefined;
        handle.down(down.reason);
      });
      if (stopped !== undefined) endTask(handle, stopped.reason);
      openGate?.();
      return handle;
    },
    abandon() {
      if (ownerMonitor !== undefined) node.demonitor(ownerMonitor);
      ownerMonitor = undefined;
      stopped ??= { reason: 'abandoned' };
      openGate?.();
    },
  };
}

/**
 * @internal Starts a task with a synchronous `spawn` (given the body, it returns the new pid) and
 * returns its handle. What `Task.async` does with `ctx.spawnLink`; a supervisor whose start is
 * asynchronous uses `prepareTask` instead.
 */
export function startTask<T>(
  spawn: (body: ProcessFunction) => Pid,
  owner: ProcessContext,
  fn: TaskFunction<T>,
  options: TaskStartOptions,
): Task<T> {
  const prepared = prepareTask(owner, fn, options);
  let pid: Pid;
  try {
    pid = spawn(prepared.body);
  } catch (error) {
    prepared.abandon();
    throw error;
  }
  return prepared.attach(pid);
}
