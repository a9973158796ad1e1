/**
 * UDP sockets owned by processes, as `gen_udp`: open, send, receive in any `active` mode, hand
 * over, close. The owner's exit closes the socket. See docs/sockets.md.
 *
 * Errors known at the call are thrown by it; those that happen later reject the promise it
 * returned, as for TCP.
 */
import type { ProcessContext } from '../../runtime/index.js';
import { SocketClosedError } from './errors.js';
import { udpOf, type UdpSocket } from './handles.js';
import { expectActive } from './internal/active.js';
import { bytesOf } from './internal/addresses.js';
import { socketTableOf } from './internal/table.js';
import { UdpCore } from './internal/udp-core.js';
import {
  callerOf,
  expectHost,
  expectOptions,
  expectPort,
  expectTimeout,
  invalid,
  onlyKnown,
  optionalBoolean,
  optionalCount,
  optionalHost,
} from './internal/validate.js';
import type { UdpDatagram, UdpOptions, UdpSetOptions, UdpSocketOptions } from './types.js';

export { close, controllingProcess, getstat, info, owner, released, sockname } from './common.js';

/** The default `maxQueuedBytes`: 1 MiB. */
export const DEFAULT_MAX_QUEUED_BYTES = 1024 * 1024;

/**
 * Opens a UDP socket on `port` (0: a free one, which `sockname` tells), owned by the caller
 * (`gen_udp:open/2`). Cost: one system socket.
 *
 * Throws `TypeError` for bad arguments and `SystemLimitError` past the node's socket limit;
 * rejects with `SocketError` when the system refuses (`eaddrinuse`, `eacces`, `eaddrnotavail`).
 */
export function open(ctx: ProcessContext, port: number, options?: UdpOptions): Promise<UdpSocket> {
  const { ctx: caller, self } = callerOf(ctx);
  const given = expectOptions('options', options);
  onlyKnown('options', given, ['active', 'ip', 'family', 'reuseAddress', 'maxQueuedBytes', 'lookup']);
  const family = given['family'] ?? 'inet';
  if (family !== 'inet' && family !== 'inet6') throw invalid('options.family', "'inet' or 'inet6'", family);
  const lookup = given['lookup'];
  if (lookup !== undefined && typeof lookup !== 'function') throw invalid('options.lookup', 'a function like dns.lookup', lookup);
  const place = {
    port: expectPort('port', port, 0),
    ip: optionalHost('options.ip', given['ip']),
    family: family as 'inet' | 'inet6',
    reuseAddress: optionalBoolean('options.reuseAddress', given['reuseAddress'], false),
    lookup: lookup as UdpOptions['lookup'],
  };
  const settings: UdpSocketOptions = {
    active: given['active'] === undefined ? true : expectActive('options.active', given['active']),
    maxQueuedBytes: optionalCount('options.maxQueuedBytes', given['maxQueuedBytes'], DEFAULT_MAX_QUEUED_BYTES, 0),
  };
  return UdpCore.open(caller.node, socketTableOf(caller.node), self, place, settings);
}

/**
 * Sends a datagram to `host` (a name or an address) and `port` (`gen_udp:send/4`); any process
 * may. Resolves once the system took it (which says nothing of its arrival: UDP may lose it).
 *
 * Throws `SocketClosedError` when the socket is closed, `TypeError` for bad arguments; rejects
 * with `SocketError`: `nxdomain` (the name does not resolve), `emsgsize` (too large for a
 * datagram), `ehostunreach`, ….
 */
export function send(socket: UdpSocket, host: string, port: number, data: string | Uint8Array): Promise<void> {
  const core = udpOf(socket);
  const bytes = bytesOf(data);
  if (bytes === undefined) throw invalid('data', 'a string, Buffer or Uint8Array', data);
  return core.send(expectHost('host', host), expectPort('port', port, 1), bytes);
}

/**
 * Receives one datagram from a passive socket (`gen_udp:recv/3`), waiting up to `timeout` ms
 * (default: for ever; 0 only takes one already there).
 *
 * Throws `SocketClosedError` when the socket is closed, `SocketError` `einval` on an active
 * socket; rejects with `SocketTimeoutError` after `timeout`, `SocketClosedError` if the socket
 * closes meanwhile.
 */
export function recv(socket: UdpSocket, timeout: number = Infinity): Promise<UdpDatagram> {
  return udpOf(socket).recv(expectTimeout(timeout));
}

/** The socket's options now (`inet:getopts/2`). Throws `SocketClosedError` once closed. */
export function getopts(socket: UdpSocket): UdpSocketOptions {
  const core = udpOf(socket);
  if (!core.isOpen) throw new SocketClosedError(socket);
  return core.getopts();
}

/**
 * Changes options at run time (`inet:setopts/2`): `active` takes effect at once (held datagrams
 * are delivered if the new mode allows; a count adds to what is left); `maxQueuedBytes` applies
 * to datagrams arriving from now on.
 *
 * Throws `SocketClosedError` on a closed socket, `SocketError` `einval` when an active count
 * would pass 32767, `TypeError` for bad options (nothing is changed then).
 */
export function setopts(socket: UdpSocket, options: UdpSetOptions): void {
  const core = udpOf(socket);
  const given = expectOptions('options', options);
  onlyKnown('options', given, ['active', 'maxQueuedBytes']);
  const active = given['active'] === undefined ? undefined : expectActive('options.active', given['active']);
  const maxQueued = given['maxQueuedBytes'] === undefined ? undefined : optionalCount('options.maxQueuedBytes', given['maxQueuedBytes'], 0, 0);
  core.setopts(active, maxQueued);
}
