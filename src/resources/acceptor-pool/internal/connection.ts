import { TIMEOUT, type ProcessContext } from '../../../runtime/index.js';
import type { TcpSocket } from '../../sockets/index.js';

/** @internal The message that gives a connection process its socket (ranch's handshake). */
export class Handshake {
  constructor(readonly socket: TcpSocket) {}
}

const isHandshake = (message: unknown): message is Handshake => message instanceof Handshake;

/** What a pool runs for every connection, in the connection's own process, which owns `socket`. */
export type ConnectionHandler = (ctx: ProcessContext, socket: TcpSocket) => unknown;

/**
 * @internal A connection process: waits up to `handshakeTimeout` ms for its socket (if the
 * acceptor died before handing it over, it never comes, and the process ends with
 * `{ shutdown: 'handshake_timeout' }`), then runs the handler.
 */
export function connectionBody(handler: ConnectionHandler, handshakeTimeout: number) {
  return async function connection(ctx: ProcessContext): Promise<void> {
    const handshake = await ctx.receive(isHandshake, handshakeTimeout);
    if (handshake === TIMEOUT) ctx.exit({ shutdown: 'handshake_timeout' });
    await handler(ctx, handshake.socket);
  };
}
