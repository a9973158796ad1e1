import { chmodSync, lstatSync, unlinkSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { AccessNameInUseError, UnsafeRuntimeDirError } from './errors.js';

/** How long a probe of an existing socket waits for a live node to accept. */
const PROBE_TIMEOUT = 1000;

/** Whether a node accepts connections on the socket at `path` (false for a stale file). */
export function socketIsLive(path: string, timeout = PROBE_TIMEOUT): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect(path);
    const done = (live: boolean): void => {
      clearTimeout(timer);
      probe.destroy();
      resolve(live);
    };
    // A node that does not answer within the timeout is busy, not gone: treat it as live.
    const timer = setTimeout(() => done(true), timeout);
    probe.once('connect', () => done(true));
    probe.once('error', () => done(false));
  });
}

/** A listening Unix socket and how to remove it without touching a successor's. */
export interface UnixListener {
  readonly server: Server;
  readonly path: string;
  /** Closes the server and unlinks the socket file, if it is still the one this listener made. */
  close(): Promise<void>;
}

/**
 * Listens on the Unix socket `path` for node `nodeName`, mode 0600. A socket file left by a dead
 * node is replaced; a live one throws `AccessNameInUseError`; anything that is not a socket throws
 * `UnsafeRuntimeDirError` and is left alone.
 */
export async function listenUnix(path: string, nodeName: string, onConnection: (socket: Socket) => void): Promise<UnixListener> {
  const existing = statOrUndefined(path);
  if (existing !== undefined) {
    if (!existing.isSocket()) throw new UnsafeRuntimeDirError(path, 'a file that is not a socket has the node\'s name');
    if (await socketIsLive(path)) throw new AccessNameInUseError(nodeName, path);
    unlinkSync(path);
  }
  const server = createServer(onConnection);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve();
    });
  });
  chmodSync(path, 0o600);
  const inode = lstatSync(path).ino;
  return {
    server,
    path,
    close: () =>
      new Promise<void>((resolve) => {
        if (statOrUndefined(path)?.ino === inode) unlinkSync(path);
        server.close(() => resolve());
      }),
  };
}

function statOrUndefined(path: string): ReturnType<typeof lstatSync> | undefined {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
