import { describe, expect, it } from 'vitest';
import { Task, TaskTimeoutError, TIMEOUT, type Pid, type ProcessContext } from '../../src/index.js';
import { captureError, idle, testNode } from '../helpers.js';

type Result<R> = Task.TaskResult<R>;

async function collect<R>(stream: AsyncIterable<Result<R>>): Promise<Result<R>[]> {
  const results: Result<R>[] = [];
  for await (const result of stream) results.push(result);
  return results;
}

/** A promise with its resolver. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * A task function over indexes 0..n-1 where each task finishes only after the next one's process
 * has exited: the last item finishes first, deterministically ("slowest first", without sleeps).
 */
function slowestFirst(n: number) {
  const started = Array.from({ length: n }, () => deferred<Pid>());
  return async function finishAfterNext(i: number, ctx: ProcessContext): Promise<number> {
    started[i]!.resolve(ctx.self);
    if (i + 1 < n) await ctx.node.awaitExit(await started[i + 1]!.promise);
    return i;
  };
}

describe('Task.asyncStream - results', () => {
  // Elixir task_test.exs "async_stream with max_concurrency ==/</> tasks: streams an enumerable with fun"
  it.each([4, 2, 8])('.asyncStream() - maps fn over the items, in order (maxConcurrency %i)', async (maxConcurrency) => {
    const { node } = testNode();
    const results = await node.run((ctx) => collect(Task.asyncStream(ctx, [1, 2, 3, 4], (n) => n * 10, { maxConcurrency })));
    expect(results).toEqual([{ ok: 10 }, { ok: 20 }, { ok: 30 }, { ok: 40 }]);
  });

  // Elixir task_test.exs "streams an enumerable with slowest first"
  it('.asyncStream() - ordered: results follow the items even when the first finish last', async () => {
    const { node } = testNode();
    const results = await node.run((ctx) => collect(Task.asyncStream(ctx, [0, 1, 2, 3], slowestFirst(4), { maxConcurrency: 4 })));
    expect(results).toEqual([{ ok: 0 }, { ok: 1 }, { ok: 2 }, { ok: 3 }]);
  });

  // Elixir task_test.exs "streams an enumerable with ordered: false"
  it('.asyncStream() - ordered: false: results as tasks finish', async () => {
    const { node } = testNode();
    const [concurrent, oneAtATime] = await node.run(async (ctx) => [
      await collect(Task.asyncStream(ctx, [0, 1, 2, 3], slowestFirst(4), { maxConcurrency: 4, ordered: false })),
      await collect(Task.asyncStream(ctx, [3, 2, 1, 0], (n) => n, { maxConcurrency: 1, ordered: false })),
    ]);
    expect(concurrent).toEqual([{ ok: 3 }, { ok: 2 }, { ok: 1 }, { ok: 0 }]);
    expect(oneAtATime).toEqual([{ ok: 3 }, { ok: 2 }, { ok: 1 }, { ok: 0 }]);
  });

  it('.asyncStream() - takes an AsyncIterable, and gives fn the task context', async () => {
    const { node } = testNode();
    async function* letters() {
      yield 'a';
      yield 'b';
    }
    const { results, me } = await node.run(async (ctx) => ({
      results: await collect(Task.asyncStream(ctx, letters(), (l, t) => ({ l, parent: node.processInfo(t.self)?.parent }))),
      me: ctx.self,
    }));
    expect(results).toEqual([{ ok: { l: 'a', parent: me } }, { ok: { l: 'b', parent: me } }]);
  });

  // Elixir task_test.exs "streams an enumerable with infinite timeout"
  it('.asyncStream() - streams with an infinite timeout', async () => {
    const { node } = testNode();
    expect(await node.run((ctx) => collect(Task.asyncStream(ctx, [1], () => 'ok', { timeout: Infinity })))).toEqual([{ ok: 'ok' }]);
  });

  // Elixir task_test.exs "is zippable on success"
  it('.asyncStream() - each iteration runs anew, so two can run side by side', async () => {
    const { node } = testNode();
    const pairs = await node.run(async (ctx) => {
      const stream = Task.asyncStream(ctx, [1, 2, 3], (n) => n, { maxConcurrency: 2 });
      const a = stream[Symbol.asyncIterator]();
      const b = stream[Symbol.asyncIterator]();
      const pairs: unknown[] = [];
      for (;;) {
        const [x, y] = await Promise.all([a.next(), b.next()]);
        if (x.done === true || y.done === true) return pairs;
        pairs.push([x.value, y.value]);
      }
    });
    expect(pairs).toEqual([1, 2, 3].map((n) => [{ ok: n }, { ok: n }]));
  });
});

describe('Task.asyncStream - concurrency and laziness', () => {
  it.each([1, 3, 5])('.asyncStream() - runs at most maxConcurrency (%i) tasks at once, and reaches it', async (max) => {
    const { node } = testNode();
    const total = 12;
    let live = 0;
    let peak = 0;
    const results = await node.run(async (ctx) => {
      // Releases the oldest waiting task only when as many are waiting as may run at once.
      const releaser = ctx.spawn(async (r) => {
        const waiting: Pid[] = [];
        for (let released = 0; released < total; ) {
          waiting.push((await r.receive()) as Pid);
          while (waiting.length >= Math.min(max, total - released)) {
            r.send(waiting.shift()!, 'go');
            released += 1;
          }
        }
      });
      const items = Array.from({ length: total }, (_, i) => i);
      return collect(
        Task.asyncStream(
          ctx,
          items,
          async (i, t) => {
            live += 1;
            peak = Math.max(peak, live);
            t.send(releaser, t.self);
            await t.receive((m) => m === 'go');
            live -= 1;
            return i;
          },
          { maxConcurrency: max },
        ),
      );
    });
    expect(results).toEqual(Array.from({ length: total }, (_, i) => ({ ok: i })));
    expect(peak).toBe(max);
  });

  it('.asyncStream() - consumes items lazily: an endless iterable, stopped early', async () => {
    const { node } = testNode();
    let pulled = 0;
    let closed = false;
    function* naturals() {
      try {
        for (let n = 0; ; n++) {
          pulled += 1;
          yield n;
        }
      } finally {
        closed = true;
      }
    }
    const firsts = await node.run(async (ctx) => {
      const firsts: unknown[] = [];
      for await (const result of Task.asyncStream(ctx, naturals(), (n) => n, { maxConcurrency: 2 })) {
        firsts.push(result);
        if (firsts.length === 3) break;
      }
      return firsts;
    });
    expect(firsts).toEqual([{ ok: 0 }, { ok: 1 }, { ok: 2 }]);
    expect(pulled).toBeLessThanOrEqual(3 + 2);
    expect(closed).toBe(true);
  });

  // Elixir task_test.exs "shuts down unused tasks"
  it('.asyncStream() - breaking early kills the running tasks and closes the items', async () => {
    const { node } = testNode();
    let closed = false;
    function* items() {
      try {
        yield* [0, 1, 2, 3];
      } finally {
        closed = true;
      }
    }
    const { first, pids, others, mailbox } = await node.run(async (ctx) => {
      ctx.trapExit(true);
      const pids: Pid[] = [];
      let first: unknown;
      const stream = Task.asyncStream(
        ctx,
        items(),
        async (n, t) => {
          pids.push(t.self);
          if (n > 0) await idle(t);
          return n;
        },
        { maxConcurrency: 4 },
      );
      for await (const result of stream) {
        first = result;
        break;
      }
      const others = node.processes().filter((pid) => pid !== ctx.self);
      return { first, pids, others, mailbox: ctx.tryReceive() };
    });
    expect(first).toEqual({ ok: 0 });
    expect(pids.length).toBeGreaterThan(1); // some were still running at the break
    expect(others).toEqual([]); // none left, started or not
    expect(closed).toBe(true);
    expect(mailbox).toBe(TIMEOUT); // "without leaking messages"
  });

  // Elixir task_test.exs "with inner halt on success"
  it('.asyncStream() - an iterable that ends early ends the stream', async () => {
    const { node } = testNode();
    function* firstFour() {
      for (let n = 1; n <= 8; n++) {
        if (n > 4) return;
        yield n;
      }
    }
    expect(await node.run((ctx) => collect(Task.asyncStream(ctx, firstFour(), (n) => n, { maxConcurrency: 2 })))).toEqual(
      [1, 2, 3, 4].map((ok) => ({ ok })),
    );
  });

  it('.asyncStream() - an iterable that throws ends the stream with its error and kills the tasks', async () => {
    const { node } = testNode();
    const broken = new Error('source broke');
    const pids: Pid[] = [];
    function* items() {
      yield 1;
      throw broken;
    }
    const error = await node.run(async (ctx) =>
      collect(
        Task.asyncStream(ctx, items(), async (n, t) => {
          pids.push(t.self);
          await idle(t);
          return n;
        }),
      ).catch((e: unknown) => e),
    );
    expect(error).toBe(broken);
    expect(pids.map((pid) => node.isAlive(pid))).toEqual([false]);
  });
});

describe('Task.asyncStream - exits and timeouts', () => {
  // Elixir task_test.exs "timeout"
  it(".asyncStream() - onTimeout 'exit': the stream throws TaskTimeoutError and kills the running tasks", async () => {
    const { node } = testNode();
    const { error, reasons } = await node.run(async (ctx) => {
      const pids: Pid[] = [];
      const exits: Promise<unknown>[] = [];
      const stream = Task.asyncStream(
        ctx,
        ['first', 'second'],
        async (_, t) => {
          pids.push(t.self);
          exits.push(node.awaitExit(t.self));
          await idle(t);
        },
        { timeout: 10, maxConcurrency: 2 },
      );
      const error = await collect(stream).catch((e: unknown) => e);
      return { error, reasons: await Promise.all(exits), mailbox: ctx.tryReceive() };
    });
    expect(error).toBeInstanceOf(TaskTimeoutError);
    expect((error as TaskTimeoutError).timeout).toBe(10);
    expect(reasons).toEqual(['killed', 'killed']);
  });

  // Elixir task_test.exs "with :on_timeout set to :kill_task" and "ordered: false, on_timeout: :kill_task"
  it.each([
    [true, [{ exit: 'timeout' }, { ok: 1 }, { exit: 'timeout' }, { ok: 1 }]],
    [false, [{ ok: 1 }, { ok: 1 }, { exit: 'timeout' }, { exit: 'timeout' }]],
  ])(".asyncStream() - onTimeout 'killTask': the item gives { exit: 'timeout' } and the stream goes on (ordered %s)", async (ordered, expected) => {
    const { node } = testNode();
    const block = async (n: number, t: ProcessContext) => {
      if (n === 100) await idle(t);
      return n;
    };
    const results = await node.run((ctx) =>
      collect(Task.asyncStream(ctx, [100, 1, 100, 1], block, { maxConcurrency: 4, ordered, onTimeout: 'killTask', timeout: 50 })),
    );
    expect(results).toEqual(expected);
  });

  // Elixir task_test.exs "with timeout and :zip_input_on_exit set to true"
  it('.asyncStream() - zipInputOnExit: a timed-out item gives { exit: [item, reason] }', async () => {
    const { node } = testNode();
    const results = await node.run((ctx) =>
      collect(
        Task.asyncStream(ctx, [1, 'slow'], async (item, t) => (item === 'slow' ? idle(t) : item), {
          zipInputOnExit: true,
          onTimeout: 'killTask',
          timeout: 50,
        }),
      ),
    );
    expect(results).toEqual([{ ok: 1 }, { exit: ['slow', 'timeout'] }]);
  });

  // Elixir task_test.exs "streams an enumerable with exits" and "with outer halt on failure and :zip_input_on_exit"
  it('.asyncStream() - a caller trapping exits gets { exit } results and no EXIT messages', async () => {
    const { node } = testNode();
    const { plain, zipped, mailbox } = await node.run(async (ctx) => {
      ctx.trapExit(true);
      const exitWith = (n: number, t: ProcessContext) => t.exit(n);
      return {
        plain: await collect(Task.asyncStream(ctx, [1, 2, 3, 4], exitWith, { maxConcurrency: 2 })),
        zipped: await collect(Task.asyncStream(ctx, [1, 2], exitWith, { zipInputOnExit: true })),
        mailbox: ctx.tryReceive(),
      };
    });
    expect(plain).toEqual([{ exit: 1 }, { exit: 2 }, { exit: 3 }, { exit: 4 }]);
    expect(zipped).toEqual([{ exit: [1, 1] }, { exit: [2, 2] }]);
    expect(mailbox).toBe(TIMEOUT);
  });

  it('.asyncStream() - a crashing task takes down a caller that does not trap exits, and the other tasks', async () => {
    const { node } = testNode();
    const boom = new Error('item 2 failed');
    const pids: Pid[] = [];
    const caller = node.spawn(async (ctx) => {
      const stream = Task.asyncStream(ctx, [1, 2, 3], async (n, t) => {
        pids.push(t.self);
        if (n === 2) throw boom;
        await idle(t);
      });
      await collect(stream);
    });
    expect(await node.awaitExit(caller)).toBe(boom);
    expect(pids.length).toBeGreaterThan(1);
    expect(node.processes()).toEqual([]); // every task is gone, started or not
  });

  it('.asyncStream() - the caller exiting normally mid-stream takes its tasks down', async () => {
    const { node } = testNode();
    const { callerExit, pids, others } = await node.run(async (ctx) => {
      const caller = ctx.spawn(async (c) => {
        const pids: Pid[] = [];
        const iterator = Task.asyncStream(c, [0, 1, 2], async (n, t) => {
          pids.push(t.self);
          if (n > 0) await idle(t);
          return n;
        })[Symbol.asyncIterator]();
        await iterator.next(); // then return without closing it
        ctx.send(ctx.self, pids);
      });
      const callerExit = node.awaitExit(caller);
      const pids = (await ctx.receive()) as Pid[];
      return { callerExit: { reason: await callerExit }, pids, others: node.processes().filter((pid) => pid !== ctx.self) };
    });
    expect(callerExit.reason).toBe('normal');
    expect(pids.length).toBeGreaterThan(1);
    expect(pids.map((pid) => node.isAlive(pid))).toEqual(pids.map(() => false));
    expect(others).toEqual([]);
  });
});

describe('Task.asyncStream - arguments', () => {
  // Elixir task_test.exs "does not allow streaming with max_concurrency = 0", "… invalid :on_timeout", "… invalid :timeout"
  it('.asyncStream() - bad arguments throw TypeError at once', async () => {
    const { node } = testNode();
    const errors = await node.run((ctx) => [
      captureError(() => Task.asyncStream(ctx, [1], () => 1, { maxConcurrency: 0 })),
      captureError(() => Task.asyncStream(ctx, [1], () => 1, { onTimeout: 'unknown' as never })),
      captureError(() => Task.asyncStream(ctx, [1], () => 1, { timeout: -1 })),
      captureError(() => Task.asyncStream(ctx, [1], () => 1, { ordered: 'yes' as never })),
      captureError(() => Task.asyncStream(ctx, 5 as never, () => 1)),
      captureError(() => Task.asyncStream(ctx, [1], null as never)),
      captureError(() => Task.asyncStream(null as never, [1], () => 1)),
    ]);
    for (const error of errors) expect(error).toBeInstanceOf(TypeError);
    expect((errors[0] as Error).message).toBe('Expected `options.maxConcurrency` to be a whole number from 1 up, got `0` (number)');
  });
});
