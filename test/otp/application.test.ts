import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  Application,
  ApplicationStartError,
  GenServer,
  NotStartedError,
  Supervisor,
  UnknownApplicationError,
  type ApplicationSpec,
  type BeamishNode,
  type ProcessContext,
} from '../../src/index.js';
import { reportsOf, testNode } from '../helpers.js';

/** An application whose tree is one supervisor over one worker that records its life in `events`. */
function recordingApp(name: string, events: string[], extra: Partial<ApplicationSpec> = {}): ApplicationSpec {
  const worker = {
    init: (_: undefined, ctx: ProcessContext) => {
      ctx.trapExit(true);
      events.push(`start ${name}`);
      return { state: undefined };
    },
    handleCall: (request: string, _from: unknown, state: undefined) =>
      request === 'crash' ? { stop: 'crashed', reply: 'ok', state } : { reply: request, state },
    terminate: () => {
      events.push(`stop ${name}`);
    },
  };
  return {
    name,
    start: (ctx) =>
      Supervisor.startLink(ctx, [{ id: 'worker', start: (sup: ProcessContext) => GenServer.startLink(sup, worker, undefined, { name: `${name}_worker` }) }], {
        intensity: 0,
      }),
    stop: () => {
      events.push(`stopped ${name}`);
    },
    ...extra,
  };
}

async function crashWorker(node: BeamishNode, app: string): Promise<void> {
  await GenServer.call({ name: `${app}_worker`, node }, 'crash');
}

describe('Application', () => {
  it('.start() - starts the dependencies first and returns what it started, in order', async () => {
    const { node } = testNode();
    const events: string[] = [];
    const db = recordingApp('db', events);
    const web = recordingApp('web', events, { dependencies: [db, 'cache'] });
    Application.load(recordingApp('cache', events), { node });
    expect(await Application.start(web, { node })).toEqual(['db', 'cache', 'web']);
    expect(events).toEqual(['start db', 'start cache', 'start web']);
    expect(await Application.start('web', { node })).toEqual([]);
    expect(await Application.whichApplications({ node })).toEqual([
      { name: 'db', type: 'temporary' },
      { name: 'cache', type: 'temporary' },
      { name: 'web', type: 'temporary' },
    ]);
  });

  it('.stop() - stops the tree, then runs stop; the dependencies keep running', async () => {
    const { node } = testNode();
    const events: string[] = [];
    await Application.start(recordingApp('web', events, { dependencies: [recordingApp('db', events)] }), { node });
    await Application.stop('web', { node });
    expect(events).toEqual(['start db', 'start web', 'stop web', 'stopped web']);
    expect((await Application.whichApplications({ node })).map((app) => app.name)).toEqual(['db']);
    await expect(Application.stop('web', { node })).rejects.toBeInstanceOf(NotStartedError);
  });

  it('node stop - stops running applications last first', async () => {
    const { node } = testNode();
    const events: string[] = [];
    await Application.start(recordingApp('web', events, { dependencies: [recordingApp('db', events)] }), { node });
    await node.stop();
    expect(events).toEqual(['start db', 'start web', 'stop web', 'stopped web', 'stop db', 'stopped db']);
  });

  it('temporary - an application that terminates is only reported', async () => {
    const { node, reports } = testNode();
    const events: string[] = [];
    await Application.start(recordingApp('db', events), { node });
    await Application.start(recordingApp('web', events), { node, type: 'temporary' });
    await crashWorker(node, 'web');
    await expect.poll(() => Application.whichApplications({ node })).toEqual([{ name: 'db', type: 'temporary' }]);
    expect(reportsOf(reports, 'progress').some((report) => report.application === 'web' && report.exited === 'shutdown')).toBe(true);
    expect(node.state).toBe('running');
  });

  it('permanent - an application that terminates stops the node in order', async () => {
    const { node } = testNode();
    const events: string[] = [];
    await Application.start(recordingApp('db', events), { node });
    await Application.start(recordingApp('web', events), { node, type: 'permanent' });
    await crashWorker(node, 'web');
    await expect.poll(() => node.state).toBe('stopped');
    expect(events).toEqual(['start db', 'start web', 'stop web', 'stopped web', 'stop db', 'stopped db']);
  });

  it('transient - terminating normally is only reported; otherwise the node stops', async () => {
    const { node } = testNode();
    const normal: ApplicationSpec = { name: 'once', start: (ctx) => ctx.spawnLink(async () => {}) };
    await Application.start(normal, { node, type: 'transient' });
    await expect.poll(() => Application.whichApplications({ node })).toEqual([]);
    expect(node.state).toBe('running');
    const events: string[] = [];
    await Application.start(recordingApp('web', events), { node, type: 'transient' });
    await crashWorker(node, 'web');
    await expect.poll(() => node.state).toBe('stopped');
  });

  it('.start() - a failing start is an ApplicationStartError; what started before keeps running', async () => {
    const { node } = testNode();
    const events: string[] = [];
    const broken: ApplicationSpec = { name: 'broken', dependencies: [recordingApp('db', events)], start: () => GenServer.start({ init: () => ({ stop: 'no_db_url' }) }, undefined, { node }) };
    const error = await Application.start(broken, { node }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApplicationStartError);
    expect(error).toMatchObject({ application: 'broken', code: 'application_start_failed' });
    expect((await Application.whichApplications({ node })).map((app) => app.name)).toEqual(['db']);
  });

  it('.start() - unknown and circular dependencies are refused before anything starts', async () => {
    const { node } = testNode();
    const a: ApplicationSpec = { name: 'a', dependencies: ['b'], start: (ctx) => ctx.spawnLink(async (c) => void (await c.receive())) };
    await expect(Application.start(a, { node })).rejects.toBeInstanceOf(UnknownApplicationError);
    Application.load({ name: 'b', dependencies: ['a'], start: a.start }, { node });
    await expect(Application.start('a', { node })).rejects.toThrow(/a -> b -> a/);
    expect(await Application.whichApplications({ node })).toEqual([]);
  });

  it('.getEnv()/.putEnv() - defaults, overrides at load, changes at run time', () => {
    const { node } = testNode();
    Application.load({ name: 'web', env: { port: 8080, host: 'localhost' }, start: (ctx) => ctx.spawnLink(async () => {}) }, { node, env: { port: 9090 } });
    expect(Application.getEnv('web', 'port', { node })).toBe(9090);
    expect(Application.getEnv('web', 'host', { node })).toBe('localhost');
    Application.putEnv('web', 'host', '0.0.0.0', { node });
    expect(Application.getEnv('web', 'host', { node })).toBe('0.0.0.0');
    expect(() => Application.getEnv('nope', 'port', { node })).toThrow(UnknownApplicationError);
  });

  it('permanent on the default node - the Node.js process ends with a non-zero status after an orderly stop', () => {
    const fixture = fileURLToPath(new URL('../fixtures/permanent-app.ts', import.meta.url));
    const child = spawnSync(process.execPath, ['--import', 'tsx', fixture], { encoding: 'utf8', timeout: 20_000 });
    expect(child.stdout.trim().split('\n')).toEqual(['started', 'worker terminating', 'app stopped']);
    expect(child.status).toBe(1);
  });
});
