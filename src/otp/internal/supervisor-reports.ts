import type { ExitReason, Pid, ProcessContext } from '../../runtime/index.js';
import type { ProgressReport, SupervisorReport } from '../reports.js';
import type { ResolvedChildSpec } from './child-spec.js';

/** @internal Logs a supervisor report (level error) about one child. */
export function reportChild(
  ctx: ProcessContext,
  supervisor: unknown,
  errorContext: SupervisorReport['errorContext'],
  reason: ExitReason,
  spec: ResolvedChildSpec,
  pid: Pid | undefined,
): void {
  const report: SupervisorReport = {
    kind: 'supervisor_report',
    supervisor,
    errorContext,
    reason,
    child: { id: spec.id, pid, restart: spec.restart, shutdown: spec.shutdown },
  };
  ctx.node.log('error', report);
}

/** @internal Logs a progress report (level info): a child started. */
export function reportStarted(ctx: ProcessContext, supervisor: unknown, id: unknown, pid: Pid): void {
  const report: ProgressReport = { kind: 'progress', supervisor, started: { id, pid } };
  ctx.node.log('info', report);
}
