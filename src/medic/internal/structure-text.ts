import { invalidArgument } from '../../runtime/index.js';
import type { ApplicationGraph, ApplicationVertex, SupervisionTree, SupervisionTreeNode, TreeWalk } from '../structure.js';

/** Options of `renderTree`. */
export interface RenderOptions {
  /** Most characters per line; longer lines end in `…`. Default 120. */
  readonly width?: number;
}

/** One printed line: its tree prefix and its text. */
interface Line {
  readonly prefix: string;
  readonly text: string;
}

/** @internal Control characters and line separators escaped (`\x0a`, `\u2028`), so that every node stays on one line. */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`;
  });
}

/** Lays out `root` and its descendants with box drawing, depth first. */
function layout<T>(root: T, text: (item: T) => string, children: (item: T) => readonly T[]): Line[] {
  const lines: Line[] = [{ prefix: '', text: text(root) }];
  const visit = (item: T, indent: string): void => {
    const list = children(item);
    list.forEach((child, i) => {
      const last = i === list.length - 1;
      lines.push({ prefix: indent + (last ? '└─ ' : '├─ '), text: text(child) });
      visit(child, indent + (last ? '   ' : '│  '));
    });
  };
  visit(root, '');
  return lines;
}

const MORE = Symbol('more');
type TreeItem = SupervisionTreeNode | { readonly [MORE]: number };

const WALK_NOTES: Record<Exclude<TreeWalk, 'listed'>, (timeout: number) => string> = {
  timeout: (timeout) => `no answer within ${timeout} ms`,
  exited: () => 'exited while asked',
  depth_limit: () => 'below the depth limit',
  not_a_supervisor: () => 'not a supervisor process',
};

/** @internal What a node's line (or dot label) says, part by part; a part is there only when it says something. */
export interface NodeParts {
  /** Its id, else its registered name (the application's name for an application's root), with the name after it when both differ. */
  readonly head: string | undefined;
  /** Its pid, or `restarting` / `not running`. */
  readonly where: string;
  /** Its type and restart type. */
  readonly role: string;
  /** Its process label, in brackets, unless it is the head. */
  readonly label: string | undefined;
  /** Why its children are not listed. */
  readonly note: string | undefined;
}

/** @internal The parts of a node's description; `title` replaces the head (the root's application). */
export function nodeParts(node: SupervisionTreeNode, title: string | undefined, timeout: number): NodeParts {
  const head = title ?? node.id ?? node.name;
  return {
    head: head !== undefined && node.name !== undefined && node.name !== head ? `${head} (${node.name})` : head,
    where: node.pid?.toString() ?? node.state.replace('_', ' '),
    role: node.restart === undefined ? node.type : `${node.type} ${node.restart}`,
    label: node.label !== undefined && node.label !== head ? `[${node.label}]` : undefined,
    note: node.walk === undefined || node.walk === 'listed' ? undefined : WALK_NOTES[node.walk](timeout),
  };
}

/** `id (name) <pid> type restart [label] — note`. */
function nodeText(node: SupervisionTreeNode, title: string | undefined, timeout: number): string {
  const { head, where, role, label, note } = nodeParts(node, title, timeout);
  const parts = [head, where, role, label, note === undefined ? undefined : `— ${note}`];
  return printable(parts.filter((part) => part !== undefined).join(' '));
}

function treeLines(tree: SupervisionTree): Line[] {
  const children = (item: TreeItem): TreeItem[] => {
    if (MORE in item) return [];
    return item.omitted > 0 ? [...item.children, { [MORE]: item.omitted }] : [...item.children];
  };
  const text = (item: TreeItem): string =>
    MORE in item ? `… ${item[MORE]} more` : nodeText(item, item === tree.root ? tree.application : undefined, tree.timeout);
  return layout<TreeItem>(tree.root, text, children);
}

function vertexText(vertex: ApplicationVertex): string {
  const parts = [vertex.name, vertex.state.replace('_', ' ')];
  if (vertex.startType !== undefined) parts.push(vertex.startType);
  if (vertex.supervisor !== undefined) parts.push(vertex.supervisor.toString());
  return printable(parts.join(' '));
}

/** The applications to show at the top: those nothing depends on, then any left unreached (a cycle's). */
function topsOf(graph: ApplicationGraph, byName: ReadonlyMap<string, ApplicationVertex>): ApplicationVertex[] {
  const dependedOn = new Set(graph.edges.map((edge) => edge.to));
  const reached = new Set<string>();
  const reach = (name: string): void => {
    const stack = [name];
    for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
      if (reached.has(next)) continue;
      reached.add(next);
      stack.push(...(byName.get(next)?.dependencies ?? []));
    }
  };
  const tops: ApplicationVertex[] = [];
  for (const pass of [(vertex: ApplicationVertex) => !dependedOn.has(vertex.name), (vertex: ApplicationVertex) => !reached.has(vertex.name)]) {
    for (const vertex of graph.applications) {
      if (!pass(vertex) || reached.has(vertex.name)) continue;
      tops.push(vertex);
      reach(vertex.name);
    }
  }
  return tops;
}

/**
 * The graph as a dependency tree: the applications nothing depends on at the top, each one's
 * dependencies under it; an application met again shows `(see above)` instead of its subtree.
 */
function graphLines(graph: ApplicationGraph): Line[] {
  const byName = new Map(graph.applications.map((vertex) => [vertex.name, vertex]));
  const shown = new Set<string>();
  // `repeat` is settled when the line is printed, so "above" is where the subtree really is.
  type Item = { readonly vertex: ApplicationVertex | undefined; repeat: boolean };
  const item = (vertex: ApplicationVertex): Item => ({ vertex, repeat: false });
  const children = (current: Item): Item[] => {
    if (current.vertex === undefined) return topsOf(graph, byName).map(item);
    if (current.repeat) return [];
    return current.vertex.dependencies.flatMap((name) => {
      const vertex = byName.get(name);
      return vertex === undefined ? [] : [item(vertex)];
    });
  };
  const text = (current: Item): string => {
    if (current.vertex === undefined) {
      const controller = graph.controller === 'timeout' ? ' (the application controller did not answer: start types unknown)' : '';
      return printable(`applications on ${graph.node}${controller}`);
    }
    current.repeat = shown.has(current.vertex.name);
    shown.add(current.vertex.name);
    return current.repeat ? printable(`${current.vertex.name} (see above)`) : vertexText(current.vertex);
  };
  return layout<Item>({ vertex: undefined, repeat: false }, text, children);
}

function clip(line: string, width: number): string {
  const chars = Array.from(line);
  return chars.length <= width ? line : `${chars.slice(0, width - 1).join('')}…`;
}

/**
 * Renders a supervision tree or an application graph as a terminal tree: one line per node,
 * `├─ └─ │` box drawing, lines cut at `options.width` characters. Ids, names and labels are
 * printed with control characters escaped. O(nodes) — the structure is already bounded.
 *
 * @example
 * renderTree(await supervisionTree('shop'))
 * // shop <0.80.0> supervisor [Supervisor]
 * // ├─ db <0.81.0> supervisor permanent [Supervisor]
 * // │  └─ store (store) <0.82.0> worker permanent
 * // └─ jobs <0.83.0> supervisor permanent [Task.Supervisor]
 */
export function renderTree(structure: SupervisionTree | ApplicationGraph, options?: RenderOptions): string {
  const width = options?.width ?? 120;
  if (!Number.isInteger(width) || width < 10) throw invalidArgument('options.width', 'a whole number from 10 up', width);
  let lines: Line[];
  if (structure?.kind === 'supervision_tree') lines = treeLines(structure);
  else if (structure?.kind === 'application_graph') lines = graphLines(structure);
  else throw invalidArgument('structure', 'a supervision tree or an application graph', structure);
  return lines.map((line) => clip(line.prefix + line.text, width)).join('\n');
}
