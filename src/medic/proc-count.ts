import type { BeamishNode, Pid } from '../runtime/index.js';
import { TopHeap } from './internal/top-heap.js';
import { expectRows, expectWindow, nodeOf, waitWindow, type MedicOptions } from './options.js';
import { attributeReader, type ProcessAttribute } from './process-attributes.js';

/** One row of a top-N: a process, its value, and what identifies it (as recon's `{Pid, Value, [Name | Location]}`). */
export interface ProcessRow {
  readonly pid: Pid;
  readonly value: number;
  /** Registered name, else label, else initial function. */
  readonly name: string;
  readonly registeredName: string | undefined;
  readonly initialCall: string;
  readonly currentLocation: string;
}

function rowsOf(node: BeamishNode, ranked: readonly { value: number; item: Pid }[]): ProcessRow[] {
  const rows: ProcessRow[] = [];
  for (const { value, item: pid } of ranked) {
    const probe = node.probe(pid);
    if (probe === undefined) continue; // exited since it was counted
    rows.push({ pid, value, name: probe.name, registeredName: probe.registeredName, initialCall: probe.initialCall, currentLocation: probe.currentLocation });
  }
  return rows;
}

/**
 * The `n` processes with the largest `attribute` now (recon's `proc_count/2`). One pass over the
 * processes keeping a bounded heap of n: O(processes × cost of the attribute + n log n); for
 * `memory` the cost is the estimate's walk (fixed parts only for a process with no state exposed
 * and an empty mailbox). Rows name the process, its initial call and where it is.
 */
export function procCount(attribute: ProcessAttribute, n: number, options?: MedicOptions): ProcessRow[] {
  const read = attributeReader(attribute);
  const rows = expectRows('n', n);
  const node = nodeOf(options);
  const top = new TopHeap<Pid>(rows);
  node.scanProcesses((probe) => {
    const value = read(probe);
    if (top.admits(value)) top.offer(value, probe.pid);
  });
  return rowsOf(node, top.sorted());
}

/**
 * The `n` processes whose `attribute` grew most over a window of `ms` (recon's `proc_window/3`):
 * it reads every process's value, waits, reads again and ranks the differences (processes born
 * in the window count from 0; those that died are left out). For `runtime`, run time is accounted
 * during the window, at that accounting's cost (see `BeamishNode.accountRuntime`). Costs two passes and a map of every
 * process's value for the window; resolves after `ms` (at most 10 minutes), or rejects when
 * `options.signal` aborts.
 */
export async function procWindow(attribute: ProcessAttribute, n: number, ms: number, options?: MedicOptions): Promise<ProcessRow[]> {
  const read = attributeReader(attribute);
  const rows = expectRows('n', n);
  const windowMs = expectWindow('ms', ms);
  const node = nodeOf(options);
  const accounting = attribute === 'runtime';
  if (accounting) node.accountRuntime(true);
  const before = new Map<Pid, number>();
  try {
    node.scanProcesses((probe) => void before.set(probe.pid, read(probe)));
    await waitWindow(windowMs, options?.signal);
  } finally {
    if (accounting) node.accountRuntime(false);
  }
  const top = new TopHeap<Pid>(rows);
  node.scanProcesses((probe) => {
    const value = read(probe) - (before.get(probe.pid) ?? 0);
    if (top.admits(value)) top.offer(value, probe.pid);
  });
  return rowsOf(node, top.sorted());
}
