import type { Pid } from '../runtime/index.js';
import { expectRows, nodeOf, type MedicOptions } from './options.js';

/** A process nothing is linked to or watches, and that watches nothing. */
export interface OrphanRow {
  readonly pid: Pid;
  readonly name: string;
  readonly initialCall: string;
  readonly currentLocation: string;
  /** How long it has lived, in ms. */
  readonly ageMs: number;
  readonly messageQueueLength: number;
}

/**
 * Processes with neither links nor monitors, either way: if they block forever, nothing will ever
 * notice or clean them up (the classic process leak). Registered processes are left out (a name
 * is a way to reach them). Returns the total and the `n` oldest. O(processes).
 */
export function orphans(n: number, options?: MedicOptions): { readonly total: number; readonly oldest: readonly OrphanRow[] } {
  const rows = expectRows('n', n);
  const node = nodeOf(options);
  const uptime = node.uptimeMs; // not statistics(): that sums every process's reductions
  const oldest: OrphanRow[] = [];
  let total = 0;
  node.scanProcesses((probe) => {
    if (probe.linkCount + probe.monitorCount + probe.monitoredByCount !== 0 || probe.registeredName !== undefined) return;
    total++;
    // The scan runs in spawn order, so the first found are the oldest.
    if (oldest.length < rows) {
      oldest.push({
        pid: probe.pid,
        name: probe.name,
        initialCall: probe.initialCall,
        currentLocation: probe.currentLocation,
        ageMs: uptime - probe.spawnedAtUptime,
        messageQueueLength: probe.messageQueueLength,
      });
    }
  });
  return { total, oldest };
}
