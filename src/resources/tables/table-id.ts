import { inspect } from 'node:util';
import type { NodeIdentity, Pid } from '../../runtime/index.js';
import type { TableState } from './internal/state.js';

let stateOf: (table: TableId) => TableState | null;
let detach: (table: TableId) => void;

/**
 * A table's handle (ets's `tid()`), returned by `Table.create`. It names the table whether or not
 * it still exists; holding one never keeps a deleted table's objects alive. It prints as
 * `#Table<node.number>`. `T` is the type of the objects the table holds.
 */
export class TableId<T extends object = object> {
  /** The node the table lives on. */
  readonly node: NodeIdentity;
  /** The table's number on its node, never reused while the node runs. */
  readonly id: number;
  #state: TableState | null;
  /** @internal Never set: it only ties the handle's type to the objects' type `T`. */
  declare readonly __objects?: T;

  static {
    stateOf = (table) => table.#state;
    detach = (table) => {
      table.#state = null;
    };
  }

  /** @internal Tables are made by `Table.create`. */
  constructor(node: NodeIdentity, id: number, state: TableState) {
    this.node = node;
    this.id = id;
    this.#state = state;
  }

  toString(): string {
    return `#Table<${this.node.index}.${this.id}>`;
  }

  toJSON(): string {
    return this.toString();
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/** @internal The live table behind a handle, or null once deleted. */
export function tableStateOf(table: TableId): TableState | null {
  return stateOf(table);
}

/** @internal Cuts a handle from its deleted table. */
export function detachTable(table: TableId): void {
  detach(table);
}

/**
 * The message a process receives when it becomes a table's owner, by `giveAway` or as the heir of
 * an owner that exited (ets's `{'ETS-TRANSFER', Tab, FromPid, Data}`).
 */
export class TableTransferMessage<T extends object = object> {
  constructor(
    readonly table: TableId<T>,
    /** The previous owner. */
    readonly from: Pid,
    /** The `giveAway` gift, or the heir's data. */
    readonly data: unknown,
  ) {}
}

/** A matcher for the transfer of one table (or any table): `await ctx.receive(transferOf(table))`. */
export function transferOf<T extends object>(table?: TableId<T>): (message: unknown) => message is TableTransferMessage<T> {
  return (message): message is TableTransferMessage<T> => message instanceof TableTransferMessage && (table === undefined || message.table === table);
}
