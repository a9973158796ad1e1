import { Supervisor, type ApplicationSpec, type Logger } from '../../src/index.js';
import { councilSupervisor } from './council.js';
import { flakyWorker } from './flaky.js';
import { jobScheduler, jobSupervisor } from './jobs.js';
import { reporterWorker } from './reporter.js';
import { stats } from './stats.js';

/** What the demo is made of. */
export interface DemoSettings {
  readonly councilSize: number;
  readonly crashEvery: number;
  readonly intervalMs: number;
  readonly say: (line: string) => void;
}

/**
 * The `council_demo` application: a council of named GenServers chatting at random, a worker that
 * crashes every few seconds and is restarted, a DynamicSupervisor of short-lived jobs, and a
 * reporter printing a summary line.
 */
export function councilDemo(settings: DemoSettings): ApplicationSpec {
  return {
    name: 'council_demo',
    start: (ctx) =>
      Supervisor.startLink(
        ctx,
        [councilSupervisor(settings.councilSize), flakyWorker(settings.crashEvery), jobSupervisor(50), jobScheduler(100), reporterWorker(settings.intervalMs, settings.say)],
        { name: 'council_demo_sup', strategy: 'one_for_one', intensity: 5, period: 10 },
      ),
  };
}

/** Reports as one line each; supervisor reports also count the restarts. */
export function demoLogger(say: (line: string) => void): Logger {
  return {
    log(level, report) {
      const fields = report as unknown as Record<string, unknown>;
      if (report.kind === 'supervisor_report' && fields.errorContext === 'child_terminated') {
        stats.restarts++;
        const child = fields.child as { id: unknown; pid: unknown };
        say(`supervisor ${String(fields.supervisor)}: ${String(child.id)} (${String(child.pid)}) terminated, restarting`);
      } else if (report.kind === 'node_stopping' || report.kind === 'node_stopped') say(`node: ${String(fields.detail ?? '')}`);
      else if (report.kind === 'operator_attached' || report.kind === 'operator_detached') say(`access: ${report.kind}`);
      else if (level === 'error' || level === 'warning') {
        if (report.kind !== 'server_terminated' && report.kind !== 'crash_report') say(`${level}: ${report.kind}`);
      }
    },
  };
}
