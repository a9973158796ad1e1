/**
 * Application: a named component — a supervision tree, its configuration and the applications it
 * needs — started and stopped as a unit, as OTP's `application`. See docs/application.md.
 *
 * **When not to use it.** A library that runs no processes of its own is not an application; a
 * small program may start one supervisor directly. Applications pay off when a system is made of
 * parts with their own trees, start order and configuration.
 */
import { defaultNode, invalidArgument, type BeamishNode, type Pid, type ProcessContext } from '../runtime/index.js';
import * as GenServer from './gen-server.js';
import { ApplicationStartError, NotStartedError, UnknownApplicationError } from './errors.js';
import { applicationController, loadedOn, topsOn, type ControllerRequest } from './internal/application-controller.js';
import type { StartResult } from './start.js';

/**
 * What the node does when an application terminates on its own: `permanent` — the node stops
 * (orderly, then a non-zero exit status for the default node); `transient` — the same unless it
 * terminated `'normal'`; `temporary` — it is only reported.
 */
export type StartType = 'permanent' | 'transient' | 'temporary';

/** An application's definition (OTP's `.app` file and callback module in one). */
export interface ApplicationSpec {
  readonly name: string;
  /** Applications started before this one (specs are loaded as needed; names must be loaded). */
  readonly dependencies?: readonly (string | ApplicationSpec)[];
  /** Default configuration, read with `getEnv`; `load`'s `env` overrides it. */
  readonly env?: Readonly<Record<string, unknown>>;
  /**
   * Starts the application's top process (usually a supervisor), linked to `ctx`: return what
   * its `startLink` returns. `env` is the application's configuration.
   */
  start(ctx: ProcessContext, env: ReadonlyMap<string, unknown>): StartResult | Pid | Promise<StartResult | Pid>;
  /** Runs after the application's tree has stopped (OTP's `stop/1`). */
  stop?(): unknown;
}

/** Which node to act on; the default node when not given. */
export interface NodeOption {
  readonly node?: BeamishNode;
}

const CONTROLLER = 'application_controller';

function expectSpec(spec: ApplicationSpec): ApplicationSpec {
  if (typeof spec !== 'object' || spec === null || typeof spec.name !== 'string' || spec.name === '' || typeof spec.start !== 'function') {
    throw new TypeError(`Expected \`spec\` to be an application spec with a name and a start function, got \`${String(spec)}\``);
  }
  return spec;
}

/**
 * Loads an application's definition on a node, with `env` overriding its default configuration.
 * Loading again replaces the definition; a running application keeps running as it was started.
 */
export function load(spec: ApplicationSpec, options: NodeOption & { readonly env?: Readonly<Record<string, unknown>> } = {}): void {
  expectSpec(spec);
  const env = new Map(Object.entries({ ...spec.env, ...options.env }));
  loadedOn(options.node ?? defaultNode()).set(spec.name, { spec, env });
  for (const dependency of spec.dependencies ?? []) {
    if (typeof dependency !== 'string' && !loadedOn(options.node ?? defaultNode()).has(dependency.name)) load(dependency, { node: options.node });
  }
}

/** The application and its dependencies, dependencies first; throws on unknown or circular ones. */
function startOrder(node: BeamishNode, name: string): string[] {
  const apps = loadedOn(node);
  const order: string[] = [];
  const visiting = new Set<string>();
  const visit = (current: string, path: readonly string[]): void => {
    if (order.includes(current)) return;
    if (visiting.has(current)) throw new TypeError(`Expected application dependencies without cycles, got ${[...path, current].join(' -> ')}`);
    const app = apps.get(current);
    if (app === undefined) throw new UnknownApplicationError(current);
    visiting.add(current);
    for (const dependency of app.spec.dependencies ?? []) visit(typeof dependency === 'string' ? dependency : dependency.name, [...path, current]);
    visiting.delete(current);
    order.push(current);
  };
  visit(name, []);
  return order;
}

async function controller(node: BeamishNode): Promise<Pid> {
  const running = node.whereis(CONTROLLER);
  if (running !== undefined) return running;
  const result = await GenServer.start(applicationController, undefined, { node, name: CONTROLLER, label: CONTROLLER });
  if (result.ok) return result.pid;
  if (!result.ignored && result.error.code === 'already_started') return node.whereis(CONTROLLER)!;
  throw result.ignored ? new Error('application controller ignored its start') : result.error;
}

async function request<T>(node: BeamishNode, message: ControllerRequest, timeout = Infinity): Promise<T> {
  return GenServer.call<T>(await controller(node), message, timeout);
}

/**
 * Starts an application (loading a given spec first) after its dependencies, which start as
 * `temporary` unless already running, as `application:ensure_all_started`. Resolves with the names
 * started, in order; rejects with `ApplicationStartError` (those started before the failure keep
 * running) or `UnknownApplicationError`.
 */
export async function start(app: string | ApplicationSpec, options: NodeOption & { readonly type?: StartType } = {}): Promise<string[]> {
  const node = options.node ?? defaultNode();
  const type = options.type ?? 'temporary';
  if (type !== 'permanent' && type !== 'transient' && type !== 'temporary') {
    throw new TypeError(`Expected \`options.type\` to be 'permanent', 'transient' or 'temporary', got \`${String(type)}\``);
  }
  if (typeof app !== 'string') {
    if (!loadedOn(node).has(expectSpec(app).name)) load(app, { node });
    app = app.name;
  }
  const order = startOrder(node, app);
  const reply = await request<{ started: string[]; error?: ApplicationStartError }>(node, { kind: 'start', order, type });
  if (reply.error !== undefined) throw reply.error;
  return reply.started;
}

/**
 * Stops a running application: its tree is shut down (as long as that takes), then its `stop`
 * runs. Its dependencies keep running. Rejects with `NotStartedError`.
 */
export async function stop(name: string, options: NodeOption = {}): Promise<void> {
  const reply = await request<{ error?: NotStartedError }>(options.node ?? defaultNode(), { kind: 'stop', name });
  if (reply.error !== undefined) throw reply.error;
}

/**
 * The running applications, in start order. A call into the node's application controller, which
 * answers between starts and stops: rejects with `CallTimeoutError` after `options.timeout` ms
 * (default `Infinity`, as OTP's `which_applications/0` waits for a start in progress).
 */
export async function whichApplications(options: NodeOption & { readonly timeout?: number } = {}): Promise<{ name: string; type: StartType }[]> {
  const node = options.node ?? defaultNode();
  if (node.whereis(CONTROLLER) === undefined) return [];
  return request(node, { kind: 'which' }, options.timeout);
}

/** The loaded applications, in load order, each with the names of the applications it depends on. Synchronous, O(applications). */
export function loadedApplications(options: NodeOption = {}): { name: string; dependencies: string[] }[] {
  return Array.from(loadedOn(options.node ?? defaultNode()).values(), ({ spec }) => ({
    name: spec.name,
    dependencies: (spec.dependencies ?? []).map((dependency) => (typeof dependency === 'string' ? dependency : dependency.name)),
  }));
}

/**
 * The top process of a running application — what its `start` returned, usually its top
 * supervisor — or undefined when it is not running (or its start was ignored), as OTP's
 * `application:get_supervisor/1`. Synchronous, O(1): it does not wait for the controller.
 */
export function getSupervisor(name: string, options: NodeOption = {}): Pid | undefined {
  if (typeof name !== 'string') throw invalidArgument('name', 'an application name', name);
  const node = options.node ?? defaultNode();
  const top = topsOn(node).get(name);
  return top !== undefined && node.isAlive(top) ? top : undefined;
}

/** A configuration value of a loaded application (undefined if unset). Synchronous, O(1). */
export function getEnv<T = unknown>(app: string, key: string, options: NodeOption = {}): T | undefined {
  const loaded = loadedOn(options.node ?? defaultNode()).get(app);
  if (loaded === undefined) throw new UnknownApplicationError(app);
  return loaded.env.get(key) as T | undefined;
}

/** Sets a configuration value of a loaded application; running code sees it at its next `getEnv`. */
export function putEnv(app: string, key: string, value: unknown, options: NodeOption = {}): void {
  const loaded = loadedOn(options.node ?? defaultNode()).get(app);
  if (loaded === undefined) throw new UnknownApplicationError(app);
  loaded.env.set(key, value);
}
