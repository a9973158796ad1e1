/**
 * GenStatem: a process that is a state machine, as OTP's `gen_statem`. Events (calls, casts,
 * messages, its own time-outs and inserted events) go to the callback of the current state; the
 * callback answers with the next state, new data and actions (reply, postpone, insert events,
 * start or cancel time-outs). See docs/gen-statem.md for a guided tour.
 *
 * **Costs.** One event is one callback call plus a transition that compares the old and new
 * state by value (deep equality: keep states small); each running time-out is one runtime timer,
 * zero time-outs none. Postponed events are kept until the next state change: a state that
 * postpones everything grows its queue without bound.
 *
 * **When not to use it.** If the "state" is only a field that changes how a handler answers, and
 * no event ever has to wait for a later state, a GenServer is simpler. A state machine pays off
 * when events must be postponed until a state that can handle them, when time-outs belong to a
 * state, or when the same event means different things in different states.
 */
import type { ExitReason, Pid, ProcessContext } from '../runtime/index.js';
import { callServer, callTimeoutOf, reply as replyTo, type CallOptions, type From } from './call.js';
import { GenStatemProcess } from './internal/gen-statem-loop.js';
import { CallMessage, CastMessage } from './internal/messages.js';
import { stopServer } from './internal/stop-server.js';
import type { BehaviourTerminatedReport } from './reports.js';
import { sendIfAlive, whereisLive, type ServerRef } from './server-ref.js';
import { startBehaviour, type StartOptions, type StartResult, type Starter } from './start.js';

type Awaitable<T> = T | Promise<T>;

/** How events reach the callbacks: one function per state, or one function for all states. */
export type CallbackMode = 'state_functions' | 'handle_event_function';

/**
 * An event, as a state callback sees it (OTP's `EventType` and `EventContent` in one object):
 * - `call`: from `GenStatem.call`; answer with a `{ reply, to: event.from }` action or `reply(from, value)`.
 * - `cast`: from `GenStatem.cast`.
 * - `info`: any other message (monitors' DOWNs, EXITs when trapping exits, plain sends).
 * - `timeout`: the event time-out fired (no other event came first).
 * - `state_timeout`: the state time-out fired (the state did not change first).
 * - `generic_timeout`: the generic time-out `name` fired.
 * - `internal`: inserted by a `nextEvent` action.
 * - `enter`: a state enter call (only with `stateEnter: true`): `oldState` is the state left,
 *   and also the `content`, as in OTP.
 */
export type StatemEvent<S = unknown> =
  | { readonly type: 'call'; readonly from: From<any>; readonly content: unknown }
  | { readonly type: 'cast'; readonly content: unknown }
  | { readonly type: 'info'; readonly content: unknown }
  | { readonly type: 'timeout'; readonly content: unknown }
  | { readonly type: 'state_timeout'; readonly content: unknown }
  | { readonly type: 'generic_timeout'; readonly name: unknown; readonly content: unknown }
  | { readonly type: 'internal'; readonly content: unknown }
  | { readonly type: 'enter'; readonly oldState: S; readonly content: S };

/** The type of an event: what `event.type` can be. */
export type EventType = StatemEvent['type'];

/** Answers a call: sent at once, while the actions run (`to` is the event's `from`). */
export interface ReplyAction {
  readonly reply: unknown;
  readonly to: From<any>;
}

/**
 * Inserts an event to be handled next, before anything already queued; several keep their order.
 * `call` needs `from`, `generic_timeout` needs `name`. Not allowed in a state enter call.
 */
export type NextEventAction =
  | { readonly nextEvent: 'cast' | 'info' | 'timeout' | 'state_timeout' | 'internal'; readonly content?: unknown }
  | { readonly nextEvent: 'generic_timeout'; readonly name: unknown; readonly content?: unknown }
  | { readonly nextEvent: 'call'; readonly from: From<any>; readonly content?: unknown };

/**
 * When a time-out fires: milliseconds from now (`0`: before any message not yet received),
 * `Infinity` or `'cancel'` to cancel it, `'update'` to change the content of the running one (or
 * fire at once if none runs). With `abs: true`, a number is a `Date.now()` time instead.
 */
export type TimeoutTime = number | 'cancel' | 'update';

/**
 * Starts, restarts, cancels or updates a time-out; the event it fires carries `content`:
 * - `{ timeout }`: the event time-out, cancelled by any event (a zero one only fires if none is queued);
 * - `{ stateTimeout }`: cancelled when the state changes; belongs to the state entered;
 * - `{ genericTimeout, name }`: one per name, cancelled only by you.
 * Setting one that runs restarts it; within one result the last of each kind (and name) wins.
 */
export type TimeoutAction =
  | { readonly timeout: TimeoutTime; readonly content?: unknown; readonly abs?: boolean }
  | { readonly stateTimeout: TimeoutTime; readonly content?: unknown; readonly abs?: boolean }
  | { readonly genericTimeout: TimeoutTime; readonly name: unknown; readonly content?: unknown; readonly abs?: boolean };

/**
 * What a callback asks the state machine to do as it makes its transition, in order:
 * - `'postpone'` (or `{ postpone: boolean }`): keep the current event and retry it after the next
 *   state change. Not allowed in a state enter call; ignored from `init`.
 * - `'hibernate'` (or `{ hibernate: boolean }`): accepted and ignored (JavaScript has no per-process heap to compact).
 * - a `NextEventAction`, a `ReplyAction` or a `TimeoutAction`.
 */
export type Action =
  | 'postpone'
  | { readonly postpone: boolean }
  | 'hibernate'
  | { readonly hibernate: boolean }
  | NextEventAction
  | ReplyAction
  | TimeoutAction;

/** One action or a list of them. */
export type Actions = Action | readonly Action[];

/**
 * What a state callback returns (`data` left out keeps the data):
 * - `{ nextState, data?, actions? }`: go to `nextState` (may be the same one). A different state
 *   (compared by value) is a *state change*: postponed events are retried, the state time-out is
 *   cancelled, and with `stateEnter` the new state's enter call runs.
 * - `{ keepState: true, data?, actions? }`: stay (OTP's `keep_state` / `keep_state_and_data`).
 * - `{ repeatState: true, data?, actions? }`: stay, but run the state enter call again.
 * - `{ stop: reason, data?, replies? }`: send `replies`, run `terminate`, exit with `reason`.
 *
 * From a state enter call: the state cannot change (`nextState` must be the current one), and
 * `postpone` and `nextEvent` actions are not allowed; breaking either stops the machine.
 */
export type StateResult<S, D> =
  | { readonly nextState: S; readonly data?: D; readonly actions?: Actions }
  | { readonly keepState: true; readonly data?: D; readonly actions?: Actions }
  | { readonly repeatState: true; readonly data?: D; readonly actions?: Actions }
  | { readonly stop: ExitReason; readonly data?: D; readonly replies?: ReplyAction | readonly ReplyAction[] };

/**
 * What `init` returns: `{ state, data, actions? }` to start (the actions run as the first state
 * is entered), `{ stop: reason }` to fail the start (`InitFailedError`), `{ ignore: true }` to
 * not start. Throwing fails the start with `InitExitedError`.
 */
export type InitResult<S, D> =
  | { readonly state: S; readonly data: D; readonly actions?: Actions }
  | { readonly stop: ExitReason }
  | { readonly ignore: true };

/** A state callback of `state_functions` mode: the event, the data, the machine's own context. */
export type StateFunction<S, D> = (event: StatemEvent<S>, data: D, ctx: ProcessContext) => Awaitable<StateResult<S, D>>;

/** What `formatStatus` sees and returns: state and data, and in reports the last event and reason. */
export interface StatemStatus<S, D> {
  readonly state: S;
  readonly data: D;
  readonly event?: unknown;
  readonly reason?: ExitReason;
}

/** The callbacks both modes share. Every callback may be async; the machine runs one at a time. */
interface CommonSpec<A, S, D, InitState = S> {
  /** Shown by introspection and in reports (the process label, unless the start names one). */
  readonly name?: string;
  /** Make a state enter call at every state change, and before the first state (OTP's `state_enter`). */
  readonly stateEnter?: boolean;
  /** Makes the first state and data from the start argument. The starter waits for it. */
  init(arg: A, ctx: ProcessContext): Awaitable<InitResult<InitState, D>>;
  /**
   * Runs before the machine exits: on `stop` results, `GenStatem.stop`, a callback that threw or
   * returned a bad value, and the parent's exit when trapping exits. Not run when the machine is
   * killed, or when an exit signal ends it while it does not trap exits. Its return is ignored.
   */
  terminate?(reason: ExitReason, state: S, data: D, ctx: ProcessContext): unknown;
  /**
   * Redacts state, data (and last event) for reports and `sys.getStatus`, as OTP's
   * `format_status/1`. If it throws, nothing of them is shown.
   */
  formatStatus?(status: StatemStatus<S, D>): Partial<StatemStatus<unknown, unknown>>;
}

/** A state machine with one callback per state: `states[state](event, data, ctx)`. States are strings. */
export interface StateFunctionsSpec<A, S extends string, D> extends CommonSpec<A, S, D, NoInfer<S>> {
  readonly callbackMode: 'state_functions';
  /** The state callbacks, by state name. An event in a state without one stops the machine. */
  readonly states: { readonly [K in S]: StateFunction<NoInfer<S>, D> };
}

/** A state machine with one callback for every state; a state can be any value (compared by value). */
export interface HandleEventFunctionSpec<A, S, D> extends CommonSpec<A, S, D> {
  readonly callbackMode: 'handle_event_function';
  /** Handles every event: the event (with its type), its content, the state, the data, the context. */
  handleEvent(event: StatemEvent<S>, content: unknown, state: S, data: D, ctx: ProcessContext): Awaitable<StateResult<S, D>>;
}

/** A GenStatem's callbacks, in either callback mode. */
export type GenStatemSpec<A, S, D> = StateFunctionsSpec<A, S & string, D> | HandleEventFunctionSpec<A, S, D>;

/**
 * Written (level error) when a GenStatem terminates abnormally, as OTP's "** State machine …
 * terminating": besides the fields every behaviour reports (`state` is `{ state, data }` through
 * `formatStatus`, `lastMessage` the last event), how many events were queued and postponed.
 */
export interface StatemTerminatedReport extends BehaviourTerminatedReport {
  readonly behaviour: 'GenStatem';
  readonly callbackMode: CallbackMode;
  readonly stateEnter: boolean;
  readonly queued: number;
  readonly postponed: number;
  readonly timeouts: number;
}

/** Options of `start` and `startLink`; see `StartOptions`. */
export type GenStatemOptions = StartOptions;

function statemBody(spec: GenStatemSpec<any, any, any>, arg: unknown, options: StartOptions | undefined) {
  expectSpec(spec);
  const name = options?.name;
  return (ctx: ProcessContext, starter: Starter) => new GenStatemProcess(ctx, spec, name ?? ctx.self, starter.parent).run(arg, starter);
}

function expectSpec(spec: GenStatemSpec<any, any, any>): void {
  if (typeof spec !== 'object' || spec === null || typeof spec.init !== 'function') {
    throw new TypeError(`Expected \`spec\` to be GenStatem callbacks with an init function, got \`${String(spec)}\` (${typeof spec})`);
  }
  const mode: unknown = spec.callbackMode;
  if (mode === 'state_functions') {
    const states: unknown = (spec as StateFunctionsSpec<unknown, string, unknown>).states;
    if (typeof states !== 'object' || states === null) {
      throw new TypeError(`Expected \`spec.states\` to be an object of state functions, got \`${String(states)}\` (${typeof states})`);
    }
  } else if (mode === 'handle_event_function') {
    const handleEvent: unknown = (spec as HandleEventFunctionSpec<unknown, unknown, unknown>).handleEvent;
    if (typeof handleEvent !== 'function') {
      throw new TypeError(`Expected \`spec.handleEvent\` to be a function, got \`${String(handleEvent)}\` (${typeof handleEvent})`);
    }
  } else {
    throw new TypeError(`Expected \`spec.callbackMode\` to be 'state_functions' or 'handle_event_function', got \`${String(mode)}\` (${typeof mode})`);
  }
}

/**
 * Starts a GenStatem not linked to anyone and resolves once `init` has finished (the first
 * state's enter call and `init`'s actions run after that). A start that fails is a value, never a
 * throw: `{ ok: false, error }` with `InitFailedError`, `InitExitedError`, `InitTimeoutError` or
 * `AlreadyStartedError`. Throws `TypeError` only for bad arguments.
 */
export function start<A, S extends string, D>(spec: StateFunctionsSpec<A, S, D>, arg: A, options?: GenStatemOptions): Promise<StartResult>;
export function start<A, S, D>(spec: HandleEventFunctionSpec<A, S, D>, arg: A, options?: GenStatemOptions): Promise<StartResult>;
export function start(spec: GenStatemSpec<any, any, any>, arg: unknown, options?: GenStatemOptions): Promise<StartResult> {
  return startBehaviour(undefined, options, spec?.name, statemBody(spec, arg, options));
}

/**
 * As `start`, linked to the calling process `ctx` (its parent): what supervisors call. If `init`
 * fails, the caller gets the exit signal too, as in OTP; a caller trapping exits does not keep
 * that EXIT in its mailbox. If the parent exits while the machine traps exits, it terminates.
 */
export function startLink<A, S extends string, D>(
  ctx: ProcessContext,
  spec: StateFunctionsSpec<A, S, D>,
  arg: A,
  options?: GenStatemOptions,
): Promise<StartResult>;
export function startLink<A, S, D>(ctx: ProcessContext, spec: HandleEventFunctionSpec<A, S, D>, arg: A, options?: GenStatemOptions): Promise<StartResult>;
export function startLink(ctx: ProcessContext, spec: GenStatemSpec<any, any, any>, arg: unknown, options?: GenStatemOptions): Promise<StartResult> {
  return startBehaviour(ctx, options, spec?.name, statemBody(spec, arg, options));
}

/**
 * Sends `request` as a `call` event and resolves with the reply, whichever state callback (or
 * other process) gives it. The caller need not be a process. As OTP's `gen_statem:call`, the
 * default timeout is `Infinity`; pass one to bound the wait. Rejects with `CallExitError`
 * (`reason` `'noproc'` when nobody is there, else the machine's exit reason) and
 * `CallTimeoutError` after `timeout` ms; a reply after that is dropped.
 */
export function call<R = unknown>(server: ServerRef, request: unknown, timeout?: number | CallOptions): Promise<R> {
  const withDefault =
    timeout === undefined ? Infinity : typeof timeout === 'object' && timeout !== null && timeout.timeout === undefined ? { ...timeout, timeout: Infinity } : timeout;
  const { timeout: ms, caller } = callTimeoutOf(withDefault);
  return callServer<R>(server, request, ms, caller, (from) => new CallMessage(from as From<unknown>, request));
}

/** Sends `request` as a `cast` event and returns at once; does nothing if nobody is there. */
export function cast(server: ServerRef, request: unknown): void {
  sendIfAlive(server, new CastMessage(request));
}

/**
 * Stops the machine with `reason` (default `'normal'`): it runs `terminate` and exits, and this
 * resolves once it is gone. Handled between two events, never in the middle of a transition.
 * Rejects with `CallExitError` if it is not alive or exits with another reason, and
 * `CallTimeoutError` if it is still running after `timeout` ms (default `Infinity`).
 */
export function stop(server: ServerRef, reason: ExitReason = 'normal', timeout = Infinity): Promise<void> {
  return stopServer(server, reason, timeout);
}

/** The pid a server reference names now, or undefined. */
export function whereis(server: ServerRef): Pid | undefined {
  return whereisLive(server);
}

/**
 * Replies to a call from anywhere, now or later (OTP's `gen_statem:reply/2`); the same as a
 * `{ reply, to }` action but not shown in the `sys` log. Does nothing if the caller stopped waiting.
 */
export const reply = replyTo;

export { BadActionError, UnknownStateError } from './internal/gen-statem-actions.js';
export type { TimeoutInfo } from './internal/gen-statem-timers.js';
export type { CallOptions, From } from './call.js';
