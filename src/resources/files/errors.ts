import { BeamishError, type Pid } from '../../runtime/index.js';
import type { FileId } from './file-id.js';

/**
 * A file operation failed, as `file`'s `{error, Reason}`: `code` is the lower-case POSIX name the
 * system gave (`'enoent'`: no such file or directory; `'eacces'`: permission denied; `'eexist'`:
 * `exclusive` and the file exists; `'eisdir'`: a directory; `'ebadf'`: reading a handle opened
 * only for writing, or writing one opened only for reading; `'einval'`: a position before the
 * start; others as the system reports them), or one of Beamish's own: `'closed'`
 * (`FileClosedError`) and `'not_owner'` (`FileNotOwnerError`). The system's error is the `cause`.
 * The handle, if any, stays as it was: a failed read or write does not close it.
 */
export class FileError extends BeamishError {
  /** The path the operation was about, as given to `File.open`. */
  readonly path: string;
  /** The operation that failed: `'open'`, `'read'`, `'write'`, `'position'`, … */
  readonly operation: string;
  /** The handle, when the operation was on an open file (not for `open`). */
  readonly file: FileId | undefined;

  constructor(code: string, operation: string, path: string, detail: string, file?: FileId, options?: ErrorOptions) {
    super(code, `${operation} ${file === undefined ? path : `${file} (${path})`}: ${detail}`, options);
    this.path = path;
    this.operation = operation;
    this.file = file;
  }
}

/**
 * The file is closed (`file`'s `{error, terminated}`, or `einval` on a closed raw file): someone
 * closed it, or its owner exited. Every operation on it fails with this, `close` excepted, which
 * returns false. Operations queued when the owner exited fail with it too.
 */
export class FileClosedError extends FileError {
  constructor(file: FileId, path: string, operation: string) {
    super('closed', operation, path, 'the file is closed', file);
  }
}

/** Only the file's owner may transfer it; `caller` is not the owner. */
export class FileNotOwnerError extends FileError {
  readonly caller: Pid;
  readonly owner: Pid;

  constructor(file: FileId, path: string, caller: Pid, owner: Pid) {
    super('not_owner', 'transfer', path, `${caller} may not transfer it: its owner is ${owner}`, file);
    this.caller = caller;
    this.owner = owner;
  }
}
