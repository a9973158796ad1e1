/**
 * DynamicSupervisor: a supervisor that starts children on demand, any number of them, as Elixir's
 * `DynamicSupervisor` (OTP's `simple_one_for_one`). See docs/supervisor.md.
 *
 * **When not to use it.** For a fixed set of children that depend on each other's start order,
 * use a `Supervisor`. Children of a dynamic supervisor are stopped all at once, in no order.
 */
import type { Pid, ProcessContext } from '../runtime/index.js';
import type { ChildCounts, ChildInfo, ChildSpec } from './child-spec.js';
import * as GenServer from './gen-server.js';
import { expectIntensity } from './internal/restart-intensity.js';
import { resolveChildSpec } from './internal/child-spec.js';
import { dynamicSupervisorServer, type DynamicSupervisorArg, type DynamicSupervisorRequest } from './internal/dynamic-supervisor-server.js';
import { SupervisorFailure } from './internal/supervisor-server.js';
import { expectSupervisor, startSupervisorServer } from './internal/supervisor-marks.js';
import type { ServerRef } from './server-ref.js';
import type { StartOptions, StartResult } from './start.js';

/** A dynamic child's spec: as a `ChildSpec`, the id optional; `start` gets the `extraArguments` too. */
export type DynamicChildSpec = Omit<ChildSpec, 'id' | 'start'> & {
  readonly id?: unknown;
  readonly start: (ctx: ProcessContext, ...extraArguments: any[]) => ReturnType<ChildSpec['start']>;
};

/** Options of a dynamic supervisor and of its start. */
export interface DynamicSupervisorOptions extends StartOptions {
  /** Most restarts within `period` seconds; one more and the supervisor gives up. Default 1 (OTP's). */
  readonly intensity?: number;
  /** The window of `intensity`, in seconds. Default 5. */
  readonly period?: number;
  /** Most children at once; `startChild` beyond it gives `MaxChildrenError`. Default `Infinity`. */
  readonly maxChildren?: number;
  /** Given to every child's `start` after the supervisor's `ctx`: `start(ctx, ...extraArguments)`. */
  readonly extraArguments?: readonly unknown[];
}

function expectArg(options: DynamicSupervisorOptions | undefined): DynamicSupervisorArg {
  const { intensity, period } = expectIntensity(options);
  const maxChildren = options?.maxChildren ?? Infinity;
  if (maxChildren !== Infinity && !(Number.isInteger(maxChildren) && maxChildren >= 0)) throw new TypeError(`Expected \`options.maxChildren\` to be a whole number from 0 up or Infinity, got \`${String(maxChildren)}\` (${typeof maxChildren})`);
  const extraArguments = options?.extraArguments ?? [];
  if (!Array.isArray(extraArguments)) throw new TypeError(`Expected \`options.extraArguments\` to be an array, got \`${String(extraArguments)}\` (${typeof extraArguments})`);
  return { name: options?.name, intensity, period, maxChildren, extraArguments };
}

/** Starts a dynamic supervisor with no children, not linked. */
export function start(options?: DynamicSupervisorOptions): Promise<StartResult> {
  return startSupervisorServer(undefined, 'DynamicSupervisor', dynamicSupervisorServer, expectArg(options), options);
}

/** As `start`, linked to the calling process `ctx`. */
export function startLink(ctx: ProcessContext, options?: DynamicSupervisorOptions): Promise<StartResult> {
  return startSupervisorServer(ctx, 'DynamicSupervisor', dynamicSupervisorServer, expectArg(options), options);
}

async function request<T>(supervisor: ServerRef, message: DynamicSupervisorRequest, timeout = Infinity): Promise<T> {
  expectSupervisor(supervisor);
  const reply = await GenServer.call<unknown>(supervisor, message, timeout);
  if (reply instanceof SupervisorFailure) throw reply.error;
  return reply as T;
}

/**
 * Starts a child from `spec` (its `id` is not used and may be anything) and supervises it with the
 * spec's restart and shutdown. At `maxChildren` the result's error is `MaxChildrenError`.
 * Throws `TypeError` for a bad spec.
 */
export function startChild(supervisor: ServerRef, spec: DynamicChildSpec): Promise<StartResult> {
  if (typeof spec !== 'object' || spec === null) resolveChildSpec(spec);
  const full: ChildSpec = { ...spec, id: spec.id ?? null };
  resolveChildSpec(full);
  return request(supervisor, { kind: 'start_child', spec: full });
}

/** Stops the child `pid` (not restarted). Rejects with `ChildNotFoundError` if it is not a child. */
export function terminateChild(supervisor: ServerRef, pid: Pid): Promise<void> {
  return request(supervisor, { kind: 'terminate_child', pid });
}

/** The children, in start order (ids are undefined). O(children). Rejects with `CallTimeoutError` after `timeout` ms (default `Infinity`). */
export function whichChildren(supervisor: ServerRef, timeout = Infinity): Promise<ChildInfo[]> {
  return request(supervisor, { kind: 'which_children' }, timeout);
}

/** How many children, supervisors and workers. O(children); `timeout` as `whichChildren`. */
export function countChildren(supervisor: ServerRef, timeout = Infinity): Promise<ChildCounts> {
  return request(supervisor, { kind: 'count_children' }, timeout);
}

/** Stops the supervisor: all children are stopped at once, then it exits with `reason`. */
export function stop(supervisor: ServerRef, reason: unknown = 'normal', timeout = Infinity): Promise<void> {
  return GenServer.stop(supervisor, reason, timeout);
}
