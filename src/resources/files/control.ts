import { FileError } from './errors.js';
import type { FileId } from './file-id.js';
import { coreOf } from './internal/handle.js';
import { invalid } from './internal/validate.js';
import type { Location } from './types.js';

/*
 * Position, truncation and flushing (file:position/2, truncate/1, sync/1, datasync/1). Each runs in
 * the handle's queue, after the operations asked for before it.
 */

const LOCATION = "a byte offset, 'bof', 'cur', 'eof', or { bof | cur | eof: offset }";

function locationOf(location: unknown): { from: 'bof' | 'cur' | 'eof'; offset: number } {
  if (typeof location === 'number') {
    if (Number.isSafeInteger(location)) return { from: 'bof', offset: location };
  } else if (location === 'bof' || location === 'cur' || location === 'eof') {
    return { from: location, offset: 0 };
  } else if (typeof location === 'object' && location !== null && !Array.isArray(location)) {
    const keys = Object.keys(location);
    const from = keys[0];
    const offset = (location as Record<string, unknown>)[from as string];
    if (keys.length === 1 && (from === 'bof' || from === 'cur' || from === 'eof') && Number.isSafeInteger(offset)) return { from, offset: offset as number };
  }
  throw invalid('location', LOCATION, location);
}

/**
 * Moves the current position (`file:position/2`) and resolves with it. Moving past the end is
 * allowed (a later write leaves a gap of zeros); before the start rejects with `FileError`
 * `'einval'` and leaves the position as it was. Cost: none for `bof`/`cur` (the position is kept
 * by Beamish), one fstat(2) for `eof` and after an append. `File.position(file, 'cur')` tells the
 * position without moving.
 *
 * Rejects with `FileClosedError`, `TypeError` for a location that is not one.
 */
export async function position(file: FileId, location: Location): Promise<number> {
  const core = coreOf(file);
  const { from, offset } = locationOf(location);
  return core.run('position', undefined, async () => {
    const base = from === 'bof' ? 0 : from === 'cur' ? await core.currentPosition() : (await core.handle.stat()).size;
    const target = base + offset;
    if (target < 0) throw new FileError('einval', 'position', core.path, `position ${target} is before the start of the file`, core.file);
    core.position = target;
    return target;
  });
}

/**
 * Cuts the file at the current position (`file:truncate/1`). Rejects with `FileClosedError`, or a
 * `FileError` from the system (`'einval'` or `'ebadf'` for a handle not opened for writing).
 */
export async function truncate(file: FileId): Promise<void> {
  const core = coreOf(file);
  return core.run('truncate', undefined, async () => {
    await core.handle.truncate(await core.currentPosition());
  });
}

/** Flushes the file's data and metadata to the device (`file:sync/1`, fsync(2)). Rejects with `FileClosedError` or a system `FileError`. */
export async function sync(file: FileId): Promise<void> {
  const core = coreOf(file);
  return core.run('sync', undefined, () => core.handle.sync());
}

/** Flushes the file's data, and only the metadata needed to read it back (`file:datasync/1`, fdatasync(2)). */
export async function datasync(file: FileId): Promise<void> {
  const core = coreOf(file);
  return core.run('datasync', undefined, () => core.handle.datasync());
}
