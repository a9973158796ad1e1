import { ExitMessage, Pid, type ExitReason, type ProcessContext } from '../../runtime/index.js';
import type { ChildCounts, ChildInfo, ChildSpec } from '../child-spec.js';
import { AlreadyStartedError, ChildNotFoundError, ChildStateError, SignificantChildError } from '../errors.js';
import type { CallResult, GenServerSpec, NoReplyResult } from '../gen-server.js';
import { isQuietReason, type UnexpectedMessageReport } from '../reports.js';
import type { StartResult } from '../start.js';
import { shutdownChild } from './child-shutdown.js';
import { resolveChildSpec, type ResolvedChildSpec } from './child-spec.js';
import { RestartIntensity } from './restart-intensity.js';
import { startChildProcess } from './start-child.js';
import { reportChild, reportStarted } from './supervisor-reports.js';

/** How a supervisor restarts its children after one exits. */
export type Strategy = 'one_for_one' | 'one_for_all' | 'rest_for_one';

/** When significant children's exits stop the supervisor (OTP's `auto_shutdown`). */
export type AutoShutdown = 'never' | 'any_significant' | 'all_significant';

/** @internal The validated supervisor flags. */
export interface SupervisorFlags {
  readonly strategy: Strategy;
  readonly intensity: number;
  readonly period: number;
  readonly autoShutdown: AutoShutdown;
}

/** @internal A child as the supervisor tracks it. */
interface Child {
  readonly spec: ResolvedChildSpec;
  pid: Pid | 'restarting' | undefined;
}

/** @internal The supervisor's state. */
export interface SupervisorState {
  readonly name: unknown;
  readonly flags: SupervisorFlags;
  readonly intensity: RestartIntensity;
  /** In start order: the last one is stopped first. */
  readonly children: Child[];
}

/** @internal The requests the Supervisor module sends. */
export type SupervisorRequest =
  | { readonly kind: 'which_children' }
  | { readonly kind: 'count_children' }
  | { readonly kind: 'start_child'; readonly spec: ChildSpec }
  | { readonly kind: 'terminate_child'; readonly id: unknown }
  | { readonly kind: 'restart_child'; readonly id: unknown }
  | { readonly kind: 'delete_child'; readonly id: unknown }
  | { readonly kind: 'get_childspec'; readonly id: unknown };

/** @internal A reply that the client turns into a throw. */
export class SupervisorFailure {
  constructor(readonly error: Error) {}
}

/** A failed restart is tried again from the mailbox, so other messages get their turn (OTP's `try_again_restart`). */
class RetryRestart {
  constructor(readonly child: Child) {}
}

type Result = NoReplyResult<SupervisorState>;

/** Starts one child and records the pid; reports progress or the start error. */
async function startOne(ctx: ProcessContext, state: SupervisorState, child: Child): Promise<StartResult> {
  const outcome = await startChildProcess(ctx, child.spec);
  if (!outcome.ok) {
    reportChild(ctx, state.name, 'start_error', outcome.error, child.spec, undefined);
    return { ok: false, ignored: false, error: outcome.error };
  }
  child.pid = outcome.pid;
  if (outcome.pid === undefined) return { ok: false, ignored: true };
  reportStarted(ctx, state.name, child.spec.id, outcome.pid);
  return { ok: true, pid: outcome.pid };
}

/** Stops one child (if running) and forgets its pid; a temporary child's spec goes too. */
async function terminateOne(ctx: ProcessContext, state: SupervisorState, child: Child): Promise<void> {
  const pid = child.pid;
  if (pid instanceof Pid) {
    const { reason, expected } = await shutdownChild(ctx, pid, child.spec.shutdown);
    // As OTP: a child that is not permanent may also end with normal, shutdown or { shutdown: _ }.
    if (!expected && !(child.spec.restart !== 'permanent' && isQuietReason(reason))) {
      reportChild(ctx, state.name, 'shutdown_error', reason, child.spec, pid);
    }
  }
  child.pid = undefined;
  if (child.spec.restart === 'temporary') remove(state, child);
}

function remove(state: SupervisorState, child: Child): void {
  const at = state.children.indexOf(child);
  if (at >= 0) state.children.splice(at, 1);
}

/** Stops `children` last first. */
async function terminateAll(ctx: ProcessContext, state: SupervisorState, children: readonly Child[]): Promise<void> {
  for (let i = children.length - 1; i >= 0; i--) await terminateOne(ctx, state, children[i]!);
}

/**
 * Starts `children` in order; on the first failure stops the ones it started (last first) and
 * returns the failed child and why.
 */
async function startAll(ctx: ProcessContext, state: SupervisorState, children: readonly Child[]): Promise<{ child: Child; reason: unknown } | undefined> {
  for (let i = 0; i < children.length; i++) {
    const child = children[i]!;
    const result = await startOne(ctx, state, child);
    if (!result.ok && !result.ignored) return { child, reason: result.error };
    if (!result.ok && child.spec.restart === 'temporary') remove(state, child);
  }
  return undefined;
}

/** What happens after a child exited, by its restart type (OTP's `do_restart`). */
async function childExited(ctx: ProcessContext, state: SupervisorState, child: Child, reason: ExitReason): Promise<Result> {
  const pid = child.pid instanceof Pid ? child.pid : undefined;
  const { restart } = child.spec;
  if (restart === 'permanent' || (restart === 'transient' && !isQuietReason(reason))) {
    reportChild(ctx, state.name, 'child_terminated', reason, child.spec, pid);
    child.pid = undefined;
    return restartChild(ctx, state, child);
  }
  if (!isQuietReason(reason)) reportChild(ctx, state.name, 'child_terminated', reason, child.spec, pid);
  child.pid = undefined;
  if (restart === 'temporary') remove(state, child);
  return autoShutdown(state, child);
}

/** OTP's `do_auto_shutdown`: a significant child's exit may end the supervisor. */
function autoShutdown(state: SupervisorState, child: Child): Result {
  const mode = state.flags.autoShutdown;
  if (mode === 'never' || !child.spec.significant) return { state };
  if (mode === 'any_significant') return { stop: 'shutdown', state };
  // A significant child being restarted still counts (OTP looks only for `pid = undefined`).
  const anyLeft = state.children.some((other) => other.spec.significant && other.pid !== undefined);
  return anyLeft ? { state } : { stop: 'shutdown', state };
}

/** Restarts after `child` exited, by strategy, within the restart intensity. */
async function restartChild(ctx: ProcessContext, state: SupervisorState, child: Child): Promise<Result> {
  if (!state.intensity.add()) {
    reportChild(ctx, state.name, 'reached_max_restart_intensity', 'shutdown', child.spec, undefined);
    return { stop: 'shutdown', state };
  }
  const { children } = state;
  let group: Child[];
  if (state.flags.strategy === 'one_for_one') group = [child];
  else {
    const from = state.flags.strategy === 'one_for_all' ? 0 : children.indexOf(child);
    group = children.slice(from);
    await terminateAll(ctx, state, group.filter((other) => other !== child));
    group = group.filter((other) => other === child || children.includes(other));
  }
  const failed = await startAll(ctx, state, group);
  if (failed !== undefined) {
    failed.child.pid = 'restarting';
    ctx.send(ctx.self, new RetryRestart(failed.child));
  }
  return { state };
}

function findChild(state: SupervisorState, id: unknown): Child | undefined {
  // By id only: OTP takes a pid for `simple_one_for_one` supervisors alone (`{error, not_found}` here).
  return state.children.find((child) => Object.is(child.spec.id, id));
}

function childInfo(child: Child): ChildInfo {
  return { id: child.spec.id, pid: child.pid, type: child.spec.type };
}

async function handleRequest(ctx: ProcessContext, state: SupervisorState, request: SupervisorRequest): Promise<unknown> {
  switch (request.kind) {
    case 'which_children':
      return state.children.map(childInfo);
    case 'count_children': {
      const counts: ChildCounts = {
        specs: state.children.length,
        active: state.children.filter((child) => child.pid instanceof Pid).length,
        supervisors: state.children.filter((child) => child.spec.type === 'supervisor').length,
        workers: state.children.filter((child) => child.spec.type === 'worker').length,
      };
      return counts;
    }
    case 'start_child': {
      const spec = resolveChildSpec(request.spec);
      if (spec.significant && state.flags.autoShutdown === 'never') {
        return { ok: false, ignored: false, error: new SignificantChildError(spec.id) } satisfies StartResult;
      }
      const existing = findChild(state, spec.id);
      if (existing !== undefined) {
        const error = existing.pid instanceof Pid ? new AlreadyStartedError(existing.pid) : new ChildStateError('already_present', spec.id);
        return { ok: false, ignored: false, error } satisfies StartResult;
      }
      const child: Child = { spec, pid: undefined };
      state.children.push(child);
      const result = await startOne(ctx, state, child);
      if (!result.ok && (!result.ignored || spec.restart === 'temporary')) remove(state, child);
      return result;
    }
    case 'terminate_child': {
      const child = findChild(state, request.id);
      if (child === undefined) return new SupervisorFailure(new ChildNotFoundError(request.id));
      await terminateOne(ctx, state, child);
      return undefined;
    }
    case 'restart_child': {
      const child = findChild(state, request.id);
      if (child === undefined) return new SupervisorFailure(new ChildNotFoundError(request.id));
      if (child.pid instanceof Pid) return new SupervisorFailure(new ChildStateError('running', request.id));
      if (child.pid === 'restarting') return new SupervisorFailure(new ChildStateError('restarting', request.id));
      return startOne(ctx, state, child);
    }
    case 'delete_child': {
      const child = findChild(state, request.id);
      if (child === undefined) return new SupervisorFailure(new ChildNotFoundError(request.id));
      if (child.pid instanceof Pid) return new SupervisorFailure(new ChildStateError('running', request.id));
      if (child.pid === 'restarting') return new SupervisorFailure(new ChildStateError('restarting', request.id));
      remove(state, child);
      return undefined;
    }
    case 'get_childspec': {
      const child = findChild(state, request.id);
      return child === undefined ? new SupervisorFailure(new ChildNotFoundError(request.id)) : child.spec;
    }
  }
}

/** @internal What the supervisor process starts from. */
export interface SupervisorArg {
  readonly name: unknown;
  readonly flags: SupervisorFlags;
  readonly children: readonly ResolvedChildSpec[];
}

/** @internal The supervisor, as GenServer callbacks (so calls, `sys` and stop work as for any server). */
export const supervisorServer: GenServerSpec<SupervisorArg, SupervisorState, SupervisorRequest, unknown> = {
  name: 'Supervisor',
  async init(arg, ctx) {
    ctx.trapExit(true);
    const state: SupervisorState = {
      // Reports name a supervisor without a name by its pid (OTP: `{self(), Module}`).
      name: arg.name ?? ctx.self,
      flags: arg.flags,
      intensity: new RestartIntensity(arg.flags.intensity, arg.flags.period),
      children: arg.children.map((spec) => ({ spec, pid: undefined })),
    };
    const failed = await startAll(ctx, state, [...state.children]);
    if (failed === undefined) return { state };
    await terminateAll(ctx, state, [...state.children]);
    return { stop: { shutdown: { failedToStartChild: failed.child.spec.id, reason: failed.reason } } };
  },
  async handleCall(request, _from, state, ctx): Promise<CallResult<SupervisorState, unknown>> {
    return { reply: await handleRequest(ctx, state, request), state };
  },
  async handleInfo(message, state, ctx) {
    if (message instanceof ExitMessage) {
      const child = state.children.find((candidate) => candidate.pid instanceof Pid && candidate.pid.equals(message.from));
      return child === undefined ? { state } : childExited(ctx, state, child, message.reason);
    }
    if (message instanceof RetryRestart) {
      const child = message.child;
      if (child.pid !== 'restarting' || !state.children.includes(child)) return { state };
      return restartChild(ctx, state, child);
    }
    const report: UnexpectedMessageReport = { kind: 'unexpected_message', behaviour: 'Supervisor', pid: ctx.self, name: state.name, message };
    ctx.node.log('warning', report);
    return { state };
  },
  async terminate(_reason, state, ctx) {
    await terminateAll(ctx, state, [...state.children]);
  },
  formatStatus(status) {
    return { state: { name: status.state.name, flags: status.state.flags, children: status.state.children.map(childInfo) } };
  },
};
