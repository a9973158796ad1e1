import { constants } from 'node:fs';
import { invalid } from './validate.js';

/** The modes `File.open` takes, as Erlang's `file:open/2` modes. */
export const FILE_MODES = ['read', 'write', 'append', 'exclusive', 'binary', 'sync'] as const;

/** One mode of `File.open`. */
export type FileMode = (typeof FILE_MODES)[number];

/** What a set of modes means for the handle: its open(2) flags and what it allows. */
export interface OpenMode {
  /** The modes as given, without duplicates, in `FILE_MODES` order. */
  readonly modes: readonly FileMode[];
  readonly flags: number;
  readonly readable: boolean;
  readonly writable: boolean;
  readonly append: boolean;
  readonly binary: boolean;
}

const { O_APPEND, O_CREAT, O_EXCL, O_RDONLY, O_RDWR, O_SYNC, O_TRUNC, O_WRONLY } = constants;

/**
 * Reads modes as `file:open/2` does: `read` by default; `write`, `append` and `exclusive` open
 * for writing and create the file; `write` alone truncates it, with `read` or `append` it does
 * not; `exclusive` fails if the file exists. Throws `TypeError` for anything else.
 */
export function openModeOf(value: unknown): OpenMode {
  if (value === undefined) value = ['read'];
  if (!Array.isArray(value)) throw invalid('modes', `an array of modes (${FILE_MODES.join(', ')})`, value);
  const given = new Set<FileMode>();
  for (const mode of value as unknown[]) {
    if (!FILE_MODES.includes(mode as FileMode)) throw invalid('modes[]', `one of ${FILE_MODES.map((m) => `'${m}'`).join(', ')}`, mode);
    given.add(mode as FileMode);
  }
  const append = given.has('append');
  const writable = given.has('write') || append || given.has('exclusive');
  const readable = given.has('read') || !writable;
  let flags = readable && writable ? O_RDWR : writable ? O_WRONLY : O_RDONLY;
  if (writable) flags |= O_CREAT;
  if (given.has('write') && !readable && !append) flags |= O_TRUNC;
  if (append) flags |= O_APPEND;
  if (given.has('exclusive')) flags |= O_EXCL;
  if (given.has('sync')) flags |= O_SYNC;
  if (readable) given.add('read');
  return { modes: FILE_MODES.filter((mode) => given.has(mode)), flags, readable, writable, append, binary: given.has('binary') };
}
