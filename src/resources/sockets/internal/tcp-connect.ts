import { Socket, type LookupFunction } from 'node:net';
import type { BeamishNode, Pid } from '../../../runtime/index.js';
import { SocketClosedError, SocketTimeoutError } from '../errors.js';
import type { TcpSocket } from '../handles.js';
import type { TcpSocketOptions } from '../types.js';
import { socketErrorOf } from './system-errors.js';
import type { SocketTable } from './table.js';
import { TcpConn } from './tcp-conn.js';

/** Where to connect, and from where. */
export interface ConnectTarget {
  readonly host: string;
  readonly port: number;
  readonly localAddress: string | undefined;
  readonly localPort: number | undefined;
  readonly lookup: LookupFunction | undefined;
}

/**
 * Opens a connection owned by `owner`. The socket exists (and is counted, and dies with its
 * owner) from the start; the promise settles with it once connected, or with the connect's
 * failure, its timeout, or `closed` if the owner exits first. A failed connect leaves nothing.
 */
export function connect(node: BeamishNode, table: SocketTable, owner: Pid, target: ConnectTarget, options: TcpSocketOptions, timeout: number): Promise<TcpSocket> {
  table.checkRoom();
  const socket = new Socket({ allowHalfOpen: true });
  const conn = new TcpConn(node, table, owner, socket, options, true);
  const connected = new Promise<TcpSocket>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const settle = (error: Error | undefined): void => {
      clearTimeout(timer);
      socket.off('connect', onConnect).off('error', onError).off('close', onClose);
      if (error === undefined) conn.opened();
      if (error === undefined && conn.isOpen) resolve(conn.handle);
      else {
        reject(error ?? new SocketClosedError(conn.handle));
        conn.close();
      }
    };
    const onConnect = (): void => settle(undefined);
    const onError = (error: Error): void => settle(socketErrorOf(error, `connect to ${target.host}:${target.port}`));
    // The owner exited while connecting: its socket was closed.
    const onClose = (): void => settle(new SocketClosedError(conn.handle));
    socket.once('connect', onConnect).once('error', onError).once('close', onClose);
    if (timeout !== Infinity) timer = setTimeout(() => settle(new SocketTimeoutError('connect', timeout)), timeout);
    try {
      socket.connect({
        host: target.host,
        port: target.port,
        ...(target.localAddress === undefined ? {} : { localAddress: target.localAddress }),
        ...(target.localPort === undefined ? {} : { localPort: target.localPort }),
        ...(target.lookup === undefined ? {} : { lookup: target.lookup }),
      });
    } catch (error) {
      settle(socketErrorOf(error, `connect to ${target.host}:${target.port}`));
    }
  });
  // A caller that exits without awaiting must not turn its dropped attempt into an unhandled rejection.
  connected.catch(ignore);
  return connected;
}

const ignore = (): void => {};
