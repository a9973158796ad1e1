import { describe, expect, it } from 'vitest';
import {
  AlreadyStartedError,
  BadReturnValueError,
  CallExitError,
  ChildNotFoundError,
  ChildStartError,
  ChildStateError,
  createRegistry,
  ExitMessage,
  GenServer,
  InitFailedError,
  Pid,
  SignificantChildError,
  Supervisor,
  sys,
  type BeamishNode,
  type ChildSpec,
  type ExitReason,
  type GenServerSpec,
  type ProcessContext,
  type ServerRef,
  type StartResult,
  type SupervisorOptions,
  type SupervisorReport,
} from '../../src/index.js';
import { idle, reportsOf, testNode, type LoggedReport } from '../helpers.js';

type Log = string[];

function pidOf(result: StartResult): Pid {
  if (!result.ok) throw new Error(`expected a started process, got ${JSON.stringify(result)}`);
  return result.pid;
}

/** The error of a failed start result; fails the test for any other result. */
function errorOf<E = unknown>(result: StartResult): E {
  if (result.ok || result.ignored) throw new Error(`expected a failed start, got ${JSON.stringify(result)}`);
  return result.error as E;
}

/** The error `fn` throws or rejects with; fails the test if it succeeds. */
async function failure(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((settle) => (resolve = settle));
  return { promise, resolve };
}

/**
 * A worker that writes `start:<id>` when its init runs and `stop:<id>` when its terminate runs, in
 * one log shared by its siblings, so tests read which children stopped and started, in what order.
 * It traps exits (its supervisor's shutdown runs terminate); a cast `{ exit: reason }` stops it.
 */
function worker(log: Log, id: string): GenServerSpec<null, string, unknown, string, { exit: ExitReason }> {
  return {
    init(_arg, ctx) {
      ctx.trapExit(true);
      log.push(`start:${id}`);
      return { state: id };
    },
    handleCall: (_request, _from, state) => ({ reply: state, state }),
    handleCast: (request, state) => ({ stop: request.exit, state }),
    terminate() {
      log.push(`stop:${id}`);
    },
  };
}

/** A child spec for a logging worker. */
function child(log: Log, id: string, extra: Partial<ChildSpec> = {}): ChildSpec {
  return { id, start: (ctx) => GenServer.startLink(ctx, worker(log, id), null), ...extra };
}

/** A child whose start fails (init returns `{ stop }`) while `failing()` says so. */
function flaky(log: Log, id: string, failing: () => boolean, extra: Partial<ChildSpec> = {}): ChildSpec {
  return {
    id,
    start: (ctx) => (failing() ? GenServer.startLink(ctx, { init: () => ({ stop: 'cannot_start' }) }, null) : GenServer.startLink(ctx, worker(log, id), null)),
    ...extra,
  };
}

async function startSup(node: BeamishNode, children: ChildSpec[], options: SupervisorOptions = {}): Promise<Pid> {
  return pidOf(await Supervisor.start(children, { node, ...options }));
}

/** The pid of a running child. */
async function childPid(sup: ServerRef, id: unknown): Promise<Pid> {
  const info = (await Supervisor.whichChildren(sup)).find((entry) => entry.id === id);
  if (!(info?.pid instanceof Pid)) throw new Error(`child ${String(id)} is not running: ${String(info?.pid)}`);
  return info.pid;
}

/**
 * Makes a logging worker stop with `reason` and waits until it is gone. Its EXIT is then in the
 * supervisor's mailbox, so the supervisor's answer to the next call reflects the restart.
 */
async function crash(node: BeamishNode, sup: ServerRef, id: string, reason: ExitReason = 'crashed'): Promise<Pid> {
  const pid = await childPid(sup, id);
  const exited = node.awaitExit(pid);
  GenServer.cast(pid, { exit: reason });
  await exited;
  return pid;
}

/** Kills a child and waits until it is gone. */
async function kill(node: BeamishNode, pid: Pid): Promise<void> {
  const exited = node.awaitExit(pid);
  node.exit(pid, 'kill');
  await exited;
}

async function pids(sup: ServerRef): Promise<unknown[]> {
  return (await Supervisor.whichChildren(sup)).map((entry) => entry.pid);
}

function supervisorReports(reports: readonly LoggedReport[], context?: SupervisorReport['errorContext']): SupervisorReport[] {
  return (reportsOf(reports, 'supervisor_report') as unknown as SupervisorReport[]).filter((r) => context === undefined || r.errorContext === context);
}

/** Waits until the clock the supervisor reads (`performance.now()`) has reached `deadline`. */
async function clockReaches(deadline: number): Promise<void> {
  while (performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, Math.max(1, Math.ceil(deadline - performance.now()))));
}

describe('Supervisor.start', () => {
  it('starts the children in order before resolving (supervisor_SUITE:sup_start_normal)', async () => {
    const { node, reports } = testNode();
    const log: Log = [];
    const sup = await startSup(node, [child(log, 'a'), child(log, 'b'), child(log, 'c')]);
    expect(log).toEqual(['start:a', 'start:b', 'start:c']);
    const children = await Supervisor.whichChildren(sup);
    expect(children.map((c) => [c.id, c.type])).toEqual([
      ['a', 'worker'],
      ['b', 'worker'],
      ['c', 'worker'],
    ]);
    expect(children.every((c) => c.pid instanceof Pid && node.isAlive(c.pid))).toBe(true);
    expect(await Supervisor.countChildren(sup)).toEqual({ specs: 3, active: 3, supervisors: 0, workers: 3 });
    const progress = reportsOf(reports, 'progress');
    expect(progress.map((r) => (r.started as { id: string }).id)).toEqual(['a', 'b', 'c']);
    expect(reports.filter((r) => r.report.kind === 'progress').every((r) => r.level === 'info')).toBe(true);
  });

  it('a child that fails to start fails the start with { shutdown: { failedToStartChild } }; those started are stopped, last first', async () => {
    const { node, reports } = testNode();
    const log: Log = [];
    const result = await Supervisor.start([child(log, 'a'), child(log, 'b'), flaky(log, 'c', () => true), child(log, 'd')], { node });
    const error = errorOf<InitFailedError>(result);
    expect(error).toBeInstanceOf(InitFailedError);
    const reason = error.reason as { shutdown: { failedToStartChild: unknown; reason: InitFailedError } };
    expect(reason.shutdown.failedToStartChild).toBe('c');
    expect(reason.shutdown.reason).toBeInstanceOf(InitFailedError);
    expect(reason.shutdown.reason.reason).toBe('cannot_start');
    expect(log).toEqual(['start:a', 'start:b', 'stop:b', 'stop:a']);
    const [startError] = supervisorReports(reports, 'start_error');
    expect(startError).toMatchObject({ child: { id: 'c', pid: undefined }, reason: reason.shutdown.reason });
  });

  it('a child that returns ignore at init keeps its spec, not running; a temporary one is dropped (supervisor_SUITE:sup_start_ignore_child, sup_start_ignore_temporary_child)', async () => {
    const { node } = testNode();
    const log: Log = [];
    const ignoring = (id: string, restart: ChildSpec['restart']): ChildSpec => ({ id, restart, start: (ctx) => GenServer.startLink(ctx, { init: () => ({ ignore: true }) }, null) });
    const sup = await startSup(node, [ignoring('child1', 'permanent'), child(log, 'child2'), ignoring('child3', 'temporary')]);
    const children = await Supervisor.whichChildren(sup);
    expect(children.map((c) => c.id)).toEqual(['child1', 'child2']);
    expect(children[0]!.pid).toBeUndefined();
    expect(await Supervisor.countChildren(sup)).toEqual({ specs: 2, active: 1, supervisors: 0, workers: 2 });
  });

  it('a start function that throws or returns something else fails with ChildStartError', async () => {
    const { node } = testNode();
    const thrown = new Error('no start');
    const throwing = await Supervisor.start(
      [
        {
          id: 'x',
          start: () => {
            throw thrown;
          },
        },
      ],
      { node },
    );
    const error = (errorOf<InitFailedError>(throwing).reason as { shutdown: { reason: ChildStartError } }).shutdown.reason;
    expect(error).toBeInstanceOf(ChildStartError);
    expect(error.code).toBe('child_start_failed');
    expect(error.id).toBe('x');
    expect(error.reason).toBe(thrown);
    const garbage = await Supervisor.start([{ id: 'y', start: () => 'not a start result' as never }], { node });
    const bad = (errorOf<InitFailedError>(garbage).reason as { shutdown: { reason: ChildStartError } }).shutdown.reason;
    expect(bad.reason).toBeInstanceOf(BadReturnValueError);
  });

  it('a plain linked process can be a child: start returns its pid', async () => {
    const { node } = testNode();
    const sup = await startSup(node, [{ id: 'plain', start: (ctx) => ctx.spawnLink(idle) }], { intensity: 5 });
    const first = await childPid(sup, 'plain');
    await kill(node, first);
    const second = await childPid(sup, 'plain');
    expect(second).not.toBe(first);
    expect(node.isAlive(second)).toBe(true);
  });

  it('getChildspec - the spec with the defaults filled in, ChildNotFoundError otherwise (supervisor_SUITE:sup_start_map)', async () => {
    const { node } = testNode();
    const log: Log = [];
    const sup = await startSup(node, [child(log, 'child1'), child(log, 'child2', { shutdown: 'brutal_kill' }), child(log, 'child3', { type: 'supervisor' })]);
    expect(await Supervisor.getChildspec(sup, 'child1')).toMatchObject({ id: 'child1', restart: 'permanent', shutdown: 5000, type: 'worker', significant: false });
    expect(await Supervisor.getChildspec(sup, 'child2')).toMatchObject({ shutdown: 'brutal_kill', type: 'worker' });
    expect(await Supervisor.getChildspec(sup, 'child3')).toMatchObject({ shutdown: 'infinity', type: 'supervisor' });
    expect(typeof (await Supervisor.getChildspec(sup, 'child1')).start).toBe('function');
    const error = (await failure(() => Supervisor.getChildspec(sup, 'child4'))) as ChildNotFoundError;
    expect(error).toBeInstanceOf(ChildNotFoundError);
    expect(error.code).toBe('not_found');
    expect(error.id).toBe('child4');
  });

  it('a supervisor can be named, as { name, node } or { via, name }', async () => {
    const { node } = testNode();
    const log: Log = [];
    const registry = createRegistry<string>(node);
    const local = await startSup(node, [child(log, 'a')], { name: 'sup_test' });
    expect(await Supervisor.countChildren({ name: 'sup_test', node })).toMatchObject({ active: 1 });
    const via = await startSup(node, [child(log, 'b')], { name: { via: registry, name: 'sup_via' } });
    expect(await Supervisor.whichChildren({ via: registry, name: 'sup_via' })).toHaveLength(1);
    await Supervisor.stop({ name: 'sup_test', node });
    await Supervisor.stop({ via: registry, name: 'sup_via' });
    expect(node.isAlive(local) || node.isAlive(via)).toBe(false);
  });
});

describe('Supervisor validation', () => {
  it('child spec errors are TypeErrors naming the field, before anything starts (supervisor_SUITE:child_specs, sup_start_map_faulty_specs)', async () => {
    const { node } = testNode();
    const start = () => ({ ok: false, ignored: true }) as const;
    const cases: [unknown, string][] = [
      ['child4', 'children[0]'],
      [{ start }, 'children[0].id'],
      [{ id: 'child2' }, 'children[0].start'],
      [{ id: 'c', start: 'mfa' }, 'children[0].start'],
      [{ id: 'c', start, restart: 'prmanent' }, 'children[0].restart'],
      [{ id: 'c', start, shutdown: -10 }, 'children[0].shutdown'],
      [{ id: 'c', start, shutdown: 1.5 }, 'children[0].shutdown'],
      [{ id: 'c', start, type: 'wrker' }, 'children[0].type'],
      [{ id: 'c', start, significant: 'yes' }, 'children[0].significant'],
      [{ id: 'c', start, significant: true }, 'children[0].significant'],
    ];
    let started = 0;
    const counting: ChildSpec = {
      id: 'first',
      start: (ctx) => {
        started++;
        return ctx.spawnLink(idle);
      },
    };
    for (const [spec, field] of cases) {
      const error = (await failure(() => Supervisor.start([counting, spec as ChildSpec].reverse(), { node }))) as TypeError;
      expect(error).toBeInstanceOf(TypeError);
      expect(error.message).toMatch(new RegExp(`^Expected \`${field.replace(/[[\].]/g, '\\$&')}\` to be`));
    }
    const duplicate = (await failure(() => Supervisor.start([counting, { ...counting }], { node }))) as TypeError;
    expect(duplicate.message).toBe('Expected `children[1].id` to be unique, got `first` twice');
    expect(await failure(() => Supervisor.start('not a list' as never, { node }))).toBeInstanceOf(TypeError);
    expect(started).toBe(0);
  });

  it('startChild validates the spec as child spec.<field>', async () => {
    const { node } = testNode();
    const sup = await startSup(node, []);
    const error = (await failure(() => Supervisor.startChild(sup, { id: 'c', start: () => ({ ok: false, ignored: true }), restart: 'prmanent' as never }))) as TypeError;
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toMatch(/^Expected `child spec\.restart` to be 'permanent', 'transient' or 'temporary', got `.*prmanent.*` \(string\)$/);
    expect(await failure(() => Supervisor.startChild(sup, 'hej' as never))).toBeInstanceOf(TypeError);
    expect(await Supervisor.whichChildren(sup)).toEqual([]);
  });

  it('flags are checked: strategy, intensity, period, autoShutdown (supervisor_SUITE:sup_flags)', async () => {
    const { node } = testNode();
    for (const [options, field] of [
      [{ strategy: 'none_for_one' }, 'options.strategy'],
      [{ intensity: Infinity }, 'options.intensity'],
      [{ intensity: -1 }, 'options.intensity'],
      [{ period: 0 }, 'options.period'],
      [{ period: Infinity }, 'options.period'],
      [{ autoShutdown: 'sometimes' }, 'options.autoShutdown'],
    ] as const) {
      const error = (await failure(() => Supervisor.start([], { node, ...(options as SupervisorOptions) }))) as TypeError;
      expect(error).toBeInstanceOf(TypeError);
      expect(error.message.startsWith(`Expected \`${field}\``)).toBe(true);
    }
    // Unknown options are ignored.
    await Supervisor.stop(await startSup(node, [], { silly_flag: true } as SupervisorOptions));
  });
});

describe('restart strategies', () => {
  it('one_for_one - restarts only the child that exited (supervisor_SUITE:one_for_one)', async () => {
    const { node } = testNode();
    const log: Log = [];
    const sup = await startSup(node, [child(log, 'a'), child(log, 'b'), child(log, 'c')], { intensity: 2, period: 3600 });
    const [a, b, c] = await pids(sup);
    log.length = 0;
    await crash(node, sup, 'b');
    const after = await pids(sup);
    expect(after[0]).toBe(a);
    expect(after[1]).not.toBe(b);
    expect(after[2]).toBe(c);
    expect(log).toEqual(['stop:b', 'start:b']);
    expect(await Supervisor.countChildren(sup)).toEqual({ specs: 3, active: 3, supervisors: 0, workers: 3 });
  });

  it('one_for_all - stops the others last first, then starts all in order (supervisor_SUITE:one_for_all)', async () => {
    const { node } = testNode();
    const log: Log = [];
    const sup = await startSup(node, [child(log, 'a'), child(log, 'b'), child(log, 'c')], { strategy: 'one_for_all', intensity: 2, period: 3600 });
    const before = await pids(sup);
    log.length = 0;
    await crash(node, sup, 'b');
    const after = await pids(sup);
    expect(log).toEqual(['stop:b', 'stop:c', 'stop:a', 'start:a', 'start:b', 'start:c']);
    for (const [i, pid] of after.entries()) expect(pid).not.toBe(before[i]);
    expect(before.some((pid) => node.isAlive(pid as Pid))).toBe(false);
  });

  it('rest_for_one - restarts the child and those started after it, in order (supervisor_SUITE:rest_for_one)', async () => {
    const { node } = testNode();
    const log: Log = [];
    const sup = await startSup(node, [child(log, 'a'), child(log, 'b'), child(log, 'c')], { strategy: 'rest_for_one', intensity: 2, period: 3600 });
    const [a, b, c] = await pids(sup);
    log.length = 0;
    await crash(node, sup, 'b');
    const after = await pids(sup);
    expect(log).toEqual(['stop:b', 'stop:c', 'start:b', 'start:c']);
    expect(after[0]).toBe(a);
    expect(after[1]).not.toBe(b);
    expect(after[2]).not.toBe(c);
    // The last child's crash restarts only itself.
    log.length = 0;
    await crash(node, sup, 'c');
    await Supervisor.countChildren(sup);
    expect(log).toEqual(['stop:c', 'start:c']);
  });

  it('children start in the given order and stop in reverse, on restart and on stop (supervisor_SUITE:order_of_children)', async () => {
    const { node } = testNode();
    const log: Log = [];
    const ids = ['ch7', 'ch3', 'ch10', 'ch2', 'ch5'];
    const sup = await startSup(node, ids.map((id) => child(log, id)), { strategy: 'rest_for_one', intensity: 2, period: 3600 });
    expect(log).toEqual(ids.map((id) => `start:${id}`));
    log.length = 0;
    await crash(node, sup, 'ch10');
    await Supervisor.countChildren(sup);
    expect(log).toEqual(['stop:ch10', 'stop:ch5', 'stop:ch2', 'start:ch10', 'start:ch2', 'start:ch5']);
    log.length = 0;
    await Supervisor.stop(sup, 'shutdown');
    expect(log).toEqual(['stop:ch5', 'stop:ch2', 'stop:ch10', 'stop:ch3', 'stop:ch7']);
  });

  for (const strategy of ['one_for_one', 'one_for_all', 'rest_for_one'] as const) {
    it(`${strategy} - one restart more than the intensity makes the supervisor exit 'shutdown', stopping the rest (supervisor_SUITE:${strategy}, restart frequency)`, async () => {
      const { node, reports } = testNode();
      const log: Log = [];
      const sup = await startSup(node, [child(log, 'a'), child(log, 'b')], { strategy, intensity: 2, period: 3600 });
      const exited = node.awaitExit(sup);
      await crash(node, sup, 'a');
      await crash(node, sup, 'b');
      expect(node.isAlive(sup)).toBe(true);
      const survivors = (await pids(sup)) as Pid[];
      log.length = 0;
      await crash(node, sup, 'a');
      expect(await exited).toBe('shutdown');
      expect(survivors.filter((pid) => node.isAlive(pid))).toEqual([]);
      expect(log).toEqual(['stop:a', 'stop:b']);
      const [given] = supervisorReports(reports, 'reached_max_restart_intensity');
      expect(given).toMatchObject({ supervisor: sup, reason: 'shutdown', child: { id: 'a' } });
    });
  }

  it('intensity 0 - the first restart is one too many', async () => {
    const { node } = testNode();
    const sup = await startSup(node, [child([], 'a')], { intensity: 0 });
    const exited = node.awaitExit(sup);
    await crash(node, sup, 'a');
    expect(await exited).toBe('shutdown');
  });

  it('restarts older than the period no longer count (supervisor_SUITE:multiple_restarts)', async () => {
    const { node } = testNode();
    const sup = await startSup(node, [child([], 'child1', { shutdown: 'brutal_kill' })], { intensity: 1, period: 1 });
    await kill(node, await childPid(sup, 'child1'));
    for (let round = 0; round < 2; round++) {
      // The answer comes after the restart, so the restart happened before this moment.
      const pid = await childPid(sup, 'child1');
      const restarted = performance.now();
      await clockReaches(restarted + 1000);
      await kill(node, pid);
      expect(node.isAlive(await childPid(sup, 'child1'))).toBe(true);
    }
    // Two restarts within the period are one too many.
    const exited = node.awaitExit(sup);
    await kill(node, await childPid(sup, 'child1'));
    expect(await exited).toBe('shutdown');
  });

  for (const [strategy, failingIndex] of [
    ['one_for_one', 0],
    ['one_for_all', 1],
    ['rest_for_one', 1],
  ] as const) {
    it(`${strategy} - failed restarts are retried through the mailbox and counted until the supervisor gives up (supervisor_SUITE:${strategy}_escalation)`, async () => {
      const { node, reports } = testNode();
      const log: Log = [];
      let attempts = 0;
      let failing = false;
      const failingChild: ChildSpec = {
        ...flaky(log, 'failing', () => failing),
        start: (ctx) => {
          attempts++;
          return flaky(log, 'failing', () => failing).start(ctx);
        },
      };
      const children = failingIndex === 0 ? [failingChild, child(log, 'other')] : [child(log, 'other'), failingChild];
      const sup = await startSup(node, children, { strategy, intensity: 4, period: 3600 });
      const exited = node.awaitExit(sup);
      const other = await childPid(sup, 'other');
      failing = true;
      await crash(node, sup, strategy === 'one_for_one' ? 'failing' : 'other');
      expect(await exited).toBe('shutdown');
      expect(node.isAlive(other)).toBe(false);
      // One start at init, then four failed restarts; the fifth restart is one too many.
      expect(attempts).toBe(5);
      expect(supervisorReports(reports, 'start_error')).toHaveLength(4);
      expect(supervisorReports(reports, 'reached_max_restart_intensity')).toHaveLength(1);
    });
  }

  it('one_for_all - a restarted child is stopped again when another fails to restart, and all restart on the retry (supervisor_SUITE:one_for_all_other_child_fails_restart)', async () => {
    const { node } = testNode();
    const log: Log = [];
    let child2Fails = 0;
    const sup = await startSup(node, [child(log, 'child1'), flaky(log, 'child2', () => child2Fails-- > 0)], { strategy: 'one_for_all', intensity: 3, period: 3600 });
    log.length = 0;
    child2Fails = 1;
    await crash(node, sup, 'child1', 'die');
    // The first answer comes between the failed restart and its retry, the second after the retry.
    const during = await Supervisor.whichChildren(sup);
    expect(during[0]!.pid).toBeInstanceOf(Pid);
    expect(during[1]!.pid).toBe('restarting');
    const after = await Supervisor.whichChildren(sup);
    expect(after.every((c) => c.pid instanceof Pid)).toBe(true);
    expect(log).toEqual(['stop:child1', 'stop:child2', 'start:child1', 'stop:child1', 'start:child1', 'start:child2']);
  });

  it('rest_for_one - the retry restarts from the child that failed, not the one that crashed (supervisor_SUITE:rest_for_one_other_child_fails_restart)', async () => {
    const { node } = testNode();
    const log: Log = [];
    let child2Fails = 0;
    const sup = await startSup(node, [child(log, 'child1'), flaky(log, 'child2', () => child2Fails-- > 0)], { strategy: 'rest_for_one', intensity: 3, period: 3600 });
    log.length = 0;
    child2Fails = 1;
    await crash(node, sup, 'child1', 'die');
    const during = await Supervisor.whichChildren(sup);
    expect(during.map((c) => c.pid === 'restarting')).toEqual([false, true]);
    expect((await Supervisor.whichChildren(sup)).every((c) => c.pid instanceof Pid)).toBe(true);
    expect(log).toEqual(['stop:child1', 'stop:child2', 'start:child1', 'start:child2']);
  });

  it("a child supervisor that gives up exits 'shutdown', and its parent restarts it (escalation)", async () => {
    const { node, reports } = testNode();
    const log: Log = [];
    const top = await startSup(
      node,
      [
        {
          id: 'middle',
          type: 'supervisor',
          start: (ctx) => Supervisor.startLink(ctx, [child(log, 'w')], { intensity: 0 }),
        },
      ],
      { intensity: 3, period: 3600 },
    );
    const middle = await childPid(top, 'middle');
    const middleExited = node.awaitExit(middle);
    await crash(node, middle, 'w');
    expect(await middleExited).toBe('shutdown');
    const newMiddle = await childPid(top, 'middle');
    expect(newMiddle).not.toBe(middle);
    expect(log).toEqual(['start:w', 'stop:w', 'start:w']);
    expect(await Supervisor.countChildren(newMiddle)).toMatchObject({ active: 1 });
    expect(supervisorReports(reports, 'reached_max_restart_intensity')[0]).toMatchObject({ supervisor: middle });
    const terminated = supervisorReports(reports, 'child_terminated');
    expect(terminated.map((r) => [r.supervisor, r.child.id, r.reason])).toEqual([
      [middle, 'w', 'crashed'],
      [top, 'middle', 'shutdown'],
    ]);
  });

  it('a supervision tree: only the dead restart; a child supervisor that gives up takes its siblings with it under one_for_all (supervisor_SUITE:tree)', async () => {
    const { node } = testNode();
    const log: Log = [];
    let child3Fails = false;
    const top = await startSup(node, [], { strategy: 'one_for_all', intensity: 4, period: 3600 });
    const supSpec = (id: string, children: ChildSpec[], restart: ChildSpec['restart'] = 'permanent'): ChildSpec => ({
      id,
      type: 'supervisor',
      restart,
      start: (ctx) => Supervisor.startLink(ctx, children, { intensity: 4, period: 3600 }),
    });
    const sup1 = pidOf(await Supervisor.startChild(top, supSpec('supchild1', [child(log, 'child1'), child(log, 'child2')])));
    const sup2 = pidOf(await Supervisor.startChild(top, supSpec('supchild2', [])));
    pidOf(await Supervisor.startChild(top, supSpec('supchild3', [], 'transient')));
    await Supervisor.terminateChild(top, 'supchild3');
    expect(await Supervisor.countChildren(top)).toEqual({ specs: 3, active: 2, supervisors: 3, workers: 0 });
    expect(await Supervisor.countChildren(sup1)).toEqual({ specs: 2, active: 2, supervisors: 0, workers: 2 });
    pidOf(await Supervisor.startChild(sup2, flaky(log, 'child3', () => child3Fails)));
    const child4 = pidOf(await Supervisor.startChild(sup2, child(log, 'child4')));
    const sup1Children = await pids(sup1);
    // Only the child that dies is restarted.
    await crash(node, sup2, 'child4');
    expect(await pids(sup1)).toEqual(sup1Children);
    expect(await childPid(sup2, 'child4')).not.toBe(child4);
    // child3 cannot restart: sup2 gives up, and top restarts all its children, dynamic ones not kept.
    child3Fails = true;
    const sup2Exited = node.awaitExit(sup2);
    await crash(node, sup2, 'child3');
    expect(await sup2Exited).toBe('shutdown');
    const children = await Supervisor.whichChildren(top);
    expect(children.map((c) => c.id)).toEqual(['supchild1', 'supchild2', 'supchild3']);
    expect(children.every((c) => c.pid instanceof Pid)).toBe(true);
    expect(node.isAlive(sup1)).toBe(false);
    const [newSup1, newSup2, newSup3] = children.map((c) => c.pid as Pid);
    expect((await Supervisor.whichChildren(newSup1!)).map((c) => c.id)).toEqual(['child1', 'child2']);
    expect(await Supervisor.whichChildren(newSup2!)).toEqual([]);
    expect(await Supervisor.whichChildren(newSup3!)).toEqual([]);
  });

  it('while a restart keeps failing the child is restarting, and the supervisor still answers (supervisor_SUITE:hanging_restart_loop, count_restarting_children)', async () => {
    const { node } = testNode();
    const log: Log = [];
    let failing = false;
    const spec = flaky(log, 'child1', () => failing, { shutdown: 'brutal_kill' });
    const sup = await startSup(node, [], { intensity: 1000, period: 3600 });
    const first = pidOf(await Supervisor.startChild(sup, spec));
    failing = true;
    await kill(node, first);
    // Each call is answered between two retries.
    expect(errorOf<ChildStateError>(await Supervisor.startChild(sup, spec)).code).toBe('already_present');
    expect(((await failure(() => Supervisor.restartChild(sup, 'child1'))) as ChildStateError).code).toBe('restarting');
    expect(((await failure(() => Supervisor.deleteChild(sup, 'child1'))) as ChildStateError).code).toBe('restarting');
    expect(await Supervisor.whichChildren(sup)).toEqual([{ id: 'child1', pid: 'restarting', type: 'worker' }]);
    expect(await Supervisor.countChildren(sup)).toEqual({ specs: 1, active: 0, supervisors: 0, workers: 1 });
    await Supervisor.terminateChild(sup, 'child1');
    expect(await Supervisor.whichChildren(sup)).toEqual([{ id: 'child1', pid: undefined, type: 'worker' }]);
    failing = false;
    const second = pidOf(await Supervisor.restartChild(sup, 'child1'));
    // A supervisor in a restart loop can still be stopped.
    failing = true;
    await kill(node, second);
    await Supervisor.stop(sup, 'shutdown');
    expect(node.isAlive(sup)).toBe(false);
  });

  it('rest_for_one - children after a restarting one are not running (supervisor_SUITE:hanging_restart_loop_rest_for_one)', async () => {
    const { node } = testNode();
    const log: Log = [];
    let failing = false;
    const sup = await startSup(node, [child(log, 'child1'), flaky(log, 'child2', () => failing, { shutdown: 'brutal_kill' }), child(log, 'child3')], {
      strategy: 'rest_for_one',
      intensity: 1000,
      period: 3600,
    });
    const child1 = await childPid(sup, 'child1');
    failing = true;
    await kill(node, await childPid(sup, 'child2'));
    expect(await Supervisor.whichChildren(sup)).toEqual([
      { id: 'child1', pid: child1, type: 'worker' },
      { id: 'child2', pid: 'restarting', type: 'worker' },
      { id: 'child3', pid: undefined, type: 'worker' },
    ]);
    expect(await Supervisor.countChildren(sup)).toEqual({ specs: 3, active: 1, supervisors: 0, workers: 3 });
    await Supervisor.terminateChild(sup, 'child2');
    expect((await Supervisor.whichChildren(sup))[1]).toEqual({ id: 'child2', pid: undefined, type: 'worker' });
    failing = false;
    pidOf(await Supervisor.restartChild(sup, 'child2'));
  });
});

describe('restart types', () => {
  const cases: [ChildSpec['restart'], ExitReason, 'restarted' | 'kept' | 'removed'][] = [
    ['permanent', 'normal', 'restarted'],
    ['permanent', 'shutdown', 'restarted'],
    ['permanent', { shutdown: 'some_info' }, 'restarted'],
    ['permanent', 'abnormal', 'restarted'],
    ['transient', 'normal', 'kept'],
    ['transient', 'shutdown', 'kept'],
    ['transient', { shutdown: 'some_info' }, 'kept'],
    ['transient', 'abnormal', 'restarted'],
    ['temporary', 'normal', 'removed'],
    ['temporary', 'shutdown', 'removed'],
    ['temporary', { shutdown: 'some_info' }, 'removed'],
    ['temporary', 'abnormal', 'removed'],
  ];
  for (const [restart, reason, outcome] of cases) {
    it(`${restart} child exiting ${JSON.stringify(reason)} is ${outcome} (supervisor_SUITE:${restart}_${reason === 'normal' ? 'normal' : reason === 'abnormal' ? 'abnormal' : 'shutdown'})`, async () => {
      const { node, reports } = testNode();
      const log: Log = [];
      const sup = await startSup(node, [], { intensity: 2, period: 3600 });
      const first = pidOf(await Supervisor.startChild(sup, child(log, 'child1', { restart })));
      await crash(node, sup, 'child1', reason);
      const children = await Supervisor.whichChildren(sup);
      if (outcome === 'restarted') {
        expect(children).toHaveLength(1);
        expect(children[0]!.pid).toBeInstanceOf(Pid);
        expect(children[0]!.pid).not.toBe(first);
        expect(await Supervisor.countChildren(sup)).toEqual({ specs: 1, active: 1, supervisors: 0, workers: 1 });
      } else if (outcome === 'kept') {
        expect(children).toEqual([{ id: 'child1', pid: undefined, type: 'worker' }]);
        expect(await Supervisor.countChildren(sup)).toEqual({ specs: 1, active: 0, supervisors: 0, workers: 1 });
        pidOf(await Supervisor.restartChild(sup, 'child1'));
      } else {
        expect(children).toEqual([]);
        expect(await Supervisor.countChildren(sup)).toEqual({ specs: 0, active: 0, supervisors: 0, workers: 0 });
        pidOf(await Supervisor.startChild(sup, child(log, 'child1', { restart })));
      }
      // OTP reports every exit of a permanent child, and the abnormal exits of the others.
      const reported = restart === 'permanent' || reason === 'abnormal';
      expect(supervisorReports(reports, 'child_terminated')).toHaveLength(reported ? 1 : 0);
    });
  }

  it('child_terminated reports name the supervisor, the child and the reason, at level error', async () => {
    const { node, reports } = testNode();
    const named = await startSup(node, [child([], 'a', { shutdown: 1234 })], { name: 'named_sup' });
    const anonymous = await startSup(node, [child([], 'b')]);
    const a = await crash(node, named, 'a', 'abnormal');
    const b = await crash(node, anonymous, 'b', 'abnormal');
    await Supervisor.countChildren(named);
    await Supervisor.countChildren(anonymous);
    const terminated = supervisorReports(reports, 'child_terminated');
    expect(terminated).toEqual([
      { kind: 'supervisor_report', supervisor: 'named_sup', errorContext: 'child_terminated', reason: 'abnormal', child: { id: 'a', pid: a, restart: 'permanent', shutdown: 1234 } },
      { kind: 'supervisor_report', supervisor: anonymous, errorContext: 'child_terminated', reason: 'abnormal', child: { id: 'b', pid: b, restart: 'permanent', shutdown: 5000 } },
    ]);
    expect(reports.filter((r) => r.report.kind === 'supervisor_report').every((r) => r.level === 'error')).toBe(true);
  });

  for (const strategy of ['one_for_all', 'rest_for_one'] as const) {
    it(`${strategy} - a temporary child stopped as a bystander is not restarted, and its spec goes (supervisor_SUITE:temporary_bystander)`, async () => {
      const { node } = testNode();
      const log: Log = [];
      const sup = await startSup(node, [child(log, 'child1'), child(log, 'child2', { restart: 'temporary' })], { strategy, intensity: 2, period: 300 });
      await crash(node, sup, 'child1', 'normal');
      const children = await Supervisor.whichChildren(sup);
      expect(children.map((c) => c.id)).toEqual(['child1']);
      expect(children[0]!.pid).toBeInstanceOf(Pid);
      expect(log.filter((entry) => entry === 'start:child2')).toHaveLength(1);
    });
  }

  for (const strategy of ['one_for_one', 'one_for_all', 'rest_for_one'] as const) {
    it(`${strategy} - permanent and transient specs are kept, temporary ones are not (supervisor_SUITE:do_not_save_child_specs_for_temporary_children)`, async () => {
      const { node } = testNode();
      const log: Log = [];
      const sup = await startSup(node, [], { strategy, intensity: 10, period: 3600 });
      for (const how of ['kill', 'normal', 'abnormal', 'supervisor'] as const) {
        for (const restart of ['permanent', 'transient', 'temporary'] as const) {
          const spec = child(log, restart, { restart });
          const pid = pidOf(await Supervisor.startChild(sup, spec));
          if (how === 'supervisor') await Supervisor.terminateChild(sup, restart);
          else if (how === 'kill') await kill(node, pid);
          else await crash(node, sup, restart, how);
          const again = await Supervisor.startChild(sup, spec);
          if (restart === 'temporary') pidOf(again);
          else if (how === 'supervisor' || (restart === 'transient' && how === 'normal')) {
            expect(errorOf<ChildStateError>(again).code).toBe('already_present');
            pidOf(await Supervisor.restartChild(sup, restart));
          } else expect(errorOf<AlreadyStartedError>(again)).toBeInstanceOf(AlreadyStartedError);
          await Supervisor.terminateChild(sup, restart);
          if (restart !== 'temporary') await Supervisor.deleteChild(sup, restart);
          expect(await Supervisor.whichChildren(sup)).toEqual([]);
        }
      }
    });
  }
});

describe('shutdown', () => {
  it('Supervisor.stop stops the children last first, then exits with the reason', async () => {
    const { node } = testNode();
    const log: Log = [];
    const sup = await startSup(node, [child(log, 'a'), child(log, 'b'), child(log, 'c')]);
    const children = (await pids(sup)) as Pid[];
    const exited = node.awaitExit(sup);
    log.length = 0;
    await Supervisor.stop(sup, { shutdown: 'asked' });
    expect(await exited).toEqual({ shutdown: 'asked' });
    expect(log).toEqual(['stop:c', 'stop:b', 'stop:a']);
    expect(children.filter((pid) => node.isAlive(pid))).toEqual([]);
  });

  it("the parent's exit stops a linked supervisor, its children last first", async () => {
    const { node } = testNode();
    const log: Log = [];
    const started = deferred<Pid>();
    const parent = node.spawn(async (ctx) => {
      started.resolve(pidOf(await Supervisor.startLink(ctx, [child(log, 'a'), child(log, 'b')])));
      await ctx.receive();
      ctx.exit('shutdown');
    });
    const sup = await started.promise;
    const exited = node.awaitExit(sup);
    log.length = 0;
    node.send(parent, 'go');
    expect(await exited).toBe('shutdown');
    expect(log).toEqual(['stop:b', 'stop:a']);
  });

  it('brutal_kill - the child is killed: its terminate does not run, and that is no error (supervisor_SUITE:sup_stop_brutal_kill)', async () => {
    const { node, reports } = testNode();
    const log: Log = [];
    const sup = await startSup(node, [child(log, 'child1', { shutdown: 1000 }), child(log, 'child2', { shutdown: 'brutal_kill' })]);
    const [child1, child2] = (await pids(sup)) as Pid[];
    const reasons = Promise.all([node.awaitExit(child1!), node.awaitExit(child2!)]);
    log.length = 0;
    await Supervisor.stop(sup, 'shutdown');
    expect(await reasons).toEqual(['shutdown', 'killed']);
    expect(log).toEqual(['stop:child1']);
    expect(supervisorReports(reports, 'shutdown_error')).toEqual([]);
  });

  it('a timeout - a child still running after it is killed, with a shutdown_error report (supervisor_SUITE:sup_stop_timeout)', async () => {
    const { node, reports } = testNode();
    const log: Log = [];
    const stubborn: ChildSpec = {
      id: 'child2',
      shutdown: 20,
      start: (ctx) => GenServer.startLink(ctx, { ...worker(log, 'child2'), terminate: () => new Promise(() => {}) }, null),
    };
    const sup = await startSup(node, [child(log, 'child1', { shutdown: 1000 }), stubborn]);
    const [child1, child2] = (await pids(sup)) as Pid[];
    const reasons = Promise.all([node.awaitExit(child1!), node.awaitExit(child2!)]);
    await Supervisor.stop(sup, 'shutdown');
    expect(await reasons).toEqual(['shutdown', 'killed']);
    expect(supervisorReports(reports, 'shutdown_error')).toEqual([
      { kind: 'supervisor_report', supervisor: sup, errorContext: 'shutdown_error', reason: 'killed', child: { id: 'child2', pid: child2, restart: 'permanent', shutdown: 20 } },
    ]);
  });

  it('infinity - the supervisor waits as long as the child takes (supervisor_SUITE:sup_stop_infinity)', async () => {
    const { node, reports } = testNode();
    const entered = deferred();
    const gate = deferred();
    const slow: ChildSpec = {
      id: 'child1',
      type: 'supervisor',
      start: (ctx) =>
        GenServer.startLink(
          ctx,
          {
            ...worker([], 'child1'),
            async terminate() {
              entered.resolve();
              await gate.promise;
            },
          },
          null,
        ),
    };
    const sup = await startSup(node, [slow, child([], 'child2', { shutdown: 'infinity' })]);
    const [child1, child2] = (await pids(sup)) as Pid[];
    const reasons = Promise.all([node.awaitExit(child1!), node.awaitExit(child2!)]);
    let stopped = false;
    const stopping = Supervisor.stop(sup, 'shutdown').then(() => (stopped = true));
    await entered.promise;
    expect(stopped).toBe(false);
    expect(node.isAlive(sup)).toBe(true);
    expect(node.isAlive(child1!)).toBe(true);
    gate.resolve();
    await stopping;
    expect(await reasons).toEqual(['shutdown', 'shutdown']);
    expect(supervisorReports(reports, 'shutdown_error')).toEqual([]);
  });

  it('a child that exits with another reason when asked to stop: an error for a permanent child only', async () => {
    const { node, reports } = testNode();
    const exitsWith =
      (reason: ExitReason) =>
      (ctx: ProcessContext): Pid =>
        ctx.spawnLink(
          async (c) => {
            await c.receive((m) => m instanceof ExitMessage);
            c.exit(reason);
          },
          { trapExit: true },
        );
    const sup = await startSup(node, [
      { id: 'transient_info', restart: 'transient', start: exitsWith({ shutdown: 'bye' }) },
      { id: 'transient_normal', restart: 'transient', start: exitsWith('normal') },
      { id: 'temporary_info', restart: 'temporary', start: exitsWith({ shutdown: 'bye' }) },
      { id: 'permanent_info', start: exitsWith({ shutdown: 'bye' }) },
      { id: 'permanent_normal', start: exitsWith('normal') },
      { id: 'transient_other', restart: 'transient', start: exitsWith('other') },
    ]);
    for (const id of ['transient_info', 'transient_normal', 'temporary_info', 'permanent_info', 'permanent_normal', 'transient_other']) {
      await Supervisor.terminateChild(sup, id);
    }
    expect(supervisorReports(reports, 'shutdown_error').map((r) => [r.child.id, r.reason])).toEqual([
      ['permanent_info', { shutdown: 'bye' }],
      ['permanent_normal', 'normal'],
      ['transient_other', 'other'],
    ]);
  });

  it('a child that unlinked itself is still stopped, and the supervisor does not hang (supervisor_SUITE:child_unlink)', async () => {
    const { node } = testNode();
    const sup = await startSup(node, [
      {
        id: 'naughty_child',
        shutdown: 1000,
        start: (ctx) => {
          const supervisor = ctx.self;
          return ctx.spawnLink(async (c) => {
            c.unlink(supervisor);
            await c.receive(() => false);
          });
        },
      },
    ]);
    const naughty = await childPid(sup, 'naughty_child');
    const exited = node.awaitExit(naughty);
    await Supervisor.terminateChild(sup, 'naughty_child');
    expect(await exited).toBe('shutdown');
    expect(await Supervisor.whichChildren(sup)).toEqual([{ id: 'naughty_child', pid: undefined, type: 'worker' }]);
  });

  it('children that exit by themselves while the supervisor stops do not hold it up (supervisor_SUITE:sup_stop_race)', async () => {
    const { node } = testNode();
    const log: Log = [];
    const specs: ChildSpec[] = [];
    for (const restart of ['temporary', 'transient', 'permanent'] as const) {
      for (const reason of ['normal', 'shutdown', 'other'] as const) specs.push(child(log, `${restart}_${reason}`, { restart, shutdown: 1000 }));
    }
    const sup = await startSup(node, specs, { intensity: 100 });
    const children = (await Supervisor.whichChildren(sup)).map((c) => ({ id: c.id as string, pid: c.pid as Pid }));
    // Every child is asked to exit by itself just before the stop request reaches the supervisor.
    for (const { id, pid } of children) GenServer.cast(pid, { exit: id.split('_')[1] });
    await Supervisor.stop(sup, 'shutdown');
    expect(children.filter(({ pid }) => node.isAlive(pid))).toEqual([]);
  });
});

describe('significant children and autoShutdown', () => {
  it('significant is only for transient and temporary children', async () => {
    const { node } = testNode();
    const error = (await failure(() => Supervisor.start([child([], 'a', { significant: true })], { node, autoShutdown: 'any_significant' }))) as TypeError;
    expect(error.message).toMatch(/^Expected `children\[0\]\.significant` to be false for a permanent child/);
  });

  for (const [restart, autoShutdown] of [
    ['temporary', 'never'],
    ['temporary', 'any_significant'],
    ['temporary', 'all_significant'],
    ['transient', 'never'],
    ['transient', 'any_significant'],
    ['transient', 'all_significant'],
  ] as const) {
    it(`a ${restart} non-significant child's exits never stop a supervisor with ${autoShutdown} (supervisor_SUITE:nonsignificant_${restart})`, async () => {
      const { node } = testNode();
      const sup = await startSup(node, [], { intensity: 5, autoShutdown });
      const spec = child([], 'child1', { restart, significant: false });
      for (const how of ['supervisor', 'kill', 'abnormal', 'normal'] as const) {
        const pid = restart === 'transient' && how !== 'supervisor' ? await childPid(sup, 'child1') : pidOf(await Supervisor.startChild(sup, spec));
        if (how === 'supervisor') await Supervisor.terminateChild(sup, 'child1');
        else if (how === 'kill') await kill(node, pid);
        else await crash(node, sup, 'child1', how);
        // A call answered after the exit was handled: the supervisor is still there.
        await Supervisor.countChildren(sup);
        if (restart === 'transient' && how === 'supervisor') pidOf(await Supervisor.restartChild(sup, 'child1'));
      }
      expect(node.isAlive(sup)).toBe(true);
    });
  }

  it('temporary significant children: any_significant stops on any exit but terminateChild; all_significant on the last (supervisor_SUITE:significant_temporary)', async () => {
    const { node } = testNode();
    const specs = [child([], 'child1', { restart: 'temporary', significant: true }), child([], 'child2', { restart: 'temporary', significant: true }), child([], 'child3', { restart: 'temporary' })];
    const any = await startSup(node, specs, { intensity: 5, autoShutdown: 'any_significant' });
    await Supervisor.terminateChild(any, 'child1');
    expect(await Supervisor.whichChildren(any)).toHaveLength(2);
    for (const how of ['kill', 'abnormal', 'normal'] as const) {
      const sup = how === 'kill' ? any : await startSup(node, specs, { intensity: 5, autoShutdown: 'any_significant' });
      if (how === 'kill') pidOf(await Supervisor.startChild(sup, specs[0]!));
      const children = (await pids(sup)) as Pid[];
      const exited = node.awaitExit(sup);
      if (how === 'kill') await kill(node, await childPid(sup, 'child1'));
      else await crash(node, sup, 'child1', how);
      expect(await exited).toBe('shutdown');
      expect(children.filter((pid) => node.isAlive(pid))).toEqual([]);
    }
    const all = await startSup(node, specs, { intensity: 5, autoShutdown: 'all_significant' });
    const exited = node.awaitExit(all);
    await crash(node, all, 'child1', 'normal');
    expect((await Supervisor.whichChildren(all)).map((c) => c.id)).toEqual(['child2', 'child3']);
    await crash(node, all, 'child2', 'normal');
    expect(await exited).toBe('shutdown');
  });

  it('transient significant children: restarted after abnormal exits; a normal exit stops the supervisor (supervisor_SUITE:significant_transient)', async () => {
    const { node } = testNode();
    const specs = [child([], 'child1', { restart: 'transient', significant: true }), child([], 'child2', { restart: 'transient', significant: true }), child([], 'child3', { restart: 'transient' })];
    const any = await startSup(node, specs, { intensity: 5, autoShutdown: 'any_significant' });
    await Supervisor.terminateChild(any, 'child1');
    pidOf(await Supervisor.restartChild(any, 'child1'));
    await kill(node, await childPid(any, 'child1'));
    await crash(node, any, 'child1', 'abnormal');
    expect((await Supervisor.countChildren(any)).active).toBe(3);
    const exited = node.awaitExit(any);
    await crash(node, any, 'child1', 'normal');
    expect(await exited).toBe('shutdown');
    const all = await startSup(node, specs, { intensity: 5, autoShutdown: 'all_significant' });
    const allExited = node.awaitExit(all);
    await crash(node, all, 'child1', 'normal');
    expect((await Supervisor.countChildren(all)).active).toBe(2);
    await crash(node, all, 'child2', { shutdown: 'done' });
    expect(await allExited).toBe('shutdown');
  });

  for (const strategy of ['one_for_one', 'one_for_all', 'rest_for_one'] as const) {
    for (const autoShutdown of ['any_significant', 'all_significant'] as const) {
      it(`${strategy}/${autoShutdown} - significant children stopped for a sibling's restart do not stop the supervisor (supervisor_SUITE:significant_bystander)`, async () => {
        const { node } = testNode();
        const log: Log = [];
        const sup = await startSup(
          node,
          [
            child(log, 'child1', { restart: 'transient', significant: true }),
            child(log, 'child2', { restart: 'transient' }),
            child(log, 'child3', { restart: 'transient', significant: true }),
          ],
          { strategy, intensity: 5, autoShutdown },
        );
        log.length = 0;
        await kill(node, await childPid(sup, 'child2'));
        expect((await Supervisor.countChildren(sup)).active).toBe(3);
        const expected = { one_for_one: ['start:child2'], one_for_all: ['stop:child3', 'stop:child1', 'start:child1', 'start:child2', 'start:child3'], rest_for_one: ['stop:child3', 'start:child2', 'start:child3'] };
        expect(log).toEqual(expected[strategy]);
      });
    }
  }

  it('auto-shutdown escalates through a significant child supervisor, not through a non-significant one (supervisor_SUITE:significant_escalation)', async () => {
    const { node } = testNode();
    for (const significant of [true, false]) {
      const top = await startSup(node, [], { autoShutdown: 'any_significant' });
      const middle = pidOf(
        await Supervisor.startChild(top, {
          id: 'sup1',
          type: 'supervisor',
          restart: 'transient',
          significant,
          start: (ctx) => Supervisor.startLink(ctx, [], { autoShutdown: 'any_significant' }),
        }),
      );
      pidOf(await Supervisor.startChild(middle, child([], 'child1', { restart: 'transient', significant: true })));
      const middleExited = node.awaitExit(middle);
      const topExited = node.awaitExit(top);
      await crash(node, middle, 'child1', 'normal');
      expect(await middleExited).toBe('shutdown');
      if (significant) expect(await topExited).toBe('shutdown');
      else expect(await Supervisor.whichChildren(top)).toEqual([{ id: 'sup1', pid: undefined, type: 'supervisor' }]);
    }
  });

  it('all_significant - a significant child that is restarting still counts as alive, as in OTP', async () => {
    const { node } = testNode();
    const log: Log = [];
    let bPid: Pid | undefined;
    let aFails = false;
    const a: ChildSpec = {
      id: 'a',
      restart: 'transient',
      significant: true,
      start: async (ctx) => {
        if (!aFails) return GenServer.startLink(ctx, worker(log, 'a'), null);
        aFails = false;
        // While this restart of a fails, b exits normally: its EXIT is handled before the retry.
        const gone = ctx.node.awaitExit(bPid!);
        GenServer.cast(bPid!, { exit: 'normal' });
        await gone;
        return { ok: false, ignored: false, error: new InitFailedError('cannot_start') };
      },
    };
    const sup = await startSup(node, [a, child(log, 'b', { restart: 'transient', significant: true })], { intensity: 5, autoShutdown: 'all_significant' });
    bPid = await childPid(sup, 'b');
    aFails = true;
    await kill(node, await childPid(sup, 'a'));
    // Answered before b's EXIT and the retry of a; the next call is answered after both.
    await Supervisor.countChildren(sup);
    const children = await Supervisor.whichChildren(sup);
    expect(children[0]!.pid).toBeInstanceOf(Pid);
    expect(children[1]!.pid).toBeUndefined();
    const exited = node.awaitExit(sup);
    await crash(node, sup, 'a', 'normal');
    expect(await exited).toBe('shutdown');
  });
});

describe('child administration', () => {
  it('startChild, terminateChild, restartChild, deleteChild, whichChildren, countChildren and their errors (supervisor_SUITE:child_adm)', async () => {
    const { node } = testNode();
    const log: Log = [];
    const spec = child(log, 'child1', { shutdown: 1000 });
    const sup = await startSup(node, [spec], { name: 'sup_test', intensity: 2, period: 3600 });
    const [cpid] = (await pids(sup)) as Pid[];
    expect(await Supervisor.countChildren(sup)).toEqual({ specs: 1, active: 1, supervisors: 0, workers: 1 });
    // Start of an already running child
    const running = errorOf<AlreadyStartedError>(await Supervisor.startChild(sup, spec));
    expect(running).toBeInstanceOf(AlreadyStartedError);
    expect(running.pid).toBe(cpid);
    // Termination
    expect(await failure(() => Supervisor.terminateChild(sup, 'hej'))).toBeInstanceOf(ChildNotFoundError);
    expect(((await failure(() => Supervisor.terminateChild({ name: 'foo', node }, 'child1'))) as CallExitError).reason).toBe('noproc');
    const exited = node.awaitExit(cpid!);
    await Supervisor.terminateChild(sup, 'child1');
    expect(await exited).toBe('shutdown');
    expect(await Supervisor.whichChildren(sup)).toEqual([{ id: 'child1', pid: undefined, type: 'worker' }]);
    expect(await Supervisor.countChildren(sup)).toEqual({ specs: 1, active: 0, supervisors: 0, workers: 1 });
    // Terminating what is not running succeeds
    await Supervisor.terminateChild(sup, 'child1');
    // Start of an existing child that is not running
    const present = errorOf<ChildStateError>(await Supervisor.startChild(sup, spec));
    expect(present).toBeInstanceOf(ChildStateError);
    expect(present.code).toBe('already_present');
    expect(present.id).toBe('child1');
    // Restart
    const cpid2 = pidOf(await Supervisor.restartChild(sup, 'child1'));
    expect(await Supervisor.whichChildren(sup)).toEqual([{ id: 'child1', pid: cpid2, type: 'worker' }]);
    expect(((await failure(() => Supervisor.restartChild(sup, 'child1'))) as ChildStateError).code).toBe('running');
    expect(await failure(() => Supervisor.restartChild(sup, 'child2'))).toBeInstanceOf(ChildNotFoundError);
    // Deletion
    expect(((await failure(() => Supervisor.deleteChild(sup, 'child1'))) as ChildStateError).code).toBe('running');
    expect(await failure(() => Supervisor.deleteChild(sup, 'hej'))).toBeInstanceOf(ChildNotFoundError);
    expect(((await failure(() => Supervisor.deleteChild({ name: 'foo', node }, 'child1'))) as CallExitError).reason).toBe('noproc');
    await Supervisor.terminateChild(sup, 'child1');
    await Supervisor.deleteChild(sup, 'child1');
    expect(await failure(() => Supervisor.restartChild(sup, 'child1'))).toBeInstanceOf(ChildNotFoundError);
    expect(await Supervisor.whichChildren(sup)).toEqual([]);
    expect(await Supervisor.countChildren(sup)).toEqual({ specs: 0, active: 0, supervisors: 0, workers: 0 });
    // Start
    expect(((await failure(() => Supervisor.startChild({ name: 'foo', node }, spec))) as CallExitError).reason).toBe('noproc');
    const cpid3 = pidOf(await Supervisor.startChild(sup, spec));
    expect(await Supervisor.whichChildren(sup)).toEqual([{ id: 'child1', pid: cpid3, type: 'worker' }]);
    // A pid is not an id for a supervisor with static children
    expect(await failure(() => Supervisor.terminateChild(sup, cpid3))).toBeInstanceOf(ChildNotFoundError);
    expect(await Supervisor.whichChildren(sup)).toEqual([{ id: 'child1', pid: cpid3, type: 'worker' }]);
    expect(((await failure(() => Supervisor.whichChildren({ name: 'foo', node }))) as CallExitError).reason).toBe('noproc');
    expect(((await failure(() => Supervisor.countChildren({ name: 'foo', node }))) as CallExitError).reason).toBe('noproc');
  });

  it('startChild adds children last in start order, and a temporary child that ignores leaves no spec (supervisor_SUITE:sup_start_ignore_temporary_child_start_child)', async () => {
    const { node } = testNode();
    const log: Log = [];
    const sup = await startSup(node, [child(log, 'first')]);
    const ignoring: ChildSpec = { id: 'child1', restart: 'temporary', start: () => ({ ok: false, ignored: true }) };
    expect(await Supervisor.startChild(sup, ignoring)).toEqual({ ok: false, ignored: true });
    pidOf(await Supervisor.startChild(sup, child(log, 'child2', { restart: 'temporary' })));
    expect((await Supervisor.whichChildren(sup)).map((c) => c.id)).toEqual(['first', 'child2']);
    expect(await Supervisor.countChildren(sup)).toEqual({ specs: 2, active: 2, supervisors: 0, workers: 2 });
  });

  it('a start function returning an error: startChild gives it and keeps no spec (supervisor_SUITE:sup_start_child_returns_error)', async () => {
    const { node } = testNode();
    const sup = await startSup(node, []);
    const reason = new InitFailedError('reason');
    expect(errorOf(await Supervisor.startChild(sup, { id: 'child1', start: () => ({ ok: false, ignored: false, error: reason }) }))).toBe(reason);
    const thrown = errorOf<ChildStartError>(
      await Supervisor.startChild(sup, {
        id: 'child2',
        start: () => {
          throw new Error('error_reason');
        },
      }),
    );
    expect(thrown).toBeInstanceOf(ChildStartError);
    expect(await Supervisor.whichChildren(sup)).toEqual([]);
  });

  it('restartChild of a child whose start now fails gives the error and leaves it stopped (supervisor_SUITE:sup_start_restart_child_returns_error)', async () => {
    const { node } = testNode();
    let failing = false;
    const sup = await startSup(node, [flaky([], 'child1', () => failing)]);
    await Supervisor.terminateChild(sup, 'child1');
    failing = true;
    const error = errorOf<InitFailedError>(await Supervisor.restartChild(sup, 'child1'));
    expect(error.reason).toBe('cannot_start');
    expect(await Supervisor.whichChildren(sup)).toEqual([{ id: 'child1', pid: undefined, type: 'worker' }]);
  });

  it('a child whose name is held outside the supervisor fails with AlreadyStartedError naming the holder (supervisor_SUITE:already_started_outside_supervisor)', async () => {
    const { node } = testNode();
    const sup = await startSup(node, []);
    const holder = node.spawn(idle, { name: 'registered_name' });
    const result = await Supervisor.startChild(sup, { id: 'child', restart: 'transient', start: (ctx) => GenServer.startLink(ctx, worker([], 'child'), null, { name: 'registered_name' }) });
    expect(errorOf<AlreadyStartedError>(result).pid).toBe(holder);
    expect(await Supervisor.whichChildren(sup)).toEqual([]);
  });

  it('countChildren counts supervisors and workers (supervisor_SUITE:count_children)', async () => {
    const { node } = testNode();
    const children: ChildSpec[] = [];
    for (let n = 0; n < 50; n++) children.push(child([], `w${n}`, { restart: 'temporary' }));
    for (let n = 0; n < 5; n++) children.push({ id: `s${n}`, type: 'supervisor', start: (ctx) => Supervisor.startLink(ctx, []) });
    const sup = await startSup(node, children);
    expect(await Supervisor.countChildren(sup)).toEqual({ specs: 55, active: 55, supervisors: 5, workers: 50 });
    for (const { id, pid } of (await Supervisor.whichChildren(sup)).slice(0, 50)) {
      expect(typeof id).toBe('string');
      await kill(node, pid as Pid);
    }
    expect(await Supervisor.countChildren(sup)).toEqual({ specs: 5, active: 5, supervisors: 5, workers: 0 });
  });

  it('Supervisor.stop - on a supervisor that is gone, CallExitError noproc', async () => {
    const { node } = testNode();
    const sup = await startSup(node, []);
    await Supervisor.stop(sup);
    expect(((await failure(() => Supervisor.stop(sup))) as CallExitError).reason).toBe('noproc');
  });
});

describe('supervisor reports and sys', () => {
  it('start_error names the child and why; a supervisor without a name is named by its pid', async () => {
    const { node, reports } = testNode();
    let failing = false;
    const sup = await startSup(node, [flaky([], 'c', () => failing)], { intensity: 1 });
    failing = true;
    const exited = node.awaitExit(sup);
    await crash(node, sup, 'c', 'abnormal');
    expect(await exited).toBe('shutdown');
    const [startError] = supervisorReports(reports, 'start_error');
    expect(startError?.supervisor).toBe(sup);
    expect(startError?.child).toEqual({ id: 'c', pid: undefined, restart: 'permanent', shutdown: 5000 });
    expect((startError?.reason as InitFailedError).reason).toBe('cannot_start');
    expect(supervisorReports(reports).map((r) => r.errorContext)).toEqual(['child_terminated', 'start_error', 'reached_max_restart_intensity']);
  });

  it('sys.getStatus shows the flags and children through formatStatus', async () => {
    const { node } = testNode();
    const sup = await startSup(node, [child([], 'a')], { strategy: 'rest_for_one', intensity: 3, period: 7, name: 'sys_sup' });
    const status = await sys.getStatus(sup);
    expect(status.behaviour).toBe('GenServer');
    expect(status.name).toBe('sys_sup');
    expect(status.state).toEqual({
      name: 'sys_sup',
      flags: { strategy: 'rest_for_one', intensity: 3, period: 7, autoShutdown: 'never' },
      children: [{ id: 'a', pid: await childPid(sup, 'a'), type: 'worker' }],
    });
  });

  it('a suspended supervisor queues its children’s EXITs and restarts them on resume', async () => {
    const { node } = testNode();
    const log: Log = [];
    const sup = await startSup(node, [child(log, 'a')], { intensity: 2 });
    const first = await childPid(sup, 'a');
    await sys.suspend(sup);
    await kill(node, first);
    expect(log).toEqual(['start:a']);
    await sys.resume(sup);
    expect(await childPid(sup, 'a')).not.toBe(first);
    expect(log).toEqual(['start:a', 'start:a']);
  });
});

describe('Supervisor - significant children need autoShutdown (supervisor_SUITE:significant_* bad_combination)', () => {
  const significant = { id: 'sig', restart: 'transient' as const, significant: true, start: (ctx: ProcessContext) => ctx.spawnLink(idle) };

  it('.start() - a significant child with autoShutdown never is refused before anything starts', async () => {
    const { node } = testNode();
    expect(() => Supervisor.start([significant], { node })).toThrow(/children\[0\]\.significant.*bad_combination/);
    expect(node.processCount).toBe(0);
  });

  it('.startChild() - the same combination is a SignificantChildError result', async () => {
    const { node } = testNode();
    const sup = await Supervisor.start([], { node });
    if (!sup.ok) throw new Error('did not start');
    const result = await Supervisor.startChild(sup.pid, significant);
    expect(result).toMatchObject({ ok: false, ignored: false, error: { code: 'bad_combination', id: 'sig' } });
    expect(result.ok === false && !result.ignored && result.error).toBeInstanceOf(SignificantChildError);
    expect(await Supervisor.whichChildren(sup.pid)).toEqual([]);
  });
});

describe('Supervisor - unexpected messages', () => {
  it('a stray message is logged as unexpected_message and the supervisor goes on', async () => {
    const { node, reports } = testNode();
    const sup = await Supervisor.start([], { node, name: 'stray_sup' });
    if (!sup.ok) throw new Error('did not start');
    node.send(sup.pid, 'hello?');
    expect(await Supervisor.countChildren(sup.pid)).toMatchObject({ specs: 0 });
    expect(reportsOf(reports, 'unexpected_message')).toEqual([
      { kind: 'unexpected_message', behaviour: 'Supervisor', pid: sup.pid, name: 'stray_sup', message: 'hello?' },
    ]);
  });
});
