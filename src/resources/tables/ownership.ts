import { NotAliveError, Pid } from '../../runtime/index.js';
import { TableBusyError, TableError, TableNameInUseError } from './errors.js';
import { callerNode, resolve, type TableRef } from './internal/access.js';
import { expectData, expectHeir, expectProtection, expectTableOptions } from './internal/options.js';
import { tablesOf } from './internal/registry.js';
import { TableState } from './internal/state.js';
import { TableId, TableTransferMessage } from './table-id.js';
import type { Caller, Heir, Protection, TableOptions } from './types.js';
import { invalid } from './internal/validate.js';

/**
 * Creates a table owned by the calling process (ets:new/2). The table lives until its owner
 * deletes it or exits; on exit it passes to the heir if one is set and alive, and is deleted
 * otherwise, whatever the exit reason (`kill` included). O(1).
 *
 * Throws `TypeError` for bad options, `TableNameInUseError` when `named` and the name is taken,
 * `NotAliveError` if the caller is not alive.
 *
 * ```ts
 * const users = Table.create<{ id: string; name: string }>(ctx, { keyPos: 'id', protection: 'public' });
 * ```
 */
export function create<T extends object = unknown[]>(caller: Caller, options?: NoInfer<TableOptions<T>>): TableId<T> {
  const { node, pid } = callerNode(caller);
  const o = expectTableOptions(options);
  const heir = o.heir === undefined ? undefined : expectHeir('options.heir', o.heir, node);
  const tables = tablesOf(node);
  if (o.named && tables.byName.has(o.name as string)) throw new TableNameInUseError(o.name as string);
  const state = new TableState(node, o.type, o.keyPos, o.name, o.named, pid, o.protection, heir);
  const id = new TableId<T>(node.identity, tables.nextId(), state);
  state.id = id;
  tables.add(state);
  return id;
}

/**
 * Deletes a table and everything in it (ets:delete/1); its name, if any, is free at once. Owner
 * only. Later operations on it throw `NoTableError`. O(n) in the objects released.
 */
export function deleteTable(caller: Caller, table: TableRef): void {
  // ets's delete/2 deletes a key: refuse that call shape rather than delete the whole table.
  if (arguments.length > 2) throw invalid('Table.delete(caller, table)', 'called with two arguments (to delete a key, use Table.deleteKey)', arguments[2]);
  const state = resolve(caller, table, 'delete', 'owner');
  if (state.busy !== 0) throw new TableBusyError(state.label, 'delete');
  tablesOf(state.node).remove(state);
}

/**
 * Makes `pid` the table's owner (ets:give_away/3) and sends it
 * `TableTransferMessage(table, caller, data)`. Owner only; the heir setting is kept, so an owner
 * that names itself heir gets the table back if the new owner exits. O(1).
 *
 * Throws `TableAccessError` when the caller is not the owner, `NotAliveError` when `pid` is not
 * alive, `TableError` with code `already_owner` when `pid` owns it already and `not_local` when
 * `pid` is on another node.
 */
export function giveAway(caller: Caller, table: TableRef, pid: Pid, data?: unknown): void {
  const state = resolve(caller, table, 'giveAway', 'owner');
  const from = state.owner;
  if (!(pid instanceof Pid)) throw invalid('pid', 'a Pid', pid);
  expectData('data', data);
  if (pid.node !== state.node.identity) throw new TableError('not_local', state.label, `giveAway refused: ${pid} is not a process of node ${state.node.name}`);
  if (!state.node.isAlive(pid)) throw new NotAliveError(pid);
  if (pid.equals(state.owner)) throw new TableError('already_owner', state.label, `giveAway refused: ${pid} already owns the table`);
  tablesOf(state.node).transfer(state, pid);
  state.node.send(pid, new TableTransferMessage(state.id, from, data));
}

/** What `setOptions` changes (ets:setopts/2). */
export interface SetOptions {
  /** A new heir, or `null` for none. An heir that is not alive is ignored (none), as in ets. */
  readonly heir?: Heir | null;
  readonly protection?: Protection;
}

/** Changes a table's heir or protection (ets:setopts/2). Owner only. O(1). */
export function setOptions(caller: Caller, table: TableRef, options: SetOptions): void {
  const state = resolve(caller, table, 'setOptions', 'owner');
  if (typeof options !== 'object' || options === null) throw invalid('options', 'an object with heir and/or protection', options);
  const heir = options.heir === undefined || options.heir === null ? undefined : expectHeir('options.heir', options.heir, state.node);
  const protection = options.protection === undefined ? state.protection : expectProtection('options.protection', options.protection);
  if (options.heir !== undefined) state.heir = heir;
  state.protection = protection;
}
