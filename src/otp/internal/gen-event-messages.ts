import type { Pid } from '../../runtime/index.js';
import type { From } from '../call.js';
import type { HandlerKey } from './gen-event-key.js';

/** @internal An event sent with `notify` (OTP's `{notify, Event}`). */
export class NotifyMessage {
  constructor(readonly event: unknown) {}
}

/** @internal The synchronous requests a manager serves, each answered through a `From`. */
export type ManagerRequest =
  | { readonly kind: 'sync_notify'; readonly event: unknown }
  | { readonly kind: 'call'; readonly handler: HandlerKey; readonly request: unknown }
  | { readonly kind: 'add'; readonly handler: HandlerKey; readonly arg: unknown; readonly owner: Pid | undefined }
  | { readonly kind: 'delete'; readonly handler: HandlerKey; readonly arg: unknown }
  | {
      readonly kind: 'swap';
      readonly old: HandlerKey;
      readonly terminateArg: unknown;
      readonly next: HandlerKey;
      readonly initArg: unknown;
      /** The caller of `swapSupervisedHandler`; undefined keeps the old handler's owner. */
      readonly owner: Pid | undefined;
    }
  | { readonly kind: 'which' };

/** @internal A manager's answer: a value, or an error for the caller to throw. */
export type ManagerReply = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

/** @internal A request in a manager's mailbox (OTP's `{From, Tag, Request}`). */
export class ManagerRequestMessage {
  constructor(
    readonly from: From<ManagerReply>,
    readonly request: ManagerRequest,
  ) {}
}
