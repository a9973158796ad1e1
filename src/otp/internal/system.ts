import type { ExitReason, Pid, ProcessContext } from '../../runtime/index.js';
import { ExitMessage } from '../../runtime/index.js';
import type { From } from '../call.js';

/** One event of a behaviour's `sys` log: `kind` says what happened (`in`, `out`, `noreply`, …). */
export interface SystemEvent {
  readonly kind: string;
  readonly at: number;
  readonly [field: string]: unknown;
}

/** What `sys.getStatus` returns: a bounded picture of a behaviour process. */
export interface SystemStatus {
  readonly pid: Pid;
  readonly behaviour: string;
  readonly name: unknown;
  readonly status: 'running' | 'suspended';
  readonly parent: Pid;
  /** The state, passed through the behaviour's `formatStatus` if it has one. */
  readonly state: unknown;
  /** Behaviour-specific facts (a state machine's current state, a supervisor's strategy, …). */
  readonly details: Readonly<Record<string, unknown>>;
  /** The `sys.log` events, oldest first (empty unless logging is on). */
  readonly log: readonly SystemEvent[];
}

/** What `sys.statistics` returns (OTP's `start_time`, `current_time`, `messages_in`, `messages_out`). */
export interface SystemStatistics {
  readonly startTime: number;
  readonly currentTime: number;
  readonly messagesIn: number;
  readonly messagesOut: number;
}

/** @internal The requests the `sys` module sends. */
export type SystemRequest =
  | { readonly kind: 'get_state' }
  | { readonly kind: 'replace_state'; readonly fn: (state: unknown) => unknown }
  | { readonly kind: 'get_status' }
  | { readonly kind: 'suspend' }
  | { readonly kind: 'resume' }
  | { readonly kind: 'statistics'; readonly flag: boolean | 'get' }
  | { readonly kind: 'log'; readonly flag: boolean | number | 'get' }
  | { readonly kind: 'terminate'; readonly reason: ExitReason };

/** @internal What a system request's reply carries: a value, or an error for the caller to throw. */
export type SystemReply = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

/** @internal A `sys` request in a behaviour's mailbox (OTP's `{system, From, Request}`). */
export class SystemMessage {
  constructor(
    readonly from: From<SystemReply>,
    readonly request: SystemRequest,
  ) {}
}

export function isSystemMessage(message: unknown): message is SystemMessage {
  return message instanceof SystemMessage;
}

/** @internal What a behaviour lets `sys` see and do. */
export interface SystemTarget {
  readonly behaviour: string;
  readonly name: unknown;
  getState(): unknown;
  setState(state: unknown): void;
  /** The state as reports and `getStatus` show it (through `formatStatus`). */
  formatState(): unknown;
  details(): Record<string, unknown>;
  /** Runs the behaviour's terminate and ends the process with `reason`. */
  terminate(reason: ExitReason): Promise<never>;
}

const DEFAULT_LOG_SIZE = 10;

/**
 * @internal A behaviour process's `sys` state (OTP's debug options): suspended or not, the
 * event ring buffer, the statistics counters. Cheap when nothing is on: one boolean test per event.
 */
export class SystemState {
  readonly parent: Pid;
  suspended = false;
  /** True when the log or statistics want events; the loops test it before building one. */
  debugging = false;
  #log: SystemEvent[] | undefined;
  #logSize = DEFAULT_LOG_SIZE;
  #stats: { startTime: number; messagesIn: number; messagesOut: number } | undefined;

  constructor(parent: Pid) {
    this.parent = parent;
  }

  /** Records an event; call only when `debugging`. */
  record(kind: string, fields: Record<string, unknown>): void {
    if (this.#stats !== undefined) {
      if (kind === 'in') this.#stats.messagesIn++;
      else if (kind === 'out') this.#stats.messagesOut++;
    }
    if (this.#log !== undefined) {
      this.#log.push({ kind, at: Date.now(), ...fields });
      if (this.#log.length > this.#logSize) this.#log.shift();
    }
  }

  /** Whether `message` is one a suspended behaviour still handles: `sys` requests, its parent's EXIT. */
  handlesWhileSuspended = (message: unknown): boolean =>
    message instanceof SystemMessage || (message instanceof ExitMessage && message.from.equals(this.parent));

  /** Handles one `sys` request in the behaviour's process. */
  async handle(message: SystemMessage, target: SystemTarget, ctx: ProcessContext): Promise<void> {
    const { from, request } = message;
    const ok = (value: unknown): void => from.deliver({ ok: true, value });
    switch (request.kind) {
      case 'get_state':
        return ok(target.getState());
      case 'replace_state': {
        let next: unknown;
        try {
          next = request.fn(target.getState());
        } catch (error) {
          return from.deliver({ ok: false, error });
        }
        target.setState(next);
        return ok(next);
      }
      case 'get_status':
        return ok({
          pid: ctx.self,
          behaviour: target.behaviour,
          name: target.name,
          status: this.suspended ? 'suspended' : 'running',
          parent: this.parent,
          state: target.formatState(),
          details: target.details(),
          log: this.#log === undefined ? [] : [...this.#log],
        } satisfies SystemStatus);
      case 'suspend':
        this.suspended = true;
        return ok(undefined);
      case 'resume':
        this.suspended = false;
        return ok(undefined);
      case 'statistics':
        if (request.flag === true) this.#stats ??= { startTime: Date.now(), messagesIn: 0, messagesOut: 0 };
        else if (request.flag === false) this.#stats = undefined;
        this.debugging = this.#stats !== undefined || this.#log !== undefined;
        return ok(
          request.flag === 'get' && this.#stats !== undefined
            ? ({ ...this.#stats, currentTime: Date.now() } satisfies SystemStatistics)
            : request.flag === 'get'
              ? undefined
              : true,
        );
      case 'log':
        if (request.flag === false) this.#log = undefined;
        else if (request.flag !== 'get') {
          this.#logSize = request.flag === true ? DEFAULT_LOG_SIZE : request.flag;
          this.#log ??= [];
          while (this.#log.length > this.#logSize) this.#log.shift();
        }
        this.debugging = this.#stats !== undefined || this.#log !== undefined;
        return ok(request.flag === 'get' ? [...(this.#log ?? [])] : true);
      case 'terminate':
        ok(undefined);
        return target.terminate(request.reason);
    }
  }
}
