import { BeamishNode, nodeOf, NotAliveError, Pid, type ProcessContext } from '../../../runtime/index.js';
import { NoTableError, TableAccessError, TableBusyError, TableError } from '../errors.js';
import { TableId, tableStateOf } from '../table-id.js';
import type { Caller } from '../types.js';
import { tablesOf } from './registry.js';
import type { TableState } from './state.js';
import { invalid } from './validate.js';

/** A table as operations take it: its handle, or the name of a named table of the caller's node. */
export type TableRef<T extends object = object> = TableId<T> | string;

/** What an operation needs: to read, to write, to be the owner, or nothing (introspection). */
export type Access = 'read' | 'write' | 'owner';

/** The pid of a caller; `TypeError` if it is neither a ProcessContext nor a Pid. */
export function callerPid(caller: Caller): Pid {
  if (caller instanceof Pid) return caller;
  const self = (caller as ProcessContext | null | undefined)?.self;
  if (self instanceof Pid) return self;
  throw invalid('caller', "the calling process's context or pid", caller);
}

/** The node of a caller or of a node given for introspection. */
export function nodeOfCaller(from: Caller | BeamishNode): BeamishNode {
  if (from instanceof BeamishNode) return from;
  if (from instanceof Pid) {
    const node = nodeOf(from);
    if (node === undefined) throw new NotAliveError(from);
    return node;
  }
  const node = (from as ProcessContext | null | undefined)?.node;
  if (node instanceof BeamishNode) return node;
  throw invalid('caller', "the calling process's context or pid", from);
}

/** The caller's pid and node, checking that it is alive (`NotAliveError` otherwise). */
export function callerNode(caller: Caller): { node: BeamishNode; pid: Pid } {
  const pid = callerPid(caller);
  const node = nodeOfCaller(caller);
  if (pid.node !== node.identity || !node.isAlive(pid)) throw new NotAliveError(pid);
  return { node, pid };
}

/** The live table `table` names, or undefined; `TypeError` for something that is not a table reference. */
export function findTable(from: Caller | BeamishNode, table: TableRef): TableState | undefined {
  if (table instanceof TableId) return tableStateOf(table) ?? undefined;
  if (typeof table === 'string') return tablesOf(nodeOfCaller(from)).byName.get(table);
  throw invalid('table', 'a TableId or the name of a named table', table);
}

function describe(table: TableRef): string {
  return typeof table === 'string' ? `table '${table}'` : `table ${String(table)}`;
}

/**
 * Resolves the table an operation names and checks that the caller may do it: the caller must be
 * a live process of the table's node with the rights `access` asks for. Throws `TypeError` for bad
 * arguments, `NoTableError`, `NotAliveError`, `TableAccessError`.
 */
export function resolve(caller: Caller, table: TableRef, operation: string, access: Access): TableState {
  const pid = callerPid(caller);
  const state = findTable(caller, table);
  if (state === undefined) throw new NoTableError(describe(table));
  const node = state.node;
  if (pid.node !== node.identity) {
    throw new TableError('not_local', state.label, `${operation} by ${pid} refused: the caller is not a process of node ${node.name}`);
  }
  if (!node.isAlive(pid)) throw new NotAliveError(pid);
  const owner = state.owner;
  if (pid !== owner && !pid.equals(owner)) {
    if (access === 'owner' || (access === 'write' && state.protection !== 'public') || (access === 'read' && state.protection === 'private')) {
      throw new TableAccessError(state.label, operation, pid, owner, state.protection);
    }
  }
  return state;
}

/** As `resolve` for writes, and refuses them while a predicate scans the table. */
export function resolveWrite(caller: Caller, table: TableRef, operation: string): TableState {
  const state = resolve(caller, table, operation, 'write');
  if (state.busy !== 0) throw new TableBusyError(state.label, operation);
  return state;
}

/** Runs a predicate scan, refusing writes to the table meanwhile. */
export function scanning<R>(state: TableState, scan: () => R): R {
  state.busy++;
  try {
    return scan();
  } finally {
    state.busy--;
  }
}
