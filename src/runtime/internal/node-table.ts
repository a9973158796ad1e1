import { NodeNameInUseError } from '../errors.js';
import type { Pid } from '../pid.js';
import type { Kernel } from './kernel.js';

/*
 * The nodes running in this Node.js process. Each gets the next small index, the first number of
 * the pids it prints; indexes are not reused, so an old pid's text never names a newer node.
 */

const byIndex = new Map<number, Kernel>();
const byName = new Map<string, Kernel>();
let nextIndex = 0;

/** Reserves an index for a node named `name`; throws if a running node has that name. */
export function claimNodeName(name: string): number {
  if (byName.has(name)) throw new NodeNameInUseError(name);
  return nextIndex++;
}

export function addNode(kernel: Kernel): void {
  byIndex.set(kernel.identity.index, kernel);
  byName.set(kernel.identity.name, kernel);
}

export function removeNode(kernel: Kernel): void {
  byIndex.delete(kernel.identity.index);
  if (byName.get(kernel.identity.name) === kernel) byName.delete(kernel.identity.name);
}

export function nodeByIndex(index: number): Kernel | undefined {
  return byIndex.get(index);
}

/** The running kernel a pid belongs to (same index and incarnation), if any. */
export function nodeOfPid(pid: Pid): Kernel | undefined {
  const kernel = pid.proc?.kernel ?? byIndex.get(pid.node.index);
  return kernel !== undefined && kernel.identity === pid.node ? kernel : undefined;
}
