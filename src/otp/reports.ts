import { isNormalExit, isShutdown, type ExitReason, type Pid, type Report } from '../runtime/index.js';

/**
 * Written (level error) when a behaviour process terminates abnormally, as OTP's
 * "** Generic server … terminating": which one, the last message it handled, its state (through
 * `formatStatus`) and why. The logger's formatting bounds every field.
 */
export interface BehaviourTerminatedReport extends Report {
  readonly kind: 'server_terminated';
  readonly behaviour: string;
  readonly pid: Pid;
  readonly name: unknown;
  readonly lastMessage: unknown;
  readonly state: unknown;
  readonly reason: ExitReason;
}

/** Written (level warning) when a behaviour without `handleInfo` got a message it has no use for. */
export interface UnexpectedMessageReport extends Report {
  readonly kind: 'unexpected_message';
  readonly behaviour: string;
  readonly pid: Pid;
  readonly name: unknown;
  readonly message: unknown;
}

/**
 * Written by supervisors (OTP's supervisor reports): a child that failed to start
 * (`start_error`), exited (`child_terminated`, level error, unless normal or shutdown), did not
 * stop as asked (`shutdown_error`), or made its supervisor give up (`reached_max_restart_intensity`).
 */
export interface SupervisorReport extends Report {
  readonly kind: 'supervisor_report';
  readonly supervisor: unknown;
  readonly errorContext: 'start_error' | 'child_terminated' | 'shutdown_error' | 'reached_max_restart_intensity';
  readonly reason: ExitReason;
  readonly child: { readonly id: unknown; readonly pid: Pid | undefined; readonly restart: string; readonly shutdown: unknown };
}

/** Written (level info) when a supervisor started a child, or an application started or stopped. */
export interface ProgressReport extends Report {
  readonly kind: 'progress';
  readonly supervisor?: unknown;
  readonly started?: { readonly id: unknown; readonly pid: Pid };
  readonly application?: string;
  readonly startedAt?: string;
  readonly exited?: ExitReason;
}

/** True for the reasons OTP does not report: `normal`, `shutdown`, `{ shutdown: _ }`. */
export function isQuietReason(reason: ExitReason): boolean {
  return isNormalExit(reason) || isShutdown(reason);
}
