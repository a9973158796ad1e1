import { lstatSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { invalidArgument } from '../runtime/index.js';
import { UnsafeRuntimeDirError } from './errors.js';

/** The longest Unix socket path every platform takes (Linux allows 107 bytes, macOS 103). */
const MAX_SOCKET_PATH = 103;

/** Characters a node name may have to be a socket's file name: no slash, no space, nothing to quote. */
const SOCKET_NAME = /^[A-Za-z0-9_.@+-]+$/;

/**
 * The directory where nodes put their operator sockets: `$XDG_RUNTIME_DIR/beamish` when that is
 * set (a per-user directory the system already keeps private), else `<tmpdir>/beamish-<uid>`.
 */
export function defaultRuntimeDir(): string {
  const xdg = process.env.XDG_RUNTIME_DIR;
  if (xdg !== undefined && xdg !== '') return join(xdg, 'beamish');
  return join(tmpdir(), `beamish-${process.getuid?.() ?? 'user'}`);
}

/**
 * Checks that `dir` is a directory of this user that nobody else may enter (mode 0700 or
 * stricter), and not a symbolic link someone planted. Throws `UnsafeRuntimeDirError` otherwise, or
 * the system's error if it cannot be read.
 */
export function checkRuntimeDir(dir: string): void {
  const stats = lstatSync(dir);
  if (stats.isSymbolicLink()) throw new UnsafeRuntimeDirError(dir, 'it is a symbolic link');
  if (!stats.isDirectory()) throw new UnsafeRuntimeDirError(dir, 'it is not a directory');
  const uid = process.getuid?.();
  if (uid !== undefined && stats.uid !== uid) throw new UnsafeRuntimeDirError(dir, `it belongs to uid ${stats.uid}, not to this user (${uid})`);
  if ((stats.mode & 0o077) !== 0) {
    throw new UnsafeRuntimeDirError(dir, `it is open to others (mode ${(stats.mode & 0o777).toString(8).padStart(4, '0')}; expected 0700)`);
  }
}

/** Creates the runtime directory with mode 0700 if it is missing, then checks it (see `checkRuntimeDir`). */
export function ensureRuntimeDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  checkRuntimeDir(dir);
}

/**
 * The path of the operator socket of node `name` in `dir`. Throws `TypeError` for a name that
 * cannot be a file name or makes the path longer than a Unix socket path may be.
 */
export function socketPathOf(dir: string, name: string): string {
  if (typeof name !== 'string' || !SOCKET_NAME.test(name)) {
    throw invalidArgument('node name', 'a name of letters, digits and _ . @ + - (it names the operator socket)', name);
  }
  const path = join(dir, name);
  if (Buffer.byteLength(path) > MAX_SOCKET_PATH) {
    throw invalidArgument('node name', `short enough for the socket path ${path} to fit in ${MAX_SOCKET_PATH} bytes`, name);
  }
  return path;
}
