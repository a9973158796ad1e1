import { existsSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { invalidArgument } from '../runtime/index.js';
import { AttachChannel } from './channel.js';
import { expectCookie } from './cookie.js';
import { AttachProtocolError, UnknownAccessNodeError } from './errors.js';
import { greetServer, type SessionGrant, type SessionRequest } from './protocol.js';
import { checkRuntimeDir, defaultRuntimeDir, socketPathOf } from './runtime-dir.js';

/** Where to attach: a node's Unix socket by name, or a node's loopback TCP port with the cookie. */
export type AttachTarget =
  | { readonly node: string; readonly dir?: string }
  | { readonly host: string; readonly port: number; readonly cookie: string };

/** An authenticated session connection: the channel (frames follow) and what the node granted. */
export interface OperatorConnection {
  readonly channel: AttachChannel;
  readonly grant: SessionGrant;
}

/** Milliseconds a client waits for a node to finish the handshake. */
export const CLIENT_HANDSHAKE_TIMEOUT = 10_000;

/**
 * Connects to a node's operator access and opens a session. Throws `UnknownAccessNodeError` when
 * no live node has that name in the runtime directory, `UnsafeRuntimeDirError` if the directory
 * could be someone else's, `AuthenticationError` for a cookie either side rejects, and
 * `AttachProtocolError` for a peer that is not a Beamish node or refuses the session.
 */
export async function connectOperator(target: AttachTarget, request: SessionRequest, timeout = CLIENT_HANDSHAKE_TIMEOUT): Promise<OperatorConnection> {
  let socket: Socket;
  let cookie: string | undefined;
  if ('node' in target) {
    const dir = target.dir ?? defaultRuntimeDir();
    const path = socketPathOf(dir, target.node);
    if (!existsSync(dir)) throw new UnknownAccessNodeError(target.node, dir);
    checkRuntimeDir(dir);
    socket = await open(() => connect(path), (error) =>
      error.code === 'ENOENT' || error.code === 'ECONNREFUSED' ? new UnknownAccessNodeError(target.node, dir, { cause: error }) : error,
    );
  } else {
    if (!Number.isInteger(target.port) || target.port < 1 || target.port > 65535) throw invalidArgument('target.port', 'a port number from 1 to 65535', target.port);
    cookie = expectCookie('target.cookie', target.cookie);
    socket = await open(() => connect(target.port, target.host), (error) => error);
  }
  const channel = new AttachChannel(socket);
  const timer = setTimeout(() => channel.fail(new AttachProtocolError(`The node did not finish the handshake within ${timeout} ms`)), timeout);
  try {
    const grant = await greetServer(channel, request, { cookie, requireChallenge: cookie !== undefined });
    return { channel, grant };
  } catch (error) {
    channel.fail(error as Error);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

function open(make: () => Socket, translate: (error: NodeJS.ErrnoException) => Error): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = make();
    socket.once('connect', () => {
      socket.off('error', failed);
      resolve(socket);
    });
    const failed = (error: NodeJS.ErrnoException): void => reject(translate(error));
    socket.once('error', failed);
  });
}
