import { inspect } from 'node:util';
import type { NodeIdentity } from '../../runtime/index.js';
import type { FileCore } from './internal/core.js';

let coreOf: (file: FileId) => FileCore;

/** What reads of a file return: a `Buffer` when opened `binary`, a string otherwise. */
export type FileData = Buffer | string;

/**
 * A file handle (Erlang's `io_device()`), returned by `File.open`. It names the file whether or
 * not it is still open; once closed, every operation on it fails with `FileClosedError`. It prints
 * as `#File<node.number>`. `D` is what reads return: `Buffer` (opened `binary`) or `string`.
 */
export class FileId<D extends FileData = FileData> {
  /** The node the file belongs to. */
  readonly node: NodeIdentity;
  /** The file's number on its node, never reused while the node runs. */
  readonly id: number;
  readonly #core: FileCore;
  /** @internal Never set: it only ties the handle's type to what its reads return. */
  declare readonly __data?: D;

  static {
    coreOf = (file) => file.#core;
  }

  /** @internal Files are opened by `File.open`. */
  constructor(node: NodeIdentity, id: number, core: FileCore) {
    this.node = node;
    this.id = id;
    this.#core = core;
  }

  /** True when both name the same open file. */
  equals(other: unknown): boolean {
    return other instanceof FileId && other.#core === this.#core;
  }

  toString(): string {
    return `#File<${this.node.index}.${this.id}>`;
  }

  toJSON(): string {
    return this.toString();
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/** @internal The state behind a handle. */
export function fileCoreOf(file: FileId): FileCore {
  return coreOf(file);
}
