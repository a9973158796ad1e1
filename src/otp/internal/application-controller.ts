import { downOf, ExitMessage, type BeamishNode, type ExitReason, type Pid, type ProcessContext } from '../../runtime/index.js';
import type { ApplicationSpec, StartType } from '../application.js';
import { ApplicationStartError, InitFailedError, NotStartedError } from '../errors.js';
import type { GenServerSpec } from '../gen-server.js';
import type { ProgressReport } from '../reports.js';
import { startBehaviour } from '../start.js';
import { shutdownChild } from './child-shutdown.js';
import { resolveChildSpec } from './child-spec.js';
import { startChildProcess } from './start-child.js';

/** @internal The applications loaded on a node, with their configuration: read synchronously. */
export interface LoadedApplication {
  readonly spec: ApplicationSpec;
  readonly env: Map<string, unknown>;
}

const loaded = new WeakMap<BeamishNode, Map<string, LoadedApplication>>();

/*
 * The top process of each running application on a node (undefined when its start was ignored),
 * kept by the controller and read without a call into it, as OTP reads `ac_tab`: a controller
 * busy starting an application does not hold up `getSupervisor`.
 */
const tops = new WeakMap<BeamishNode, Map<string, Pid | undefined>>();

/** @internal The top processes of the applications running on `node`, by name. */
export function topsOn(node: BeamishNode): Map<string, Pid | undefined> {
  let apps = tops.get(node);
  if (apps === undefined) tops.set(node, (apps = new Map()));
  return apps;
}

/** @internal The applications loaded on `node`. */
export function loadedOn(node: BeamishNode): Map<string, LoadedApplication> {
  let apps = loaded.get(node);
  if (apps === undefined) loaded.set(node, (apps = new Map()));
  return apps;
}

interface Running {
  readonly name: string;
  readonly type: StartType;
  readonly master: Pid;
}

/** @internal The controller's state: running applications in start order. */
export interface ControllerState {
  readonly running: Running[];
}

/** @internal */
export type ControllerRequest =
  | { readonly kind: 'start'; readonly order: readonly string[]; readonly type: StartType }
  | { readonly kind: 'stop'; readonly name: string }
  | { readonly kind: 'which' };

class StopApplication {}

/**
 * One application's master (OTP's application master): starts the application's top process
 * linked to itself, and ends when it does, with its reason. Asked to stop, it shuts the tree down
 * (waiting as long as that takes), runs the application's `stop`, and exits `'normal'`.
 */
async function runMaster(ctx: ProcessContext, app: LoadedApplication, parent: Pid, started: (top: Pid | undefined) => void, failed: (reason: ExitReason) => void): Promise<void> {
  ctx.trapExit(true);
  const spec = resolveChildSpec({ id: app.spec.name, start: (c) => app.spec.start(c, app.env), type: 'supervisor' });
  const outcome = await startChildProcess(ctx, spec);
  if (!outcome.ok) {
    failed(outcome.error);
    ctx.exit('normal');
  }
  const top = outcome.pid;
  started(top);
  for (;;) {
    const message = await ctx.receive();
    if (message instanceof ExitMessage && top !== undefined && message.from.equals(top)) {
      // As OTP's application master: the tree ended on its own; the application's stop still runs.
      await app.spec.stop?.();
      ctx.exit(message.reason);
    }
    const stopping = message instanceof StopApplication || (message instanceof ExitMessage && message.from.equals(parent));
    if (!stopping) continue;
    if (top !== undefined) await shutdownChild(ctx, top, 'infinity');
    await app.spec.stop?.();
    ctx.exit(message instanceof ExitMessage ? message.reason : 'normal');
  }
}

async function startOne(ctx: ProcessContext, state: ControllerState, name: string, type: StartType): Promise<void> {
  const app = loadedOn(ctx.node).get(name)!;
  let top: Pid | undefined;
  const result = await startBehaviour(ctx, { label: `application ${name}` }, undefined, (masterCtx, starter) =>
    runMaster(
      masterCtx,
      app,
      ctx.self,
      (pid) => {
        top = pid;
        starter.started();
      },
      (reason) => starter.failed(reason),
    ),
  );
  if (!result.ok) {
    const reason = result.ignored ? 'ignore' : result.error instanceof InitFailedError ? result.error.reason : result.error;
    throw new ApplicationStartError(name, reason);
  }
  state.running.push({ name, type, master: result.pid });
  topsOn(ctx.node).set(name, top);
  const report: ProgressReport = { kind: 'progress', application: name, startedAt: ctx.node.name };
  ctx.node.log('info', report);
}

async function stopOne(ctx: ProcessContext, state: ControllerState, app: Running): Promise<void> {
  state.running.splice(state.running.indexOf(app), 1);
  topsOn(ctx.node).delete(app.name);
  ctx.unlink(app.master);
  const ref = ctx.monitor(app.master);
  ctx.send(app.master, new StopApplication());
  await ctx.receive(downOf(ref));
  const report: ProgressReport = { kind: 'progress', application: app.name, exited: 'stopped' };
  ctx.node.log('info', report);
}

/** @internal The node's application controller, as GenServer callbacks. */
export const applicationController: GenServerSpec<undefined, ControllerState, ControllerRequest, unknown> = {
  name: 'application_controller',
  init(_arg, ctx) {
    ctx.trapExit(true);
    return { state: { running: [] } };
  },
  async handleCall(request, _from, state, ctx) {
    switch (request.kind) {
      case 'start': {
        const started: string[] = [];
        for (const name of request.order) {
          if (state.running.some((app) => app.name === name)) continue;
          try {
            // Dependencies start temporary unless started otherwise, as `ensure_all_started`.
            await startOne(ctx, state, name, name === request.order.at(-1) ? request.type : 'temporary');
          } catch (error) {
            return { reply: { error, started }, state };
          }
          started.push(name);
        }
        return { reply: { started }, state };
      }
      case 'stop': {
        const app = state.running.find((candidate) => candidate.name === request.name);
        if (app === undefined) return { reply: { error: new NotStartedError(request.name) }, state };
        await stopOne(ctx, state, app);
        return { reply: {}, state };
      }
      case 'which':
        return { reply: state.running.map(({ name, type }) => ({ name, type })), state };
    }
  },
  async handleInfo(message, state, ctx) {
    if (!(message instanceof ExitMessage)) return { state };
    const app = state.running.find((candidate) => candidate.master.equals(message.from));
    // The node's own shutdown (or anyone else's exit signal): stop every application, last first.
    if (app === undefined) return { stop: message.reason, state };
    state.running.splice(state.running.indexOf(app), 1);
    topsOn(ctx.node).delete(app.name);
    const report: ProgressReport = { kind: 'progress', application: app.name, exited: message.reason };
    ctx.node.log('notice', report);
    const fatal = app.type === 'permanent' || (app.type === 'transient' && message.reason !== 'normal');
    if (fatal) void ctx.node.stop({ exitCode: 1 });
    return { state };
  },
  async terminate(_reason, state, ctx) {
    for (let i = state.running.length - 1; i >= 0; i--) await stopOne(ctx, state, state.running[i]!);
  },
};
