import { inspect, types } from 'node:util';

/**
 * Why a process exited. Any value can be a reason, as in Erlang; these are the ones the runtime
 * gives meaning to:
 *
 * - `'normal'`: the process finished. Linked processes that do not trap exits ignore it.
 * - `'kill'`: sent with `exit(pid, 'kill')`, it cannot be trapped; the target exits with `'killed'`.
 * - `'killed'`: the reason of a process ended by `'kill'`; it travels over links like any other.
 * - `'shutdown'` or `{ shutdown: detail }`: an orderly stop asked for by a supervisor or the node.
 * - `'noproc'`: the process did not exist (monitors of dead processes report it).
 * - an `Error`: the process threw it (its stack included); non-Error throws arrive as `UncaughtThrowError`.
 */
export type ExitReason = unknown;

/** True for `'normal'`, the reason of a process that simply finished. */
export function isNormalExit(reason: ExitReason): boolean {
  return reason === 'normal';
}

/** True for `'shutdown'` and `{ shutdown: detail }`, the reasons of an orderly stop. */
export function isShutdown(reason: ExitReason): boolean {
  return (
    reason === 'shutdown' ||
    (typeof reason === 'object' && reason !== null && !Array.isArray(reason) && 'shutdown' in reason)
  );
}

/** The longest text `formatTerm` produces unless told otherwise. */
export const DEFAULT_FORMAT_LIMIT = 4096;

/**
 * Formats any value for a report or a shell, bounded: nesting, array and string lengths are cut,
 * and the whole text is truncated to `maxLength` characters, so one huge value cannot flood a log.
 * Errors show their stack.
 */
export function formatTerm(value: unknown, maxLength = DEFAULT_FORMAT_LIMIT): string {
  const text =
    typeof value === 'string'
      ? value
      : isError(value) && value.stack !== undefined
        ? value.stack
        : inspect(value, { depth: 4, maxArrayLength: 20, maxStringLength: 500, breakLength: 100 });
  return text.length <= maxLength ? text : `${text.slice(0, maxLength)}… (${text.length - maxLength} more characters)`;
}

/**
 * Whether `value` is an Error, from this realm or another (a `vm` context, an attached shell):
 * `instanceof Error` alone misses errors made in another realm.
 */
export function isError(value: unknown): value is Error {
  return value instanceof Error || types.isNativeError(value);
}
