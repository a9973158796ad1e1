import { expectRows, nodeOf, type MedicOptions } from './options.js';

/** A place processes are, and how many are there. */
export interface LocationRow {
  readonly location: string;
  readonly processes: number;
}

/**
 * Where the processes are right now, grouped: the `n` locations (receive sites, or statuses) with
 * the most processes (the book's "which function is being called by the most processes at once?").
 * With the node's `trackLocations` on, a location is the call site of the receive a process waits
 * in; without it, the receive's matcher name. O(processes), one string per process.
 */
export function locationCount(n: number, options?: MedicOptions): LocationRow[] {
  const rows = expectRows('n', n);
  const counts = new Map<string, number>();
  nodeOf(options).scanProcesses((probe) => {
    const location = probe.currentLocation;
    counts.set(location, (counts.get(location) ?? 0) + 1);
  });
  return [...counts]
    .map(([location, processes]) => ({ location, processes }))
    .sort((a, b) => b.processes - a.processes || a.location.localeCompare(b.location))
    .slice(0, rows);
}
