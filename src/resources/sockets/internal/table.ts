import { SystemLimitError, type BeamishNode } from '../../../runtime/index.js';
import type { SocketCore } from './core.js';

/** The default most sockets open at once on a node: Erlang counts sockets as ports (`+Q`). */
export const DEFAULT_MAX_SOCKETS = 65_536;

/** The open sockets of one node, their numbering and their limit. */
export class SocketTable {
  maxSockets = DEFAULT_MAX_SOCKETS;
  /** Open sockets, oldest first (a Set keeps insertion order). */
  readonly open = new Set<SocketCore>();
  #lastId = 0;

  /** Throws `SystemLimitError` when the node already has `maxSockets` open. */
  checkRoom(): void {
    if (this.open.size >= this.maxSockets) throw new SystemLimitError('sockets', this.maxSockets);
  }

  /** The number of the next socket; numbers are not reused while the node runs. */
  nextId(): number {
    return ++this.#lastId;
  }
}

const tables = new WeakMap<BeamishNode, SocketTable>();

/** The socket table of a node, made on first use; it goes with the node. */
export function socketTableOf(node: BeamishNode): SocketTable {
  let table = tables.get(node);
  if (table === undefined) {
    table = new SocketTable();
    tables.set(node, table);
  }
  return table;
}
