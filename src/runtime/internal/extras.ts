import type { DownMessage } from '../messages.js';
import type { Ref } from '../ref.js';
import type { Process } from './process.js';
import type { ProcessTimer } from './timers.js';

/** A non-process watcher of a monitor: a node-level callback such as `node.awaitExit`. */
export type DownCallback = (down: DownMessage) => void;

/** One monitor, kept by both ends under its ref. */
export class Monitor {
  constructor(
    readonly ref: Ref,
    readonly watcher: Process | DownCallback,
    readonly target: Process,
    /** Set when the monitor was taken on a registered name. */
    readonly name: string | undefined,
  ) {}
}

/** The resolved form of a mailbox limit. */
export interface ResolvedMailboxLimit {
  readonly size: number;
  readonly kill: boolean;
  readonly report: boolean;
}

/**
 * The parts of a process that many processes never use, allocated on first use so that a plain
 * process waiting in receive stays small: its name, links, monitors, timers, abort controller,
 * mailbox limit and introspection notes.
 */
export class ProcessExtras {
  registeredName: string | undefined = undefined;
  label: string | undefined = undefined;
  links: Set<Process> | null = null;
  /** Monitors this process holds on others. */
  monitors: Map<Ref, Monitor> | null = null;
  /** Monitors others hold on this process. */
  monitoredBy: Map<Ref, Monitor> | null = null;
  /** Timers that deliver to this process and die with it. */
  timers: Set<ProcessTimer> | null = null;
  abort: AbortController | null = null;
  mailboxLimit: ResolvedMailboxLimit | null = null;
  /** Exit signals arrive as messages. */
  trapExit = false;
  /** How many times `suspend` was called without `resume`. */
  suspensions = 0;
  /** Where the process last waited, when the node tracks locations (a captured call site). */
  location: { stack?: string } | null = null;
  /** Returns what the process chose to show as its state (`ctx.exposeState`). */
  stateProbe: (() => unknown) | null = null;
  /** Its mailbox reached the watched length and has not come down yet (see `watchSystem`). */
  longQueue = false;
  /** Milliseconds it has run while run time was accounted (see `BeamishNode.accountRuntime`). */
  runtimeMs = 0;
  /** When it was last resumed, and the event loop's idle time then, while schedules are watched. */
  resumedAt = 0;
  resumedIdle = 0;
}

/** Whether the process traps exits. */
export function trapsExits(process: Process): boolean {
  return process.extra !== null && process.extra.trapExit;
}

/** Whether the process is suspended (`node.suspend`): it is not run until resumed. */
export function isSuspended(process: Process): boolean {
  return process.extra !== null && process.extra.suspensions !== 0;
}

/** The process's extras, allocated if it has none yet. */
export function extrasOf(process: Process): ProcessExtras {
  return (process.extra ??= new ProcessExtras());
}
