import { invalidArgument } from '../../runtime/index.js';
import type { ApplicationGraph, ApplicationVertex, SupervisionTree, SupervisionTreeNode } from '../structure.js';
import { nodeParts, printable } from './structure-text.js';

/** A dot string: control characters escaped first, then backslashes and quotes (dot's own escapes). */
function quoted(text: string): string {
  return `"${escaped(text)}"`;
}

function escaped(text: string): string {
  return printable(text).replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

/** A multi-line label: each line escaped, joined by dot's `\n`. */
function label(lines: readonly string[]): string {
  return `"${lines.map(escaped).join('\\n')}"`;
}

function attributes(attrs: Record<string, string>): string {
  return Object.entries(attrs)
    .map(([key, value]) => `${key}=${value}`)
    .join(', ');
}

function nodeLines(node: SupervisionTreeNode, title: string | undefined, timeout: number): string[] {
  const { head, where, role, label, note } = nodeParts(node, title, timeout);
  return [head, where, role, label, note].filter((line) => line !== undefined);
}

function treeDot(tree: SupervisionTree): string[] {
  const out = ['digraph "supervision tree" {', '  graph [rankdir=LR];', '  node [fontname="monospace", fontsize=10];'];
  let counter = 0;
  const visit = (node: SupervisionTreeNode, title: string | undefined): string => {
    const id = `n${counter++}`;
    const attrs: Record<string, string> = { label: label(nodeLines(node, title, tree.timeout)), shape: node.type === 'supervisor' ? 'box' : 'ellipse' };
    if (node.state !== 'alive') attrs['style'] = 'dashed';
    if (node.walk === 'timeout' || node.walk === 'exited') attrs['color'] = attrs['fontcolor'] = 'red';
    out.push(`  ${id} [${attributes(attrs)}];`);
    for (const child of node.children) out.push(`  ${id} -> ${visit(child, undefined)};`);
    if (node.omitted > 0) {
      out.push(`  ${id}_more [${attributes({ label: quoted(`… ${node.omitted} more`), shape: 'plaintext' })}];`);
      out.push(`  ${id} -> ${id}_more [style=dotted];`);
    }
    return id;
  };
  visit(tree.root, tree.application);
  out.push('}');
  return out;
}

function vertexLines(vertex: ApplicationVertex): string[] {
  const lines = [vertex.name, vertex.startType === undefined ? vertex.state.replace('_', ' ') : `${vertex.state} ${vertex.startType}`];
  if (vertex.supervisor !== undefined) lines.push(vertex.supervisor.toString());
  return lines;
}

function graphDot(graph: ApplicationGraph): string[] {
  const controller = graph.controller === 'timeout' ? ' (controller did not answer: start types unknown)' : '';
  const out = [
    'digraph applications {',
    `  graph [label=${quoted(`applications on ${graph.node}${controller}`)}, labelloc=t];`,
    '  node [shape=box, fontname="monospace", fontsize=10];',
  ];
  const ids = new Map(graph.applications.map((vertex, i) => [vertex.name, `a${i}`]));
  graph.applications.forEach((vertex, i) => {
    const attrs: Record<string, string> = { label: label(vertexLines(vertex)) };
    if (vertex.state === 'loaded') attrs['style'] = 'dashed';
    if (vertex.state === 'not_loaded') Object.assign(attrs, { style: 'dotted', color: 'gray' });
    out.push(`  a${i} [${attributes(attrs)}];`);
  });
  for (const edge of graph.edges) {
    const from = ids.get(edge.from);
    const to = ids.get(edge.to);
    if (from !== undefined && to !== undefined) out.push(`  ${from} -> ${to};`);
  }
  out.push('}');
  return out;
}

/**
 * Graphviz dot text of a supervision tree (left to right; supervisors as boxes, workers as
 * ellipses, processes not running dashed, supervisors that did not answer in red, left-out
 * children as `… N more`) or of an application graph (an edge from each application to each of
 * its dependencies; loaded-only applications dashed, missing ones dotted). Every label is quoted
 * and escaped, so any id or name gives valid dot. O(nodes). Render it with
 * `dot -Tsvg tree.dot > tree.svg`.
 */
export function toDot(structure: SupervisionTree | ApplicationGraph): string {
  if (structure?.kind === 'supervision_tree') return `${treeDot(structure).join('\n')}\n`;
  if (structure?.kind === 'application_graph') return `${graphDot(structure).join('\n')}\n`;
  throw invalidArgument('structure', 'a supervision tree or an application graph', structure);
}
