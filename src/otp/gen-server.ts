/**
 * GenServer: a process that keeps state and serves requests one at a time, as OTP's `gen_server`
 * and Elixir's `GenServer`. See docs/gen-server.md for a guided tour.
 *
 * **When not to use it.** A GenServer serialises everything sent to it: it is a unit of state and
 * failure, not of speed. Code that only transforms data belongs in plain functions; independent
 * jobs belong in `Task`s; a read-mostly shared table belongs in a table, not behind one process.
 */
import type { ExitReason, Pid, ProcessContext } from '../runtime/index.js';
import { callServer, callTimeoutOf, reply as replyTo, type CallOptions, type From } from './call.js';
import { genServerBody } from './internal/gen-server-loop.js';
import { CallMessage, CastMessage } from './internal/messages.js';
import { stopServer } from './internal/stop-server.js';
import { sendIfAlive, whereisLive, type ServerRef } from './server-ref.js';
import { startBehaviour, type StartOptions, type StartResult } from './start.js';

type Awaitable<T> = T | Promise<T>;

/** What the callbacks may add to a result: an idle timeout and a `continue` step. */
export interface ResultOptions {
  /** If no message arrives within this many ms, `handleInfo` gets `TIMEOUT`. One wait only. */
  readonly timeout?: number;
  /** Run `handleContinue(arg)` before the next message (OTP's `{continue, Arg}`). */
  readonly continue?: unknown;
}

/**
 * What `init` returns: `{ state }` to start, `{ stop: reason }` to fail the start (the starter gets
 * `InitFailedError`), or `{ ignore: true }` to not start (the starter gets `{ ignored: true }`).
 * Throwing fails the start with `InitExitedError`.
 */
export type InitResult<S> = ({ readonly state: S } & ResultOptions) | { readonly stop: ExitReason } | { readonly ignore: true };

/**
 * What `handleCall` returns: `{ reply, state }` answers now; `{ noreply: true, state }` answers
 * later through `reply(from, value)`; `{ stop: reason, state }` (with or without `reply`) runs
 * `terminate` and exits — a reply given is sent after `terminate` ran.
 */
export type CallResult<S, R> =
  | ({ readonly reply: R; readonly state: S } & ResultOptions)
  | ({ readonly noreply: true; readonly state: S } & ResultOptions)
  | { readonly stop: ExitReason; readonly reply?: R; readonly state: S };

/** What `handleCast`, `handleInfo` and `handleContinue` return: `{ state }` to go on, or `{ stop, state }`. */
export type NoReplyResult<S> = ({ readonly state: S; readonly noreply?: true } & ResultOptions) | { readonly stop: ExitReason; readonly state: S };

/** What `formatStatus` sees and returns: the state, and in reports the last message and reason. */
export interface Status<S> {
  readonly state: S;
  readonly message?: unknown;
  readonly reason?: ExitReason;
}

/**
 * A GenServer's callbacks. Each may be async; the server runs one at a time and queues messages
 * meanwhile. Every callback gets the server's own process context last, to send, spawn, link,
 * start timers or trap exits with.
 */
export interface GenServerSpec<A, S, Call = unknown, Reply = unknown, Cast = unknown> {
  /** Shown by introspection and in reports (the process label, unless the start names one). */
  readonly name?: string;
  /** Makes the first state from the start argument. The starter waits for it. */
  init(arg: A, ctx: ProcessContext): Awaitable<InitResult<S>>;
  /** Answers a `call`. Without it, a call crashes the server (as in Elixir). */
  handleCall?(request: Call, from: From<Reply>, state: S, ctx: ProcessContext): Awaitable<CallResult<S, Reply>>;
  /** Handles a `cast`. Without it, a cast crashes the server (as in Elixir). */
  handleCast?(request: Cast, state: S, ctx: ProcessContext): Awaitable<NoReplyResult<S>>;
  /**
   * Handles every other message: monitors' `DownMessage`s, `ExitMessage`s when trapping exits
   * (except the parent's, which terminate the server), timers, `TIMEOUT` after an idle timeout.
   * Without it, such messages are logged (`unexpected_message`, warning) and dropped.
   */
  handleInfo?(message: unknown, state: S, ctx: ProcessContext): Awaitable<NoReplyResult<S>>;
  /** Runs the `continue` step a result asked for, before the next message. */
  handleContinue?(arg: unknown, state: S, ctx: ProcessContext): Awaitable<NoReplyResult<S>>;
  /**
   * Runs before the server exits: on `stop` results, `GenServer.stop`, a callback that threw, and
   * the parent's exit when trapping exits. Not run when the server is killed, or when an exit
   * signal ends it while it does not trap exits. Its return value is ignored.
   */
  terminate?(reason: ExitReason, state: S, ctx: ProcessContext): unknown;
  /**
   * Redacts the state (and last message) for reports and `sys.getStatus`, as OTP's
   * `format_status/1`. If it throws, nothing of the state is shown.
   */
  formatStatus?(status: Status<S>): Partial<Status<unknown>>;
}

/** Options of `start` and `startLink`; see `StartOptions`. */
export type GenServerOptions = StartOptions;

function serverBody<A, S>(spec: GenServerSpec<A, S, any, any, any>, arg: A, options: StartOptions | undefined) {
  if (typeof spec !== 'object' || spec === null || typeof spec.init !== 'function') {
    throw new TypeError(`Expected \`spec\` to be GenServer callbacks with an init function, got \`${String(spec)}\``);
  }
  return genServerBody(spec as never, arg, options?.name);
}

/**
 * Starts a GenServer not linked to anyone and resolves once `init` has finished. A start that
 * fails is a value, never a throw: `{ ok: false, error }` with `InitFailedError`,
 * `InitExitedError`, `InitTimeoutError` or `AlreadyStartedError`. Throws only for bad arguments.
 */
export function start<A, S>(spec: GenServerSpec<A, S, any, any, any>, arg: A, options?: GenServerOptions): Promise<StartResult> {
  return startBehaviour(undefined, options, spec?.name, serverBody(spec, arg, options));
}

/**
 * As `start`, linked to the calling process `ctx` (its parent): what supervisors call. If `init`
 * fails, the caller gets the exit signal too, as in OTP; a caller trapping exits does not keep
 * that EXIT in its mailbox.
 */
export function startLink<A, S>(ctx: ProcessContext, spec: GenServerSpec<A, S, any, any, any>, arg: A, options?: GenServerOptions): Promise<StartResult> {
  return startBehaviour(ctx, options, spec?.name, serverBody(spec, arg, options));
}

/**
 * Sends `request` to the server's `handleCall` and resolves with its reply. The caller need not
 * be a process. Rejects with `CallExitError` (`reason` `'noproc'` when nobody is there, else the
 * server's exit reason) and `CallTimeoutError` after `timeout` ms (default 5000); a reply after
 * that is dropped.
 */
export function call<R = unknown>(server: ServerRef, request: unknown, timeout?: number | CallOptions): Promise<R> {
  const { timeout: ms, caller } = callTimeoutOf(timeout);
  return callServer<R>(server, request, ms, caller, (from) => new CallMessage(from as From<unknown>, request));
}

/** Sends `request` to the server's `handleCast` and returns at once; does nothing if nobody is there. */
export function cast(server: ServerRef, request: unknown): void {
  sendIfAlive(server, new CastMessage(request));
}

/**
 * Stops the server with `reason` (default `'normal'`): it runs `terminate` and exits, and this
 * resolves once it is gone. Rejects with `CallExitError` if it is not alive or exits with another
 * reason, `CallTimeoutError` if it is still running after `timeout` ms (default `Infinity`).
 */
export function stop(server: ServerRef, reason: ExitReason = 'normal', timeout = Infinity): Promise<void> {
  return stopServer(server, reason, timeout);
}

/** The pid a server reference names now, or undefined. */
export function whereis(server: ServerRef): Pid | undefined {
  return whereisLive(server);
}

/** Replies to a call later; see `From`. */
export const reply = replyTo;

export type { CallOptions, From } from './call.js';
