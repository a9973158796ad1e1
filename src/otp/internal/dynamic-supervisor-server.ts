import { DownMessage, ExitMessage, exitFrom, Pid, TIMEOUT, type ExitReason, type ProcessContext, type Ref } from '../../runtime/index.js';
import type { ChildCounts, ChildInfo, ChildSpec } from '../child-spec.js';
import { ChildNotFoundError, MaxChildrenError } from '../errors.js';
import type { GenServerSpec, NoReplyResult } from '../gen-server.js';
import { isQuietReason } from '../reports.js';
import type { StartResult } from '../start.js';
import { resolveChildSpec, type ResolvedChildSpec } from './child-spec.js';
import { RestartIntensity } from './restart-intensity.js';
import { startChildProcess } from './start-child.js';
import { SupervisorFailure } from './supervisor-server.js';
import { reportChild, reportStarted } from './supervisor-reports.js';

/** @internal The validated options of a dynamic supervisor. */
export interface DynamicSupervisorArg {
  readonly name: unknown;
  readonly intensity: number;
  readonly period: number;
  readonly maxChildren: number;
  readonly extraArguments: readonly unknown[];
}

/** @internal */
export interface DynamicSupervisorState {
  readonly arg: DynamicSupervisorArg;
  readonly intensity: RestartIntensity;
  /** Running children by pid, in start order. */
  readonly children: Map<Pid, ResolvedChildSpec>;
  /** Children whose restart failed and waits for its retry. */
  readonly restarting: Set<ResolvedChildSpec>;
}

/** @internal The requests the DynamicSupervisor module sends. */
export type DynamicSupervisorRequest =
  | { readonly kind: 'start_child'; readonly spec: ChildSpec }
  | { readonly kind: 'terminate_child'; readonly pid: Pid }
  | { readonly kind: 'which_children' }
  | { readonly kind: 'count_children' };

class RetryRestart {
  constructor(readonly spec: ResolvedChildSpec) {}
}

type Result = NoReplyResult<DynamicSupervisorState>;

async function startOne(ctx: ProcessContext, state: DynamicSupervisorState, spec: ResolvedChildSpec): Promise<StartResult> {
  const outcome = await startChildProcess(ctx, spec, state.arg.extraArguments);
  if (!outcome.ok) {
    reportChild(ctx, state.arg.name, 'start_error', outcome.error, spec, undefined);
    return { ok: false, ignored: false, error: outcome.error };
  }
  if (outcome.pid === undefined) return { ok: false, ignored: true };
  state.children.set(outcome.pid, spec);
  reportStarted(ctx, state.arg.name, spec.id, outcome.pid);
  return { ok: true, pid: outcome.pid };
}

async function restart(ctx: ProcessContext, state: DynamicSupervisorState, spec: ResolvedChildSpec): Promise<Result> {
  state.restarting.delete(spec);
  if (!state.intensity.add()) {
    reportChild(ctx, state.arg.name, 'reached_max_restart_intensity', 'shutdown', spec, undefined);
    return { stop: 'shutdown', state };
  }
  const result = await startOne(ctx, state, spec);
  if (!result.ok && !result.ignored) {
    state.restarting.add(spec);
    ctx.send(ctx.self, new RetryRestart(spec));
  }
  return { state };
}

async function childExited(ctx: ProcessContext, state: DynamicSupervisorState, pid: Pid, spec: ResolvedChildSpec, reason: ExitReason): Promise<Result> {
  state.children.delete(pid);
  const restarts = spec.restart === 'permanent' || (spec.restart === 'transient' && !isQuietReason(reason));
  if (restarts || !isQuietReason(reason)) reportChild(ctx, state.arg.name, 'child_terminated', reason, spec, pid);
  return restarts ? restart(ctx, state, spec) : { state };
}

/**
 * Stops children all at once, as OTP does for `simple_one_for_one`: each is unlinked and told to
 * shut down (or killed), then the DOWNs are awaited; those still alive at their shutdown time are
 * killed.
 */
async function terminateChildren(ctx: ProcessContext, state: DynamicSupervisorState, pids: readonly Pid[]): Promise<void> {
  const started = performance.now();
  const waiting = new Map<Ref, { pid: Pid; spec: ResolvedChildSpec; deadline: number; killed: boolean; early: ExitReason | undefined }>();
  for (const pid of pids) {
    const spec = state.children.get(pid);
    if (spec === undefined) continue;
    state.children.delete(pid);
    const ref = ctx.monitor(pid);
    ctx.unlink(pid);
    const earlier = ctx.tryReceive(exitFrom(pid));
    const kill = spec.shutdown === 'brutal_kill';
    if (earlier === TIMEOUT) ctx.exit(pid, kill ? 'kill' : 'shutdown');
    const deadline = typeof spec.shutdown === 'number' ? started + spec.shutdown : Infinity;
    waiting.set(ref, { pid, spec, deadline, killed: kill, early: earlier === TIMEOUT ? undefined : earlier.reason });
  }
  while (waiting.size > 0) {
    let next = Infinity;
    for (const entry of waiting.values()) if (!entry.killed) next = Math.min(next, entry.deadline);
    const isDown = (message: unknown): message is DownMessage => message instanceof DownMessage && waiting.has(message.ref);
    const wait = next === Infinity ? undefined : Math.max(0, Math.ceil(next - performance.now()));
    const down = wait === undefined ? await ctx.receive(isDown) : await ctx.receive(isDown, wait);
    if (down === TIMEOUT) {
      const now = performance.now();
      for (const entry of waiting.values()) {
        if (!entry.killed && entry.deadline <= now) {
          entry.killed = true;
          ctx.exit(entry.pid, 'kill');
        }
      }
      continue;
    }
    const entry = waiting.get(down.ref)!;
    waiting.delete(down.ref);
    const reason = entry.early ?? down.reason;
    const expected = entry.spec.shutdown === 'brutal_kill' ? reason === 'killed' : reason === 'shutdown';
    if (!expected && !(reason === 'normal' && entry.spec.restart !== 'permanent')) {
      reportChild(ctx, state.arg.name, 'shutdown_error', reason, entry.spec, entry.pid);
    }
  }
}

function counts(state: DynamicSupervisorState): ChildCounts {
  let supervisors = 0;
  for (const spec of state.children.values()) if (spec.type === 'supervisor') supervisors++;
  return { specs: state.children.size, active: state.children.size, supervisors, workers: state.children.size - supervisors };
}

/** @internal The dynamic supervisor, as GenServer callbacks. */
export const dynamicSupervisorServer: GenServerSpec<DynamicSupervisorArg, DynamicSupervisorState, DynamicSupervisorRequest, unknown> = {
  name: 'DynamicSupervisor',
  init(arg, ctx) {
    ctx.trapExit(true);
    return { state: { arg, intensity: new RestartIntensity(arg.intensity, arg.period), children: new Map(), restarting: new Set() } };
  },
  async handleCall(request, _from, state, ctx) {
    switch (request.kind) {
      case 'start_child': {
        if (state.children.size + state.restarting.size >= state.arg.maxChildren) {
          const full: StartResult = { ok: false, ignored: false, error: new MaxChildrenError(state.arg.maxChildren) };
          return { reply: full, state };
        }
        return { reply: await startOne(ctx, state, resolveChildSpec(request.spec)), state };
      }
      case 'terminate_child': {
        if (!state.children.has(request.pid)) return { reply: new SupervisorFailure(new ChildNotFoundError(request.pid)), state };
        await terminateChildren(ctx, state, [request.pid]);
        return { reply: undefined, state };
      }
      case 'which_children': {
        const list: ChildInfo[] = [];
        for (const [pid, spec] of state.children) list.push({ id: undefined, pid, type: spec.type });
        for (const spec of state.restarting) list.push({ id: undefined, pid: 'restarting', type: spec.type });
        return { reply: list, state };
      }
      case 'count_children':
        return { reply: counts(state), state };
    }
  },
  async handleInfo(message, state, ctx) {
    if (message instanceof ExitMessage) {
      const spec = state.children.get(message.from);
      return spec === undefined ? { state } : childExited(ctx, state, message.from, spec, message.reason);
    }
    if (message instanceof RetryRestart && state.restarting.has(message.spec)) return restart(ctx, state, message.spec);
    return { state };
  },
  async terminate(_reason, state, ctx) {
    await terminateChildren(ctx, state, [...state.children.keys()]);
  },
  formatStatus(status) {
    const { arg, children, restarting } = status.state;
    return { state: { name: arg.name, maxChildren: arg.maxChildren, children: children.size, restarting: restarting.size } };
  },
};
