/**
 * The demo system `npm start` runs: an application whose supervision tree holds a council of
 * named GenServers chatting at random, a worker that crashes every few seconds and is restarted,
 * a DynamicSupervisor of short-lived jobs, and a reporter printing a summary line. It runs until
 * stopped: Ctrl-C or SIGTERM stops the application top-down and exits with status 0.
 *
 * Options: --council N (default 40), --crash-every MS (default 3000), --interval MS (default 2000).
 */
import { parseArgs } from 'node:util';
import { Application, configureDefaultNode, defaultNode, Supervisor, type Logger } from '../../src/index.js';
import { councilSupervisor } from './council.js';
import { flakyWorker } from './flaky.js';
import { jobScheduler, jobSupervisor } from './jobs.js';
import { reporterWorker } from './reporter.js';
import { stats } from './stats.js';

const { values } = parseArgs({
  options: {
    council: { type: 'string', default: '40' },
    'crash-every': { type: 'string', default: '3000' },
    interval: { type: 'string', default: '2000' },
  },
});
const councilSize = Number(values.council);
const crashEvery = Number(values['crash-every']);
const intervalMs = Number(values.interval);
if (!Number.isInteger(councilSize) || councilSize < 2) throw new TypeError(`Expected \`--council\` to be a whole number from 2 up, got \`${values.council}\``);
if (!(crashEvery >= 10)) throw new TypeError(`Expected \`--crash-every\` to be at least 10 ms, got \`${values['crash-every']}\``);
if (!(intervalMs >= 10)) throw new TypeError(`Expected \`--interval\` to be at least 10 ms, got \`${values.interval}\``);

const say = (line: string) => process.stdout.write(`${line}\n`);

/** Reports as one line each; supervisor reports also count the restarts. */
const logger: Logger = {
  log(level, report) {
    const fields = report as unknown as Record<string, unknown>;
    if (report.kind === 'supervisor_report' && fields.errorContext === 'child_terminated') {
      stats.restarts++;
      const child = fields.child as { id: unknown; pid: unknown };
      say(`supervisor ${String(fields.supervisor)}: ${String(child.id)} (${String(child.pid)}) terminated, restarting`);
    } else if (report.kind === 'node_stopping' || report.kind === 'node_stopped') say(`node: ${String(fields.detail ?? '')}`);
    else if (level === 'error' || level === 'warning') {
      if (report.kind !== 'server_terminated' && report.kind !== 'crash_report') say(`${level}: ${report.kind}`);
    }
  },
};

configureDefaultNode({ name: 'demo@localhost', logger });
const node = defaultNode();

const started = await Application.start(
  {
    name: 'council_demo',
    start: (ctx) =>
      Supervisor.startLink(
        ctx,
        [councilSupervisor(councilSize), flakyWorker(crashEvery), jobSupervisor(50), jobScheduler(100), reporterWorker(intervalMs, say)],
        { name: 'council_demo_sup', strategy: 'one_for_one', intensity: 5, period: 10 },
      ),
  },
  { type: 'permanent' },
);
say(`beamish demo: node ${node.name}, application ${started.join(', ')} started: ${councilSize} councillors, a flaky worker, jobs, a reporter (Ctrl-C stops it in order)`);
