import type { CrashReport, MailboxLimitReport } from '../logger.js';
import type { Pid } from '../pid.js';
import type { ExitReason } from '../reasons.js';
import type { ResolvedMailboxLimit } from './extras.js';
import type { Process } from './process.js';

/** Links listed in a report at most; a process with more says how many were left out. */
const REPORTED_LINKS = 20;

/** How a process's initial function reads in reports and introspection. */
export function initialCallOf(process: Process): string {
  return process.fn.name === '' ? '<anonymous>' : process.fn.name;
}

function linksOf(process: Process): Pid[] {
  const links = process.extra?.links;
  if (links == null) return [];
  const pids: Pid[] = [];
  for (const other of links) {
    if (pids.length === REPORTED_LINKS) break;
    pids.push(other.pid);
  }
  return pids;
}

export function crashReport(process: Process, reason: ExitReason): CrashReport {
  return {
    kind: 'crash_report',
    node: process.kernel.identity.name,
    pid: process.pid,
    registeredName: process.extra?.registeredName,
    label: process.extra?.label,
    initialCall: initialCallOf(process),
    parent: process.parent,
    reason,
    messageQueueLength: process.mailbox?.length ?? 0,
    reductions: process.reductions,
    links: linksOf(process),
  };
}

export function mailboxLimitReport(
  process: Process,
  limit: ResolvedMailboxLimit,
  length: number,
): MailboxLimitReport {
  return {
    kind: 'mailbox_limit',
    node: process.kernel.identity.name,
    pid: process.pid,
    registeredName: process.extra?.registeredName,
    label: process.extra?.label,
    limit: limit.size,
    messageQueueLength: length,
    killed: limit.kill,
  };
}
