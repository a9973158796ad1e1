import type { SocketOptions as DgramSocketOptions } from 'node:dgram';
import type { LookupFunction } from 'node:net';
import type { Pid } from '../../runtime/index.js';
import type { TcpListenSocket, TcpSocket, UdpSocket } from './handles.js';

/**
 * How a socket hands incoming data to its owner (inet's `{active, …}`):
 *
 * - `true`: every packet as a message, as fast as it comes. No back-pressure: a peer that sends
 *   faster than the owner handles fills the owner's mailbox.
 * - `false` (passive): data waits in the socket until `recv`; reading stops meanwhile, so TCP's
 *   own flow control slows the peer down.
 * - `'once'`: one message, then passive.
 * - a number N (from -32768 to 32767): N messages, then a `TcpPassive`/`UdpPassive` message and
 *   passive. Given to `setopts`, N is added to the messages still allowed; a total of 0 or less
 *   makes the socket passive at once (and sends the passive message).
 */
export type Active = boolean | 'once' | number;

/**
 * How a TCP byte stream is cut into packets (inet's `{packet, …}`): `0` (raw: chunks as read,
 * boundaries mean nothing), `1 | 2 | 4` (a big-endian length header of that many bytes before
 * each packet, added on send and removed on receive), `'line'` (a packet is a line, its newline
 * included; sent data is not changed).
 */
export type Packet = 0 | 1 | 2 | 4 | 'line';

/** An IP address and port, as `inet:sockname/1` returns them. */
export interface SocketAddress {
  readonly address: string;
  readonly port: number;
  readonly family: 'inet' | 'inet6';
}

/** Options every TCP socket has; a listen socket passes them on to the sockets it accepts. */
export interface TcpOptions {
  /** Delivery mode (see `Active`). Default `true`, as inet. */
  readonly active?: Active;
  /** Framing (see `Packet`). Default `0` (raw). */
  readonly packet?: Packet;
  /**
   * The largest packet accepted with `packet` 1, 2, 4 or `'line'`, in bytes; 0 (default, as inet)
   * for no limit. A larger one is the error `emsgsize` and closes the socket. Set it for peers
   * you do not trust: without it a 4-byte header can announce 4 GiB.
   */
  readonly packetSize?: number;
  /**
   * Close the socket when the peer closes its side (inet's `exit_on_close`). Default `true`. With
   * `false`, the owner is told (`TcpClosed`, or `recv` fails with `closed`) and may still send
   * until it closes the socket itself: for protocols where the peer shuts down writing first.
   */
  readonly exitOnClose?: boolean;
  /** Send small writes at once (TCP_NODELAY). Default `false`, as inet. */
  readonly noDelay?: boolean;
  /** Turn on TCP keep-alive probes (SO_KEEPALIVE). Default `false`. */
  readonly keepAlive?: boolean;
}

/** Options of `Tcp.listen`. */
export interface TcpListenOptions extends TcpOptions {
  /** The local address to listen on. Default: every address (`::`, or `0.0.0.0` without IPv6). */
  readonly ip?: string;
  /**
   * The most connections waiting for an `accept`: the kernel's queue and Beamish's own. A
   * connection arriving when Beamish's queue is full is closed at once. Default 128.
   */
  readonly backlog?: number;
  /** With an IPv6 `ip`, accept IPv6 connections only. Default `false`. */
  readonly ipv6Only?: boolean;
}

/** Options of `Tcp.connect`. */
export interface TcpConnectOptions extends TcpOptions {
  /** The local address to connect from (inet's `{ip, …}`). Default: chosen by the system. */
  readonly ip?: string;
  /** The local port to connect from (inet's `{port, …}`). Default: an ephemeral port. */
  readonly port?: number;
  /** How to resolve `host`: Node's `dns.lookup` by default; any function of that shape. */
  readonly lookup?: LookupFunction;
}

/** The options of a TCP socket, as `getopts` reports them. */
export interface TcpSocketOptions {
  /** The delivery mode now: for a count, the messages still allowed. */
  readonly active: Active;
  readonly packet: Packet;
  readonly packetSize: number;
  readonly exitOnClose: boolean;
  readonly noDelay: boolean;
  readonly keepAlive: boolean;
}

/** What `Tcp.setopts` may change. */
export type TcpSetOptions = Partial<TcpSocketOptions>;

/** Options of `Udp.open`. */
export interface UdpOptions {
  /** Delivery mode (see `Active`). Default `true`, as inet. */
  readonly active?: Active;
  /** The local address to bind. Default: every address of the family. */
  readonly ip?: string;
  /** `'inet'` (IPv4, default) or `'inet6'`. */
  readonly family?: 'inet' | 'inet6';
  /** Share the port with other sockets that ask for the same (SO_REUSEADDR). Default `false`. */
  readonly reuseAddress?: boolean;
  /**
   * The most bytes of datagrams kept for a passive (or exhausted `once`/N) socket; datagrams
   * arriving past it are dropped and counted, as a full kernel buffer drops them. Default 1 MiB.
   */
  readonly maxQueuedBytes?: number;
  /** How to resolve host names given to `send`: Node's `dns.lookup` by default. */
  readonly lookup?: DgramSocketOptions['lookup'];
}

/** The options of a UDP socket, as `getopts` reports them. */
export interface UdpSocketOptions {
  readonly active: Active;
  readonly maxQueuedBytes: number;
}

/** What `Udp.setopts` may change. */
export type UdpSetOptions = Partial<UdpSocketOptions>;

/** A datagram, as passive `Udp.recv` returns it. */
export interface UdpDatagram {
  readonly address: string;
  readonly port: number;
  readonly data: Buffer;
}

/**
 * Traffic counters of a socket, as `inet:getstat/1`. Received bytes are counted as read from the
 * network (headers included); packets are what the owner gets: `recvCnt` packets (or chunks, or
 * datagrams), `recvMax` the largest and `recvAvg` their average size. `sendCnt` counts sends,
 * `sendOct` their bytes (headers included). `sendPend` is the bytes accepted but not yet handed
 * to the system: Node's buffer plus senders waiting for room.
 */
export interface SocketStats {
  readonly recvOct: number;
  readonly recvCnt: number;
  readonly recvMax: number;
  readonly recvAvg: number;
  readonly sendOct: number;
  readonly sendCnt: number;
  readonly sendMax: number;
  readonly sendAvg: number;
  readonly sendPend: number;
  /** UDP only: datagrams dropped because `maxQueuedBytes` was reached. 0 for TCP. */
  readonly recvDropped: number;
}

/** Any socket handle. */
export type AnySocket = TcpSocket | TcpListenSocket | UdpSocket;

/** A bounded snapshot of one open socket, for listings (`inet:i()`, the medic kit). */
export interface SocketInfo {
  readonly socket: AnySocket;
  /** `'tcp'` (connected), `'tcp_listen'` or `'udp'`. */
  readonly kind: 'tcp' | 'tcp_listen' | 'udp';
  /** The owner: the process that gets the socket's messages and whose exit closes it. */
  readonly owner: Pid;
  /** Local address; undefined while a connect is under way. */
  readonly local: SocketAddress | undefined;
  /** The peer's address (connected TCP only). */
  readonly peer: SocketAddress | undefined;
  /** The delivery mode now (for a listen socket, the one accepted sockets start with). */
  readonly active: Active;
  readonly recvOct: number;
  readonly sendOct: number;
  readonly sendPend: number;
}
