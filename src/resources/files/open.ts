import { open as openHandle, type FileHandle } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { ProcessContext } from '../../runtime/index.js';
import { FileError } from './errors.js';
import { FileId } from './file-id.js';
import { FileCore } from './internal/core.js';
import { fileErrorOf } from './internal/errno.js';
import { openModeOf, type FileMode } from './internal/modes.js';
import { registryOf } from './internal/registry.js';
import { expectContext, invalid } from './internal/validate.js';
import type { DataOf } from './types.js';

const ignore = (): void => {};

function pathOf(path: unknown): string {
  if (path instanceof URL) {
    if (path.protocol !== 'file:') throw invalid('path', 'a file: URL', String(path));
    return fileURLToPath(path);
  }
  if (typeof path !== 'string' || path.length === 0 || path.includes('\0')) throw invalid('path', 'a non-empty string without NUL characters, or a file: URL', path);
  return path;
}


/**
 * Opens a file for the calling process, which becomes its owner (`file:open/2`). The owner's exit,
 * for any reason (`'normal'`, a crash, `'kill'`, a supervisor's shutdown, the node stopping),
 * closes the file. Any process of the node may use the handle; only the owner may `transfer` it.
 *
 * Modes, as Erlang's: `'read'` (the default); `'write'` (create, and truncate unless `'read'` or
 * `'append'` is given too); `'append'` (create; every write goes to the end); `'exclusive'`
 * (create, failing with `eexist` if the file exists; implies `'write'`); `'binary'` (reads return
 * Buffers instead of strings); `'sync'` (`O_SYNC`: writes reach the device before they return).
 *
 * Cost: one open(2), plus an fstat(2) for read-only opens (to refuse directories). Rejects with
 * `FileError` (`code` `'enoent'`, `'eacces'`, `'eexist'`, `'eisdir'`, `'emfile'`, …), and with
 * `TypeError` for bad arguments. If the caller exits while the open is under way, the new
 * descriptor is closed before the promise settles: it never leaks.
 *
 * @example
 * const log = await File.open(ctx, '/var/log/app.log', ['append']);
 * await File.write(log, 'started\n');
 */
export async function open<const M extends readonly FileMode[] = readonly []>(ctx: ProcessContext, path: string | URL, modes?: M): Promise<FileId<DataOf<M>>> {
  const { node, self } = expectContext(ctx);
  const name = pathOf(path);
  const mode = openModeOf(modes);
  ctx.ensureAlive();
  let handle: FileHandle;
  try {
    handle = await openHandle(name, mode.flags, 0o666);
  } catch (error) {
    throw fileErrorOf(error, 'open', name);
  }
  try {
    // open(2) lets a directory be opened for reading; file:open/2 refuses it.
    if (!mode.writable && (await handle.stat()).isDirectory()) throw new FileError('eisdir', 'open', name, 'is a directory');
  } catch (error) {
    await handle.close().catch(ignore);
    throw fileErrorOf(error, 'open', name);
  }
  if (!node.isAlive(self)) {
    await handle.close().catch(ignore);
    ctx.ensureAlive();
  }
  const registry = registryOf(node);
  const core = new FileCore(node, registry, self, name, mode, handle);
  const file = new FileId<DataOf<M>>(node.identity, registry.nextId(), core);
  core.attach(file);
  return file;
}
