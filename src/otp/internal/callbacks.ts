import { isExitSignal, type ExitReason, type ProcessContext } from '../../runtime/index.js';

/*
 * What every behaviour loop does around the user's callbacks: use a synchronous result without a
 * tick, and turn a callback's throw into the reason the behaviour terminates with.
 */

/** @internal Whether a value is a promise-like, so a synchronous callback's result is used without a tick. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}

/**
 * @internal The reason a callback's throw terminates the behaviour with: an `exit` keeps its
 * reason; anything else is the error itself. If the process was killed from outside while the
 * callback awaited, nothing more may run in it: the `ExitSignal` is thrown on.
 */
export function callbackExitReason(ctx: ProcessContext, error: unknown): ExitReason {
  if (!isExitSignal(error)) return error;
  if (!isSelfAlive(ctx)) throw error;
  return error.reason;
}

function isSelfAlive(ctx: ProcessContext): boolean {
  try {
    return ctx.isAlive(ctx.self);
  } catch {
    return false;
  }
}
