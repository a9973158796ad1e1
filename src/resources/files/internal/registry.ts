import type { BeamishNode } from '../../../runtime/index.js';
import type { FileCore } from './core.js';

/** The files of one node that still hold a descriptor (open or closing), oldest first, and their numbering. */
export class FileRegistry {
  readonly held = new Set<FileCore>();
  #lastId = 0;

  /** The number of the next file; numbers are not reused while the node runs. */
  nextId(): number {
    return ++this.#lastId;
  }
}

const registries = new WeakMap<BeamishNode, FileRegistry>();

/** The file registry of `node`, made on first use; it goes with the node. */
export function registryOf(node: BeamishNode): FileRegistry {
  let registry = registries.get(node);
  if (registry === undefined) {
    registry = new FileRegistry();
    registries.set(node, registry);
  }
  return registry;
}
