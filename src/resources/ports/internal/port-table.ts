import type { BeamishNode } from '../../../runtime/index.js';
import type { Port } from '../port.js';

/** Erlang's default port limit (`+Q`). */
export const DEFAULT_MAX_PORTS = 65_536;

/** The open ports of one node, their numbering and their limit. */
export class PortTable {
  maxPorts = DEFAULT_MAX_PORTS;
  readonly open = new Set<Port>();
  #lastId = 0;

  /** The number of the next port; numbers are not reused while the node runs. */
  nextId(): number {
    return ++this.#lastId;
  }
}

const tables = new WeakMap<BeamishNode, PortTable>();

/** The port table of a node, made on first use; it goes with the node. */
export function tableOf(node: BeamishNode): PortTable {
  let table = tables.get(node);
  if (table === undefined) {
    table = new PortTable();
    tables.set(node, table);
  }
  return table;
}
