import { describe, expect, it } from 'vitest';
import {
  ExitMessage,
  Pid,
  Task,
  TaskAlreadyAwaitedError,
  TaskExitError,
  TaskOwnerError,
  TaskTimeoutError,
  TIMEOUT,
  type ProcessContext,
} from '../../src/index.js';
import { captureError, idle, testNode } from '../helpers.js';

/** A task function that waits for `'go'`, then returns `value`. */
function onGo<T>(value: T) {
  return async function waitForGo(ctx: ProcessContext): Promise<T> {
    await ctx.receive((m) => m === 'go');
    return value;
  };
}

/** Runs `fn` in a process whose exit reason is returned (its result is not). */
async function exitOf(node: ReturnType<typeof testNode>['node'], fn: (ctx: ProcessContext) => unknown): Promise<unknown> {
  return node.awaitExit(node.spawn(fn));
}

describe('Task.async', () => {
  // Elixir task_test.exs "async/1"
  it('.async() - runs fn in a new process linked to the caller, which owns it', async () => {
    const { node } = testNode();
    const seen = await node.run(async (ctx) => {
      const task = Task.async(ctx, async (taskCtx) => ({ self: taskCtx.self, parent: node.processInfo(taskCtx.self)?.parent }));
      const links = node.processInfo(ctx.self)?.links;
      const result = await Task.await(task);
      return { task, links, result, me: ctx.self };
    });
    expect(seen.task).toBeInstanceOf(Task.Task);
    expect(seen.task.owner).toBe(seen.me);
    expect(seen.links).toContain(seen.task.pid);
    expect(seen.result.self).toBe(seen.task.pid);
    expect(seen.result.parent).toBe(seen.me);
    expect(String(seen.task)).toBe(`#Task<${seen.task.pid}>`);
  });

  it('.async() - a label shows in introspection', async () => {
    const { node } = testNode();
    const label = await node.run(async (ctx) => {
      const task = Task.async(ctx, (t) => node.processInfo(t.self)?.label, { label: 'price fetch' });
      return Task.await(task);
    });
    expect(label).toBe('price fetch');
  });

  it('.async() - bad arguments throw TypeError', async () => {
    const { node } = testNode();
    const errors = await node.run((ctx) => [
      captureError(() => Task.async({} as ProcessContext, () => 1)),
      captureError(() => Task.async(ctx, 'nope' as never)),
      captureError(() => Task.async(ctx, () => 1, { label: 5 as never })),
      captureError(() => Task.async(ctx, () => 1, 'x' as never)),
    ]);
    for (const error of errors) expect(error).toBeInstanceOf(TypeError);
    expect((errors[1] as Error).message).toBe('Expected `fn` to be a function, got `nope` (string)');
  });
});

describe('Task.await', () => {
  it('.await() - resolves with the reply, sync or async', async () => {
    const { node } = testNode();
    const got = await node.run(async (ctx) => {
      const a = Task.async(ctx, () => 1 + 1);
      const b = Task.async(ctx, async (t) => {
        await t.yield();
        return 'later';
      });
      return [await Task.await(a), await Task.await(b, Infinity)];
    });
    expect(got).toEqual([2, 'later']);
  });

  it('.await() - a crashing task takes down a caller that does not trap exits, with its reason', async () => {
    const { node, reports } = testNode();
    const boom = new Error('boom');
    const reason = await exitOf(node, async (ctx) => {
      const task = Task.async(ctx, () => {
        throw boom;
      });
      await Task.await(task);
    });
    expect(reason).toBe(boom);
    expect(reports.some((r) => r.report.kind === 'crash_report')).toBe(true);
  });

  // Elixir task_test.exs "await/2 exits on task error"
  it('.await() - a caller trapping exits gets TaskExitError carrying the reason (and the EXIT message)', async () => {
    const { node } = testNode();
    const boom = new Error('oops');
    const { error, exit, task } = await node.run(async (ctx) => {
      ctx.trapExit(true);
      const task = Task.async(ctx, () => {
        throw boom;
      });
      const error = await Task.await(task).catch((e: unknown) => e);
      return { error, exit: ctx.tryReceive(), task };
    });
    expect(error).toBeInstanceOf(TaskExitError);
    expect((error as TaskExitError).code).toBe('task_exit');
    expect((error as TaskExitError).reason).toBe(boom);
    expect((error as TaskExitError).cause).toBe(boom);
    expect((error as TaskExitError).task).toBe(task);
    expect(exit).toBeInstanceOf(ExitMessage);
    expect((exit as ExitMessage).from).toBe(task.pid);
  });

  // Elixir task_test.exs "await/2 exits on task exit"
  it('.await() - exits on task exit: ctx.exit(reason) in the task is a TaskExitError for a trapping caller', async () => {
    const { node } = testNode();
    const error = await node.run(async (ctx) => {
      ctx.trapExit(true);
      return Task.await(Task.async(ctx, (t) => t.exit('unknown'))).catch((e: unknown) => e);
    });
    expect((error as TaskExitError).reason).toBe('unknown');
  });

  // Elixir task_test.exs "await/2 exits on normal exit"
  it('.await() - exits on normal exit: a task that exits normal without replying is a TaskExitError', async () => {
    const { node } = testNode();
    const error = await node.run(async (ctx) => Task.await(Task.async(ctx, (t) => t.exit('normal'))).catch((e: unknown) => e));
    expect(error).toBeInstanceOf(TaskExitError);
    expect((error as TaskExitError).reason).toBe('normal');
  });

  // Elixir task_test.exs "await/2 demonitors and unalias on timeout"
  it('.await() - timeout: TaskTimeoutError, the task is killed, and nothing lands in the mailbox', async () => {
    const { node } = testNode();
    const { error, task, alive, exitReason, mailbox } = await node.run(async (ctx) => {
      ctx.trapExit(true);
      const task = Task.async(ctx, onGo('done'));
      const exited = node.awaitExit(task.pid);
      const error = await Task.await(task, 0).catch((e: unknown) => e);
      const alive = node.isAlive(task.pid);
      ctx.send(task.pid, 'go');
      return { error, task, alive, exitReason: await exited, mailbox: ctx.tryReceive() };
    });
    expect(error).toBeInstanceOf(TaskTimeoutError);
    expect((error as TaskTimeoutError).code).toBe('task_timeout');
    expect((error as TaskTimeoutError).task).toBe(task);
    expect((error as TaskTimeoutError).timeout).toBe(0);
    expect(alive).toBe(false);
    expect(exitReason).toBe('killed');
    expect(mailbox).toBe(TIMEOUT); // no EXIT (unlinked first), no reply
  });

  it('.await() - an uncaught TaskTimeoutError crashes the caller, and the task is gone', async () => {
    const { node } = testNode();
    let taskPid: Pid | undefined;
    const reason = await exitOf(node, async (ctx) => {
      const task = Task.async(ctx, idle);
      taskPid = task.pid;
      await Task.await(task, 1);
    });
    expect(reason).toBeInstanceOf(TaskTimeoutError);
    expect(node.isAlive(taskPid!)).toBe(false);
  });

  it('.await() - awaiting twice throws TaskAlreadyAwaitedError, after the result and while a wait is pending', async () => {
    const { node } = testNode();
    const [afterResult, whilePending] = await node.run(async (ctx) => {
      const done = Task.async(ctx, () => 1);
      await Task.await(done);
      const afterResult = captureError(() => Task.await(done));
      const slow = Task.async(ctx, onGo(2));
      const first = Task.await(slow);
      const whilePending = captureError(() => Task.yield(slow));
      ctx.send(slow.pid, 'go');
      expect(await first).toBe(2);
      return [afterResult, whilePending];
    });
    expect(afterResult).toBeInstanceOf(TaskAlreadyAwaitedError);
    expect((afterResult as TaskAlreadyAwaitedError).code).toBe('task_already_awaited');
    expect((afterResult as Error).message).toMatch(/already awaited/);
    expect(whilePending).toBeInstanceOf(TaskAlreadyAwaitedError);
    expect((whilePending as Error).message).toMatch(/already being awaited/);
  });

  // Elixir task_test.exs "await/2 raises when invoked from a non-owner process"
  it('.await() - from a process that is not the owner (named with caller) throws TaskOwnerError', async () => {
    const { node } = testNode();
    const error = await node.run(async (ctx) => {
      ctx.spawn(async (other) => {
        ctx.send(ctx.self, { task: Task.async(other, () => null) });
        await other.receive(() => false);
      });
      const { task } = (await ctx.receive()) as { task: Task.Task<null> };
      return captureError(() => Task.await(task, { timeout: 1, caller: ctx }));
    });
    expect(error).toBeInstanceOf(TaskOwnerError);
    expect((error as TaskOwnerError).code).toBe('not_task_owner');
    expect((error as Error).message).toMatch(/must be queried from its owner/);
  });

  it('.await() - the owner naming itself as caller is fine', async () => {
    const { node } = testNode();
    expect(await node.run((ctx) => Task.await(Task.async(ctx, () => 'mine'), { caller: ctx }))).toBe('mine');
  });

  it('.await() - bad arguments throw TypeError', async () => {
    const { node } = testNode();
    const errors = await node.run(async (ctx) => {
      const task = Task.async(ctx, () => 1);
      const errors = [
        captureError(() => Task.await({} as never)),
        captureError(() => Task.await(task, -1)),
        captureError(() => Task.await(task, 1.5)),
        captureError(() => Task.await(task, 'soon' as never)),
        captureError(() => Task.await(task, { caller: {} as never })),
      ];
      await Task.await(task); // the bad calls did not claim it
      return errors;
    });
    for (const error of errors) expect(error).toBeInstanceOf(TypeError);
    expect((errors[0] as Error).message).toBe('Expected `task` to be a Task, got `[object Object]` (object)');
  });
});

describe('Task.yield', () => {
  // Elixir task_test.exs "yield/2 returns nil on timeout"
  it('.yield() - undefined on timeout, the task keeps running, and a later yield gets the result', async () => {
    const { node } = testNode();
    const [first, alive, second] = await node.run(async (ctx) => {
      const task = Task.async(ctx, onGo('late'));
      const first = await Task.yield(task, 0);
      const alive = node.isAlive(task.pid);
      ctx.send(task.pid, 'go');
      return [first, alive, await Task.yield(task)];
    });
    expect(first).toBeUndefined();
    expect(alive).toBe(true);
    expect(second).toEqual({ ok: 'late' });
  });

  // Elixir task_test.exs "yield/2 return exit on normal exit"
  it('.yield() - return exit on normal exit', async () => {
    const { node } = testNode();
    expect(await node.run((ctx) => Task.yield(Task.async(ctx, (t) => t.exit('normal'))))).toEqual({ exit: 'normal' });
  });

  it('.yield() - a result is taken once: yield after it throws TaskAlreadyAwaitedError', async () => {
    const { node } = testNode();
    const error = await node.run(async (ctx) => {
      const task = Task.async(ctx, () => 3);
      expect(await Task.yield(task)).toEqual({ ok: 3 });
      return captureError(() => Task.yield(task));
    });
    expect(error).toBeInstanceOf(TaskAlreadyAwaitedError);
  });

  // Elixir task_test.exs "yield/2 raises when invoked from a non-owner process"
  it('.yield() - raises when invoked from a non-owner process', async () => {
    const { node } = testNode();
    const error = await node.run(async (ctx) => {
      const other = node.spawn(idle);
      const task = Task.async(ctx, idle);
      return captureError(() => Task.yield(task, { timeout: 1, caller: { self: other } }));
    });
    expect(error).toBeInstanceOf(TaskOwnerError);
  });
});

describe('Task.awaitMany', () => {
  // Elixir task_test.exs "await_many/2 returns replies in input order ignoring response order"
  it('.awaitMany() - replies in input order, whatever order they came in', async () => {
    const { node } = testNode();
    const got = await node.run(async (ctx) => {
      const tasks = [1, 3, 9].map((value) => Task.async(ctx, onGo(value)));
      const all = Task.awaitMany(tasks);
      for (const task of [...tasks].reverse()) ctx.send(task.pid, 'go');
      return all;
    });
    expect(got).toEqual([1, 3, 9]);
  });

  // Elixir task_test.exs "await_many/2 returns an empty list immediately"
  it('.awaitMany() - returns an empty list immediately', async () => {
    const { node } = testNode();
    expect(await node.run(() => Task.awaitMany([], 0))).toEqual([]);
  });

  // Elixir task_test.exs "await_many/2 exits on timeout"
  it('.awaitMany() - exits on timeout: TaskTimeoutError lists the pending tasks, which are killed', async () => {
    const { node } = testNode();
    const { error, tasks } = await node.run(async (ctx) => {
      const tasks = [Task.async(ctx, () => 'quick'), Task.async(ctx, idle), Task.async(ctx, idle)];
      await ctx.yield(); // let the quick one reply
      return { error: await Task.awaitMany(tasks, 5).catch((e: unknown) => e), tasks };
    });
    expect(error).toBeInstanceOf(TaskTimeoutError);
    expect((error as TaskTimeoutError).pending).toEqual([tasks[1], tasks[2]]);
    expect((error as TaskTimeoutError).task).toBe(tasks[1]);
    expect(tasks.map((task) => node.isAlive(task.pid))).toEqual([false, false, false]);
  });

  // Elixir task_test.exs "await_many/2 exits immediately when any task crashes"
  it('.awaitMany() - exits immediately when any task crashes; the others are killed', async () => {
    const { node } = testNode();
    const { error, tasks } = await node.run(async (ctx) => {
      ctx.trapExit(true);
      const tasks = [Task.async(ctx, idle), Task.async(ctx, (t) => t.exit('unknown'))];
      return { error: await Task.awaitMany(tasks).catch((e: unknown) => e), tasks };
    });
    expect(error).toBeInstanceOf(TaskExitError);
    expect((error as TaskExitError).reason).toBe('unknown');
    expect((error as TaskExitError).task).toBe(tasks[1]);
    expect(node.isAlive(tasks[0]!.pid)).toBe(false);
  });

  // Elixir task_test.exs "await_many/2 raises when invoked from a non-owner process"
  it('.awaitMany() - raises when invoked from a non-owner process, and claims none of the tasks', async () => {
    const { node } = testNode();
    const { error, value } = await node.run(async (ctx) => {
      ctx.spawn(async (other) => {
        ctx.send(ctx.self, { task: Task.async(other, idle) });
        await other.receive(() => false);
      });
      const { task: foreign } = (await ctx.receive()) as { task: Task.Task<never> };
      const mine = Task.async(ctx, () => 'mine');
      const error = captureError(() => Task.awaitMany([mine, foreign], { timeout: 1, caller: ctx }));
      return { error, value: await Task.await(mine) };
    });
    expect(error).toBeInstanceOf(TaskOwnerError);
    expect(value).toBe('mine');
  });

  it('.awaitMany() - bad arguments throw TypeError', async () => {
    const { node } = testNode();
    const errors = await node.run(() => [captureError(() => Task.awaitMany('x' as never)), captureError(() => Task.awaitMany([1] as never))]);
    for (const error of errors) expect(error).toBeInstanceOf(TypeError);
    expect((errors[1] as Error).message).toBe('Expected `tasks[0]` to be a Task, got `1` (number)');
  });
});

describe('Task.yieldMany', () => {
  // Elixir task_test.exs "yield_many/2 returns nil on timeout by default"
  it('.yieldMany() - results in order, undefined for those still running, which run on', async () => {
    const { node } = testNode();
    const { results, alive } = await node.run(async (ctx) => {
      ctx.trapExit(true);
      const tasks = [Task.async(ctx, () => 'a'), Task.async(ctx, idle), Task.async(ctx, (t) => t.exit('normal'))];
      await ctx.yield();
      const results = await Task.yieldMany(tasks, 5);
      return { results, alive: node.isAlive(tasks[1]!.pid) };
    });
    expect(results).toEqual([{ ok: 'a' }, undefined, { exit: 'normal' }]);
    expect(alive).toBe(true);
  });

  // Elixir task_test.exs "yield_many/2 shuts down on timeout when configured"
  it('.yieldMany() - shuts down on timeout when configured (killTask)', async () => {
    const { node } = testNode();
    const { results, task } = await node.run(async (ctx) => {
      const task = Task.async(ctx, idle);
      return { results: await Task.yieldMany([task], { timeout: 0, onTimeout: 'killTask' }), task };
    });
    expect(results).toEqual([undefined]);
    expect(node.isAlive(task.pid)).toBe(false);
  });

  // Elixir task_test.exs "yield_many/2 returns results from multiple tasks with limit"
  it('.yieldMany() - returns as soon as `limit` tasks have a result, without onTimeout', async () => {
    const { node } = testNode();
    const { results, alive } = await node.run(async (ctx) => {
      const slow = Task.async(ctx, idle);
      const quick = Task.async(ctx, onGo('quick'));
      const pending = Task.yieldMany([slow, quick], { timeout: Infinity, limit: 1, onTimeout: 'killTask' });
      ctx.send(quick.pid, 'go');
      return { results: await pending, alive: node.isAlive(slow.pid) };
    });
    expect(results).toEqual([undefined, { ok: 'quick' }]);
    expect(alive).toBe(true);
  });

  it('.yieldMany() - bad options throw TypeError', async () => {
    const { node } = testNode();
    const errors = await node.run((ctx) => {
      const task = Task.async(ctx, () => 1);
      return [
        captureError(() => Task.yieldMany([task], { limit: 0 })),
        captureError(() => Task.yieldMany([task], { onTimeout: 'ignore' as never })),
      ];
    });
    for (const error of errors) expect(error).toBeInstanceOf(TypeError);
  });
});

describe('Task.shutdown', () => {
  // Elixir task_test.exs "shutdown/2 returns nil on shutting down task"
  it('.shutdown() - returns undefined on shutting down a running task, which is dead', async () => {
    const { node } = testNode();
    const { result, reason } = await node.run(async (ctx) => {
      const task = Task.async(ctx, idle);
      const exited = node.awaitExit(task.pid);
      return { result: await Task.shutdown(task), reason: await exited };
    });
    expect(result).toBeUndefined();
    expect(reason).toBe('shutdown');
  });

  // Elixir task_test.exs "shutdown/2 returns {:ok, result} when reply and normal :DOWN in message queue"
  it('.shutdown() - returns { ok } when the task replied before', async () => {
    const { node } = testNode();
    const result = await node.run(async (ctx) => {
      const task = Task.async(ctx, () => 'result');
      await node.awaitExit(task.pid);
      return Task.shutdown(task);
    });
    expect(result).toEqual({ ok: 'result' });
  });

  // Elixir task_test.exs "shutdown/2 returns exit on abnormal :DOWN in message queue"
  it('.shutdown() - returns { exit } when the task had exited otherwise', async () => {
    const { node } = testNode();
    const results = await node.run(async (ctx) => {
      ctx.trapExit(true);
      const abnormal = Task.async(ctx, (t) => t.exit('abnormal'));
      const normal = Task.async(ctx, (t) => t.exit('normal'));
      const shut = Task.async(ctx, (t) => t.exit('shutdown'));
      await Promise.all([abnormal, normal, shut].map((task) => node.awaitExit(task.pid)));
      return [await Task.shutdown(abnormal), await Task.shutdown(normal), await Task.shutdown(shut), await Task.shutdown(shut)];
    });
    // the last: "returns {:exit, :noproc} if task handled"
    expect(results).toEqual([{ exit: 'abnormal' }, { exit: 'normal' }, undefined, { exit: 'noproc' }]);
  });

  // Elixir task_test.exs "shutdown/2 returns nil on killing task" (with :brutal_kill)
  it(".shutdown('brutal_kill') - kills a task trapping exits and returns undefined", async () => {
    const { node } = testNode();
    const { result, reason, mailbox } = await node.run(async (ctx) => {
      ctx.trapExit(true);
      const task = Task.async(ctx, async (t) => {
        t.trapExit(true);
        await t.receive(() => false);
      });
      await ctx.yield();
      const exited = node.awaitExit(task.pid);
      return { result: await Task.shutdown(task, 'brutal_kill'), reason: await exited, mailbox: ctx.tryReceive() };
    });
    expect(result).toBeUndefined();
    expect(reason).toBe('killed');
    expect(mailbox).toBe(TIMEOUT); // unlinked first: no EXIT for the owner
  });

  // Elixir task_test.exs "shutdown/2 with :brutal_kill returns exit on killing task after shutdown timeout"
  it('.shutdown() - returns { exit: killed } when the task outlived the shutdown timeout', async () => {
    const { node } = testNode();
    const result = await node.run(async (ctx) => {
      const task = Task.async(ctx, async (t) => {
        t.trapExit(true);
        await t.receive(() => false);
      });
      await ctx.yield();
      return Task.shutdown(task, 1);
    });
    expect(result).toEqual({ exit: 'killed' });
  });

  it('.shutdown() - a task trapping exits that replies when asked to stop gives its result', async () => {
    const { node } = testNode();
    const result = await node.run(async (ctx) => {
      const task = Task.async(ctx, async (t) => {
        t.trapExit(true);
        const exit = (await t.receive((m) => m instanceof ExitMessage)) as ExitMessage;
        return `stopped by ${String(exit.reason)}`;
      });
      await ctx.yield();
      return Task.shutdown(task, { timeout: Infinity, caller: ctx });
    });
    expect(result).toEqual({ ok: 'stopped by shutdown' });
  });

  // Elixir task_test.exs "shutdown/2 raises when invoked from a non-owner process"
  it('.shutdown() - raises when invoked from a non-owner process; bad arguments throw TypeError', async () => {
    const { node } = testNode();
    const errors = await node.run(async (ctx) => {
      const other = node.spawn(idle);
      const task = Task.async(ctx, idle);
      return [
        captureError(() => Task.shutdown(task, { caller: { self: other } })),
        captureError(() => Task.shutdown(task, -5)),
        captureError(() => Task.shutdown(task, 'kill' as never)),
        captureError(() => Task.shutdown(null as never)),
      ];
    });
    expect(errors[0]).toBeInstanceOf(TaskOwnerError);
    for (const error of errors.slice(1)) expect(error).toBeInstanceOf(TypeError);
  });

  it('.await() - after shutdown throws TaskAlreadyAwaitedError', async () => {
    const { node } = testNode();
    const error = await node.run(async (ctx) => {
      const task = Task.async(ctx, idle);
      await Task.shutdown(task, 'brutal_kill');
      return captureError(() => Task.await(task));
    });
    expect(error).toBeInstanceOf(TaskAlreadyAwaitedError);
  });
});

describe('Task - never outlives its caller', () => {
  /**
   * Spawns an owner that starts a task running `taskFn`, waits until the task runs, then lets the
   * owner go on with `then`; returns both pids and their exit reasons (watched from the start).
   */
  async function ownerWithTask(
    node: ReturnType<typeof testNode>['node'],
    taskFn: (ctx: ProcessContext) => unknown,
    then: (ctx: ProcessContext) => unknown,
  ): Promise<{ owner: Pid; task: Pid; ownerExit: Promise<unknown>; taskExit: Promise<unknown> }> {
    return node.run(async (ctx) => {
      const owner = ctx.spawn(async (o) => {
        const task = Task.async(o, taskFn);
        ctx.send(ctx.self, task.pid);
        await o.receive((m) => m === 'continue');
        await then(o);
      });
      const task = (await ctx.receive()) as Pid;
      await ctx.yield(); // the task is running
      const exits = { ownerExit: node.awaitExit(owner), taskExit: node.awaitExit(task) };
      ctx.send(owner, 'continue');
      return { owner, task, ...exits };
    });
  }

  it('the caller exits normally without awaiting: the task is ended with { shutdown: normal }', async () => {
    const { node } = testNode();
    const { task, ownerExit, taskExit } = await ownerWithTask(node, idle, () => undefined);
    expect(await ownerExit).toBe('normal');
    expect(await taskExit).toEqual({ shutdown: 'normal' });
    expect(node.isAlive(task)).toBe(false);
  });

  it('the caller exits before the task ever ran: the task is gone too', async () => {
    const { node } = testNode();
    const task = await node.run(async (ctx) => {
      const owner = ctx.spawn((o) => {
        ctx.send(ctx.self, Task.async(o, idle).pid);
      });
      const task = (await ctx.receive()) as Pid;
      await node.awaitExit(owner);
      return task;
    });
    expect(node.isAlive(task)).toBe(false);
  });

  it('the caller crashes: the task dies with the same reason (through the link)', async () => {
    const { node } = testNode();
    const boom = new Error('owner crashed');
    const { ownerExit, taskExit } = await ownerWithTask(node, idle, () => {
      throw boom;
    });
    expect(await ownerExit).toBe(boom);
    expect(await taskExit).toBe(boom);
  });

  it('the caller is killed: the task dies', async () => {
    const { node } = testNode();
    const { owner, taskExit } = await ownerWithTask(node, idle, (o) => o.receive(() => false));
    node.exit(owner, 'kill');
    expect(await taskExit).toBe('killed');
  });

  it('a task trapping exits is killed when its caller exits, whatever the reason', async () => {
    const { node } = testNode();
    const trapping = async (t: ProcessContext) => {
      t.trapExit(true);
      for (;;) await t.receive();
    };
    const normal = await ownerWithTask(node, trapping, () => undefined);
    expect(await normal.taskExit).toBe('killed');
    const crashed = await ownerWithTask(node, trapping, (o) => o.exit('crashed'));
    expect(await crashed.ownerExit).toBe('crashed');
    expect(await crashed.taskExit).toBe('killed');
  });

  it('a finished task leaves no monitor on its owner', async () => {
    const { node } = testNode();
    const count = await node.run(async (ctx) => {
      const before = node.processInfo(ctx.self)!.monitoredByCount;
      const tasks = [1, 2, 3].map((n) => Task.async(ctx, () => n));
      await Task.awaitMany(tasks);
      await Promise.all(tasks.map((task) => node.awaitExit(task.pid)));
      return node.processInfo(ctx.self)!.monitoredByCount - before;
    });
    expect(count).toBe(0);
  });
});

describe('prepareTask (internal, for supervised tasks)', () => {
  it('prepareTask() - a body spawned before attach waits for it, then replies through the handle', async () => {
    const { node } = testNode();
    const { prepareTask } = await import('../../src/otp/internal/task-start.js');
    const value = await node.run(async (ctx) => {
      const prepared = prepareTask(ctx, (t) => `ran in ${t.self}`, { link: false });
      const pid = node.spawn(prepared.body); // as a supervisor would, elsewhere
      await ctx.yield(); // the body runs, and waits
      expect(node.isAlive(pid)).toBe(true);
      const task = prepared.attach(pid);
      return { result: await Task.await(task), pid };
    });
    expect(value.result).toBe(`ran in ${value.pid}`);
  });

  it('prepareTask() - an owner that dies before attach ends the body with { shutdown: reason }', async () => {
    const { node } = testNode();
    const { prepareTask } = await import('../../src/otp/internal/task-start.js');
    let ran = false;
    const { pid, owner } = await node.run(async (ctx) => {
      let pid!: Pid;
      const owner = ctx.spawn(async (o) => {
        const prepared = prepareTask(o, () => (ran = true), { link: false });
        pid = node.spawn(prepared.body);
        await o.receive(() => false);
      });
      await ctx.yield();
      return { pid, owner };
    });
    const exited = node.awaitExit(pid);
    node.exit(owner, 'gone');
    expect(await exited).toEqual({ shutdown: 'gone' });
    expect(ran).toBe(false);
  });
});
