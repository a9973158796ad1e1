import { BeamishError, type Pid } from '../../runtime/index.js';
import type { AnySocket } from './types.js';

/**
 * A socket operation failed, as inet's `{error, Reason}`: `code` is Erlang's name for the reason,
 * the lower-case POSIX name where there is one (`'econnrefused'`, `'ehostunreach'`,
 * `'econnreset'`, `'eaddrinuse'`, `'emsgsize'`, …; `'nxdomain'` for a host name that does not
 * resolve; `'einval'` for an operation the socket's state does not allow, such as `recv` on an
 * active socket). The subclasses cover `closed`, `timeout` and `not_owner`. The system's error,
 * if any, is the `cause`.
 */
export class SocketError extends BeamishError {
  /** The socket concerned, when there is one (a failed connect or listen has none). */
  readonly socket: AnySocket | undefined;

  constructor(code: string, message: string, socket?: AnySocket, options?: ErrorOptions) {
    super(code, message, options);
    this.socket = socket;
  }
}

/**
 * The socket is closed (`{error, closed}`): closed by a process, by its owner's exit, by the peer
 * (with `exitOnClose`), or after an error. Also what an `accept` waiting on a listen socket gets
 * when that socket closes, and what a sender waiting for room gets when its socket closes.
 */
export class SocketClosedError extends SocketError {
  constructor(socket: AnySocket, options?: ErrorOptions) {
    super('closed', `${socket} is closed`, socket, options);
  }
}

/** An `accept`, `connect` or `recv` gave up after `timeout` ms (`{error, timeout}`). */
export class SocketTimeoutError extends SocketError {
  readonly operation: 'accept' | 'connect' | 'recv';
  readonly timeout: number;

  constructor(operation: 'accept' | 'connect' | 'recv', timeout: number, socket?: AnySocket) {
    super('timeout', `${operation}${socket === undefined ? '' : ` on ${socket}`} timed out after ${timeout} ms`, socket);
    this.operation = operation;
    this.timeout = timeout;
  }
}

/** Only the owner of a socket may hand it to another process (`{error, not_owner}`). */
export class SocketNotOwnerError extends SocketError {
  readonly caller: Pid;
  readonly owner: Pid;

  constructor(socket: AnySocket, caller: Pid, owner: Pid) {
    super('not_owner', `${caller} may not transfer ${socket}: its owner is ${owner}`, socket);
    this.caller = caller;
    this.owner = owner;
  }
}
