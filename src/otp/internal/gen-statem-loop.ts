import { ExitMessage, type ExitReason, type ProcessContext } from '../../runtime/index.js';
import { callbackExitReason, isThenable } from './callbacks.js';
import type { From } from '../call.js';
import { BadReturnValueError } from '../errors.js';
import type {
  CallbackMode,
  GenStatemSpec,
  HandleEventFunctionSpec,
  StateFunctionsSpec,
  StatemEvent,
  StatemTerminatedReport,
} from '../gen-statem.js';
import { isQuietReason } from '../reports.js';
import type { Starter } from '../start.js';
import { collectActions, listOf, outcomeOf, sameState, sendReplies, UnknownStateError, type Collected, type Outcome } from './gen-statem-actions.js';
import { formatStatus, guardReplaceState } from './gen-statem-status.js';
import { StatemTimers, TimerFired } from './gen-statem-timers.js';
import { CallMessage, CastMessage } from './messages.js';
import { SystemMessage, SystemState, type SystemTarget } from './system.js';

/** Events handled back to back without a receive before the machine lets other processes run. */
const YIELD_EVERY = 64;
/** Most time-outs `sys.getStatus` lists. */
const TIMEOUTS_SHOWN = 100;


type AnySpec = GenStatemSpec<any, any, any>;
type Stop = Extract<Outcome, { kind: 'stop' }>;

/**
 * @internal One GenStatem process: `init`, then one event at a time through the state callbacks,
 * OTP's transition steps after each (actions in order, state enter calls, postpone, retry of
 * postponed events on a state change, time-outs, inserted events first), `sys` requests between
 * events, and terminate on stop, callback failure or the parent's exit (when trapping exits).
 */
export class GenStatemProcess implements SystemTarget {
  readonly behaviour = 'GenStatem';
  readonly name: unknown;
  readonly #ctx: ProcessContext;
  readonly #spec: AnySpec;
  readonly #mode: CallbackMode;
  readonly #stateEnter: boolean;
  readonly #system: SystemState;
  readonly #timers: StatemTimers;
  #state: unknown = undefined;
  #data: unknown = undefined;
  /** Events to handle before receiving, next one last (inserting in front is a push). */
  #pending: StatemEvent[] = [];
  /** Postponed events, oldest first. */
  #postponed: StatemEvent[] = [];
  #lastEvent: StatemEvent | undefined = undefined;
  #burst = 0;

  constructor(ctx: ProcessContext, spec: AnySpec, name: unknown, parent: ProcessContext['self']) {
    this.#ctx = ctx;
    this.#spec = spec;
    this.#mode = spec.callbackMode;
    this.#stateEnter = spec.stateEnter === true;
    this.name = name;
    this.#system = new SystemState(parent);
    // The medic's memory estimates and info read the state through this, without a message.
    ctx.exposeState(() => this.getState());
    this.#timers = new StatemTimers(ctx);
  }

  /** Runs `init`, tells the starter, enters the first state and serves until the process ends. */
  async run(arg: unknown, starter: Starter): Promise<void> {
    const ctx = this.#ctx;
    let result = this.#spec.init(arg, ctx) as unknown;
    if (isThenable(result)) result = await result;
    const init = result as Record<string, unknown> | null;
    if (typeof init === 'object' && init !== null) {
      if ('stop' in init) {
        starter.failed(init.stop);
        ctx.exit(init.stop);
      }
      if (init.ignore === true) {
        starter.ignored();
        ctx.exit('normal');
      }
      if ('state' in init) {
        this.#state = init.state;
        this.#data = init.data;
        starter.started();
        await this.#enterFirstState(listOf(init.actions));
        return this.#loop();
      }
    }
    const reason = new BadReturnValueError('init', result);
    starter.failed(reason);
    ctx.exit(reason);
  }

  async #enterFirstState(actions: readonly unknown[]): Promise<void> {
    const collected: Collected = { nextEvents: [], postpone: false, timeouts: [] };
    const bad = collectActions(actions, collected, 'init', 'init', this.#deliver);
    if (bad !== undefined) return this.#stopWith(bad, this.#state, this.#data);
    const data = await this.#enterCalls(true, this.#state, this.#data, collected);
    this.#transition(undefined, this.#state, data, collected, false);
  }

  async #loop(): Promise<never> {
    const ctx = this.#ctx;
    const system = this.#system;
    for (;;) {
      let event = this.#pending.pop() ?? this.#timers.takeZero();
      if (event !== undefined) {
        if (++this.#burst >= YIELD_EVERY) {
          this.#burst = 0;
          await ctx.yield();
        }
      } else {
        this.#burst = 0;
        const message = system.suspended ? await ctx.receive(system.handlesWhileSuspended) : await ctx.receive();
        if (message instanceof SystemMessage) {
          await system.handle(guardReplaceState(message), this, ctx);
          continue;
        }
        if (message instanceof ExitMessage && message.from.equals(system.parent)) return this.terminate(message.reason);
        event = this.#eventOf(message);
        if (event === undefined) continue;
      }
      if (system.debugging) system.record('in', { event, state: this.#state });
      await this.#handle(event);
    }
  }

  #eventOf(message: unknown): StatemEvent | undefined {
    if (message instanceof CallMessage) return { type: 'call', from: message.from, content: message.request };
    if (message instanceof CastMessage) return { type: 'cast', content: message.request };
    // A fired time-out that was restarted or cancelled since is not an event any more.
    if (message instanceof TimerFired) return this.#timers.takeFired(message);
    return { type: 'info', content: message };
  }

  /** Calls the state callback with one event, then runs the transition it asks for. */
  async #handle(event: StatemEvent): Promise<void> {
    this.#lastEvent = event;
    const state = this.#state;
    let result: unknown;
    try {
      result = this.#invoke(event, state, this.#data);
      if (isThenable(result)) result = await result;
    } catch (error) {
      return this.terminate(callbackExitReason(this.#ctx, error));
    }
    const callback = this.#callbackName(state);
    const outcome = outcomeOf(result, state, this.#data, callback, 'event');
    if (outcome instanceof Error) return this.#stopWith(outcome, state, this.#data);
    if (outcome.kind === 'stop') return this.#stop(outcome, state);
    const collected: Collected = { nextEvents: [], postpone: false, timeouts: [] };
    const bad = collectActions(outcome.actions, collected, callback, 'event', this.#deliver);
    if (bad !== undefined) return this.#stopWith(bad, outcome.state, outcome.data);
    const changed = !sameState(outcome.state, state);
    const data = await this.#enterCalls(changed || outcome.kind === 'repeat', outcome.state, outcome.data, collected);
    this.#transition(event, outcome.state, data, collected, changed);
  }

  /** Makes the state enter calls a transition into `state` needs (again while they repeat); returns the data. */
  async #enterCalls(enter: boolean, state: unknown, data: unknown, collected: Collected): Promise<unknown> {
    let again = enter && this.#stateEnter;
    while (again) {
      if (++this.#burst >= YIELD_EVERY) {
        this.#burst = 0;
        await this.#ctx.yield();
      }
      const event: StatemEvent = { type: 'enter', oldState: this.#state, content: this.#state };
      let result: unknown;
      try {
        result = this.#invoke(event, state, data);
        if (isThenable(result)) result = await result;
      } catch (error) {
        return this.terminate(callbackExitReason(this.#ctx, error));
      }
      const callback = this.#callbackName(state);
      const outcome = outcomeOf(result, state, data, callback, 'enter');
      if (outcome instanceof Error) return this.#stopWith(outcome, state, data);
      if (outcome.kind === 'stop') return this.#stop(outcome, state);
      const bad = collectActions(outcome.actions, collected, callback, 'enter', this.#deliver);
      if (bad !== undefined) return this.#stopWith(bad, state, outcome.data);
      data = outcome.data;
      again = outcome.kind === 'repeat';
    }
    return data;
  }

  /** The transition proper, once every callback of it has returned (OTP's `loop_state_transition`). */
  #transition(event: StatemEvent | undefined, next: unknown, data: unknown, collected: Collected, changed: boolean): void {
    const system = this.#system;
    if (event !== undefined && collected.postpone) this.#postponed.push(event);
    if (system.debugging && event !== undefined) {
      system.record(collected.postpone ? 'postpone' : 'consume', { event, state: this.#state, nextState: next });
    }
    if (changed) {
      for (let i = this.#postponed.length - 1; i >= 0; i--) this.#pending.push(this.#postponed[i]!);
      this.#postponed = [];
      this.#timers.cancel('state_timeout');
    }
    this.#timers.cancel('timeout');
    this.#state = next;
    this.#data = data;
    this.#timers.apply(collected.timeouts);
    const inserted = collected.nextEvents;
    for (let i = inserted.length - 1; i >= 0; i--) this.#pending.push(inserted[i]!);
  }

  #invoke(event: StatemEvent, state: unknown, data: unknown): unknown {
    if (this.#mode === 'state_functions') {
      const states = (this.#spec as StateFunctionsSpec<unknown, string, unknown>).states as Record<string, unknown>;
      const fn = typeof state === 'string' && Object.hasOwn(states, state) ? states[state] : undefined;
      if (typeof fn !== 'function') throw new UnknownStateError(state);
      return fn.call(states, event, data, this.#ctx);
    }
    return (this.#spec as HandleEventFunctionSpec<unknown, unknown, unknown>).handleEvent(event, event.content, state, data, this.#ctx);
  }

  #callbackName(state: unknown): string {
    if (this.#mode === 'handle_event_function') return 'handleEvent';
    return typeof state === 'string' ? `states.${state}` : 'a state function';
  }

  #deliver = (to: From<unknown>, value: unknown): void => {
    to.deliver(value);
    if (this.#system.debugging) this.#system.record('out', { reply: value, to: to.pid });
  };

  /** A `stop` result: its replies go out first, then terminate (OTP's `stop_and_reply`). */
  #stop(outcome: Stop, state: unknown): Promise<never> {
    const bad = sendReplies(outcome.replies, this.#callbackName(state), this.#deliver);
    return this.#stopWith(bad ?? outcome.reason, state, outcome.data);
  }

  #stopWith(reason: ExitReason, state: unknown, data: unknown): Promise<never> {
    this.#state = state;
    this.#data = data;
    return this.terminate(reason);
  }

  /** Runs `terminate`, reports an abnormal end, and exits with `reason` (or what terminate threw). */
  async terminate(reason: ExitReason): Promise<never> {
    const ctx = this.#ctx;
    let final = reason;
    const terminate = this.#spec.terminate;
    if (terminate !== undefined) {
      try {
        const done = terminate.call(this.#spec, reason, this.#state, this.#data, ctx);
        if (isThenable(done)) await done;
      } catch (error) {
        final = callbackExitReason(this.#ctx, error);
      }
    }
    if (this.#system.debugging) this.#system.record('terminate', { reason: final, state: this.#state });
    if (!isQuietReason(final)) {
      const status = formatStatus(this.#spec, { state: this.#state, data: this.#data, event: this.#lastEvent, reason: final });
      const report: StatemTerminatedReport = {
        kind: 'server_terminated',
        behaviour: 'GenStatem',
        pid: ctx.self,
        name: this.name,
        lastMessage: status.event,
        state: { state: status.state, data: status.data },
        reason: final,
        callbackMode: this.#mode,
        stateEnter: this.#stateEnter,
        queued: this.#pending.length,
        postponed: this.#postponed.length,
        timeouts: this.#timers.size,
      };
      ctx.node.log('error', report);
    }
    return ctx.exit(final);
  }

  getState(): unknown {
    return { state: this.#state, data: this.#data };
  }

  setState(value: unknown): void {
    const { state, data } = value as { state: unknown; data: unknown };
    this.#state = state;
    this.#data = data;
  }

  formatState(): unknown {
    const { state, data } = formatStatus(this.#spec, { state: this.#state, data: this.#data });
    return { state, data };
  }

  details(): Record<string, unknown> {
    return {
      state: formatStatus(this.#spec, { state: this.#state, data: this.#data }).state,
      callbackMode: this.#mode,
      stateEnter: this.#stateEnter,
      queued: this.#pending.length,
      postponed: this.#postponed.length,
      timeouts: this.#timers.list(TIMEOUTS_SHOWN),
      timeoutCount: this.#timers.size,
    };
  }
}
