import { isDeepStrictEqual } from 'node:util';
import type { ProcessContext, Ref } from '../../runtime/index.js';
import type { StatemEvent } from '../gen-statem.js';

/** @internal The three kinds of time-out a state machine sets for itself. */
export type TimeoutKind = 'timeout' | 'state_timeout' | 'generic_timeout';

/** @internal A time-out action, validated: `time` is milliseconds (`Infinity` cancels) or `'update'`. */
export interface TimeoutRequest {
  readonly kind: TimeoutKind;
  readonly name: unknown;
  readonly time: number | 'update';
  readonly content: unknown;
  readonly abs: boolean;
}

/** One running time-out. `ref` is undefined for a zero time-out waiting in the zero queue. */
interface Timer {
  readonly kind: TimeoutKind;
  readonly name: unknown;
  content: unknown;
  ref: Ref | undefined;
  fired: TimerFired | undefined;
}

/** @internal What a time-out's runtime timer delivers to the state machine's own mailbox. */
export class TimerFired {
  constructor(readonly timer: object) {}
}

/** What `sys.getStatus` shows of one time-out: its kind and, for a generic one, its name. */
export interface TimeoutInfo {
  readonly type: TimeoutKind;
  readonly name?: unknown;
}

/**
 * @internal The running time-outs of one state machine, at most one per kind (per name for
 * generic ones), as OTP's timer map: starting one restarts it, `Infinity` cancels it, `update`
 * changes its content (or, when none runs, queues it at once), and a zero relative time is not a
 * timer at all but a place in the zero queue, served before any message not yet received.
 */
export class StatemTimers {
  readonly #ctx: ProcessContext;
  #timers: Timer[] = [];
  #zero: Timer[] = [];

  constructor(ctx: ProcessContext) {
    this.#ctx = ctx;
  }

  /** How many time-outs are running. */
  get size(): number {
    return this.#timers.length;
  }

  /** Applies one transition's time-out actions: the last of each kind and name wins, in its place. */
  apply(requests: readonly TimeoutRequest[]): void {
    if (requests.length === 0) return;
    const last: TimeoutRequest[] = [];
    for (let i = requests.length - 1; i >= 0; i--) {
      const request = requests[i]!;
      if (!last.some((seen) => seen.kind === request.kind && sameName(seen.name, request.name))) last.push(request);
    }
    for (let i = last.length - 1; i >= 0; i--) this.#start(last[i]!);
  }

  #start(request: TimeoutRequest): void {
    const { kind, name, time, content } = request;
    if (time === 'update') {
      const running = this.#find(kind, name);
      if (running !== undefined) running.content = content;
      else this.#queueZero({ kind, name, content, ref: undefined, fired: undefined });
      return;
    }
    this.cancel(kind, name);
    if (time === Infinity) return;
    const timer: Timer = { kind, name, content, ref: undefined, fired: undefined };
    if (time === 0 && !request.abs) return this.#queueZero(timer);
    const ctx = this.#ctx;
    timer.fired = new TimerFired(timer);
    timer.ref = ctx.sendAfter(request.abs ? Math.max(0, time - Date.now()) : time, ctx.self, timer.fired);
    this.#timers.push(timer);
  }

  #queueZero(timer: Timer): void {
    this.#timers.push(timer);
    this.#zero.push(timer);
  }

  #find(kind: TimeoutKind, name: unknown): Timer | undefined {
    return this.#timers.find((timer) => timer.kind === kind && sameName(timer.name, name));
  }

  /** Cancels a time-out if it runs, and drops its message if it already fired but was not received. */
  cancel(kind: TimeoutKind, name?: unknown): void {
    const timer = this.#find(kind, name);
    if (timer === undefined) return;
    this.#forget(timer);
    if (timer.ref !== undefined && this.#ctx.cancelTimer(timer.ref) === false) {
      const fired = timer.fired;
      this.#ctx.tryReceive((message) => message === fired);
    }
  }

  #forget(timer: Timer): void {
    this.#timers.splice(this.#timers.indexOf(timer), 1);
    const zero = this.#zero.indexOf(timer);
    if (zero !== -1) this.#zero.splice(zero, 1);
  }

  /** The oldest queued zero time-out as an event, removed; undefined if none waits. */
  takeZero(): StatemEvent | undefined {
    const timer = this.#zero[0];
    if (timer === undefined) return undefined;
    this.#forget(timer);
    return eventOf(timer);
  }

  /** The event of a fired timer, removed; undefined for a timer no longer ours (restarted or cancelled). */
  takeFired(message: TimerFired): StatemEvent | undefined {
    const timer = message.timer as Timer;
    if (!this.#timers.includes(timer)) return undefined;
    this.#forget(timer);
    return eventOf(timer);
  }

  /** The running time-outs, oldest first, at most `limit` of them. */
  list(limit: number): TimeoutInfo[] {
    return this.#timers.slice(0, limit).map((timer) => (timer.kind === 'generic_timeout' ? { type: timer.kind, name: timer.name } : { type: timer.kind }));
  }
}

function sameName(a: unknown, b: unknown): boolean {
  return Object.is(a, b) || isDeepStrictEqual(a, b);
}

function eventOf(timer: Timer): StatemEvent {
  return timer.kind === 'generic_timeout'
    ? { type: 'generic_timeout', name: timer.name, content: timer.content }
    : { type: timer.kind, content: timer.content };
}
