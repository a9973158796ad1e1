import type { From } from '../call.js';

/** @internal A `call` in a behaviour's mailbox (OTP's `{'$gen_call', From, Request}`). */
export class CallMessage {
  constructor(
    readonly from: From<unknown>,
    readonly request: unknown,
  ) {}
}

/** @internal A `cast` in a behaviour's mailbox (OTP's `{'$gen_cast', Request}`). */
export class CastMessage {
  constructor(readonly request: unknown) {}
}
