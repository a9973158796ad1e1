/**
 * Supervisor: a process that starts, watches and restarts other processes, as OTP's `supervisor`
 * and Elixir's `Supervisor`. See docs/supervisor.md.
 *
 * **When not to use it.** For children started on demand in any number (connections, jobs), use a
 * `DynamicSupervisor`. A supervisor restarts; it does not retry business operations or hold data.
 */
import { defaultNode, Pid, invalidArgument, type ProcessContext } from '../runtime/index.js';
import type { NodeOption } from './application.js';
import type { ChildCounts, ChildInfo, ChildSpec } from './child-spec.js';
import * as GenServer from './gen-server.js';
import { expectIntensity } from './internal/restart-intensity.js';
import { resolveChildSpec, type ResolvedChildSpec } from './internal/child-spec.js';
import { expectSupervisor, startSupervisorServer, supervisorKindOf, supervisorsOn, type SupervisorKind } from './internal/supervisor-marks.js';
import {
  SupervisorFailure,
  supervisorServer,
  type AutoShutdown,
  type Strategy,
  type SupervisorFlags,
  type SupervisorRequest,
} from './internal/supervisor-server.js';
import type { ServerRef } from './server-ref.js';
import { type StartOptions, type StartResult } from './start.js';

export type { AutoShutdown, Strategy } from './internal/supervisor-server.js';
export type { SupervisorKind } from './internal/supervisor-marks.js';

/** A supervisor's flags, with OTP's defaults, and the options of every start. */
export interface SupervisorOptions extends StartOptions {
  /** Default `'one_for_one'`. */
  readonly strategy?: Strategy;
  /** Most restarts within `period` seconds; one more and the supervisor gives up. Default 1 (OTP's). */
  readonly intensity?: number;
  /** The window of `intensity`, in seconds (as OTP). Default 5. */
  readonly period?: number;
  /** When significant children's exits stop the supervisor. Default `'never'`. */
  readonly autoShutdown?: AutoShutdown;
}

const STRATEGIES: readonly string[] = ['one_for_one', 'one_for_all', 'rest_for_one'];
const AUTO_SHUTDOWNS: readonly string[] = ['never', 'any_significant', 'all_significant'];

function expectFlags(options: SupervisorOptions | undefined): SupervisorFlags {
  const strategy = options?.strategy ?? 'one_for_one';
  if (!STRATEGIES.includes(strategy)) throw new TypeError(`Expected \`options.strategy\` to be 'one_for_one', 'one_for_all' or 'rest_for_one', got \`${String(strategy)}\``);
  const { intensity, period } = expectIntensity(options);
  const autoShutdown = options?.autoShutdown ?? 'never';
  if (!AUTO_SHUTDOWNS.includes(autoShutdown)) throw new TypeError(`Expected \`options.autoShutdown\` to be 'never', 'any_significant' or 'all_significant', got \`${String(autoShutdown)}\``);
  return { strategy, intensity, period, autoShutdown };
}

function expectChildren(children: readonly ChildSpec[]): ResolvedChildSpec[] {
  if (!Array.isArray(children)) throw new TypeError(`Expected \`children\` to be an array of child specs, got \`${String(children)}\` (${typeof children})`);
  const resolved = children.map((spec, index) => resolveChildSpec(spec, `children[${index}]`));
  const seen = new Set<unknown>();
  for (const [index, spec] of resolved.entries()) {
    if (seen.has(spec.id)) throw new TypeError(`Expected \`children[${index}].id\` to be unique, got \`${String(spec.id)}\` twice`);
    seen.add(spec.id);
  }
  return resolved;
}

function supervisorArg(children: readonly ChildSpec[], options: SupervisorOptions | undefined) {
  const flags = expectFlags(options);
  const resolved = expectChildren(children);
  const significant = resolved.findIndex((spec) => spec.significant);
  if (significant >= 0 && flags.autoShutdown === 'never') {
    throw new TypeError(`Expected \`children[${significant}].significant\` to be false when \`options.autoShutdown\` is 'never' (OTP's bad_combination), got \`true\``);
  }
  return { name: options?.name, flags, children: resolved };
}

/**
 * Starts a supervisor, not linked, with `children` started in order before this resolves. If a
 * child fails to start, those started are stopped (last first) and the result is
 * `{ ok: false, error: InitFailedError }` whose reason is `{ shutdown: { failedToStartChild, reason } }`.
 * Throws `TypeError` for bad flags or child specs, before starting anything.
 */
export function start(children: readonly ChildSpec[], options?: SupervisorOptions): Promise<StartResult> {
  return startSupervisorServer(undefined, 'Supervisor', supervisorServer, supervisorArg(children, options), options);
}

/** As `start`, linked to the calling process `ctx`: how a supervisor becomes another's child. */
export function startLink(ctx: ProcessContext, children: readonly ChildSpec[], options?: SupervisorOptions): Promise<StartResult> {
  return startSupervisorServer(ctx, 'Supervisor', supervisorServer, supervisorArg(children, options), options);
}

async function request<T>(supervisor: ServerRef, message: SupervisorRequest, timeout = Infinity): Promise<T> {
  expectSupervisor(supervisor);
  const reply = await GenServer.call<unknown>(supervisor, message, timeout);
  if (reply instanceof SupervisorFailure) throw reply.error;
  return reply as T;
}

/**
 * The children, in start order, with their pids (`'restarting'`, or undefined when not running).
 * O(children). Rejects with `CallTimeoutError` after `timeout` ms (default `Infinity`, as OTP).
 */
export function whichChildren(supervisor: ServerRef, timeout = Infinity): Promise<ChildInfo[]> {
  return request(supervisor, { kind: 'which_children' }, timeout);
}

/** How many child specs, running children, supervisors and workers. O(children); `timeout` as `whichChildren`. */
export function countChildren(supervisor: ServerRef, timeout = Infinity): Promise<ChildCounts> {
  return request(supervisor, { kind: 'count_children' }, timeout);
}

/**
 * Adds a child and starts it, last in start order. A child with the same id gives
 * `AlreadyStartedError` (running) or `ChildStateError('already_present')` as the result's error.
 * Throws `TypeError` for a bad spec.
 */
export function startChild(supervisor: ServerRef, spec: ChildSpec): Promise<StartResult> {
  resolveChildSpec(spec);
  return request(supervisor, { kind: 'start_child', spec });
}

/**
 * Stops a child by id, keeping its spec (a temporary child's spec goes). Rejects with
 * `ChildNotFoundError`. The supervisor does not restart it.
 */
export function terminateChild(supervisor: ServerRef, id: unknown): Promise<void> {
  return request(supervisor, { kind: 'terminate_child', id });
}

/** Starts again a child that was stopped with `terminateChild`. Rejects with `ChildNotFoundError` or `ChildStateError`. */
export function restartChild(supervisor: ServerRef, id: unknown): Promise<StartResult> {
  return request(supervisor, { kind: 'restart_child', id });
}

/** Removes the spec of a child that is not running. Rejects with `ChildNotFoundError` or `ChildStateError`. */
export function deleteChild(supervisor: ServerRef, id: unknown): Promise<void> {
  return request(supervisor, { kind: 'delete_child', id });
}

/** A child's spec, with the defaults filled in. Rejects with `ChildNotFoundError`; `timeout` as `whichChildren`. */
export function getChildspec(supervisor: ServerRef, id: unknown, timeout = Infinity): Promise<Required<ChildSpec>> {
  return request(supervisor, { kind: 'get_childspec', id }, timeout);
}

/** Stops the supervisor: its children are stopped last first, then it exits with `reason`. */
export function stop(supervisor: ServerRef, reason: unknown = 'normal', timeout = Infinity): Promise<void> {
  return GenServer.stop(supervisor, reason, timeout);
}

/**
 * Which supervisor behaviour the live process `pid` runs — `'Supervisor'` or `'DynamicSupervisor'`
 * (a `Task.Supervisor` is one) — or undefined for any other process and for a dead one. Sends
 * nothing and is O(1): the mark is set when the supervisor is spawned, whatever its label.
 */
export function kindOf(pid: Pid): SupervisorKind | undefined {
  if (!(pid instanceof Pid)) throw invalidArgument('pid', 'a Pid', pid);
  return supervisorKindOf(pid);
}

/** The live supervisors of a node (every kind), oldest first. Sends nothing; O(supervisors). */
export function whichSupervisors(options: NodeOption = {}): Pid[] {
  return supervisorsOn(options.node ?? defaultNode());
}
