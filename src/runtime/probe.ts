import type { Pid } from './pid.js';
import { locationOf, statusOf, type ProcessStatus } from './info.js';
import { isSuspended, trapsExits } from './internal/extras.js';
import { Process } from './internal/process.js';
import type { ProcessContext } from './context.js';
import { initialCallOf } from './internal/reports.js';

let point: (probe: ProcessProbe, process: Process) => void;

/**
 * A read-only view of one live process, for introspection that must visit many processes cheaply
 * (`BeamishNode.scanProcesses`): every field is read from the process when asked, nothing is
 * copied. During a scan one probe is re-pointed at each process in turn, so do not keep it past
 * the visit; read what you need into your own values.
 */
export class ProcessProbe {
  #process: Process;

  /** @internal Use `scanProcesses` or `probe`. */
  constructor(process: Process) {
    this.#process = process;
  }

  static {
    point = (probe, process) => {
      probe.#process = process;
    };
  }

  get pid(): Pid {
    return this.#process.pid;
  }

  get registeredName(): string | undefined {
    return this.#process.extra?.registeredName;
  }

  get label(): string | undefined {
    return this.#process.extra?.label;
  }

  /** The registered name, else the label, else the initial function: what a listing shows. */
  get name(): string {
    const extra = this.#process.extra;
    return extra?.registeredName ?? extra?.label ?? initialCallOf(this.#process);
  }

  get status(): ProcessStatus {
    return statusOf(this.#process);
  }

  get suspended(): boolean {
    return isSuspended(this.#process);
  }

  /** The name of the function the process was spawned with. */
  get initialCall(): string {
    return initialCallOf(this.#process);
  }

  /** Where it is (see `ProcessInfo.currentLocation`); builds a string, so ask only for the rows you show. */
  get currentLocation(): string {
    return locationOf(this.#process);
  }

  get parent(): Pid | undefined {
    return this.#process.parent;
  }

  /** When it was spawned, in milliseconds since its node started. */
  get spawnedAtUptime(): number {
    return this.#process.spawnedAt;
  }

  /** Milliseconds it has run while run time was being accounted (`BeamishNode.accountRuntime`); 0 otherwise. */
  get runtimeMs(): number {
    return this.#process.extra?.runtimeMs ?? 0;
  }

  get reductions(): number {
    return this.#process.reductions;
  }

  get messagesIn(): number {
    return this.#process.messagesIn;
  }

  get messagesOut(): number {
    return this.#process.messagesOut;
  }

  get messageQueueLength(): number {
    return this.#process.mailbox?.length ?? 0;
  }

  get mailboxLimit(): number | undefined {
    return this.#process.extra?.mailboxLimit?.size;
  }

  get trapExit(): boolean {
    return trapsExits(this.#process);
  }

  get linkCount(): number {
    return this.#process.extra?.links?.size ?? 0;
  }

  get monitorCount(): number {
    return this.#process.extra?.monitors?.size ?? 0;
  }

  get monitoredByCount(): number {
    return this.#process.extra?.monitoredBy?.size ?? 0;
  }

  get timerCount(): number {
    return this.#process.extra?.timers?.size ?? 0;
  }

  /** Whether the process shows its state (`ctx.exposeState`). */
  get exposesState(): boolean {
    return (this.#process.extra?.stateProbe ?? null) !== null;
  }

  /** Its exposed state, read through its probe (not copied); undefined if none, or if the probe throws. */
  exposedState(): unknown {
    const probe = this.#process.extra?.stateProbe;
    if (probe == null) return undefined;
    try {
      return probe();
    } catch {
      return undefined;
    }
  }

  /** The oldest `limit` messages of its mailbox, not copied: O(limit). */
  peekMailbox(limit: number): unknown[] {
    return this.#process.mailbox?.peek(limit) ?? [];
  }
}

/** @internal Re-points a probe at another process (scans use one probe for all). */
export function pointProbe(probe: ProcessProbe, process: Process): void {
  point(probe, process);
}

/** Whether `value` is a process's context (`ctx`): introspection stops there, as it belongs to another process. */
export function isProcessContext(value: unknown): value is ProcessContext {
  return value instanceof Process;
}
