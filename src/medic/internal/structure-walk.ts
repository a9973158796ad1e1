import { CallExitError, CallTimeoutError, NotASupervisorError, Supervisor, type ChildInfo, type RestartType } from '../../otp/index.js';
import { formatTerm, Pid, type BeamishNode } from '../../runtime/index.js';
import type { SupervisionTreeNode, TreeWalk } from '../structure.js';
import { abortable, type CheckedOptions } from './structure-options.js';

/** @internal A tree node while the walk fills it in. */
export type WalkNode = { -readonly [K in keyof SupervisionTreeNode]: SupervisionTreeNode[K] } & { children: WalkNode[] };

/** @internal The walk's limits. */
export interface WalkLimits {
  readonly maxDepth: number;
  readonly maxChildren: number;
  readonly maxNodes: number;
}

type Listing = { readonly ok: true; readonly children: ChildInfo[] } | { readonly ok: false; readonly walk: TreeWalk };

/** What a failed call into a supervisor says about it; anything else is a bug and propagates. */
function walkOf(error: unknown): TreeWalk {
  if (error instanceof CallTimeoutError) return 'timeout';
  if (error instanceof CallExitError || error instanceof NotASupervisorError) return 'exited';
  throw error;
}

async function listChildren(pid: Pid, timeout: number): Promise<Listing> {
  try {
    return { ok: true, children: await Supervisor.whichChildren(pid, timeout) };
  } catch (error) {
    return { ok: false, walk: walkOf(error) };
  }
}

async function countOf(pid: Pid, timeout: number): Promise<{ ok: true; specs: number } | { ok: false; walk: TreeWalk }> {
  try {
    return { ok: true, specs: (await Supervisor.countChildren(pid, timeout)).specs };
  } catch (error) {
    return { ok: false, walk: walkOf(error) };
  }
}

async function restartOf(supervisor: Pid, id: unknown, timeout: number): Promise<RestartType | undefined> {
  try {
    return (await Supervisor.getChildspec(supervisor, id, timeout)).restart;
  } catch {
    // Gone, renamed or slow: the restart type is only shown when known.
    return undefined;
  }
}

/** A child id as text: strings as they are, anything else formatted (bounded). */
function idText(id: unknown): string | undefined {
  if (id === undefined) return undefined;
  return typeof id === 'string' ? id : formatTerm(id, 80);
}

/**
 * @internal A node for a listed child (or the root), from what the runtime says of it now: its
 * name and label (none if it died since), its supervisor kind unless known already. O(1).
 */
export function processNode(
  node: BeamishNode,
  pid: Pid | 'restarting' | undefined,
  id: unknown,
  type: 'supervisor' | 'worker',
  kind = pid instanceof Pid ? Supervisor.kindOf(pid) : undefined,
): WalkNode {
  const live = pid instanceof Pid ? pid : undefined;
  const info = live === undefined ? undefined : node.processInfo(live, { listLimit: 0 });
  return {
    pid: live,
    id: idText(id),
    name: info?.registeredName,
    label: info?.label,
    type,
    kind,
    restart: undefined,
    state: live !== undefined ? 'alive' : pid === 'restarting' ? 'restarting' : 'not_running',
    walk: undefined,
    children: [],
    omitted: 0,
  };
}

/** Supervisors past the depth limit: counted (one call each, concurrently), not listed. */
async function countUnwalked(level: readonly WalkNode[], options: CheckedOptions): Promise<void> {
  const counts = await abortable(Promise.all(level.map((sup) => countOf(sup.pid!, options.timeout))), options.signal);
  level.forEach((sup, i) => {
    const count = counts[i]!;
    sup.walk = count.ok ? 'depth_limit' : count.walk;
    if (count.ok) sup.omitted = count.specs;
  });
}

/**
 * @internal Walks the tree under `root` breadth first: the supervisors of one level are asked
 * concurrently (`whichChildren`, then `getChildspec` for restart types), each call bounded by
 * `options.timeout`, so the walk takes at most 2 × timeout per level. Children past the limits
 * are counted in `omitted`, in tree order, so the result does not depend on who answered first.
 */
export async function walkTree(root: WalkNode, limits: WalkLimits, options: CheckedOptions): Promise<void> {
  let budget = limits.maxNodes - 1;
  let level: WalkNode[] = root.kind === undefined ? [] : [root];
  for (let depth = 0; level.length > 0; depth++) {
    if (depth >= limits.maxDepth) return countUnwalked(level, options);
    const listings = await abortable(Promise.all(level.map((sup) => listChildren(sup.pid!, options.timeout))), options.signal);
    const next: WalkNode[] = [];
    const restarts: Promise<void>[] = [];
    level.forEach((sup, i) => {
      const listing = listings[i]!;
      if (!listing.ok) {
        sup.walk = listing.walk;
        return;
      }
      sup.walk = 'listed';
      const kept = Math.min(listing.children.length, limits.maxChildren, budget);
      budget -= kept;
      sup.omitted = listing.children.length - kept;
      for (const child of listing.children.slice(0, kept)) {
        const node = processNode(options.node, child.pid, child.id, child.type);
        sup.children.push(node);
        // A dynamic supervisor's children have no id to ask by: their restart type stays unknown.
        if (sup.kind === 'Supervisor') restarts.push(restartOf(sup.pid!, child.id, options.timeout).then((restart) => void (node.restart = restart)));
        if (node.kind !== undefined) next.push(node);
        else if (node.type === 'supervisor' && node.state === 'alive') node.walk = 'not_a_supervisor';
      }
    });
    await abortable(Promise.all(restarts), options.signal);
    level = next;
  }
}
