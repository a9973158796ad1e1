/**
 * Structure: what a node is made of — the supervision tree of an application or a supervisor, and
 * the graph of the applications and their dependencies — as plain data, as a terminal tree
 * (`renderTree`) and as Graphviz dot text (`toDot`). Observer's "Applications" tab for Beamish.
 *
 * Every call here asks supervisors through their ordinary requests, each bounded by a timeout: a
 * hung supervisor is shown as hung, never waited on. A process that dies during the walk is shown
 * as it was last seen; nothing here throws because of it. For counting every supervisor's children
 * (leak suspects), see `supervisorChildCounts`.
 *
 * **When not to use it.** To find *which* process misbehaves, start from the top-N calls; walk the
 * tree to see where a process sits and what would restart with it.
 */
import {
  Application,
  CallExitError,
  CallTimeoutError,
  NotASupervisorError,
  NotStartedError,
  Supervisor,
  UnknownApplicationError,
  type RestartType,
  type StartType,
  type SupervisorKind,
} from '../otp/index.js';
import { invalidArgument, nodeOf, NoProcError, Pid, type BeamishNode } from '../runtime/index.js';
import { abortable, checkCount, checkOptions } from './internal/structure-options.js';
import type { MedicOptions } from './options.js';
import { processNode, walkTree } from './internal/structure-walk.js';

export { renderTree, type RenderOptions } from './internal/structure-text.js';
export { toDot } from './internal/structure-dot.js';

/**
 * Options of every structure call: the medic's `node` (a supervisor pid brings its own) and
 * `signal` (stops the walk early: the call rejects with the signal's reason), and a timeout.
 */
export interface StructureOptions extends MedicOptions {
  /** Milliseconds each call into a supervisor (or the application controller) may take. Default 5000. */
  readonly timeout?: number;
}

/** Options of `supervisionTree`: the limits that bound its work and its output. */
export interface SupervisionTreeOptions extends StructureOptions {
  /** Levels below the root to list; deeper supervisors only have their children counted. Default 10. */
  readonly maxDepth?: number;
  /** Children listed per supervisor; the rest are counted in `omitted`. Default 100. */
  readonly maxChildren?: number;
  /** Nodes in the whole tree, root included; the rest are counted in `omitted`. Default 1000. */
  readonly maxNodes?: number;
}

/**
 * What the walk learned of a supervisor's children: `'listed'`; `'timeout'` (no answer within the
 * timeout: hung, suspended or busy); `'exited'` (it died while asked); `'depth_limit'` (below
 * `maxDepth`: counted, not listed); `'not_a_supervisor'` (its parent calls it a supervisor, but it
 * runs no supervisor behaviour, so it was not asked).
 */
export type TreeWalk = 'listed' | 'timeout' | 'exited' | 'depth_limit' | 'not_a_supervisor';

/** One process of a supervision tree, as its supervisor and the runtime describe it. */
export interface SupervisionTreeNode {
  /** Its pid; undefined when it is not running. */
  readonly pid: Pid | undefined;
  /** Its child id in its supervisor, as text; undefined for the root and a dynamic supervisor's children. */
  readonly id: string | undefined;
  /** Its registered name. */
  readonly name: string | undefined;
  /** Its process label (`'Supervisor'`, `'Task.Supervisor'`, `'supervised task'`, a GenServer's name, …). */
  readonly label: string | undefined;
  /** As its child spec says (for the root: whether it is a supervisor). */
  readonly type: 'supervisor' | 'worker';
  /** The supervisor behaviour it runs, if any (see `Supervisor.kindOf`). */
  readonly kind: SupervisorKind | undefined;
  /** Its restart type, when known: asked of a `Supervisor`; a dynamic supervisor's children leave it undefined. */
  readonly restart: RestartType | undefined;
  /** Running, being restarted (a restart failed and is retried), or not running (as OTP's `undefined`). */
  readonly state: 'alive' | 'restarting' | 'not_running';
  /** For a running supervisor, whether its children were listed or why not; undefined otherwise. */
  readonly walk: TreeWalk | undefined;
  readonly children: readonly SupervisionTreeNode[];
  /** Children it has that `children` leaves out (limits, or depth). */
  readonly omitted: number;
}

/** A supervision tree, as `supervisionTree` found it. */
export interface SupervisionTree {
  readonly kind: 'supervision_tree';
  /** The node's name. */
  readonly node: string;
  /** The application whose tree it is, when asked by application. */
  readonly application: string | undefined;
  /** The timeout each call had, for reading `'timeout'` walks. */
  readonly timeout: number;
  readonly root: SupervisionTreeNode;
}

/** One application of `applicationGraph`. */
export interface ApplicationVertex {
  readonly name: string;
  /** `'not_loaded'`: named as a dependency by a loaded application, but not loaded itself. */
  readonly state: 'running' | 'loaded' | 'not_loaded';
  /** How it was started, when running (unknown when the controller did not answer in time). */
  readonly startType: StartType | undefined;
  /** Its top process, when running (see `Application.getSupervisor`). */
  readonly supervisor: Pid | undefined;
  /** The applications it depends on, as its spec names them. */
  readonly dependencies: readonly string[];
}

/** The applications of a node and what depends on what. */
export interface ApplicationGraph {
  readonly kind: 'application_graph';
  readonly node: string;
  /** Loaded applications in load order, then the missing dependencies. */
  readonly applications: readonly ApplicationVertex[];
  /** `from` depends on `to` (it starts after it). */
  readonly edges: readonly { readonly from: string; readonly to: string }[];
  /**
   * Whether the application controller answered within the timeout. It does not while it starts
   * or stops an application; `state` then comes from the top processes alone and `startType` is
   * unknown.
   */
  readonly controller: 'answered' | 'timeout';
}

/** The root's pid and node, checked; its kind is taken now, as it may die before it is asked. */
function rootOf(root: string | Pid, node: BeamishNode): { pid: Pid; node: BeamishNode; kind: SupervisorKind | undefined; application: string | undefined } {
  if (typeof root === 'string') {
    if (!Application.loadedApplications({ node }).some((app) => app.name === root)) throw new UnknownApplicationError(root);
    const top = Application.getSupervisor(root, { node });
    if (top === undefined) throw new NotStartedError(root);
    return { pid: top, node, kind: Supervisor.kindOf(top), application: root };
  }
  if (!(root instanceof Pid)) throw invalidArgument('root', 'an application name or a supervisor Pid', root);
  const own = nodeOf(root);
  if (own === undefined || !own.isAlive(root)) throw new NoProcError(root);
  const kind = Supervisor.kindOf(root);
  if (kind === undefined) throw new NotASupervisorError(root);
  return { pid: root, node: own, kind, application: undefined };
}

/**
 * The supervision tree of a running application (by name) or of a supervisor (by pid), walked
 * top down with `Supervisor.whichChildren`, `DynamicSupervisor` and `Task.Supervisor` children
 * included.
 *
 * **Cost.** One `whichChildren` call per supervisor listed and one `getChildspec` per child of a
 * `Supervisor` (for its restart type), all bounded by `options.timeout`; the supervisors of one
 * level are asked concurrently, so the walk takes at most 2 × timeout per level, and one timeout
 * more for the `countChildren` of those at `maxDepth`. Each supervisor copies its whole child list
 * into the reply (a 100,000-child dynamic supervisor: about 15–40 ms); the tree keeps at most
 * `maxChildren` of them per supervisor and `maxNodes` in all.
 *
 * Rejects with `UnknownApplicationError` (not loaded), `NotStartedError` (loaded, not running),
 * `NoProcError` (a pid that is not alive), `NotASupervisorError` (a pid that is no supervisor:
 * nothing is sent to it), `TypeError` for bad options, or the signal's reason when aborted.
 *
 * @example
 * const tree = await supervisionTree('shop', { timeout: 1000, maxDepth: 3 });
 * console.log(renderTree(tree));
 */
export async function supervisionTree(root: string | Pid, options?: SupervisionTreeOptions): Promise<SupervisionTree> {
  const checked = checkOptions(options, 5000);
  const limits = {
    maxDepth: checkCount('options.maxDepth', options?.maxDepth ?? 10, 0),
    maxChildren: checkCount('options.maxChildren', options?.maxChildren ?? 100, 0),
    maxNodes: checkCount('options.maxNodes', options?.maxNodes ?? 1000, 1),
  };
  checked.signal?.throwIfAborted();
  const { pid, node, kind, application } = rootOf(root, checked.node);
  const top = processNode(node, pid, undefined, kind === undefined ? 'worker' : 'supervisor', kind);
  await walkTree(top, limits, { ...checked, node });
  return { kind: 'supervision_tree', node: node.name, application, timeout: checked.timeout, root: top };
}

/**
 * The applications of a node — loaded and running — with their dependency edges (from their
 * specs), start types and top processes.
 *
 * **Cost.** O(applications), and one call into the application controller (`whichApplications`),
 * bounded by `options.timeout`; a controller busy starting or stopping an application shows as
 * `controller: 'timeout'` rather than holding this up. Rejects only for bad options, or with the
 * signal's reason when aborted.
 */
export async function applicationGraph(options?: StructureOptions): Promise<ApplicationGraph> {
  const { node, timeout, signal } = checkOptions(options, 5000);
  signal?.throwIfAborted();
  let running: Map<string, StartType> | undefined;
  try {
    const apps = await abortable(Application.whichApplications({ node, timeout }), signal);
    running = new Map(apps.map((app) => [app.name, app.type]));
  } catch (error) {
    if (error instanceof CallExitError) running = new Map();
    else if (!(error instanceof CallTimeoutError)) throw error;
  }
  const loaded = Application.loadedApplications({ node });
  const applications: ApplicationVertex[] = loaded.map(({ name, dependencies }) => {
    const supervisor = Application.getSupervisor(name, { node });
    const isRunning = running === undefined ? supervisor !== undefined : running.has(name);
    return { name, state: isRunning ? 'running' : 'loaded', startType: running?.get(name), supervisor, dependencies };
  });
  const known = new Set(loaded.map((app) => app.name));
  for (const { dependencies } of loaded) {
    for (const name of dependencies) {
      if (known.has(name)) continue;
      known.add(name);
      applications.push({ name, state: 'not_loaded', startType: undefined, supervisor: undefined, dependencies: [] });
    }
  }
  const edges = loaded.flatMap(({ name, dependencies }) => dependencies.map((to) => ({ from: name, to })));
  return { kind: 'application_graph', node: node.name, applications, edges, controller: running === undefined ? 'timeout' : 'answered' };
}
