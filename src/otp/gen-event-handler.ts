/**
 * The handler side of GenEvent: what an event handler is (`EventHandler`), how it is named
 * (`HandlerRef`), what its callbacks return, what a handler swapped in receives (`Handover`), and
 * what the owner of a supervised handler is told when it goes (`HandlerExit`).
 */
import type { ExitReason, Pid, ProcessContext } from '../runtime/index.js';
import type { HandlerCrashedError, HandlerNotInstalledError } from './gen-event-errors.js';
import type { Status } from './gen-server.js';

type Awaitable<T> = T | Promise<T>;

/**
 * What `init` returns: `{ state }` installs the handler; `{ error: reason }` refuses, and
 * `addHandler` resolves `{ ok: false }` with a `HandlerInitError` carrying the reason. Throwing
 * refuses too (OTP's `{'EXIT', Reason}`); any other value is a bad return and refuses as well.
 */
export type HandlerInitResult<S> = { readonly state: S } | { readonly error: unknown };

/**
 * Swaps this handler for another from inside a callback (OTP's `swap_handler` return): this
 * handler's `terminate(terminateArg, state)` runs, then the new handler's `init` gets a `Handover`
 * holding `initArg` and what `terminate` returned. The new handler takes this one's place and owner.
 */
export interface SwapResult<S> {
  readonly swapHandler: HandlerRef;
  readonly terminateArg: unknown;
  readonly initArg: unknown;
  readonly state: S;
}

/**
 * What `handleEvent` and `handleInfo` return: `{ state }` to stay installed with a new state,
 * `{ removeHandler: true }` to be removed (`terminate('remove_handler', state)` runs), or a swap.
 * Throwing, rejecting or returning anything else removes the handler as crashed.
 */
export type HandlerResult<S> = { readonly state: S } | { readonly removeHandler: true } | SwapResult<S>;

/**
 * What `handleCall` returns: the same shapes as `HandlerResult`, each with the `reply` the caller
 * gets: `{ reply, state }`, `{ reply, removeHandler: true }` or `{ reply, swapHandler, … }`.
 */
export type HandlerCallResult<S, R> =
  | { readonly reply: R; readonly state: S }
  | { readonly reply: R; readonly removeHandler: true }
  | (SwapResult<S> & { readonly reply: R });

/**
 * An event handler: the callbacks a GenEvent manager runs for it, one at a time, in the manager's
 * process. The spec object *is* the handler's identity (OTP's callback module): add it with an
 * id (`{ handler, id }`) to install one spec several times. Every callback may be async; while it
 * runs, the manager and all its other handlers wait.
 *
 * Each callback gets the manager's process context last: use it to send, start timers or monitor,
 * never to `receive` (the manager's loop owns its mailbox).
 */
export interface EventHandler<A = any, S = any, E = any, Req = any, Rep = any> {
  /** Shown in reports and `sys.getStatus`. */
  readonly name?: string;
  /**
   * Makes the handler's state from the argument of `addHandler`, and waits for it. A handler
   * swapped in gets a `Handover` instead: include `Handover` in `A` if yours can be.
   */
  init(arg: A, ctx: ProcessContext): Awaitable<HandlerInitResult<S>>;
  /** Handles each event of `notify` and `syncNotify`. Without it, an event crashes the handler (OTP's `undef`). */
  handleEvent(event: E, state: S, ctx: ProcessContext): Awaitable<HandlerResult<S>>;
  /** Answers a `call` aimed at this handler. Without it, a call crashes the handler. */
  handleCall?(request: Req, state: S, ctx: ProcessContext): Awaitable<HandlerCallResult<S, Rep>>;
  /**
   * Handles every other message the manager receives: timers, monitors' DOWNs, and the
   * `ExitMessage` of a supervised handler's owner that died. Without it, such messages are logged
   * (`unexpected_message`, warning) and the handler stays.
   */
  handleInfo?(message: unknown, state: S, ctx: ProcessContext): Awaitable<HandlerResult<S>>;
  /**
   * Runs when the handler is removed, with why: the `arg` of `deleteHandler`; the `terminateArg`
   * of a swap; `'remove_handler'`; `{ error: reason }` when it crashed (the thrown value, or a
   * `BadReturnValueError`); `{ stop: reason }` when its supervising owner died; `'stop'` when the
   * manager stops. Its return value goes back to `deleteHandler`, or to the handler swapped in.
   * Not run when the manager is killed.
   */
  terminate?(reason: unknown, state: S, ctx: ProcessContext): unknown;
  /** Redacts the state (and the last message) in crash reports and `sys.getStatus`. */
  formatStatus?(status: Status<S>): Partial<Status<unknown>>;
}

/** A handler installed with an id (OTP's `{Module, Id}`), so one spec can be installed several times. */
export interface HandlerWithId {
  readonly handler: EventHandler;
  /** Compared with `Object.is` (pids with `equals`): use strings or numbers. */
  readonly id: unknown;
}

/**
 * How a handler is named: its spec (the handler installed without an id), or `{ handler, id }`.
 * A bare spec never names a copy installed with an id, as in OTP.
 */
export type HandlerRef = EventHandler | HandlerWithId;

/**
 * What the `init` of a handler swapped in receives (OTP's `{Args2, Term}`): the swap's `arg` and
 * the `state` the old handler's `terminate` handed over. `error` is set, and `state` undefined,
 * when the old handler was not installed (`HandlerNotInstalledError`) or its terminate threw
 * (`HandlerCrashedError`); the new handler decides whether to start anyway.
 */
export class Handover<A = unknown, T = unknown> {
  constructor(
    /** The argument the swap named for the new handler. */
    readonly arg: A,
    /** What the old handler's `terminate` returned. */
    readonly state: T | undefined,
    /** The handler swapped out. */
    readonly from: HandlerRef,
    /** Why there is nothing to hand over, if so. */
    readonly error?: HandlerNotInstalledError | HandlerCrashedError,
  ) {}
}

/**
 * Why a supervised handler left its manager: `'normal'` (deleted, or it asked to be removed),
 * `'shutdown'` (the manager stopped), `{ swapped, owner }` (replaced by `swapped`, now owned by
 * `owner`), or the reason it crashed (the thrown value, or a `BadReturnValueError`).
 */
export type HandlerExitReason = 'normal' | 'shutdown' | { readonly swapped: HandlerRef; readonly owner: Pid | undefined } | ExitReason;

/**
 * The message the owner of a supervised handler receives when that handler is removed for any
 * reason but the owner's own death (OTP's `{gen_event_EXIT, Handler, Reason}`).
 */
export class HandlerExit {
  constructor(
    /** The event manager the handler was installed in. */
    readonly manager: Pid,
    /** The handler, as it was installed. */
    readonly handler: HandlerRef,
    readonly reason: HandlerExitReason,
  ) {}
}

/** A matcher for `receive`: any `HandlerExit`, or those of one manager. */
export function handlerExitOf(manager?: Pid): (message: unknown) => message is HandlerExit {
  return (message): message is HandlerExit => message instanceof HandlerExit && (manager === undefined || message.manager.equals(manager));
}
