import { describe, expect, it } from 'vitest';
import { DynamicSupervisor, GenServer, Supervisor, type ProcessContext } from '../../src/index.js';
import { reportsOf, testNode } from '../helpers.js';

/** A worker that traps exits and records its terminate, so the order of a shutdown shows. */
function recorder(events: string[]) {
  return {
    init: (id: string, ctx: ProcessContext) => {
      ctx.trapExit(true);
      return { state: id };
    },
    terminate: (reason: unknown, id: string) => {
      events.push(`${id} ${String(reason)}`);
    },
  };
}

describe('behaviours and node.stop()', () => {
  it('Supervisor.start - an unlinked supervisor takes its children down in reverse order on node stop', async () => {
    const { node, reports } = testNode();
    const events: string[] = [];
    const worker = recorder(events);
    const children = ['a', 'b', 'c'].map((id) => ({ id, start: (ctx: ProcessContext) => GenServer.startLink(ctx, worker, id) }));
    const started = await Supervisor.start(children, { node });
    expect(started.ok).toBe(true);
    await node.stop({ timeout: 10_000 });
    expect(events).toEqual(['c shutdown', 'b shutdown', 'a shutdown']);
    // Everything ended on its own: nothing was left for the stop timeout to kill.
    expect(reportsOf(reports, 'node_stopped')[0]?.detail).not.toMatch(/killed/);
  });

  it('GenServer.start - an unlinked server trapping exits runs terminate with shutdown on node stop', async () => {
    const { node } = testNode();
    const events: string[] = [];
    expect((await GenServer.start(recorder(events), 'solo', { node })).ok).toBe(true);
    await node.stop({ timeout: 10_000 });
    expect(events).toEqual(['solo shutdown']);
  });

  it('DynamicSupervisor.start - children are stopped on node stop', async () => {
    const { node } = testNode();
    const events: string[] = [];
    const worker = recorder(events);
    const sup = await DynamicSupervisor.start({ node });
    if (!sup.ok) throw new Error('did not start');
    for (const id of ['x', 'y']) await DynamicSupervisor.startChild(sup.pid, { start: (ctx: ProcessContext) => GenServer.startLink(ctx, worker, id) });
    await node.stop({ timeout: 10_000 });
    expect(events.sort()).toEqual(['x shutdown', 'y shutdown']);
  });
});
