import type { Pid } from '../../runtime/index.js';
import type { FileData, FileId } from './file-id.js';
import type { FileMode } from './internal/modes.js';

export type { FileMode } from './internal/modes.js';

/**
 * What the handle's reads return for the modes given to `File.open`: `Buffer` with `'binary'`,
 * `string` without it, and either when the modes are not known at compile time.
 */
export type DataOf<M extends readonly FileMode[]> = 'binary' extends M[number] ? (FileMode extends M[number] ? FileData : Buffer) : string;

/**
 * Where `File.position` moves to (`file:position/2`): a byte offset from the start, or an offset
 * from the start (`bof`), the current position (`cur`) or the end of the file (`eof`).
 * `'bof'`, `'cur'` and `'eof'` alone mean an offset of 0.
 */
export type Location = number | 'bof' | 'cur' | 'eof' | { readonly bof: number } | { readonly cur: number } | { readonly eof: number };

/** A snapshot of a file handle that still holds its descriptor (`File.info`, `File.list`). */
export interface FileInfo {
  readonly file: FileId;
  /** The path as given to `File.open`. */
  readonly path: string;
  /** The owning process: its exit closes the file. */
  readonly owner: Pid;
  /** The modes it was opened with, `'read'` added when it reads. */
  readonly modes: readonly FileMode[];
  /** `'closing'`: closed to new operations, waiting for the one under way before releasing the descriptor. */
  readonly state: 'open' | 'closing';
  /** Where the next `read`/`write` starts; undefined after an append write (the end of the file). */
  readonly position: number | undefined;
  readonly bytesRead: number;
  readonly bytesWritten: number;
  /** Read operations that returned data (`read`, `pread`, `readLine`). */
  readonly reads: number;
  /** Write operations (`write`, `pwrite`). */
  readonly writes: number;
  /** Operations queued or under way. */
  readonly pending: number;
  /** The OS file descriptor (as listed in /proc/self/fd). */
  readonly fd: number;
  /** The node's name. */
  readonly node: string;
}

/** Options of `File.list`. */
export interface ListOptions {
  /** Most files listed. Default 100. */
  readonly limit?: number;
  /** Only the files this process owns. */
  readonly owner?: Pid;
}
