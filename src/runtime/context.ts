import type { Timeout } from './messages.js';
import type { BeamishNode } from './node.js';
import type { Pid } from './pid.js';
import type { ExitReason } from './reasons.js';
import type { Ref } from './ref.js';

/**
 * The body of a process: sequential code, usually an async function, given its context. The
 * process exits `'normal'` when the function returns, and with the error as reason when it throws
 * or its promise rejects.
 */
export type ProcessFunction = (ctx: ProcessContext) => unknown;

/** A message test for selective receive. A type guard narrows what `receive` returns. */
export type MessageMatcher = (message: unknown) => boolean;

/**
 * A mailbox limit, OTP's `max_heap_size` for messages: when a message arrives and the queue holds
 * more than `size`, the process is killed (reason `'killed'`) unless `kill` is false, and a
 * `mailbox_limit` report is logged unless `report` is false.
 */
export interface MailboxLimit {
  readonly size: number;
  readonly kill?: boolean;
  readonly report?: boolean;
}

/** Options of every spawn. */
export interface SpawnOptions {
  /** Register the process under this name as it is created; spawning fails if the name is taken. */
  readonly name?: string;
  /** Start with exits trapped, as `process_flag(trap_exit, true)` first thing. */
  readonly trapExit?: boolean;
  /** Most messages the mailbox may hold; a number is `{ size }`. */
  readonly maxMailbox?: number | MailboxLimit;
  /** A short description shown by introspection and in reports. */
  readonly label?: string;
}

/**
 * What a process can do, handed to its function as `ctx`. Call its methods on it (`ctx.send(…)`):
 * they are not bound, so destructuring them loses the process.
 *
 * Once the process has exited (killed from outside while it awaited something else, say), its
 * `receive` never returns, `send` does nothing, and the other operations throw an `ExitSignal`,
 * so leftover code stops at its next Beamish operation.
 */
export interface ProcessContext {
  /** This process's pid (Erlang's `self()`). */
  readonly self: Pid;
  /** The node this process runs on. */
  readonly node: BeamishNode;
  /**
   * Aborted when this process exits, for any reason, with a `ProcessExitedError`. Hand it to
   * fetch, streams and child work so they stop with the process. Created on first use.
   */
  readonly signal: AbortSignal;

  /**
   * Takes the oldest message, or with a matcher the oldest one it accepts; others stay queued in
   * order. Waits for one to arrive, up to `timeout` ms if given (0 only looks), and then returns
   * `TIMEOUT`. A matcher that throws ends this process. Throws `ReceiveInProgressError` if a
   * receive of this process is already waiting.
   */
  receive(): Promise<unknown>;
  receive(timeout: number): Promise<unknown>;
  receive<T>(matcher: (message: unknown) => message is T): Promise<T>;
  receive(matcher: MessageMatcher): Promise<unknown>;
  receive<T>(matcher: (message: unknown) => message is T, timeout: number): Promise<T | Timeout>;
  receive(matcher: MessageMatcher | undefined, timeout: number): Promise<unknown>;

  /**
   * Takes a matching message if one is queued, without waiting: `receive … after 0` done
   * synchronously. Returns `TIMEOUT` when there is none. A loop of it never yields, so a process
   * draining a long mailbox should `await ctx.yield()` now and then.
   */
  tryReceive(): unknown;
  tryReceive<T>(matcher: (message: unknown) => message is T): T | Timeout;
  tryReceive(matcher: MessageMatcher): unknown;

  /**
   * Sends a message to a pid or a registered name. Sending to a dead pid does nothing, as in
   * Erlang; sending to a name nobody holds throws `NotRegisteredError`. Messages between one pair
   * of processes arrive in the order sent. The message is not copied: do not change it afterwards.
   * A promise or other thenable cannot be a message (an awaited receive could never return it);
   * sending one throws `TypeError`: wrap it (`{ promise }`).
   */
  send(dest: Pid | string, message: unknown): void;

  /** Starts a process whose parent is this one; it starts running after the caller yields. */
  spawn(fn: ProcessFunction, options?: SpawnOptions): Pid;
  /** `spawn` and `link` in one step, so the new process cannot die unlinked. */
  spawnLink(fn: ProcessFunction, options?: SpawnOptions): Pid;
  /** `spawn` and `monitor` in one step. */
  spawnMonitor(fn: ProcessFunction, options?: SpawnOptions): { pid: Pid; ref: Ref };

  /**
   * Links this process and `pid`: when either exits, the other gets an exit signal. If `pid` is
   * not alive, a process trapping exits receives `ExitMessage(pid, 'noproc')`; otherwise this
   * throws `NoProcError`. Linking to itself or twice does nothing.
   */
  link(pid: Pid): void;
  /** Removes the link, if any; afterwards the link has no effect on this process. */
  unlink(pid: Pid): void;
  /**
   * Watches a process (by pid or registered name): when it exits, this process receives a
   * `DownMessage` with the reason. If it is already gone, the DOWN comes at once with `'noproc'`.
   */
  monitor(target: Pid | string): Ref;
  /**
   * Stops a monitor; returns whether it was still active. With `flush`, also removes its DOWN
   * message if it had already arrived.
   */
  demonitor(ref: Ref, options?: { readonly flush?: boolean }): boolean;

  /** Ends this process with `reason` (Erlang's `exit/1`): throws the `ExitSignal` that does it. */
  exit(reason: ExitReason): never;
  /**
   * Sends an exit signal to `pid` (Erlang's `exit/2`): `'kill'` always kills; `'normal'` is ignored
   * unless the target traps exits or is this process; any other reason kills a target that does
   * not trap exits and is delivered as an `ExitMessage` to one that does.
   */
  exit(pid: Pid, reason: ExitReason): void;
  /** Whether this process traps exits now (`process_info(self(), trap_exit)`). */
  readonly trapsExits: boolean;
  /** Turns exit trapping on or off; returns the previous setting. */
  trapExit(on: boolean): boolean;

  /** Registers `pid` (this process by default) under `name`. */
  register(name: string, pid?: Pid): void;
  /** Removes a registered name. Throws `NotRegisteredError` if nobody holds it. */
  unregister(name: string): void;
  /** The pid registered under `name`, or undefined. */
  whereis(name: string): Pid | undefined;
  /** Whether `pid` names a live process. */
  isAlive(pid: Pid): boolean;

  /** Delivers `message` to `dest` after `ms` milliseconds. Cancelled if `dest` is a pid that exits first. */
  sendAfter(ms: number, dest: Pid | string, message: unknown): Ref;
  /** As `sendAfter`, but delivers `TimeoutMessage(ref, message)`, as `erlang:start_timer`. */
  startTimer(ms: number, dest: Pid | string, message: unknown): Ref;
  /** Cancels a timer; returns the milliseconds it had left, or false if it had fired or was unknown. */
  cancelTimer(ref: Ref): number | false;
  /** The milliseconds a timer has left, or false if it has fired or was cancelled. */
  readTimer(ref: Ref): number | false;

  /**
   * Throws the `ExitSignal` that stops leftover code if this process has exited, as every Beamish
   * operation does; does nothing while it lives. For layers built on the runtime whose operations
   * start work outside it (opening a file, a program, a socket), so that none starts for the dead.
   */
  ensureAlive(): void;

  /**
   * Shows introspection what this process holds: `probe` returns its current state, and the
   * medic's memory estimates and `info` read it (never copying it). Behaviours call it with their
   * state; a plain process may, to be measured as well. `undefined` removes it. The probe is
   * called from outside the process, at any time: it must be quick and must not change anything.
   */
  exposeState(probe: (() => unknown) | undefined): void;

  /** Lets every other runnable process run before this one goes on (Erlang's `yield/0`). */
  yield(): Promise<void>;
}
