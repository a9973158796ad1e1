import { BadReturnValueError } from '../errors.js';
import type { EventHandler } from '../gen-event-handler.js';
import type { Status } from '../gen-server.js';
import { tryHandlerKey, type HandlerKey } from './gen-event-key.js';

/** @internal What a callback's result asks for, or that it crashed (threw, rejected or returned a bad value). */
export type Outcome =
  | { readonly kind: 'ok'; readonly state: unknown; readonly reply: unknown }
  | { readonly kind: 'remove'; readonly reply: unknown }
  | { readonly kind: 'swap'; readonly next: HandlerKey; readonly terminateArg: unknown; readonly initArg: unknown; readonly state: unknown; readonly reply: unknown }
  | { readonly kind: 'crash'; readonly reason: unknown };

/** @internal The handler callbacks that get a message. */
export type Callback = 'handleEvent' | 'handleInfo' | 'handleCall';

/** @internal Reads a callback's result as one of its documented shapes; anything else is a crash. */
export function interpret(result: unknown, callback: Callback): Outcome {
  const bad: Outcome = { kind: 'crash', reason: new BadReturnValueError(callback, result) };
  if (typeof result !== 'object' || result === null) return bad;
  const shape = result as Record<string, unknown>;
  if (callback === 'handleCall' && !('reply' in shape)) return bad;
  if (shape.removeHandler === true) return { kind: 'remove', reply: shape.reply };
  if ('swapHandler' in shape) {
    const next = tryHandlerKey(shape.swapHandler);
    if (next === undefined || !('state' in shape)) return bad;
    return { kind: 'swap', next, terminateArg: shape.terminateArg, initArg: shape.initArg, state: shape.state, reply: shape.reply };
  }
  return 'state' in shape ? { kind: 'ok', state: shape.state, reply: shape.reply } : bad;
}

/** @internal A handler's status through its `formatStatus`; if that throws, nothing of the state is shown. */
export function formatHandlerStatus(spec: EventHandler, status: Status<unknown>): Status<unknown> {
  if (typeof spec.formatStatus !== 'function') return status;
  try {
    return { ...status, ...spec.formatStatus(status) };
  } catch {
    return { state: '<formatStatus threw>', message: '<formatStatus threw>', reason: status.reason };
  }
}

