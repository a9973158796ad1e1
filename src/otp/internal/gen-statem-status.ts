import { formatTerm } from '../../runtime/index.js';
import type { GenStatemSpec, StatemStatus } from '../gen-statem.js';
import { SystemMessage } from './system.js';

/** @internal The status through the spec's `formatStatus`; if that throws, nothing of it is shown. */
export function formatStatus(spec: GenStatemSpec<any, any, any>, status: StatemStatus<unknown, unknown>): StatemStatus<unknown, unknown> {
  const format = spec.formatStatus;
  if (format === undefined) return status;
  try {
    return { ...status, ...format.call(spec, status) };
  } catch {
    return { state: '<formatStatus threw>', data: '<formatStatus threw>', event: '<formatStatus threw>' };
  }
}

/**
 * @internal A `sys.replaceState` request whose function must return `{ state, data }`: anything
 * else is thrown back to the caller as a `TypeError` and the machine keeps its state, where OTP
 * would store it and crash at the next event.
 */
export function guardReplaceState(message: SystemMessage): SystemMessage {
  const request = message.request;
  if (request.kind !== 'replace_state') return message;
  const fn = (current: unknown): unknown => {
    const next = request.fn(current) as { state?: unknown; data?: unknown } | null;
    if (typeof next !== 'object' || next === null || !('state' in next) || !('data' in next)) {
      throw new TypeError(`Expected the replaceState function to return { state, data }, got \`${formatTerm(next, 200)}\``);
    }
    return next;
  };
  return new SystemMessage(message.from, { kind: 'replace_state', fn });
}
