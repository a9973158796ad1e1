import type { Pid, ProcessContext } from '../../runtime/index.js';
import { SocketClosedError } from './errors.js';
import { coreOf } from './handles.js';
import type { AnySocket, SocketAddress, SocketInfo, SocketStats } from './types.js';
import { callerOf } from './internal/validate.js';

/**
 * Makes `newOwner` the socket's owner (`gen_tcp:controlling_process/2`): it receives the socket's
 * messages from now on, and its exit, not the caller's, closes the socket. Only the owner may
 * call it. The socket's messages already in the caller's mailbox move to the new owner, in
 * order and before any later one (the owner's `tryReceive` takes them out), so nothing is lost
 * or reordered, whatever the delivery mode. Cost: one mailbox scan per moved message.
 *
 * Throws `SocketNotOwnerError` (`not_owner`) when the caller is not the owner,
 * `SocketClosedError` when the socket is closed, `NotAliveError` when `newOwner` is not a live
 * process of the socket's node, `TypeError` for bad arguments. Giving it to the owner itself
 * does nothing.
 *
 * @example
 * const socket = await Tcp.accept(ctx, listenSocket);
 * const handler = ctx.spawn(serve);
 * Tcp.controllingProcess(ctx, socket, handler);
 */
export function controllingProcess(ctx: ProcessContext, socket: AnySocket, newOwner: Pid): void {
  const caller = callerOf(ctx);
  const core = coreOf(socket);
  if (!core.isOpen) throw new SocketClosedError(socket);
  core.ownership.transfer(caller.ctx, socket, newOwner);
}

/**
 * Closes the socket (`gen_tcp:close/1`, `gen_udp:close/1`); any process may. Receivers and
 * senders waiting on it fail with `SocketClosedError`; for a listen socket, so do waiting
 * acceptors, and connections not yet accepted are closed. Data a TCP socket already accepted
 * from senders is still handed to the system (for up to 5 s), then the connection ends; the peer
 * sees it closed. Returns false if it was already closed.
 */
export function close(socket: AnySocket): boolean {
  return coreOf(socket).close();
}

/**
 * The socket's traffic counters (`inet:getstat/1`): see `SocketStats`. O(1). They stay readable
 * after the socket closes.
 */
export function getstat(socket: AnySocket): SocketStats {
  return coreOf(socket).stats();
}

/** The local address and port (`inet:sockname/1`): after `listen(ctx, 0)`, the port chosen. Throws `SocketClosedError` once closed. */
export function sockname(socket: AnySocket): SocketAddress {
  return coreOf(socket).sockname();
}

/** The process that owns the socket now. Throws `SocketClosedError` once closed. */
export function owner(socket: AnySocket): Pid {
  const core = coreOf(socket);
  if (!core.isOpen) throw new SocketClosedError(socket);
  return core.ownership.pid;
}

/** A bounded snapshot of an open socket (kind, owner, addresses, bytes), or undefined once closed. O(1). */
export function info(socket: AnySocket): SocketInfo | undefined {
  const core = coreOf(socket);
  return core.isOpen ? core.info() : undefined;
}

/**
 * Resolves when a closed socket has let go of its system handle (for a listen socket: its
 * listening handle, and every connection it accepted). Never resolves for an open socket.
 */
export function released(socket: AnySocket): Promise<void> {
  return coreOf(socket).released;
}
