import { DynamicSupervisor, GenServer, type ChildSpec, type ProcessContext } from '../../src/index.js';
import { stats } from './stats.js';

/*
 * Short-lived jobs: a scheduler starts one every `everyMs` under a DynamicSupervisor (at most
 * `maxJobs` at once); each does a little work in steps and exits normally. Temporary children:
 * a finished job is not restarted.
 */

const job = (steps: number) => ({
  id: 'job',
  restart: 'temporary' as const,
  start: (ctx: ProcessContext) =>
    ctx.spawnLink(async function job(jobCtx) {
      for (let step = 0; step < steps; step++) await jobCtx.receive(() => false, 10 + Math.floor(Math.random() * 40));
      stats.jobsDone++;
    }),
});

const scheduler: GenServer.GenServerSpec<number, number> = {
  name: 'JobScheduler',
  init(everyMs, ctx) {
    ctx.sendAfter(everyMs, ctx.self, 'next');
    return { state: everyMs };
  },
  async handleInfo(message, everyMs, ctx) {
    if (message !== 'next') return { state: everyMs };
    // At the limit the supervisor refuses; the scheduler simply skips a beat.
    await DynamicSupervisor.startChild({ name: 'jobs', node: ctx.node }, job(1 + Math.floor(Math.random() * 5)));
    ctx.sendAfter(everyMs, ctx.self, 'next');
    return { state: everyMs };
  },
};

export function jobSupervisor(maxJobs: number): ChildSpec {
  return {
    id: 'jobs',
    type: 'supervisor',
    start: (ctx) => DynamicSupervisor.startLink(ctx, { name: 'jobs', maxChildren: maxJobs }),
  };
}

export function jobScheduler(everyMs: number): ChildSpec {
  return { id: 'job_scheduler', start: (ctx: ProcessContext) => GenServer.startLink(ctx, scheduler, everyMs, { name: 'job_scheduler' }) };
}
