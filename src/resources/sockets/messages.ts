import type { TcpListenSocket, TcpSocket, UdpSocket } from './handles.js';

/** What every message from a socket has: the socket it comes from (Erlang's `{tcp, Socket, …}`). */
export abstract class SocketMessage {
  constructor(readonly socket: TcpSocket | TcpListenSocket | UdpSocket) {}
}

/** Data from the peer (`{tcp, Socket, Data}`): a chunk as read, or one packet with framing. */
export class TcpData extends SocketMessage {
  declare readonly socket: TcpSocket;

  constructor(
    socket: TcpSocket,
    readonly data: Buffer,
  ) {
    super(socket);
  }
}

/**
 * The peer closed the connection (`{tcp_closed, Socket}`), after every byte it sent was
 * delivered. With `exitOnClose` (the default) the socket is now closed.
 */
export class TcpClosed extends SocketMessage {
  declare readonly socket: TcpSocket;
}

/**
 * The connection failed (`{tcp_error, Socket, Reason}`): `reason` is the POSIX name
 * (`'econnreset'` when the peer reset it, `'etimedout'`, …) or `'emsgsize'` for a packet over
 * `packetSize`. A `TcpClosed` follows, and the socket is closed.
 */
export class TcpError extends SocketMessage {
  declare readonly socket: TcpSocket;

  constructor(
    socket: TcpSocket,
    readonly reason: string,
  ) {
    super(socket);
  }
}

/** An `active: N` count ran out (`{tcp_passive, Socket}`): the socket is passive now. */
export class TcpPassive extends SocketMessage {
  declare readonly socket: TcpSocket;
}

/** A datagram (`{udp, Socket, Address, Port, Data}`). */
export class UdpData extends SocketMessage {
  declare readonly socket: UdpSocket;

  constructor(
    socket: UdpSocket,
    readonly address: string,
    readonly port: number,
    readonly data: Buffer,
  ) {
    super(socket);
  }
}

/** The system reported an error on the socket (`{udp_error, Socket, Reason}`); it stays open. */
export class UdpError extends SocketMessage {
  declare readonly socket: UdpSocket;

  constructor(
    socket: UdpSocket,
    readonly reason: string,
  ) {
    super(socket);
  }
}

/** An `active: N` count ran out (`{udp_passive, Socket}`): the socket is passive now. */
export class UdpPassive extends SocketMessage {
  declare readonly socket: UdpSocket;
}

/** Every message a TCP socket sends its owner. */
export type TcpMessage = TcpData | TcpClosed | TcpError | TcpPassive;

/** Every message a UDP socket sends its owner. */
export type UdpMessage = UdpData | UdpError | UdpPassive;

/**
 * A matcher for every message from one socket, for selective receive:
 * `await ctx.receive(fromSocket(socket))`. Listen sockets send no messages.
 */
export function fromSocket(socket: TcpSocket): (message: unknown) => message is TcpMessage;
export function fromSocket(socket: UdpSocket): (message: unknown) => message is UdpMessage;
export function fromSocket(socket: TcpSocket | TcpListenSocket | UdpSocket): (message: unknown) => message is SocketMessage;
export function fromSocket(socket: TcpSocket | TcpListenSocket | UdpSocket): (message: unknown) => message is SocketMessage {
  return (message): message is SocketMessage => message instanceof SocketMessage && message.socket === socket;
}
