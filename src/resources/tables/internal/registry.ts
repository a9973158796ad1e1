import type { BeamishNode, DownMessage, Pid, Ref } from '../../../runtime/index.js';
import { detachTable, TableTransferMessage } from '../table-id.js';
import type { TableState } from './state.js';

/** The tables of an owner process and the one node-level monitor that watches it for them. */
interface Owned {
  readonly monitor: Ref;
  readonly tables: Set<TableState>;
}

/**
 * The tables of one node: all of them in creation order, the named ones by name, and each owner
 * watched by one node-level monitor. When an owner exits, each of its tables passes to its heir
 * if the heir is alive, or is deleted, inside the owner's exit: no table outlives its owner.
 */
export class NodeTables {
  readonly node: BeamishNode;
  readonly byName = new Map<string, TableState>();
  readonly all = new Set<TableState>();
  readonly #owners = new Map<number, Owned>();
  #nextId = 0;

  constructor(node: BeamishNode) {
    this.node = node;
  }

  nextId(): number {
    return ++this.#nextId;
  }

  /** Registers a new table under its owner. */
  add(state: TableState): void {
    this.all.add(state);
    if (state.named) this.byName.set(state.name as string, state);
    this.#adopt(state, state.owner);
  }

  /** Makes `pid` the owner (giveAway, heir): it is watched from now on, the old owner no longer for it. */
  transfer(state: TableState, pid: Pid): void {
    this.#release(state);
    state.owner = pid;
    this.#adopt(state, pid);
  }

  /** Deletes a table: frees its objects and name, stops watching its owner, cuts its handle. */
  remove(state: TableState): void {
    if (!this.all.delete(state)) return;
    this.#release(state);
    if (state.named && this.byName.get(state.name as string) === state) this.byName.delete(state.name as string);
    state.store.clear();
    detachTable(state.id);
  }

  /** The tables `pid` owns now. */
  ownedBy(pid: Pid): TableState[] {
    return [...(this.#owners.get(pid.id)?.tables ?? [])];
  }

  #adopt(state: TableState, pid: Pid): void {
    let owned = this.#owners.get(pid.id);
    if (owned === undefined) {
      owned = { monitor: this.node.monitor(pid, (down) => this.#ownerExited(pid, down)), tables: new Set() };
      this.#owners.set(pid.id, owned);
    }
    owned.tables.add(state);
  }

  #release(state: TableState): void {
    const owned = this.#owners.get(state.owner.id);
    if (owned === undefined || !owned.tables.delete(state)) return;
    if (owned.tables.size === 0) {
      this.#owners.delete(state.owner.id);
      this.node.demonitor(owned.monitor);
    }
  }

  // Runs inside the owner's exit, before it is announced as gone to anything monitoring it later.
  #ownerExited(pid: Pid, _down: DownMessage): void {
    const owned = this.#owners.get(pid.id);
    if (owned === undefined) return;
    this.#owners.delete(pid.id);
    for (const state of owned.tables) {
      owned.tables.delete(state);
      const heir = state.heir;
      if (heir !== undefined && !heir.pid.equals(pid) && this.node.isAlive(heir.pid)) {
        state.owner = heir.pid;
        this.#adopt(state, heir.pid);
        this.node.send(heir.pid, new TableTransferMessage(state.id, pid, heir.data));
      } else {
        this.remove(state);
      }
    }
  }
}

const registries = new WeakMap<BeamishNode, NodeTables>();

/** The tables of `node`, created on first use. */
export function tablesOf(node: BeamishNode): NodeTables {
  let tables = registries.get(node);
  if (tables === undefined) {
    tables = new NodeTables(node);
    registries.set(node, tables);
  }
  return tables;
}
