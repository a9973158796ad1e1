import { inspect } from 'node:util';
import type { NodeIdentity } from '../../runtime/index.js';
import type { SocketCore } from './internal/core.js';
import type { TcpConn } from './internal/tcp-conn.js';
import type { TcpListener } from './internal/tcp-listener.js';
import type { UdpCore } from './internal/udp-core.js';
import { invalid } from '../ports/internal/port-validate.js';

let coreOfHandle: (handle: SocketHandle) => SocketCore;

/**
 * What every socket handle has: the node it belongs to and its number there. A handle prints as
 * `#Socket<node.number>`; numbers are shared by all kinds of socket and never reused while the
 * node runs. Handles are compared by identity: one socket, one handle.
 */
export abstract class SocketHandle {
  /** The node the socket belongs to. */
  readonly node: NodeIdentity;
  /** The socket's number on its node. */
  readonly id: number;
  /** `'tcp'` (connected), `'tcp_listen'` or `'udp'`. */
  abstract readonly kind: 'tcp' | 'tcp_listen' | 'udp';
  readonly #core: SocketCore;

  /** @internal Handles are made by `Tcp.listen`, `Tcp.accept`, `Tcp.connect` and `Udp.open`. */
  constructor(node: NodeIdentity, id: number, core: SocketCore) {
    this.node = node;
    this.id = id;
    this.#core = core;
  }

  static {
    coreOfHandle = (handle) => handle.#core;
  }

  /** `#Socket<node.number>`. */
  toString(): string {
    return `#Socket<${this.node.index}.${this.id}>`;
  }

  toJSON(): string {
    return this.toString();
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/** A connected TCP socket, from `Tcp.accept` or `Tcp.connect`. */
export class TcpSocket extends SocketHandle {
  readonly kind = 'tcp' as const;
}

/** A listening TCP socket, from `Tcp.listen`: `Tcp.accept` takes connections from it. */
export class TcpListenSocket extends SocketHandle {
  readonly kind = 'tcp_listen' as const;
}

/** A UDP socket, from `Udp.open`. */
export class UdpSocket extends SocketHandle {
  readonly kind = 'udp' as const;
}

/** @internal The state behind any handle; throws `TypeError` for anything that is not one. */
export function coreOf(value: unknown, name = 'socket'): SocketCore {
  if (!(value instanceof SocketHandle)) throw invalid(name, 'a socket', value);
  return coreOfHandle(value);
}

/** @internal The state of a connected TCP socket. */
export function connOf(value: unknown): TcpConn {
  if (!(value instanceof TcpSocket)) throw invalid('socket', 'a connected TcpSocket', value);
  return coreOfHandle(value) as TcpConn;
}

/** @internal The state of a TCP socket of either kind. */
export function tcpOf(value: unknown): TcpConn | TcpListener {
  if (!(value instanceof TcpSocket) && !(value instanceof TcpListenSocket)) throw invalid('socket', 'a TcpSocket or TcpListenSocket', value);
  return coreOfHandle(value) as TcpConn | TcpListener;
}

/** @internal The state of a listen socket. */
export function listenerOf(value: unknown): TcpListener {
  if (!(value instanceof TcpListenSocket)) throw invalid('listenSocket', 'a TcpListenSocket', value);
  return coreOfHandle(value) as TcpListener;
}

/** @internal The state of a UDP socket. */
export function udpOf(value: unknown): UdpCore {
  if (!(value instanceof UdpSocket)) throw invalid('socket', 'a UdpSocket', value);
  return coreOfHandle(value) as UdpCore;
}
