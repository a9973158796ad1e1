import { logSafely, type NodeReport } from '../logger.js';
import type { Kernel } from './kernel.js';
import type { Process } from './process.js';
import { monitor, sendExit, terminate } from './signals.js';
import { cancelAllTimers } from './timers.js';

/**
 * Stops a node in an orderly way, top down, within `timeout` ms:
 *
 * 1. In rounds: every root process (spawned from outside this node's processes, or whose parent has exited)
 *    gets exit signal `'shutdown'` from the node, newest first, and the round waits until those
 *    roots have exited. Roots that do not trap exits die at once and their links carry the
 *    shutdown on; roots that trap exits (supervisors) take their trees down in their own order.
 *    The next round's roots are the orphans the last one left.
 * 2. When the timeout passes, whatever is left is killed and no process may spawn any more.
 *    Timers are cancelled, the releases of resources their owners' exits began are awaited, and
 *    the node leaves the node table, so nothing of it keeps the event loop alive.
 */
export async function stopKernel(kernel: Kernel, timeout: number): Promise<void> {
  const started = performance.now();
  const deadline = started + timeout;
  kernel.state = 'stopping';
  report(kernel, 'node_stopping', `stopping ${kernel.table.size} processes (timeout ${timeout} ms)`);

  while (kernel.table.size > 0 && performance.now() < deadline) {
    const roots = [...kernel.table.values()].filter((process) => process.parent?.proc?.kernel !== kernel).reverse();
    for (const root of roots) sendExit(root.pid, kernel.nodePid, 'shutdown');
    if (!(await exitedBy(kernel, roots, deadline))) break;
  }

  kernel.refusesSpawns = true;
  const left = kernel.table.size;
  for (const process of [...kernel.table.values()]) terminate(process, 'killed');
  cancelAllTimers(kernel);
  // Resources their owners' exits began to release (programs, sockets, files) finish closing first.
  while (kernel.releases.size > 0) await Promise.allSettled([...kernel.releases]);
  kernel.detach();
  const took = Math.round(performance.now() - started);
  report(kernel, 'node_stopped', left === 0 ? `stopped in ${took} ms` : `stopped in ${took} ms; killed ${left} processes that outlived the timeout`);
}

/** Resolves true once every one of `processes` has exited, or false at the deadline. */
async function exitedBy(kernel: Kernel, processes: readonly Process[], deadline: number): Promise<boolean> {
  const alive = processes.filter((process) => process.pid.proc !== null);
  if (alive.length === 0) return true;
  let timer: NodeJS.Timeout | undefined;
  const allExited = new Promise<boolean>((resolve) => {
    let left = alive.length;
    for (const process of alive) monitor(() => --left === 0 && resolve(true), process, kernel.makeRef(), undefined);
  });
  const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - performance.now()), false)));
  const result = await Promise.race([allExited, timedOut]);
  clearTimeout(timer);
  return result;
}

function report(kernel: Kernel, kind: NodeReport['kind'], detail: string): void {
  const nodeReport: NodeReport = { kind, node: kernel.identity.name, detail };
  logSafely(kernel.logger, 'info', nodeReport);
}
