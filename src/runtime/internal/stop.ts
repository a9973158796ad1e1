import { logSafely, type NodeReport } from '../logger.js';
import type { Kernel } from './kernel.js';
import { sendExit, terminate } from './signals.js';
import { cancelAllTimers } from './timers.js';

/**
 * Stops a node in an orderly way, in three phases sharing `timeout` ms:
 *
 * 1. Each root process (spawned from outside any process, or whose parent is gone), newest first,
 *    gets exit signal `'shutdown'` from the node, so trees whose roots trap exits (supervisors)
 *    take themselves down in their own order; roots that do not trap exits die at once and their
 *    links carry the shutdown on. Up to half the time is given for that.
 * 2. Every process still alive gets `'shutdown'`, and the rest of the time to finish.
 * 3. Whatever is left is killed; no process may spawn any more. Timers are cancelled and the node
 *    leaves the node table, so nothing of it keeps the event loop alive.
 */
export async function stopKernel(kernel: Kernel, timeout: number): Promise<void> {
  const started = performance.now();
  kernel.state = 'stopping';
  report(kernel, 'node_stopping', `stopping ${kernel.table.size} processes (timeout ${timeout} ms)`);

  const roots = [...kernel.table.values()].filter((process) => process.parent?.proc == null).reverse();
  for (const root of roots) sendExit(root.pid, kernel.nodePid, 'shutdown');
  await emptyOrDeadline(kernel, started + timeout / 2);

  for (const process of [...kernel.table.values()].reverse()) sendExit(process.pid, kernel.nodePid, 'shutdown');
  await emptyOrDeadline(kernel, started + timeout);

  kernel.refusesSpawns = true;
  const left = kernel.table.size;
  for (const process of [...kernel.table.values()]) terminate(process, 'killed');
  cancelAllTimers(kernel);
  kernel.detach();
  const took = Math.round(performance.now() - started);
  report(kernel, 'node_stopped', left === 0 ? `stopped in ${took} ms` : `stopped in ${took} ms; killed ${left} processes that outlived the timeout`);
}

async function emptyOrDeadline(kernel: Kernel, deadline: number): Promise<void> {
  const left = deadline - performance.now();
  if (kernel.table.size === 0 || left <= 0) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([kernel.whenEmpty(), new Promise<void>((resolve) => (timer = setTimeout(resolve, left)))]);
  clearTimeout(timer);
}

function report(kernel: Kernel, kind: NodeReport['kind'], detail: string): void {
  const nodeReport: NodeReport = { kind, node: kernel.identity.name, detail };
  logSafely(kernel.logger, 'info', nodeReport);
}
