import { ExitMessage, TIMEOUT, type ExitReason, type ProcessContext } from '../../runtime/index.js';
import { callbackExitReason, isThenable } from './callbacks.js';
import type { From } from '../call.js';
import { BadReturnValueError } from '../errors.js';
import type { GenServerSpec } from '../gen-server.js';
import { isQuietReason, type BehaviourTerminatedReport, type UnexpectedMessageReport } from '../reports.js';
import type { BehaviourBody, Starter } from '../start.js';
import { CallMessage, CastMessage } from './messages.js';
import { SystemMessage, SystemState, type SystemTarget } from './system.js';

const NONE: unique symbol = Symbol('none');

/** @internal The body of a GenServer process running `spec`, for `startBehaviour`. */
export function genServerBody(spec: GenServerSpec<any, any, any, any, any>, arg: unknown, name: unknown): BehaviourBody {
  return (ctx, starter) => new GenServerProcess(ctx, spec as AnySpec, name ?? ctx.self, starter.parent).run(arg, starter);
}


type AnySpec = GenServerSpec<unknown, unknown, unknown, unknown, unknown>;
type Result = Record<string, unknown>;

/**
 * @internal One GenServer process: `init`, then one message at a time through the callbacks, with
 * `sys` requests, idle timeouts, `continue`, and terminate on stop, callback failure or the
 * parent's exit (when trapping exits).
 */
export class GenServerProcess implements SystemTarget {
  readonly behaviour = 'GenServer';
  readonly name: unknown;
  readonly #ctx: ProcessContext;
  readonly #spec: AnySpec;
  readonly #system: SystemState;
  #state: unknown = undefined;
  #timeout: number | undefined = undefined;
  #continue: unknown = NONE;
  #lastMessage: unknown = undefined;

  constructor(ctx: ProcessContext, spec: AnySpec, name: unknown, parent: ProcessContext['self']) {
    this.#ctx = ctx;
    this.#spec = spec;
    this.name = name;
    this.#system = new SystemState(parent);
    // The medic's memory estimates and info read the state through this, without a message.
    ctx.exposeState(() => this.getState());
  }

  /** Runs `init`, tells the starter, and serves until the process ends. */
  async run(arg: unknown, starter: Starter): Promise<void> {
    const ctx = this.#ctx;
    let result = this.#spec.init(arg, ctx) as unknown;
    if (isThenable(result)) result = await result;
    const init = result as Result | null;
    if (typeof init === 'object' && init !== null) {
      if ('state' in init && !('stop' in init)) {
        this.#state = init.state;
        const bad = this.#afterResult(init, 'init');
        if (bad !== undefined) {
          starter.failed(bad);
          ctx.exit(bad);
        }
        starter.started();
        return this.#loop();
      }
      if ('stop' in init) {
        starter.failed(init.stop);
        ctx.exit(init.stop);
      }
      if (init.ignore === true) {
        starter.ignored();
        ctx.exit('normal');
      }
    }
    const reason = new BadReturnValueError('init', result);
    starter.failed(reason);
    ctx.exit(reason);
  }

  async #loop(): Promise<never> {
    const ctx = this.#ctx;
    const system = this.#system;
    for (;;) {
      if (this.#continue !== NONE) {
        const arg = this.#continue;
        this.#continue = NONE;
        if (system.debugging) system.record('continue', { continue: arg });
        await this.#dispatch(arg, 'handleContinue');
        continue;
      }
      const message = system.suspended
        ? await ctx.receive(system.handlesWhileSuspended)
        : this.#timeout === undefined
          ? await ctx.receive()
          : await ctx.receive(undefined, this.#timeout);
      if (message instanceof SystemMessage) {
        await system.handle(message, this, ctx);
        continue;
      }
      this.#lastMessage = message;
      if (system.debugging) system.record('in', message instanceof CallMessage ? { message: message.request, from: message.from.pid } : { message: message instanceof CastMessage ? message.request : message });
      if (message instanceof CallMessage) await this.#dispatch(message, 'handleCall');
      else if (message instanceof CastMessage) await this.#dispatch(message.request, 'handleCast');
      else if (message instanceof ExitMessage && message.from.equals(system.parent)) await this.terminate(message.reason);
      else await this.#dispatch(message, 'handleInfo');
    }
  }

  /** Runs one callback on a message and applies what it returned. */
  async #dispatch(message: unknown, callback: 'handleCall' | 'handleCast' | 'handleInfo' | 'handleContinue'): Promise<void> {
    const spec = this.#spec;
    const ctx = this.#ctx;
    let result: unknown;
    let from: From<unknown> | undefined;
    try {
      if (callback === 'handleCall') {
        const call = message as CallMessage;
        from = call.from;
        if (spec.handleCall === undefined) throw new Error(`a call arrived, but the GenServer has no handleCall (request: ${String(call.request)})`);
        result = spec.handleCall(call.request, from, this.#state, ctx);
      } else if (callback === 'handleInfo') {
        if (spec.handleInfo === undefined) {
          // As OTP's default handle_info: `{noreply, State}`, which also ends any idle timeout.
          this.#timeout = undefined;
          return this.#unexpected(message);
        }
        result = spec.handleInfo(message === TIMEOUT ? TIMEOUT : message, this.#state, ctx);
      } else {
        const fn = spec[callback];
        if (fn === undefined) throw new Error(`the GenServer has no ${callback}`);
        result = fn.call(spec, message, this.#state, ctx);
      }
      if (isThenable(result)) result = await result;
    } catch (error) {
      return this.terminate(callbackExitReason(this.#ctx, error));
    }
    const shape = result as Result | null;
    if (typeof shape !== 'object' || shape === null || !('state' in shape)) {
      return this.terminate(new BadReturnValueError(callback, result));
    }
    if ('stop' in shape) {
      this.#state = shape.state;
      // OTP's order: terminate runs, then the reply goes out, then the process exits.
      const reason = await this.#runTerminate(shape.stop);
      if (from !== undefined && 'reply' in shape) from.deliver(shape.reply);
      return this.#ctx.exit(reason);
    }
    if (from !== undefined && 'reply' in shape) {
      this.#state = shape.state;
      from.deliver(shape.reply);
      if (this.#system.debugging) this.#system.record('out', { reply: shape.reply, to: from.pid, state: shape.state });
    } else if (shape.noreply === true || callback !== 'handleCall') {
      this.#state = shape.state;
      if (this.#system.debugging) this.#system.record('noreply', { state: shape.state });
    } else {
      return this.terminate(new BadReturnValueError(callback, result));
    }
    const bad = this.#afterResult(shape, callback);
    if (bad !== undefined) return this.terminate(bad);
  }

  /** Reads a result's `timeout` and `continue`; returns the error for a timeout that is not one. */
  #afterResult(shape: Result, callback: string): BadReturnValueError | undefined {
    const timeout = shape.timeout;
    if (timeout !== undefined && timeout !== Infinity && !(Number.isInteger(timeout) && (timeout as number) >= 0)) {
      return new BadReturnValueError(callback, shape);
    }
    this.#timeout = timeout === Infinity ? undefined : (timeout as number | undefined);
    if ('continue' in shape) this.#continue = shape.continue;
    return undefined;
  }

  /** OTP's default `handle_info`: log the stray message and go on. */
  #unexpected(message: unknown): void {
    const report: UnexpectedMessageReport = {
      kind: 'unexpected_message',
      behaviour: this.behaviour,
      pid: this.#ctx.self,
      name: this.name,
      message,
    };
    this.#ctx.node.log('warning', report);
  }

  /** Runs `terminate`, reports an abnormal end, and exits with `reason` (or what terminate threw). */
  async terminate(reason: ExitReason): Promise<never> {
    return this.#ctx.exit(await this.#runTerminate(reason));
  }

  /** Runs the `terminate` callback and reports an abnormal end; resolves with the final exit reason. */
  async #runTerminate(reason: ExitReason): Promise<ExitReason> {
    const ctx = this.#ctx;
    let final = reason;
    const terminate = this.#spec.terminate;
    if (terminate !== undefined) {
      try {
        const done = terminate.call(this.#spec, reason, this.#state, ctx);
        if (isThenable(done)) await done;
      } catch (error) {
        final = callbackExitReason(this.#ctx, error);
      }
    }
    if (!isQuietReason(final)) {
      const status = this.#formatStatus({ state: this.#state, message: this.#lastMessage, reason: final });
      const report: BehaviourTerminatedReport = {
        kind: 'server_terminated',
        behaviour: this.behaviour,
        pid: ctx.self,
        name: this.name,
        lastMessage: status.message,
        state: status.state,
        reason: final,
      };
      ctx.node.log('error', report);
    }
    return final;
  }

  /** The status through the spec's `formatStatus`; if that throws, nothing of the state is shown. */
  #formatStatus(status: { state: unknown; message?: unknown; reason?: unknown }): { state: unknown; message?: unknown } {
    const format = this.#spec.formatStatus;
    if (format === undefined) return status;
    try {
      return { ...status, ...format.call(this.#spec, status) };
    } catch {
      return { state: '<formatStatus threw>', message: '<formatStatus threw>' };
    }
  }

  getState(): unknown {
    return this.#state;
  }

  setState(state: unknown): void {
    this.#state = state;
  }

  formatState(): unknown {
    return this.#formatStatus({ state: this.#state }).state;
  }

  details(): Record<string, unknown> {
    return { idleTimeout: this.#timeout ?? Infinity };
  }
}
