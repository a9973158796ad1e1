import { describe, expect, it } from 'vitest';
import { CallExitError, CallTimeoutError, DynamicSupervisor, GenServer, NotASupervisorError, Supervisor, Task, type Pid } from '../../src/index.js';
import { captureError, captureRejection, idle, testNode } from '../helpers.js';

const Idle = { init: () => ({ state: undefined }) };

function pidOf(result: { ok: boolean; pid?: Pid }): Pid {
  if (!result.ok || result.pid === undefined) throw new Error('no start');
  return result.pid;
}

describe('Supervisor.kindOf and Supervisor.whichSupervisors', () => {
  it('Supervisor.kindOf - tells supervisors of every kind from other processes, whatever their labels', async () => {
    const { node } = testNode();
    const sup = pidOf(await Supervisor.start([], { node, label: 'not what it seems' }));
    const dynamic = pidOf(await DynamicSupervisor.start({ node }));
    const tasks = pidOf(await Task.Supervisor.start({ node }));
    const impostor = pidOf(await GenServer.start(Idle, undefined, { node, label: 'Supervisor' }));
    expect([sup, dynamic, tasks, impostor, node.spawn(idle)].map((pid) => Supervisor.kindOf(pid))).toEqual([
      'Supervisor',
      'DynamicSupervisor',
      'DynamicSupervisor',
      undefined,
      undefined,
    ]);
    expect(Supervisor.whichSupervisors({ node })).toEqual([sup, dynamic, tasks]);
    await Supervisor.stop(sup);
    expect(Supervisor.kindOf(sup)).toBeUndefined();
    expect(Supervisor.whichSupervisors({ node })).toEqual([dynamic, tasks]);
    expect(Supervisor.whichSupervisors({ node: testNode().node })).toEqual([]);
    expect(String(captureError(() => Supervisor.kindOf('<0.1.0>' as never)))).toBe('TypeError: Expected `pid` to be a Pid, got `<0.1.0>` (string)');
  });

  it('Supervisor.kindOf - a supervisor is marked from its spawn, before its init has run', async () => {
    const { node } = testNode();
    const starting = Supervisor.start([{ id: 'a', start: (ctx) => GenServer.startLink(ctx, Idle, undefined) }], { node, name: 'early' });
    const early = node.whereis('early')!;
    expect(node.processInfo(early)!.currentLocation).toMatch(/^start of/);
    expect(Supervisor.kindOf(early)).toBe('Supervisor');
    // A request sent by name now waits for init, as in OTP, instead of being refused.
    expect(await Supervisor.countChildren({ name: 'early', node })).toMatchObject({ specs: 1 });
    pidOf(await starting);
  });

  it('Supervisor.whichChildren and others - a live process that is no supervisor gets NotASupervisorError and is sent nothing', async () => {
    const { node } = testNode();
    const server = pidOf(await GenServer.start(Idle, undefined, { node }));
    const plain = node.spawn(idle);
    for (const target of [server, plain]) {
      const requests = [
        Supervisor.whichChildren(target),
        Supervisor.countChildren(target),
        Supervisor.getChildspec(target, 'a'),
        Supervisor.startChild(target, { id: 'a', start: (ctx) => ctx.spawnLink(idle) }),
        DynamicSupervisor.whichChildren(target),
        DynamicSupervisor.startChild(target, { start: (ctx) => ctx.spawnLink(idle) }),
        Task.Supervisor.children(target),
      ];
      for (const request of requests) {
        const error = await captureRejection(request);
        expect(error).toBeInstanceOf(NotASupervisorError);
        expect(error).toMatchObject({ code: 'not_a_supervisor', server: target, message: `${target} is not a supervisor` });
      }
      expect(node.processInfo(target)).toMatchObject({ messagesIn: 0, messageQueueLength: 0 });
    }
    // Nobody there: the call fails as any call does.
    await GenServer.stop(server);
    expect(await captureRejection(Supervisor.whichChildren(server))).toMatchObject({ code: 'call_exit', reason: 'noproc' });
    expect(await captureRejection(Supervisor.whichChildren(server))).toBeInstanceOf(CallExitError);
  });

  it('Supervisor.whichChildren, countChildren, getChildspec, DynamicSupervisor.whichChildren - a timeout bounds the wait', async () => {
    const { node } = testNode();
    const sup = pidOf(await Supervisor.start([{ id: 'a', start: (ctx) => ctx.spawnLink(idle) }], { node }));
    const dynamic = pidOf(await DynamicSupervisor.start({ node }));
    node.suspend(sup);
    node.suspend(dynamic);
    for (const request of [
      Supervisor.whichChildren(sup, 20),
      Supervisor.countChildren(sup, 20),
      Supervisor.getChildspec(sup, 'a', 20),
      DynamicSupervisor.whichChildren(dynamic, 20),
      DynamicSupervisor.countChildren(dynamic, 20),
    ]) {
      const error = await captureRejection(request);
      expect(error).toBeInstanceOf(CallTimeoutError);
      expect(error).toMatchObject({ code: 'call_timeout', timeout: 20 });
    }
    node.resume(sup);
    node.resume(dynamic);
    expect(await Supervisor.countChildren(sup, 1000)).toEqual({ specs: 1, active: 1, supervisors: 0, workers: 1 });
    expect(await captureRejection(Supervisor.whichChildren(sup, -1))).toBeInstanceOf(TypeError);
  });
});
