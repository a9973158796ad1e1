import type { BeamishNode, ExitReason, Pid, ProcessContext } from '../../runtime/index.js';
import { TaskAlreadyAwaitedError, TaskOwnerError } from './task-errors.js';

/**
 * How a task ended, as Elixir's `{:ok, value}` / `{:exit, reason}`: it replied with `ok`, or it
 * exited with `exit` before replying.
 */
export type TaskResult<T> = { readonly ok: T } | { readonly exit: ExitReason };

/**
 * A running task, as Elixir's `%Task{}`: the process (`pid`) and the process that owns it
 * (`owner`), the only one that should await it. Made by `Task.async`; awaited once with
 * `Task.await`, polled with `Task.yield`, stopped with `Task.shutdown`.
 *
 * The reply does not travel as a message: the task hands it to this handle, and the handle
 * watches the task through a node-level monitor, so a reply that comes after a timeout or a
 * shutdown lands nowhere, never as a stray message in the owner's mailbox.
 */
export class Task<T = unknown> {
  /** The task's process. */
  readonly pid: Pid;
  /** The process that started the task and may await it. */
  readonly owner: Pid;
  #ownerCtx: ProcessContext;
  #linked: boolean;
  #reply: { readonly value: T } | undefined = undefined;
  #exited = false;
  #reason: ExitReason = undefined;
  #listeners = new Set<() => void>();
  #state: 'open' | 'waiting' | 'spent' = 'open';

  /** @internal Made by `Task.async` (through `startTask`). */
  constructor(pid: Pid, ownerCtx: ProcessContext, linked: boolean) {
    this.pid = pid;
    this.owner = ownerCtx.self;
    this.#ownerCtx = ownerCtx;
    this.#linked = linked;
  }

  /** @internal The node the task runs on. */
  get node(): BeamishNode {
    return this.#ownerCtx.node;
  }

  /** @internal Whether the task's process has exited (its DOWN was seen). */
  get exited(): boolean {
    return this.#exited;
  }

  /** @internal The reply, if the task gave one. */
  get reply(): { readonly value: T } | undefined {
    return this.#reply;
  }

  /** @internal The exit reason, once `exited`. */
  get reason(): ExitReason {
    return this.#reason;
  }

  /** @internal What a wait would return now: the reply, the exit, or undefined while running. */
  get outcome(): TaskResult<T> | undefined {
    if (this.#reply !== undefined) return { ok: this.#reply.value };
    return this.#exited ? { exit: this.#reason } : undefined;
  }

  /** @internal Whether the result was taken (or given up on). */
  get spent(): boolean {
    return this.#state === 'spent';
  }

  /** @internal The task's function returned `value`. A reply after the task's exit is dropped. */
  deliver(value: T): void {
    if (this.#reply !== undefined || this.#exited) return;
    this.#reply = { value };
    this.#notify();
  }

  /** @internal The task's process exited with `reason`. */
  down(reason: ExitReason): void {
    if (this.#exited) return;
    this.#exited = true;
    this.#reason = reason;
    this.#notify();
  }

  /** @internal Calls `listener` after each change (reply, exit); returns the unsubscriber. */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * @internal Starts a wait: throws `TaskOwnerError` when `caller` is given and is not the owner, `TaskAlreadyAwaitedError` when the result was taken or
   * another wait is in progress.
   */
  claim(caller: Pid | undefined): void {
    if (caller !== undefined && caller !== this.owner) throw new TaskOwnerError(this, caller);
    if (this.#state !== 'open') throw new TaskAlreadyAwaitedError(this, this.#state === 'waiting');
    this.#state = 'waiting';
  }

  /** @internal Ends a wait: `spent` when its result was taken or given up, else open again. */
  release(spent: boolean): void {
    this.#state = spent ? 'spent' : 'open';
  }

  /**
   * @internal Sends the task an exit signal, from its owner while the owner lives (else from the
   * node), after unlinking them so that neither the signal's echo nor a later exit of the task
   * reaches the owner. `'kill'` cannot be trapped; the task is dead when this returns.
   */
  signal(reason: 'shutdown' | 'kill'): void {
    if (this.#exited) return;
    const node = this.node;
    if (node.isAlive(this.owner)) {
      if (this.#linked) this.#ownerCtx.unlink(this.pid);
      this.#ownerCtx.exit(this.pid, reason);
    } else {
      node.exit(this.pid, reason);
    }
  }

  #notify(): void {
    for (const listener of [...this.#listeners]) listener();
  }

  /** `#Task<pid>`, as Elixir inspects it. */
  toString(): string {
    return `#Task<${this.pid}>`;
  }
}
