import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { checkRuntimeDir, defaultRuntimeDir } from './runtime-dir.js';
import { socketIsLive } from './unix-listener.js';

/** Most sockets `listNodes` probes: the directory is this user's, but keep the cost bounded all the same. */
const MAX_LISTED = 256;

/** A node found in the runtime directory. */
export interface ListedNode {
  readonly name: string;
  readonly socketPath: string;
  /** False for a socket file a dead node left behind (the next node of that name replaces it). */
  readonly live: boolean;
}

/**
 * The nodes whose operator sockets are in `dir` (default: the runtime directory), by name, each
 * probed for life (at most a second each, in parallel). An absent directory lists nothing; an
 * unsafe one throws `UnsafeRuntimeDirError`.
 */
export async function listNodes(dir: string = defaultRuntimeDir()): Promise<ListedNode[]> {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  checkRuntimeDir(dir);
  const sockets = names
    .sort()
    .slice(0, MAX_LISTED)
    .map((name) => ({ name, socketPath: join(dir, name) }))
    .filter(({ socketPath }) => {
      try {
        return lstatSync(socketPath).isSocket();
      } catch {
        return false;
      }
    });
  return Promise.all(sockets.map(async (entry) => ({ ...entry, live: await socketIsLive(entry.socketPath) })));
}
