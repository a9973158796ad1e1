import type { FileHandle } from 'node:fs/promises';
import type { BeamishNode, Pid, Ref } from '../../../runtime/index.js';
import { FileClosedError, FileError, FileNotOwnerError } from '../errors.js';
import type { FileId } from '../file-id.js';
import type { FileInfo } from '../types.js';
import { fileErrorOf } from './errno.js';
import type { OpenMode } from './modes.js';
import type { FileRegistry } from './registry.js';

/** `'open'`; `'closing'`: refusing new operations, waiting for those under way; `'closed'`: the descriptor is gone. */
export type FileState = 'open' | 'closing' | 'closed';

const DONE: Promise<void> = Promise.resolve();
const ignore = (): void => {};

/** Starts `fn` now, turning a synchronous throw into a rejection. */
function startNow<T>(fn: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve) => resolve(fn()));
}

/**
 * One open file: its descriptor, owner, position and counters, and the queue that runs its
 * operations one at a time, in the order they were asked for (as Erlang's file server does). The
 * owner is watched by a node-level monitor; its exit closes the file. A close, for any reason,
 * refuses new operations at once and releases the descriptor only after the operation under way
 * has finished, so no system call ever runs on a descriptor that was closed (or reused) under it.
 */
export class FileCore {
  readonly node: BeamishNode;
  readonly path: string;
  readonly mode: OpenMode;
  readonly handle: FileHandle;
  /** Resolves once the descriptor is closed. */
  readonly released: Promise<void>;
  /** Where `read`/`write` start; undefined after an append: the end of the file, looked up when needed. */
  position: number | undefined = 0;
  bytesRead = 0;
  bytesWritten = 0;
  reads = 0;
  writes = 0;
  #file: FileId | undefined;
  #owner: Pid;
  #watch: Ref | undefined;
  #state: FileState = 'open';
  #ownerGone = false;
  #pending = 0;
  #tail: Promise<unknown> = DONE;
  #release: () => void = ignore;
  readonly #registry: FileRegistry;

  constructor(node: BeamishNode, registry: FileRegistry, owner: Pid, path: string, mode: OpenMode, handle: FileHandle) {
    this.node = node;
    this.path = path;
    this.mode = mode;
    this.handle = handle;
    this.#owner = owner;
    this.#registry = registry;
    this.released = new Promise((resolve) => (this.#release = resolve));
  }

  get file(): FileId {
    return this.#file as FileId;
  }

  get owner(): Pid {
    return this.#owner;
  }

  get state(): FileState {
    return this.#state;
  }

  /** Joins the node's registry under its handle and starts watching the owner. Synchronous with the owner check before it. */
  attach(file: FileId): void {
    this.#file = file;
    this.#registry.held.add(this);
    this.#watch = this.node.monitor(this.#owner, () => this.node.trackRelease(this.close('owner')));
  }

  /**
   * Runs an operation after those queued before it (at once when none is), if the file is open
   * and allows it (`needs`). Rejects with `FileClosedError` when closed, or when the owner exits
   * before the operation's turn; system errors become `FileError`s.
   */
  run<T>(operation: string, needs: 'read' | 'write' | undefined, fn: () => Promise<T>): Promise<T> {
    if (this.#state !== 'open') return Promise.reject(this.closedError(operation));
    if ((needs === 'read' && !this.mode.readable) || (needs === 'write' && !this.mode.writable)) {
      const opened = this.mode.readable ? 'reading' : 'writing';
      return Promise.reject(new FileError('ebadf', operation, this.path, `the file is open only for ${opened}`, this.file));
    }
    const start = (): Promise<T> => {
      if (this.#ownerGone) throw this.closedError(operation);
      return fn();
    };
    // When idle, the system call is under way before the caller's next statement.
    const begun = ++this.#pending === 1 ? startNow(start) : this.#tail.then(start);
    const result = begun.then(
      (value) => {
        this.#pending--;
        return value;
      },
      (error: unknown) => {
        this.#pending--;
        throw fileErrorOf(error, operation, this.path, this.file);
      },
    );
    this.#tail = result.then(ignore, ignore);
    return result;
  }

  /** The position, looking up the end of the file after an append. Call only from a running operation. */
  async currentPosition(): Promise<number> {
    if (this.position === undefined) this.position = (await this.handle.stat()).size;
    return this.position;
  }

  /** See `File.transfer`; the new owner is a live process of this node (checked by the caller). */
  transfer(caller: Pid, newOwner: Pid): void {
    if (this.#state !== 'open') throw this.closedError('transfer');
    if (!caller.equals(this.#owner)) throw new FileNotOwnerError(this.file, this.path, caller, this.#owner);
    if (newOwner.equals(this.#owner)) return;
    if (this.#watch !== undefined) this.node.demonitor(this.#watch);
    this.#owner = newOwner;
    this.#watch = this.node.monitor(newOwner, () => this.node.trackRelease(this.close('owner')));
  }

  /**
   * Closes the file: by the user (operations queued before still run) or because the owner
   * exited (operations not yet started fail with `FileClosedError`). Either way the descriptor is
   * closed only once the operation under way is done. True when this call closed it; false, once
   * it is released, when it was already closed or closing. A user close rejects with the
   * system's error, if any (the descriptor is released all the same).
   */
  async close(by: 'user' | 'owner'): Promise<boolean> {
    if (this.#state !== 'open') {
      await this.released;
      return false;
    }
    this.#state = 'closing';
    if (by === 'owner') this.#ownerGone = true;
    else if (this.#watch !== undefined) this.node.demonitor(this.#watch);
    this.#watch = undefined;
    await this.#tail;
    let failure: unknown;
    try {
      await this.handle.close();
    } catch (error) {
      failure = error;
    }
    this.#state = 'closed';
    this.#registry.held.delete(this);
    this.#release();
    if (failure !== undefined && by === 'user') throw fileErrorOf(failure, 'close', this.path, this.file);
    return true;
  }

  closedError(operation: string): FileClosedError {
    return new FileClosedError(this.file, this.path, operation);
  }

  /** A snapshot for `File.info` and `File.list`. O(1). */
  info(): FileInfo {
    return {
      file: this.file,
      path: this.path,
      owner: this.#owner,
      modes: this.mode.modes,
      state: this.#state === 'open' ? 'open' : 'closing',
      position: this.position,
      bytesRead: this.bytesRead,
      bytesWritten: this.bytesWritten,
      reads: this.reads,
      writes: this.writes,
      pending: this.#pending,
      fd: this.handle.fd,
      node: this.node.name,
    };
  }
}
