import { describe, expect, it } from 'vitest';
import {
  ChildNotFoundError,
  DynamicSupervisor,
  ExitMessage,
  GenServer,
  MaxChildrenError,
  type BeamishNode,
  type DynamicChildSpec,
  type Pid,
  type ProcessContext,
} from '../../src/index.js';
import { idle, reportsOf, testNode } from '../helpers.js';

async function dynamicSupervisor(node: BeamishNode, options: DynamicSupervisor.DynamicSupervisorOptions = {}): Promise<Pid> {
  const started = await DynamicSupervisor.start({ node, ...options });
  if (!started.ok) throw new Error('dynamic supervisor did not start');
  return started.pid;
}

/** A child that waits for 'exit' messages and exits with what they carry. */
const obedient = (restart: DynamicChildSpec['restart'] = 'permanent'): DynamicChildSpec => ({
  restart,
  start: (ctx: ProcessContext) =>
    ctx.spawnLink(async (child) => {
      const { reason } = (await child.receive()) as { reason: unknown };
      child.exit(reason);
    }),
});

async function pidsOf(sup: Pid): Promise<Pid[]> {
  return (await DynamicSupervisor.whichChildren(sup)).map((child) => child.pid as Pid);
}

/** Makes `pid` exit with `reason` and waits until the supervisor has dealt with it. */
async function exitChild(node: BeamishNode, sup: Pid, pid: Pid, reason: unknown): Promise<void> {
  const gone = node.awaitExit(pid);
  node.send(pid, { reason });
  await gone;
  await DynamicSupervisor.countChildren(sup); // answered after the EXIT it got first
}

describe('DynamicSupervisor', () => {
  it('.startChild() - starts children on demand with the extra arguments first (supervisor_SUITE:simple_one_for_one_extra)', async () => {
    const { node } = testNode();
    const sup = await dynamicSupervisor(node, { extraArguments: ['pool', 7] });
    const seen: unknown[] = [];
    const spec: DynamicChildSpec = {
      start: (ctx: ProcessContext, pool: string, size: number) => {
        seen.push([pool, size]);
        return ctx.spawnLink(idle);
      },
    };
    const a = await DynamicSupervisor.startChild(sup, spec);
    const b = await DynamicSupervisor.startChild(sup, spec);
    expect(a.ok && b.ok).toBe(true);
    expect(seen).toEqual([
      ['pool', 7],
      ['pool', 7],
    ]);
    expect(await pidsOf(sup)).toEqual([a.ok && a.pid, b.ok && b.pid]);
    expect(await DynamicSupervisor.countChildren(sup)).toEqual({ specs: 2, active: 2, supervisors: 0, workers: 2 });
  });

  it('restart types - permanent always, transient only after an abnormal exit, temporary never (supervisor_SUITE:simple_one_for_one)', async () => {
    const { node } = testNode();
    const sup = await dynamicSupervisor(node, { intensity: 10 });
    const results = await Promise.all([obedient('permanent'), obedient('transient'), obedient('transient'), obedient('temporary')].map((spec) => DynamicSupervisor.startChild(sup, spec)));
    const [permanent, transientNormal, transientCrash, temporary] = results.map((result) => (result.ok ? result.pid : undefined)) as Pid[];
    await exitChild(node, sup, permanent!, 'normal');
    await exitChild(node, sup, transientNormal!, 'normal');
    await exitChild(node, sup, transientCrash!, 'crashed');
    await exitChild(node, sup, temporary!, 'crashed');
    const left = await pidsOf(sup);
    expect(left).toHaveLength(2); // the permanent one and the crashed transient one, restarted as new processes
    for (const pid of [permanent, transientNormal, transientCrash, temporary]) expect(left).not.toContain(pid);
  });

  it('maxChildren - one child too many is a MaxChildrenError result; room again after one ends', async () => {
    const { node } = testNode();
    const sup = await dynamicSupervisor(node, { maxChildren: 1 });
    const first = await DynamicSupervisor.startChild(sup, obedient('temporary'));
    const second = await DynamicSupervisor.startChild(sup, obedient('temporary'));
    expect(second).toMatchObject({ ok: false, ignored: false });
    expect(!second.ok && !second.ignored && second.error).toBeInstanceOf(MaxChildrenError);
    if (!first.ok) throw new Error('did not start');
    await exitChild(node, sup, first.pid, 'normal');
    expect((await DynamicSupervisor.startChild(sup, obedient('temporary'))).ok).toBe(true);
  });

  it('intensity - one restart too many ends the supervisor with shutdown (supervisor_SUITE:simple_one_for_one_escalation)', async () => {
    const { node, reports } = testNode();
    const sup = await dynamicSupervisor(node, { intensity: 1, period: 60 });
    const supExit = node.awaitExit(sup);
    const started = await DynamicSupervisor.startChild(sup, obedient('permanent'));
    if (!started.ok) throw new Error('did not start');
    await exitChild(node, sup, started.pid, 'boom');
    const [restarted] = await pidsOf(sup);
    node.send(restarted!, { reason: 'boom again' });
    expect(await supExit).toBe('shutdown');
    expect(reportsOf(reports, 'supervisor_report').map((report) => report.errorContext)).toEqual([
      'child_terminated',
      'child_terminated',
      'reached_max_restart_intensity',
    ]);
  });

  it('.terminateChild() - stops the child by pid without restarting it; an unknown pid is ChildNotFoundError (supervisor_SUITE:child_adm_simple)', async () => {
    const { node } = testNode();
    const sup = await dynamicSupervisor(node);
    const started = await DynamicSupervisor.startChild(sup, { start: (ctx: ProcessContext) => ctx.spawnLink(idle) });
    if (!started.ok) throw new Error('did not start');
    const exit = node.awaitExit(started.pid);
    await DynamicSupervisor.terminateChild(sup, started.pid);
    expect(await exit).toBe('shutdown');
    expect(await pidsOf(sup)).toEqual([]);
    await expect(DynamicSupervisor.terminateChild(sup, started.pid)).rejects.toBeInstanceOf(ChildNotFoundError);
  });

  it('stop - every child is told at once; one that ignores shutdown is killed at its shutdown time (supervisor_SUITE:simple_one_for_one_shutdown)', async () => {
    const { node, reports } = testNode();
    const sup = await dynamicSupervisor(node);
    const stubborn = { shutdown: 50, start: (ctx: ProcessContext) => ctx.spawnLink(async (child) => { child.trapExit(true); await child.receive(() => false); }) };
    const polite = { shutdown: 10_000, start: (ctx: ProcessContext) => ctx.spawnLink(idle) };
    const pids: Pid[] = [];
    for (const spec of [stubborn, polite, stubborn]) {
      const started = await DynamicSupervisor.startChild(sup, spec);
      if (started.ok) pids.push(started.pid);
    }
    const exits = pids.map((pid) => node.awaitExit(pid));
    await DynamicSupervisor.stop(sup);
    expect(await Promise.all(exits)).toEqual(['killed', 'shutdown', 'killed']);
    expect(reportsOf(reports, 'supervisor_report').filter((report) => report.errorContext === 'shutdown_error')).toHaveLength(2);
  });

  it('a failed restart is retried through the mailbox and counts against the intensity', async () => {
    const { node, reports } = testNode();
    const sup = await dynamicSupervisor(node, { intensity: 3, period: 60 });
    const supExit = node.awaitExit(sup);
    let starts = 0;
    const flaky: DynamicChildSpec = {
      start: (ctx: ProcessContext) => {
        starts++;
        if (starts > 1) throw new Error('cannot start again');
        return ctx.spawnLink(async (child) => {
          await child.receive();
          child.exit('crash');
        });
      },
    };
    const started = await DynamicSupervisor.startChild(sup, flaky);
    if (!started.ok) throw new Error('did not start');
    node.send(started.pid, 'go');
    expect(await supExit).toBe('shutdown');
    expect(starts).toBe(4); // the first start, then three failed restarts within the intensity of 3
    expect(reportsOf(reports, 'supervisor_report').filter((report) => report.errorContext === 'start_error')).toHaveLength(3);
  });

  it('a child start that fails is the result, and the supervisor keeps no trace of it', async () => {
    const { node } = testNode();
    const sup = await dynamicSupervisor(node);
    const failing = await DynamicSupervisor.startChild(sup, { start: (ctx: ProcessContext) => GenServer.startLink(ctx, { init: () => ({ stop: 'no' }) }, undefined) });
    expect(failing).toMatchObject({ ok: false, ignored: false, error: { code: 'init_failed', reason: 'no' } });
    const ignoring = await DynamicSupervisor.startChild(sup, { start: (ctx: ProcessContext) => GenServer.startLink(ctx, { init: () => ({ ignore: true as const }) }, undefined) });
    expect(ignoring).toEqual({ ok: false, ignored: true });
    expect(await DynamicSupervisor.countChildren(sup)).toMatchObject({ active: 0 });
  });

  it('an EXIT from a process that is not a child is ignored', async () => {
    const { node } = testNode();
    const sup = await dynamicSupervisor(node);
    const stranger = node.spawn(idle);
    node.send(sup, new ExitMessage(stranger, 'stray'));
    expect(await DynamicSupervisor.countChildren(sup)).toMatchObject({ active: 0 });
    expect(node.isAlive(sup)).toBe(true);
  });

  it('bad options and specs - TypeError before anything starts', async () => {
    const { node } = testNode();
    expect(() => DynamicSupervisor.start({ node, maxChildren: -1 })).toThrow(/options\.maxChildren/);
    expect(() => DynamicSupervisor.start({ node, intensity: 1.5 })).toThrow(/options\.intensity/);
    expect(() => DynamicSupervisor.start({ node, extraArguments: 'x' as never })).toThrow(/options\.extraArguments/);
    const sup = await dynamicSupervisor(node);
    expect(() => DynamicSupervisor.startChild(sup, { start: 'nope' as never })).toThrow(/start/);
    expect(() => DynamicSupervisor.startChild(sup, { start: (ctx: ProcessContext) => ctx.spawnLink(idle), restart: 'sometimes' as never })).toThrow(/restart/);
  });
});
