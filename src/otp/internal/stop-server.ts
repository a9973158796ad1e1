import { isDeepStrictEqual } from 'node:util';
import { nodeOf, type ExitReason } from '../../runtime/index.js';
import { expectTimeout } from '../call.js';
import { CallExitError, CallTimeoutError } from '../errors.js';
import { whereisServer, type ServerRef } from '../server-ref.js';
import { requestTerminate } from '../sys.js';

/**
 * @internal `proc_lib:stop`: asks a behaviour process to run its terminate and exit with `reason`,
 * and waits for it to be gone. Rejects with `CallExitError` if it was not alive or exited with
 * another reason, and `CallTimeoutError` if it is still alive after `timeout` (it is left running).
 */
export function stopServer(server: ServerRef, reason: ExitReason, timeout: number): Promise<void> {
  expectTimeout('timeout', timeout);
  const request = { stop: reason };
  const pid = whereisServer(server);
  const node = pid === undefined ? undefined : nodeOf(pid);
  if (pid === undefined || node === undefined || !node.isAlive(pid)) return Promise.reject(new CallExitError(server, request, 'noproc'));
  return new Promise<void>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const monitor = node.monitor(pid, (down) => {
      if (timer !== undefined) clearTimeout(timer);
      if (isDeepStrictEqual(down.reason, reason)) resolve();
      else reject(new CallExitError(server, request, down.reason));
    });
    if (timeout !== Infinity) {
      timer = setTimeout(() => {
        node.demonitor(monitor);
        reject(new CallTimeoutError(server, request, timeout));
      }, timeout);
    }
    // The DOWN settles the stop; the terminate request's own outcome adds nothing to it.
    requestTerminate(pid, reason).catch(() => {});
  });
}
