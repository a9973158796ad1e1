import { BeamishNode, DEFAULT_LIST_LIMIT, defaultNode, type Pid } from '../../runtime/index.js';
import { findTable, nodeOfCaller, type TableRef } from './internal/access.js';
import { tablesOf } from './internal/registry.js';
import { TABLE_BYTES, type TableState } from './internal/state.js';
import { expectCount, expectOptions, invalid } from './internal/validate.js';
import type { TableId } from './table-id.js';
import type { Caller, Protection, TableType } from './types.js';

/*
 * Introspection (ets:info/1, ets:all/0, ets:i/0, ets:whereis/1): any process, or plain code with
 * the node, may look at any table, private ones included, as in ets. Every listing is bounded.
 */

/** A snapshot of a table's settings and size (ets:info/1). */
export interface TableInfo {
  readonly id: TableId;
  readonly name: string | undefined;
  readonly named: boolean;
  readonly type: TableType;
  readonly protection: Protection;
  readonly keyPos: number | string;
  readonly owner: Pid;
  readonly heir: Pid | undefined;
  /** Objects held. */
  readonly size: number;
  /** Estimated bytes used by the table and its objects (ets counts words; this counts bytes). */
  readonly memory: number;
  /** The node's name. */
  readonly node: string;
}

/** Options of `all` and `i`. */
export interface ListOptions {
  /** Most tables listed. Default 100. */
  readonly limit?: number;
  /** Biggest first by objects or by memory, instead of creation order. */
  readonly sortBy?: 'size' | 'memory';
}

function snapshot(state: TableState): TableInfo {
  return {
    id: state.id,
    name: state.name,
    named: state.named,
    type: state.type,
    protection: state.protection,
    keyPos: state.keyPos,
    owner: state.owner,
    heir: state.heir?.pid,
    size: state.store.size,
    memory: TABLE_BYTES + state.store.memory,
    node: state.node.name,
  };
}

/** A table's settings and size, or undefined if it does not exist (any more). O(1). */
export function info(from: Caller | BeamishNode, table: TableRef): TableInfo | undefined {
  nodeOfCaller(from);
  const state = findTable(from, table);
  return state === undefined ? undefined : snapshot(state);
}

/** The handle of the named table `name` of the node, or undefined (ets:whereis/1). O(1). */
export function whereis<T extends object = object>(from: Caller | BeamishNode, name: string): TableId<T> | undefined {
  if (typeof name !== 'string') throw invalid('name', 'a table name', name);
  return tablesOf(nodeOfCaller(from)).byName.get(name)?.id as TableId<T> | undefined;
}

/** How many tables the node has. O(1). */
export function count(from: Caller | BeamishNode = defaultNode()): number {
  return tablesOf(nodeOfCaller(from)).all.size;
}

/**
 * The node's tables (ets:all/0 with ets:info/1 of each): the first `limit` in creation order, or
 * the biggest by `sortBy`. O(limit), or O(n log n) with `sortBy`; `count` gives the total.
 */
export function all(from: Caller | BeamishNode = defaultNode(), options?: ListOptions): TableInfo[] {
  const o = expectOptions<ListOptions>('options', options);
  const limit = o?.limit === undefined ? DEFAULT_LIST_LIMIT : expectCount('options.limit', o.limit, 0);
  const sortBy = o?.sortBy;
  if (sortBy !== undefined && sortBy !== 'size' && sortBy !== 'memory') throw invalid('options.sortBy', "'size' or 'memory'", sortBy);
  const tables = tablesOf(nodeOfCaller(from)).all;
  if (sortBy !== undefined) return [...tables].map(snapshot).sort((a, b) => b[sortBy] - a[sortBy]).slice(0, limit);
  const out: TableInfo[] = [];
  for (const state of tables) {
    if (out.length >= limit) break;
    out.push(snapshot(state));
  }
  return out;
}

/**
 * The node's tables as a text table (ets:i/0): id, name, type, protection, size, memory and
 * owner, one line each, bounded as `all`, with a last line saying how many were left out.
 */
export function i(from: Caller | BeamishNode = defaultNode(), options?: ListOptions): string {
  const listed = all(from, options);
  const total = count(from);
  const rows = [['id', 'name', 'type', 'protection', 'size', 'memory', 'owner']];
  for (const t of listed) rows.push([String(t.id), t.name ?? '-', t.type, t.protection, String(t.size), String(t.memory), String(t.owner)]);
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  const lines = rows.map((row) => row.map((cell, c) => (c === 4 || c === 5 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd());
  if (total > listed.length) lines.push(`… and ${total - listed.length} more (of ${total})`);
  return lines.join('\n');
}
