import { isDeepStrictEqual } from 'node:util';
import { BeamishError, formatTerm, type ExitReason } from '../../runtime/index.js';
import { From } from '../call.js';
import { BadReturnValueError } from '../errors.js';
import type { StatemEvent } from '../gen-statem.js';
import type { TimeoutKind, TimeoutRequest } from './gen-statem-timers.js';

/**
 * A state callback (or `init`) returned an action that is malformed or not allowed where it was
 * returned (`postpone` or `nextEvent` from a state enter call, say); the machine exits with this,
 * as OTP's `bad_action_from_state_function` and `bad_state_enter_action_from_state_function`.
 */
export class BadActionError extends BeamishError {
  readonly callback: string;
  readonly action: unknown;

  constructor(callback: string, action: unknown, why: string) {
    super('bad_action', `${callback} returned the action ${formatTerm(action, 300)}: ${why}`);
    this.callback = callback;
    this.action = action;
  }
}

/** In `state_functions` mode, the machine is in a state that has no function in `states` (OTP's `undef`). */
export class UnknownStateError extends BeamishError {
  readonly state: unknown;

  constructor(state: unknown) {
    super('unknown_state', `the GenStatem has no state function for the state ${formatTerm(state, 200)} in \`states\``);
    this.state = state;
  }
}

/** @internal Whether two states are the same state: by value, as Erlang's `=:=`. */
export function sameState(a: unknown, b: unknown): boolean {
  return Object.is(a, b) || (typeof a === 'object' && typeof b === 'object' && isDeepStrictEqual(a, b));
}

/** @internal What one state callback result says, once validated. */
export type Outcome =
  | { readonly kind: 'next' | 'keep' | 'repeat'; readonly state: unknown; readonly data: unknown; readonly actions: readonly unknown[] }
  | { readonly kind: 'stop'; readonly reason: ExitReason; readonly data: unknown; readonly replies: readonly unknown[] };

/** @internal What the actions of one transition (event callback and the enter calls after it) set. */
export interface Collected {
  readonly nextEvents: StatemEvent[];
  postpone: boolean;
  readonly timeouts: TimeoutRequest[];
}

/** @internal Where the actions come from: `init`, an event's callback, or a state enter call. */
export type ActionSource = 'init' | 'event' | 'enter';

/** @internal One action or a list of them, as a list. */
export function listOf(actions: unknown): readonly unknown[] {
  if (actions === undefined) return [];
  return Array.isArray(actions) ? actions : [actions];
}

type Shape = Record<string, unknown>;

/**
 * @internal Validates a state callback's result against the state it was called in. Returns a
 * `BadReturnValueError` for a shape that is none of the documented ones, or a state change from a
 * state enter call.
 */
export function outcomeOf(result: unknown, state: unknown, data: unknown, callback: string, source: ActionSource): Outcome | BadReturnValueError {
  if (typeof result === 'object' && result !== null) {
    const shape = result as Shape;
    const next = 'data' in shape ? shape.data : data;
    if ('stop' in shape) return { kind: 'stop', reason: shape.stop, data: next, replies: listOf(shape.replies) };
    if ('nextState' in shape) {
      if (source === 'enter' && !sameState(shape.nextState, state)) {
        return new BadReturnValueError(`${callback} (a state enter call, which cannot change the state)`, result);
      }
      return { kind: 'next', state: shape.nextState, data: next, actions: listOf(shape.actions) };
    }
    if (shape.keepState === true) return { kind: 'keep', state, data: next, actions: listOf(shape.actions) };
    if (shape.repeatState === true) return { kind: 'repeat', state, data: next, actions: listOf(shape.actions) };
  }
  return new BadReturnValueError(callback, result);
}

const EVENT_TYPES = new Set(['call', 'cast', 'info', 'timeout', 'state_timeout', 'generic_timeout', 'internal']);

/**
 * @internal Runs a result's actions in order: replies go out at once through `deliver`; the others
 * set what the transition will do. Returns a `BadActionError` at the first action that is
 * malformed or not allowed from `source` (replies already sent stay sent, as in OTP).
 */
export function collectActions(
  actions: readonly unknown[],
  into: Collected,
  callback: string,
  source: ActionSource,
  deliver: (to: From<unknown>, value: unknown) => void,
): BadActionError | undefined {
  try {
    for (const action of actions) collectAction(action, into, callback, source, deliver);
  } catch (error) {
    if (error instanceof BadActionError) return error;
    throw error;
  }
  return undefined;
}

/** One action: a reply goes out, the others are noted; throws `BadActionError` for a bad one. */
function collectAction(action: unknown, into: Collected, callback: string, source: ActionSource, deliver: (to: From<unknown>, value: unknown) => void): void {
  const bad = (why: string): never => {
    throw new BadActionError(callback, action, why);
  };
  if (action === 'hibernate') return;
  if (action === 'postpone') {
    if (source === 'enter') bad('postpone is not allowed in a state enter call');
    if (source === 'event') into.postpone = true;
    return;
  }
  if (typeof action !== 'object' || action === null) bad('it is not an action');
  const shape = action as Shape;
  if ('reply' in shape) {
    if (!(shape.to instanceof From)) bad('`to` must be the `from` of a call event');
    deliver(shape.to as From<unknown>, shape.reply);
  } else if ('postpone' in shape) {
    if (typeof shape.postpone !== 'boolean') bad('`postpone` must be a boolean');
    if (shape.postpone && source === 'enter') bad('postpone is not allowed in a state enter call');
    if (source === 'event') into.postpone = shape.postpone as boolean;
  } else if ('hibernate' in shape) {
    if (typeof shape.hibernate !== 'boolean') bad('`hibernate` must be a boolean');
  } else if ('nextEvent' in shape) {
    if (source === 'enter') bad('nextEvent is not allowed in a state enter call');
    into.nextEvents.push(insertedEvent(shape, bad));
  } else if ('timeout' in shape) {
    into.timeouts.push(timeoutOf('timeout', undefined, shape.timeout, shape, bad));
  } else if ('stateTimeout' in shape) {
    into.timeouts.push(timeoutOf('state_timeout', undefined, shape.stateTimeout, shape, bad));
  } else if ('genericTimeout' in shape) {
    if (!('name' in shape)) bad('a generic time-out needs a `name`');
    into.timeouts.push(timeoutOf('generic_timeout', shape.name, shape.genericTimeout, shape, bad));
  } else {
    bad('it is not an action');
  }
}

/** @internal Sends a `stop` result's replies in order; returns a `BadActionError` at the first that is not a reply. */
export function sendReplies(replies: readonly unknown[], callback: string, deliver: (to: From<unknown>, value: unknown) => void): BadActionError | undefined {
  for (const reply of replies) {
    const shape = reply as Shape | null;
    if (typeof shape !== 'object' || shape === null || !('reply' in shape) || !(shape.to instanceof From)) {
      return new BadActionError(callback, reply, "a stop result's replies must be { reply, to } actions");
    }
    deliver(shape.to, shape.reply);
  }
  return undefined;
}

function insertedEvent(shape: Shape, bad: (why: string) => never): StatemEvent {
  const type = shape.nextEvent;
  if (typeof type !== 'string' || !EVENT_TYPES.has(type)) bad('`nextEvent` must be an event type other than enter');
  if (type === 'call') {
    if (!(shape.from instanceof From)) bad('a call event needs the `from` of a call');
    return { type, from: shape.from as From<unknown>, content: shape.content };
  }
  if (type === 'generic_timeout') {
    if (!('name' in shape)) bad('a generic_timeout event needs a `name`');
    return { type, name: shape.name, content: shape.content };
  }
  return { type, content: shape.content } as StatemEvent;
}

function timeoutOf(kind: TimeoutKind, name: unknown, time: unknown, shape: Shape, bad: (why: string) => never): TimeoutRequest {
  const abs = shape.abs ?? false;
  if (typeof abs !== 'boolean') bad('`abs` must be a boolean');
  if (time === 'cancel') return { kind, name, time: Infinity, content: undefined, abs: false };
  if (time === 'update') return { kind, name, time, content: shape.content, abs: false };
  if (abs) {
    if (typeof time !== 'number' || !Number.isFinite(time)) bad('an absolute time must be a finite Date.now() time');
  } else if (time !== Infinity && !(Number.isSafeInteger(time) && (time as number) >= 0)) {
    bad('a time-out must be a whole number of milliseconds from 0 up, Infinity, "cancel" or "update"');
  }
  return { kind, name, time: time as number, content: shape.content, abs: abs as boolean };
}
