import { BeamishNode, DEFAULT_LIST_LIMIT, defaultNode, Pid } from '../../runtime/index.js';
import type { FileId } from './file-id.js';
import { coreOf } from './internal/handle.js';
import { registryOf } from './internal/registry.js';
import { invalid } from './internal/validate.js';
import type { FileInfo, ListOptions } from './types.js';

/*
 * Introspection for the operator: bounded, never touching the disk. A file shows here from the
 * moment it is open until its descriptor is closed, so a file whose close waits for a slow
 * operation shows as 'closing'.
 */

/** A snapshot of the file while it holds its descriptor (open or closing), or undefined once released. O(1). */
export function info(file: FileId): FileInfo | undefined {
  const core = coreOf(file);
  return core.state === 'closed' ? undefined : core.info();
}

function expectNode(node: unknown): BeamishNode {
  if (!(node instanceof BeamishNode)) throw invalid('node', 'a BeamishNode', node);
  return node;
}

/** How many files of the node hold a descriptor (open or closing). O(1). */
export function count(node: BeamishNode = defaultNode()): number {
  return registryOf(expectNode(node)).held.size;
}

/**
 * The node's files that hold a descriptor, oldest first: at most `limit` (default 100), and only
 * those of `owner` if given. O(files examined): with `owner`, the walk goes on past other owners'
 * files; `count` gives the total.
 */
export function list(node: BeamishNode = defaultNode(), options?: ListOptions): FileInfo[] {
  const registry = registryOf(expectNode(node));
  if (options !== undefined && (typeof options !== 'object' || options === null)) throw invalid('options', 'an options object', options);
  const limit = options?.limit ?? DEFAULT_LIST_LIMIT;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0) throw invalid('options.limit', 'a whole number from 0 up', limit);
  const owner = options?.owner;
  if (owner !== undefined && !(owner instanceof Pid)) throw invalid('options.owner', 'a Pid', owner);
  const out: FileInfo[] = [];
  for (const core of registry.held) {
    if (out.length >= limit) break;
    if (owner === undefined || core.owner.equals(owner)) out.push(core.info());
  }
  return out;
}

