import type { BeamishNode } from '../../runtime/index.js';
import { DEFAULT_MAX_SOCKETS, socketTableOf } from './internal/table.js';
import { invalid } from './internal/validate.js';
import type { SocketInfo } from './types.js';

export { DEFAULT_MAX_SOCKETS };

/**
 * The open sockets of a node, oldest first, at most `limit` of them (`inet:i()`): kind, owner,
 * addresses and bytes of each, with the total count beside them. The limit is required, as every
 * listing of a live node should be bounded: O(limit), never a copy of the whole table.
 */
export function listSockets(node: BeamishNode, limit: number): { readonly total: number; readonly sockets: readonly SocketInfo[] } {
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0) throw invalid('limit', 'a whole number from 0 up', limit);
  const table = socketTableOf(node);
  const sockets: SocketInfo[] = [];
  for (const core of table.open) {
    if (sockets.length >= limit) break;
    sockets.push(core.info());
  }
  return { total: table.open.size, sockets };
}

/** The socket settings of a node: the most sockets open at once (default 65,536). */
export function socketLimits(node: BeamishNode): { readonly maxSockets: number } {
  return { maxSockets: socketTableOf(node).maxSockets };
}

/**
 * Changes the socket limit of a node. Past it, `listen`, `connect` and `open` throw
 * `SystemLimitError` and `accept` rejects with it (closing the connection it would have taken).
 * Lowering it below the number open closes nothing.
 */
export function configureSockets(node: BeamishNode, settings: { readonly maxSockets?: number }): void {
  const { maxSockets } = settings;
  if (maxSockets === undefined) return;
  if (typeof maxSockets !== 'number' || !Number.isInteger(maxSockets) || maxSockets < 1) {
    throw invalid('settings.maxSockets', 'a whole number from 1 up', maxSockets);
  }
  socketTableOf(node).maxSockets = maxSockets;
}
