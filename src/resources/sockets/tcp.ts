/**
 * TCP sockets owned by processes, as `gen_tcp` and `inet`: listen, accept, connect, send, receive
 * in any `active` mode, hand over, close. Every socket has exactly one owner; its exit closes the
 * socket. See docs/sockets.md.
 *
 * Errors known at the call (bad arguments, a closed socket, the wrong owner) are thrown by the
 * call itself; those that happen later (a refused connect, a timeout, a reset) reject the
 * promise it returned. Every such error is a `SocketError` with Erlang's reason as `code`.
 */
import type { ProcessContext } from '../../runtime/index.js';
import { SocketClosedError } from './errors.js';
import { connOf, listenerOf, tcpOf } from './handles.js';
import type { TcpListenSocket, TcpSocket } from './handles.js';
import { socketTableOf } from './internal/table.js';
import { connect as openConnection } from './internal/tcp-connect.js';
import { TcpListener } from './internal/tcp-listener.js';
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
  TCP_DEFAULTS,
  tcpOptionsOf,
} from './internal/validate.js';
import type { SocketAddress, TcpConnectOptions, TcpListenOptions, TcpSetOptions, TcpSocketOptions } from './types.js';

export { close, controllingProcess, getstat, info, owner, released, sockname } from './common.js';

const SOCKET_OPTIONS = ['active', 'packet', 'packetSize', 'exitOnClose', 'noDelay', 'keepAlive'] as const;

/**
 * Opens a listen socket on `port` (0: a free one, which `sockname` tells), owned by the caller
 * (`gen_tcp:listen/2`). The options other than `ip`, `backlog` and `ipv6Only` are what accepted
 * sockets start with. Cost: one system socket.
 *
 * Throws `TypeError` for bad arguments and `SystemLimitError` past the node's socket limit;
 * rejects with `SocketError` when the system refuses (`eaddrinuse`, `eacces`, `eaddrnotavail`).
 */
export function listen(ctx: ProcessContext, port: number, options?: TcpListenOptions): Promise<TcpListenSocket> {
  const { ctx: caller, self } = callerOf(ctx);
  const given = expectOptions('options', options);
  onlyKnown('options', given, [...SOCKET_OPTIONS, 'ip', 'backlog', 'ipv6Only']);
  const place = {
    port: expectPort('port', port, 0),
    ip: optionalHost('options.ip', given['ip']),
    backlog: optionalCount('options.backlog', given['backlog'], 128, 1),
    ipv6Only: optionalBoolean('options.ipv6Only', given['ipv6Only'], false),
  };
  const settings = tcpOptionsOf(given, TCP_DEFAULTS);
  return TcpListener.listen(caller.node, socketTableOf(caller.node), self, place, settings);
}

/**
 * Takes the next connection of a listen socket (`gen_tcp:accept/2`); the accepted socket is
 * owned by the caller. Any process may accept, several at once: they are served in the order
 * they called, each waiting up to `timeout` ms (default: for ever). An acceptor that exits stops
 * waiting. Cost: nothing while waiting beyond a timer.
 *
 * Throws `SocketClosedError` if the listen socket is closed; rejects with `SocketTimeoutError`
 * after `timeout`, with `SocketClosedError` if it closes meanwhile, and with `SystemLimitError`
 * when a connection arrives with the node's socket limit reached (that connection is closed).
 */
export function accept(ctx: ProcessContext, listenSocket: TcpListenSocket, timeout: number = Infinity): Promise<TcpSocket> {
  const { self } = callerOf(ctx);
  return listenerOf(listenSocket).accept(self, expectTimeout(timeout));
}

/**
 * Connects to `host` (a name or an address) on `port`, owned by the caller
 * (`gen_tcp:connect/4`), waiting up to `timeout` ms (default: for ever). If the caller exits
 * meanwhile, the attempt is dropped.
 *
 * Throws `TypeError` for bad arguments and `SystemLimitError` past the node's socket limit;
 * rejects with `SocketError`: `econnrefused` (nothing listens there), `ehostunreach`,
 * `enetunreach`, `nxdomain` (the name does not resolve), `etimedout` (the system gave up), …, or
 * with `SocketTimeoutError` after `timeout`. A failed connect leaves no socket behind.
 */
export function connect(ctx: ProcessContext, host: string, port: number, options?: TcpConnectOptions, timeout: number = Infinity): Promise<TcpSocket> {
  const { ctx: caller, self } = callerOf(ctx);
  const given = expectOptions('options', options);
  onlyKnown('options', given, [...SOCKET_OPTIONS, 'ip', 'port', 'lookup']);
  const lookup = given['lookup'];
  if (lookup !== undefined && typeof lookup !== 'function') throw invalid('options.lookup', 'a function like dns.lookup', lookup);
  const target = {
    host: expectHost('host', host),
    port: expectPort('port', port, 1),
    localAddress: optionalHost('options.ip', given['ip']),
    localPort: given['port'] === undefined ? undefined : expectPort('options.port', given['port'], 0),
    lookup: lookup as TcpConnectOptions['lookup'],
  };
  const settings = tcpOptionsOf(given, TCP_DEFAULTS);
  return openConnection(caller.node, socketTableOf(caller.node), self, target, settings, expectTimeout(timeout));
}

/**
 * Sends data (a string as UTF-8, or bytes), framed as the socket frames (`gen_tcp:send/2`); any
 * process may. While the system's buffer and Node's are full, because the peer does not read,
 * the returned promise waits until there is room, in order with other waiting senders, as
 * `gen_tcp:send` blocks on a busy socket; otherwise it is already resolved. Await it.
 *
 * Throws `SocketClosedError` when the socket is closed (or its sending side shut down),
 * `SocketError` `emsgsize` for data too long for a `packet` header, `TypeError` for data that is
 * not bytes; the promise rejects with `SocketClosedError` if the socket closes while the sender
 * waits (that data is not sent).
 */
export function send(socket: TcpSocket, data: string | Uint8Array): Promise<void> {
  return connOf(socket).send(data);
}

/**
 * Receives from a passive socket (`gen_tcp:recv/3`): with `packet` framing one packet (`length`
 * must be 0); raw, exactly `length` bytes, or with 0 whatever has arrived. Waits up to `timeout`
 * ms (default: for ever; 0 only takes what is already there). Reading from the network happens
 * only while a `recv` waits, so a slow receiver slows its peer down.
 *
 * Throws `SocketClosedError` when the socket is closed, `SocketError` `einval` on an active
 * socket or with a length and framing; rejects with `SocketTimeoutError` after `timeout` (nothing
 * is lost: the data stays for the next `recv`), `SocketClosedError` when the peer closed before
 * enough came (the socket then closes), or `SocketError` with the reason of a failure
 * (`econnreset`, `emsgsize`).
 */
export function recv(socket: TcpSocket, length: number, timeout: number = Infinity): Promise<Buffer> {
  if (typeof length !== 'number' || !Number.isInteger(length) || length < 0) throw invalid('length', 'a whole number from 0 up', length);
  return connOf(socket).recv(length, expectTimeout(timeout));
}

/**
 * Shuts down one or both directions of a connection (`gen_tcp:shutdown/2`). `'write'` sends the
 * end of the stream once the data already accepted is out; the peer sees it closed and may still
 * send. `'read'` discards what arrives from now on. The socket stays open until closed.
 *
 * Throws `SocketClosedError` when the socket is closed, `TypeError` for a bad `how`.
 */
export function shutdown(socket: TcpSocket, how: 'read' | 'write' | 'read_write'): void {
  if (how !== 'read' && how !== 'write' && how !== 'read_write') throw invalid('how', "'read', 'write' or 'read_write'", how);
  connOf(socket).shutdown(how);
}

/**
 * The peer's address and port (`inet:peername/1`). Throws `SocketClosedError` once closed,
 * `SocketError` `enotconn` when the connection is gone.
 */
export function peername(socket: TcpSocket): SocketAddress {
  return connOf(socket).peername();
}

/**
 * The socket's options now (`inet:getopts/2`). For a listen socket, what accepted sockets start
 * with. Throws `SocketClosedError` once the socket is closed.
 */
export function getopts(socket: TcpSocket | TcpListenSocket): TcpSocketOptions {
  const core = tcpOf(socket);
  if (!core.isOpen) throw new SocketClosedError(socket);
  return core.getopts();
}

/**
 * Changes options at run time (`inet:setopts/2`); any process may. `active` takes effect at once:
 * held data is delivered if the new mode allows, reading resumes or pauses; a count adds to what
 * is left (see `Active`). A new `packet` framing applies to the bytes not yet cut into packets.
 * On a listen socket, changes what the next accepted sockets start with.
 *
 * Throws `SocketClosedError` on a closed socket, `SocketError` `einval` when an active count
 * would pass 32767, `TypeError` for bad options (nothing is changed then).
 */
export function setopts(socket: TcpSocket | TcpListenSocket, options: TcpSetOptions): void {
  const core = tcpOf(socket);
  const given = expectOptions('options', options);
  onlyKnown('options', given, SOCKET_OPTIONS);
  const settings = tcpOptionsOf(given, core.getopts());
  if (core.kind === 'tcp') core.setopts(settings, given['active'] !== undefined);
  else core.setopts(settings);
}
