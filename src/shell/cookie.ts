import { randomBytes } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { invalidArgument } from '../runtime/index.js';
import { UnsafeCookieFileError } from './errors.js';

/** Longest cookie read from a file: a cookie is a secret of a few dozen characters, not a document. */
const MAX_COOKIE_BYTES = 1024;

/** `~/.beamish.cookie`, the cookie file of this user, as Erlang's `~/.erlang.cookie`. */
export function defaultCookieFile(): string {
  return join(homedir(), '.beamish.cookie');
}

/** Checks a cookie given as a string: non-empty, without line breaks. */
export function expectCookie(name: string, cookie: unknown): string {
  if (typeof cookie !== 'string' || cookie.length === 0 || /[\r\n]/.test(cookie)) throw invalidArgument(name, 'a non-empty string on one line', cookie);
  return cookie;
}

/**
 * Reads the cookie in `path` (default `~/.beamish.cookie`). With `create`, a missing file is
 * created first, mode 0400, holding 32 random characters, as Erlang does for `~/.erlang.cookie`.
 * Throws `UnsafeCookieFileError` for a file that others may read or write, that is not a regular
 * file of this user, or that is empty; the system's error (ENOENT) for a missing file otherwise.
 */
export function readCookieFile(path: string = defaultCookieFile(), options: { readonly create?: boolean } = {}): string {
  if (options.create === true) createCookieFile(path);
  const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new UnsafeCookieFileError(path, 'it is not a regular file');
    const uid = process.getuid?.();
    if (uid !== undefined && stats.uid !== uid) throw new UnsafeCookieFileError(path, `it belongs to uid ${stats.uid}, not to this user (${uid})`);
    if ((stats.mode & 0o077) !== 0) {
      throw new UnsafeCookieFileError(path, `others may access it (mode ${(stats.mode & 0o777).toString(8).padStart(4, '0')}; expected 0400 or 0600)`);
    }
    const buffer = Buffer.alloc(MAX_COOKIE_BYTES);
    const length = readSync(fd, buffer, 0, MAX_COOKIE_BYTES, 0);
    const cookie = buffer.toString('utf8', 0, length).split(/\r?\n/)[0]?.trim() ?? '';
    if (cookie === '') throw new UnsafeCookieFileError(path, 'it is empty');
    return cookie;
  } finally {
    closeSync(fd);
  }
}

/** Creates a cookie file with random content if none exists; never touches an existing one. */
function createCookieFile(path: string): void {
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o400);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return;
    throw error;
  }
  try {
    writeSync(fd, `${randomBytes(24).toString('base64url')}\n`);
  } finally {
    closeSync(fd);
  }
}
