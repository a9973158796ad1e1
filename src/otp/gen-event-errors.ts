/**
 * The errors and reports of GenEvent: a handler that is not installed, one that refused to start,
 * one that crashed, and the report its manager logs when a handler crashes.
 */
import { BeamishError, formatTerm, type Pid, type Report } from '../runtime/index.js';
import type { HandlerRef } from './gen-event-handler.js';
import { describeHandler, handlerKey } from './internal/gen-event-key.js';
import type { UnexpectedMessageReport } from './reports.js';

/**
 * The handler named is not installed in the event manager: `call` (OTP's `{error, bad_module}`)
 * and `deleteHandler` (OTP's `{error, module_not_found}`) reject with it.
 */
export class HandlerNotInstalledError extends BeamishError {
  readonly handler: HandlerRef;

  constructor(handler: HandlerRef) {
    super('handler_not_installed', `the handler ${describeHandler(handlerKey(handler))} is not installed in the event manager`);
    this.handler = handler;
  }
}

/**
 * A handler's `init` refused to install it: it returned `{ error: reason }` (`threw` false), threw
 * (`threw` true, the error kept as `cause`), or returned something else (`reason` is then a
 * `BadReturnValueError`). The error of a `{ ok: false }` result of `addHandler` or `swapHandler`.
 */
export class HandlerInitError extends BeamishError {
  readonly handler: HandlerRef;
  readonly reason: unknown;
  readonly threw: boolean;

  constructor(handler: HandlerRef, reason: unknown, threw: boolean) {
    const how = threw ? 'threw' : 'refused';
    super('handler_init_failed', `init of the handler ${describeHandler(handlerKey(handler))} ${how}: ${formatTerm(reason, 300)}`, reason instanceof Error ? { cause: reason } : undefined);
    this.handler = handler;
    this.reason = reason;
    this.threw = threw;
  }
}

/**
 * A handler callback threw, rejected or returned a bad value (`reason` is then a
 * `BadReturnValueError`). `call` rejects with it when `handleCall` crashed (the handler has been
 * removed, OTP's `{error, {'EXIT', Reason}}`), and `deleteHandler` when `terminate` threw.
 */
export class HandlerCrashedError extends BeamishError {
  readonly handler: HandlerRef;
  readonly callback: string;
  readonly reason: unknown;

  constructor(handler: HandlerRef, callback: string, reason: unknown) {
    super('handler_crashed', `${callback} of the handler ${describeHandler(handlerKey(handler))} failed: ${formatTerm(reason, 300)}`, reason instanceof Error ? { cause: reason } : undefined);
    this.handler = handler;
    this.callback = callback;
    this.reason = reason;
  }
}

/**
 * Written (level error) when a handler crashed and was removed while its manager went on, as OTP's
 * "** gen_event handler … crashed": which manager and handler, the callback, the last message it
 * got, its state through `formatStatus`, and the reason. The logger bounds every field.
 */
export interface HandlerCrashedReport extends Report {
  readonly kind: 'handler_crashed';
  readonly manager: Pid;
  /** The manager's registered name, or its pid. */
  readonly name: unknown;
  /** The handler's name, and its id if it has one. */
  readonly handler: string;
  readonly callback: string;
  readonly lastMessage: unknown;
  readonly state: unknown;
  readonly reason: unknown;
}

/** Written (level warning) when a message reached a handler that has no `handleInfo`; it stays installed. */
export interface HandlerUnexpectedMessageReport extends UnexpectedMessageReport {
  readonly handler: string;
}
