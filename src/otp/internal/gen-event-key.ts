import { formatTerm, Pid } from '../../runtime/index.js';
import type { EventHandler, HandlerRef } from '../gen-event-handler.js';

/** @internal A handler reference taken apart: the spec, and the id if it was given one. */
export interface HandlerKey {
  readonly spec: EventHandler;
  readonly hasId: boolean;
  readonly id: unknown;
  /** The reference as the user wrote it, shown back by `whichHandlers`. */
  readonly ref: HandlerRef;
}

function isSpec(value: unknown): value is EventHandler {
  return typeof value === 'object' && value !== null && typeof (value as EventHandler).init === 'function';
}

/** @internal The key of a handler reference, or undefined if it is not one. */
export function tryHandlerKey(ref: unknown): HandlerKey | undefined {
  if (isSpec(ref)) return { spec: ref, hasId: false, id: undefined, ref };
  if (typeof ref === 'object' && ref !== null && 'id' in ref && isSpec((ref as { handler?: unknown }).handler)) {
    const withId = ref as { handler: EventHandler; id: unknown };
    return { spec: withId.handler, hasId: true, id: withId.id, ref: withId };
  }
  return undefined;
}

/** @internal The key of a handler reference; throws `TypeError` if it is not one. */
export function handlerKey(ref: unknown, what = 'handler'): HandlerKey {
  const key = tryHandlerKey(ref);
  if (key !== undefined) return key;
  throw new TypeError(`Expected \`${what}\` to be an event handler (an object with an init function) or { handler, id }, got \`${formatTerm(ref, 80)}\` (${typeof ref})`);
}

/** @internal Whether two handler ids are the same: `Object.is`, and `equals` for pids. */
export function sameId(a: unknown, b: unknown): boolean {
  return Object.is(a, b) || (a instanceof Pid && a.equals(b));
}

/** @internal Whether `key` names the installed handler `installed`, as OTP matches `Mod` or `{Mod, Id}`. */
export function sameHandler(installed: HandlerKey, key: HandlerKey): boolean {
  return installed.spec === key.spec && installed.hasId === key.hasId && (!key.hasId || sameId(installed.id, key.id));
}

/** @internal A handler as reports and errors print it: its name, and its id if it has one. */
export function describeHandler(key: HandlerKey): string {
  const name = typeof key.spec.name === 'string' && key.spec.name !== '' ? key.spec.name : 'anonymous handler';
  return key.hasId ? `${name} (id ${formatTerm(key.id, 80)})` : name;
}
