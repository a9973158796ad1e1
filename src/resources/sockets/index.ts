/**
 * TCP and UDP sockets owned by processes (`gen_tcp`, `gen_udp`, `inet`). The operations are in
 * the `Tcp` and `Udp` namespaces; handles, messages, errors and listings are exported as they are.
 */
export * as Tcp from './tcp.js';
export * as Udp from './udp.js';
export { SocketHandle, TcpListenSocket, TcpSocket, UdpSocket } from './handles.js';
export {
  fromSocket,
  SocketMessage,
  TcpClosed,
  TcpData,
  TcpError,
  TcpPassive,
  UdpData,
  UdpError,
  UdpPassive,
  type TcpMessage,
  type UdpMessage,
} from './messages.js';
export { SocketClosedError, SocketError, SocketNotOwnerError, SocketTimeoutError } from './errors.js';
export { configureSockets, DEFAULT_MAX_SOCKETS, listSockets, socketLimits } from './listing.js';
export type {
  Active,
  AnySocket,
  Packet,
  SocketAddress,
  SocketInfo,
  SocketStats,
  TcpConnectOptions,
  TcpListenOptions,
  TcpOptions,
  TcpSetOptions,
  TcpSocketOptions,
  UdpDatagram,
  UdpOptions,
  UdpSetOptions,
  UdpSocketOptions,
} from './types.js';
