import { describe, expect, it } from 'vitest';
import { MaxChildrenError, Task, TaskExitError, type BeamishNode, type Pid, type ProcessContext } from '../../src/index.js';
import { idle, testNode } from '../helpers.js';

async function taskSupervisor(node: BeamishNode, maxChildren?: number): Promise<Pid> {
  const started = await Task.Supervisor.start({ node, maxChildren });
  if (!started.ok) throw new Error('task supervisor did not start');
  return started.pid;
}

describe('Task.Supervisor', () => {
  it('.async() - a supervised task replies to its owner through Task.await', async () => {
    const { node } = testNode();
    const sup = await taskSupervisor(node);
    const value = await node.run(async (ctx) => {
      const task = await Task.Supervisor.async(ctx, sup, async () => 6 * 7);
      return Task.await(task);
    });
    expect(value).toBe(42);
    expect(await Task.Supervisor.children(sup)).toEqual([]);
  });

  it('.asyncNolink() - a crashing task does not take its owner down; await throws TaskExitError', async () => {
    const { node } = testNode();
    const sup = await taskSupervisor(node);
    const outcome = await node.run(async (ctx) => {
      const task = await Task.Supervisor.asyncNolink(ctx, sup, async () => {
        throw new Error('upstream failed');
      });
      const error = await Task.await(task).catch((caught: unknown) => caught);
      return { error, alive: ctx.isAlive(ctx.self), mailbox: ctx.tryReceive() };
    });
    expect(outcome.error).toBeInstanceOf(TaskExitError);
    expect(((outcome.error as TaskExitError).reason as Error).message).toBe('upstream failed');
    expect(outcome.alive).toBe(true);
    expect(typeof outcome.mailbox).toBe('symbol'); // TIMEOUT: no EXIT, no stray reply
  });

  it('.async() - a crashing linked task takes a non-trapping owner down with it', async () => {
    const { node } = testNode();
    const sup = await taskSupervisor(node);
    const owner = node.spawn(async (ctx) => {
      const task = await Task.Supervisor.async(ctx, sup, async () => {
        throw new Error('boom');
      });
      await Task.await(task);
    });
    expect(((await node.awaitExit(owner)) as Error).message).toBe('boom');
  });

  it('.asyncNolink() - the task never outlives its owner, even one that exits normally', async () => {
    const { node } = testNode();
    const sup = await taskSupervisor(node);
    let taskExit: Promise<unknown> | undefined;
    const owner = node.spawn(async (ctx: ProcessContext) => {
      const task = await Task.Supervisor.asyncNolink(ctx, sup, idle);
      taskExit = node.awaitExit(task.pid);
    });
    expect(await node.awaitExit(owner)).toBe('normal');
    expect(await taskExit).toEqual({ shutdown: 'normal' });
  });

  it('.startChild() - a fire-and-forget task runs under the supervisor and is stopped with it', async () => {
    const { node } = testNode();
    const sup = await taskSupervisor(node);
    const pid = await Task.Supervisor.startChild(sup, idle);
    expect(await Task.Supervisor.children(sup)).toEqual([pid]);
    const down = node.awaitExit(pid);
    await Task.Supervisor.stop(sup);
    expect(await down).toBe('shutdown');
  });

  it('.terminateChild() - stops one task; the owner of a nolink task sees it exit', async () => {
    const { node } = testNode();
    const sup = await taskSupervisor(node);
    const result = await node.run(async (ctx) => {
      const task = await Task.Supervisor.asyncNolink(ctx, sup, idle);
      await Task.Supervisor.terminateChild(sup, task.pid);
      return Task.yield(task, 1000);
    });
    expect(result).toEqual({ exit: 'shutdown' });
  });

  it('maxChildren - one task too many throws MaxChildrenError and starts nothing', async () => {
    const { node } = testNode();
    const sup = await taskSupervisor(node, 1);
    await node.run(async (ctx) => {
      await Task.Supervisor.asyncNolink(ctx, sup, idle);
      await expect(Task.Supervisor.asyncNolink(ctx, sup, idle)).rejects.toBeInstanceOf(MaxChildrenError);
      expect(await Task.Supervisor.children(sup)).toHaveLength(1);
    });
  });

  it('bad arguments - TypeError', async () => {
    const { node } = testNode();
    const sup = await taskSupervisor(node);
    await node.run(async (ctx) => {
      await expect(Task.Supervisor.async(ctx, sup, 42 as never)).rejects.toThrow(TypeError);
      await expect(Task.Supervisor.async({} as never, sup, async () => 1)).rejects.toThrow(TypeError);
    });
  });
});
