import { constants } from 'node:buffer';
import type { FileData, FileId } from './file-id.js';
import { coreOf } from './internal/handle.js';
import { decode, empty, readAt, readLineAt, writeAll } from './internal/io.js';
import { bytesOf, expectOffset } from './internal/validate.js';

/*
 * Reading and writing (file:read/2, read_line/1, write/2, pread/3, pwrite/3). Any process may use
 * a handle; its operations run one at a time, in the order they were asked for. Sizes and
 * positions count bytes. In text mode (opened without 'binary') reads return strings decoded as
 * UTF-8, and a read never ends inside a character: it stops before one that is cut off, and the
 * next read starts there.
 */

/**
 * Reads up to `size` bytes from the current position and moves past them (`file:read/2`):
 * fewer only at the end of the file; `undefined` at the end (Erlang's `eof`). A size of 0 returns
 * empty data. Cost: one read(2) of `size` bytes, and a buffer of that size.
 *
 * Rejects with `FileClosedError`, `FileError` `'ebadf'` for a handle opened only for writing,
 * `TypeError` for a bad size.
 */
export async function read<D extends FileData>(file: FileId<D>, size: number): Promise<D | undefined> {
  const core = coreOf(file);
  expectOffset('size', size, constants.MAX_LENGTH);
  return core.run('read', 'read', async () => {
    if (size === 0) return empty(core) as D;
    const at = await core.currentPosition();
    const bytes = await readAt(core, at, size);
    if (bytes.length === 0) return undefined;
    core.position = at + bytes.length;
    core.bytesRead += bytes.length;
    core.reads++;
    return decode(core, bytes) as D;
  });
}

/**
 * Reads the line at the current position, through its line feed, and moves past it
 * (`file:read_line/1`): a CR LF ending comes back as LF; the last line may have no ending;
 * `undefined` at the end of the file. Cost: reads of 8 KiB until the line ends, and a copy of the
 * line; a very long line costs its length.
 *
 * Rejects as `read` does.
 */
export async function readLine<D extends FileData>(file: FileId<D>): Promise<D | undefined> {
  const core = coreOf(file);
  return core.run('readLine', 'read', async () => {
    const at = await core.currentPosition();
    const found = await readLineAt(core, at);
    if (found === undefined) return undefined;
    core.position = at + found.consumed;
    core.bytesRead += found.consumed;
    core.reads++;
    return decode(core, found.line) as D;
  });
}

/**
 * Writes `data` (a string, as UTF-8, or bytes) at the current position and moves past it
 * (`file:write/2`); in append mode at the end of the file, whatever the position. Resolves once
 * all of it is written (to the OS; see `sync` for the device).
 *
 * Rejects with `FileClosedError`, `FileError` `'ebadf'` for a handle opened only for reading (or
 * `'enospc'`, … as the system says), `TypeError` for data that is not bytes.
 */
export async function write(file: FileId, data: string | Uint8Array): Promise<void> {
  const core = coreOf(file);
  const bytes = bytesOf('data', data);
  return core.run('write', 'write', async () => {
    if (core.mode.append) {
      await writeAll(core, bytes, null);
      core.position = undefined;
    } else {
      const at = await core.currentPosition();
      await writeAll(core, bytes, at);
      core.position = at + bytes.length;
    }
    core.bytesWritten += bytes.length;
    core.writes++;
  });
}

/**
 * Reads up to `size` bytes at `position` (`file:pread/3`) without moving the current position;
 * `undefined` when `position` is at or past the end. Rejects as `read` does.
 */
export async function pread<D extends FileData>(file: FileId<D>, position: number, size: number): Promise<D | undefined> {
  const core = coreOf(file);
  expectOffset('position', position);
  expectOffset('size', size, constants.MAX_LENGTH);
  return core.run('pread', 'read', async () => {
    if (size === 0) return empty(core) as D;
    const bytes = await readAt(core, position, size);
    if (bytes.length === 0) return undefined;
    core.bytesRead += bytes.length;
    core.reads++;
    return decode(core, bytes) as D;
  });
}

/**
 * Writes `data` at `position` (`file:pwrite/3`) without moving the current position; past the end
 * of the file the gap reads as zeros. In append mode Linux writes at the end instead (as with
 * Erlang). Rejects as `write` does.
 */
export async function pwrite(file: FileId, position: number, data: string | Uint8Array): Promise<void> {
  const core = coreOf(file);
  expectOffset('position', position);
  const bytes = bytesOf('data', data);
  return core.run('pwrite', 'write', async () => {
    await writeAll(core, bytes, position);
    core.bytesWritten += bytes.length;
    core.writes++;
  });
}
