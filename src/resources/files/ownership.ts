import { nodeOf, NotAliveError, Pid, type ProcessContext } from '../../runtime/index.js';
import type { FileId } from './file-id.js';
import { coreOf } from './internal/handle.js';
import { expectContext, invalid } from './internal/validate.js';

/*
 * The life of a handle: closing it, handing it to another process, and knowing when its
 * descriptor is really gone. The owner's exit closes the file as `close` does, except that
 * operations still queued fail with `FileClosedError` instead of running.
 */

/**
 * Closes the file (`file:close/1`); any process may. Operations asked for before it still run;
 * later ones fail with `FileClosedError`. Resolves, once the descriptor is closed, with true, or
 * with false if the file was already closed (or closing: it waits for that close). Rejects with a
 * `FileError` if the system reports an error on close (the descriptor is released all the same).
 */
export async function close(file: FileId): Promise<boolean> {
  return coreOf(file).close('user');
}

/**
 * Resolves once the file's descriptor is closed, however that came about (`close`, the owner's
 * exit, the node stopping). Never rejects; never resolves for a file that stays open. Await it to
 * know the descriptor is gone after the owner was killed.
 */
export function released(file: FileId): Promise<void> {
  try {
    return coreOf(file).released;
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * Makes `newOwner`, a live process of the file's node, the file's owner, as
 * `gen_tcp:controlling_process/2` does for sockets: from then on its exit closes the file, and the
 * old owner's does not. Only the owner may call it; transferring to the owner does nothing.
 * Nothing is sent to the new owner: send it the handle. O(1).
 *
 * Throws `FileNotOwnerError` (`'not_owner'`) when the caller is not the owner, `FileClosedError`
 * when the file is closed, `NotAliveError` when `newOwner` is not a live process of the file's
 * node, `TypeError` for bad arguments.
 */
export function transfer(ctx: ProcessContext, file: FileId, newOwner: Pid): void {
  const { self } = expectContext(ctx);
  const core = coreOf(file);
  if (!(newOwner instanceof Pid)) throw invalid('newOwner', 'a Pid', newOwner);
  if (core.state !== 'open') throw core.closedError('transfer');
  if (nodeOf(newOwner) !== core.node || !core.node.isAlive(newOwner)) throw new NotAliveError(newOwner);
  core.transfer(self, newOwner);
}
