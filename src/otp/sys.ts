import type { ExitReason } from '../runtime/index.js';
import { callServer, expectTimeout } from './call.js';
import { SystemMessage, type SystemEvent, type SystemReply, type SystemRequest, type SystemStatistics, type SystemStatus } from './internal/system.js';
import type { ServerRef } from './server-ref.js';

export type { SystemEvent, SystemStatistics, SystemStatus } from './internal/system.js';

/*
 * OTP's `sys` for every Beamish behaviour process (GenServer, Supervisor, GenStatem, GenEvent, …):
 * look at and change its state, suspend it, count and log what it does. Each function is a call
 * into the process, handled between two of its messages; the default timeout is 5000 ms, and the
 * errors are those of `GenServer.call` (`CallExitError`, `CallTimeoutError`).
 */

async function system<T>(server: ServerRef, request: SystemRequest, timeout: number): Promise<T> {
  const reply = await callServer<SystemReply>(server, request, expectTimeout('timeout', timeout), undefined, (from) => new SystemMessage(from, request));
  if (!reply.ok) throw reply.error;
  return reply.value as T;
}

/** The behaviour's state as it is (not through `formatStatus`): for debugging, not for business logic. */
export function getState<S = unknown>(server: ServerRef, timeout = 5000): Promise<S> {
  return system(server, { kind: 'get_state' }, timeout);
}

/**
 * Replaces the state with `fn(state)` and returns the new state. If `fn` throws, the state is
 * unchanged and the error is thrown here. For a GenStatem the state is `{ state, data }`.
 */
export function replaceState<S>(server: ServerRef, fn: (state: S) => S, timeout = 5000): Promise<S> {
  if (typeof fn !== 'function') throw new TypeError(`Expected \`fn\` to be a function, got \`${String(fn)}\` (${typeof fn})`);
  return system(server, { kind: 'replace_state', fn: fn as (state: unknown) => unknown }, timeout);
}

/** A bounded status of the process: behaviour, name, running or suspended, parent, formatted state, log. */
export function getStatus(server: ServerRef, timeout = 5000): Promise<SystemStatus> {
  return system(server, { kind: 'get_status' }, timeout);
}

/** Suspends the process: until `resume`, it handles only `sys` requests and its parent's exit; other messages queue. */
export function suspend(server: ServerRef, timeout = 5000): Promise<void> {
  return system(server, { kind: 'suspend' }, timeout);
}

/** Resumes a suspended process. */
export function resume(server: ServerRef, timeout = 5000): Promise<void> {
  return system(server, { kind: 'resume' }, timeout);
}

/**
 * `true` starts counting messages in and out, `false` stops, `'get'` returns the counts
 * (undefined when not counting).
 */
export function statistics(server: ServerRef, flag: 'get', timeout?: number): Promise<SystemStatistics | undefined>;
export function statistics(server: ServerRef, flag: boolean, timeout?: number): Promise<true>;
export function statistics(server: ServerRef, flag: boolean | 'get', timeout = 5000): Promise<unknown> {
  if (flag !== true && flag !== false && flag !== 'get') throw new TypeError(`Expected \`flag\` to be true, false or 'get', got \`${String(flag)}\``);
  return system(server, { kind: 'statistics', flag }, timeout);
}

/**
 * Keeps the last N events (`true`: 10) in a ring buffer, `false` stops, `'get'` returns them,
 * oldest first. Events hold the messages and states themselves, so keep N small.
 */
export function log(server: ServerRef, flag: 'get', timeout?: number): Promise<SystemEvent[]>;
export function log(server: ServerRef, flag: boolean | number, timeout?: number): Promise<true>;
export function log(server: ServerRef, flag: boolean | number | 'get', timeout = 5000): Promise<unknown> {
  if (flag !== true && flag !== false && flag !== 'get' && !(Number.isInteger(flag) && (flag as number) > 0)) {
    throw new TypeError(`Expected \`flag\` to be true, false, 'get' or a whole number from 1 up, got \`${String(flag)}\``);
  }
  return system(server, { kind: 'log', flag }, timeout);
}

/** @internal Asks a behaviour process to run its terminate and exit with `reason` (for `stop`). */
export function requestTerminate(server: ServerRef, reason: ExitReason): Promise<void> {
  return system(server, { kind: 'terminate', reason }, Infinity);
}
