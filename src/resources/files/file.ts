/**
 * Files owned by a process, over `node:fs/promises` file handles, with the semantics of Erlang's
 * `file` module: the process that opens a file owns it, and the file is closed when its owner
 * exits, for any reason, `kill` and the node stopping included.
 *
 * - Open and own: `open`, `close`, `transfer`, `released`.
 * - Read and write: `read`, `readLine`, `write`, `pread`, `pwrite` (sizes and positions in bytes).
 * - Move and flush: `position`, `truncate`, `sync`, `datasync`.
 * - Look around: `info`, `list`, `count` (bounded, for the operator).
 *
 * Any process may use a handle; its operations run one at a time, in the order asked. Errors are
 * `FileError`s carrying the POSIX code (`enoent`, `eacces`, `eexist`, `eisdir`, …), `closed` after
 * a close, `not_owner` for a transfer by another process. See docs/files.md.
 *
 * **When not to use it.** To read or write a whole file at once, `fs.promises.readFile` and
 * `writeFile` are simpler: they hold no descriptor beyond the call. For streaming large files
 * through other streams, Node's streams (`fs.createReadStream`) fit better; pass them the
 * process's `ctx.signal` so they stop with it. Use `File` when a process keeps a file open for a
 * while (a log, a journal, an index) and the descriptor must not outlive it.
 */
export { open } from './open.js';
export { read, readLine, write, pread, pwrite } from './read-write.js';
export { position, truncate, sync, datasync } from './control.js';
export { close, released, transfer } from './ownership.js';
export { count, info, list } from './listing.js';
export { FileId, type FileData } from './file-id.js';
export { FileClosedError, FileError, FileNotOwnerError } from './errors.js';
export type { DataOf, FileInfo, FileMode, ListOptions, Location } from './types.js';
