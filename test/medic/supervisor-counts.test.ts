import { describe, expect, it } from 'vitest';
import { DynamicSupervisor, GenServer, Supervisor, Task, type BeamishNode, type ChildSpec, type Pid } from '../../src/index.js';
import { supervisorChildCounts } from '../../src/medic/supervisor-counts.js';
import { captureRejection, testNode } from '../helpers.js';

const Idle = { name: 'Idle', init: () => ({ state: undefined }) };
const worker = (id: string): ChildSpec => ({ id, start: (ctx) => GenServer.startLink(ctx, Idle, undefined) });

function pidOf(result: { ok: boolean; pid?: Pid }): Pid {
  if (!result.ok || result.pid === undefined) throw new Error('no start');
  return result.pid;
}

/** Resolves once `condition` holds, checking after each turn of the event loop. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

/**
 * A node with a leaky dynamic supervisor (5 children, custom label), a task supervisor (2 tasks),
 * a static supervisor named `static_sup` (3 specs, one not running, one a supervisor), that
 * nested supervisor (1 child), and a GenServer that calls itself 'Supervisor'.
 */
async function startSupervisors(node: BeamishNode) {
  const leaky = pidOf(await DynamicSupervisor.start({ node, label: 'connections' }));
  for (let i = 0; i < 5; i++) await DynamicSupervisor.startChild(leaky, { start: (ctx) => GenServer.startLink(ctx, Idle, undefined) });
  const tasks = pidOf(await Task.Supervisor.start({ node }));
  for (let i = 0; i < 2; i++) await Task.Supervisor.startChild(tasks, async (ctx) => void (await ctx.receive(() => false)));
  const nested: ChildSpec = { id: 'nested', type: 'supervisor', start: (ctx) => Supervisor.startLink(ctx, [worker('only')]) };
  const top = pidOf(await Supervisor.start([worker('a'), worker('b'), nested], { node, name: 'static_sup' }));
  await Supervisor.terminateChild(top, 'b');
  const inner = (await Supervisor.whichChildren(top)).find((child) => child.id === 'nested')!.pid as Pid;
  const impostor = pidOf(await GenServer.start(Idle, undefined, { node, label: 'Supervisor' }));
  return { leaky, tasks, top, inner, impostor };
}

describe('supervisorChildCounts', () => {
  it('supervisorChildCounts - ranks every supervisor by its child specs, whatever its label; other processes are not asked', async () => {
    const { node } = testNode();
    const { leaky, tasks, top, inner, impostor } = await startSupervisors(node);
    const before = node.processInfo(impostor)!.messagesIn;
    const counts = await supervisorChildCounts(10, { node });
    expect(counts).toEqual({
      node: node.name,
      by: 'specs',
      top: [
        { pid: leaky, name: undefined, label: 'connections', kind: 'DynamicSupervisor', specs: 5, active: 5, supervisors: 0, workers: 5 },
        { pid: top, name: 'static_sup', label: 'Supervisor', kind: 'Supervisor', specs: 3, active: 2, supervisors: 1, workers: 2 },
        { pid: tasks, name: undefined, label: 'Task.Supervisor', kind: 'DynamicSupervisor', specs: 2, active: 2, supervisors: 0, workers: 2 },
        { pid: inner, name: undefined, label: 'Supervisor', kind: 'Supervisor', specs: 1, active: 1, supervisors: 0, workers: 1 },
      ],
      examined: 4,
      unanswered: [],
      unansweredCount: 0,
    });
    expect(node.processInfo(impostor)!.messagesIn).toBe(before);
  });

  it('supervisorChildCounts - top n by another count; ties keep start order', async () => {
    const { node } = testNode();
    const { leaky, tasks, top } = await startSupervisors(node);
    const bySupervisors = await supervisorChildCounts(1, { node, by: 'supervisors' });
    expect(bySupervisors.top.map((row) => row.pid)).toEqual([top]);
    expect(bySupervisors.examined).toBe(4);
    const byActive = await supervisorChildCounts(3, { node, by: 'active' });
    expect(byActive.top.map((row) => [row.pid, row.active])).toEqual([
      [leaky, 5],
      [tasks, 2],
      [top, 2],
    ]);
  });

  it('supervisorChildCounts - a hung supervisor is listed apart, without holding the others up', async () => {
    const { node } = testNode();
    const { leaky, top, inner } = await startSupervisors(node);
    node.suspend(leaky);
    node.suspend(inner);
    const counts = await supervisorChildCounts(1, { node, timeout: 50 });
    node.resume(leaky);
    node.resume(inner);
    expect(counts.top.map((row) => row.pid)).toEqual([top]);
    expect(counts.unanswered).toEqual([{ pid: leaky, name: undefined, label: 'connections', kind: 'DynamicSupervisor' }]);
    expect(counts.unansweredCount).toBe(2);
    expect(counts.examined).toBe(4);
  });

  it('supervisorChildCounts - a supervisor that dies while asked is left out; a node without supervisors gives nothing', async () => {
    const { node } = testNode();
    const dying = pidOf(await Supervisor.start([worker('a')], { node }));
    const staying = pidOf(await Supervisor.start([], { node }));
    node.suspend(dying);
    const counting = supervisorChildCounts(5, { node, timeout: 10_000 });
    await until(() => node.processInfo(dying)!.messageQueueLength === 1);
    node.exit(dying, 'kill');
    const counts = await counting;
    expect(counts.top.map((row) => row.pid)).toEqual([staying]);
    expect(counts).toMatchObject({ examined: 2, unanswered: [], unansweredCount: 0 });
    const empty = testNode().node;
    expect(await supervisorChildCounts(3, { node: empty })).toEqual({ node: empty.name, by: 'specs', top: [], examined: 0, unanswered: [], unansweredCount: 0 });
  });

  it('supervisorChildCounts - bad arguments are TypeErrors; an aborted signal rejects with its reason', async () => {
    const { node } = testNode();
    const sup = pidOf(await Supervisor.start([], { node }));
    expect(String(await captureRejection(supervisorChildCounts(-1, { node })))).toBe('TypeError: Expected `n` to be a whole number from 0 to 100000, got `-1` (number)');
    expect((await supervisorChildCounts(0, { node })).top).toEqual([]);
    expect(String(await captureRejection(supervisorChildCounts(3, { node, by: 'children' as never })))).toBe(
      "TypeError: Expected `options.by` to be 'specs', 'active', 'supervisors' or 'workers', got `children`",
    );
    expect(await captureRejection(supervisorChildCounts(3, { node, timeout: 1.5 }))).toBeInstanceOf(TypeError);
    const reason = new Error('enough');
    expect(await captureRejection(supervisorChildCounts(3, { node, signal: AbortSignal.abort(reason) }))).toBe(reason);
    node.suspend(sup);
    const controller = new AbortController();
    const counting = supervisorChildCounts(3, { node, timeout: 60_000, signal: controller.signal });
    controller.abort(reason);
    expect(await captureRejection(counting)).toBe(reason);
    node.resume(sup);
  });
});
