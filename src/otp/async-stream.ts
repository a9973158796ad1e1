import { availableParallelism } from 'node:os';
import type { ProcessContext } from '../runtime/index.js';
import { expectTimeout } from './call.js';
import { TaskTimeoutError } from './internal/task-errors.js';
import type { Task, TaskResult } from './internal/task-handle.js';
import { startTask } from './internal/task-start.js';
import { describeValue, expectContext } from './internal/task-validate.js';

/** Options of `Task.asyncStream`, as Elixir's `async_stream` options. */
export interface AsyncStreamOptions {
  /** Most tasks running at once. Default: the number of CPUs (`os.availableParallelism()`). */
  readonly maxConcurrency?: number;
  /** Emit results in the order of the items (default), buffering early ones; or as they come. */
  readonly ordered?: boolean;
  /** Milliseconds each task may run, from its start, or `Infinity`. Default 5000. */
  readonly timeout?: number;
  /**
   * At a task's timeout (the task is killed either way): `'exit'` (default) ends the stream with
   * `TaskTimeoutError` and kills the other tasks; `'killTask'` emits `{ exit: 'timeout' }` and goes on.
   */
  readonly onTimeout?: 'exit' | 'killTask';
  /** Emit `{ exit: [item, reason] }` instead of `{ exit: reason }`. Default false. */
  readonly zipInputOnExit?: boolean;
}

interface StreamConfig<I, R> {
  readonly ctx: ProcessContext;
  readonly items: Iterable<I> | AsyncIterable<I>;
  readonly fn: (item: I, ctx: ProcessContext) => R | PromiseLike<R>;
  readonly maxConcurrency: number;
  readonly ordered: boolean;
  readonly timeout: number;
  readonly onTimeout: 'exit' | 'killTask';
  readonly zipInputOnExit: boolean;
}

interface Running<I, R> {
  readonly task: Task<R>;
  readonly input: I | undefined;
  timer: NodeJS.Timeout | undefined;
  timedOut: boolean;
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * Maps `fn` over `items` concurrently, one task per item, as Elixir's `Task.async_stream`, and
 * returns an async iterable of results: `{ ok: value }`, or `{ exit: reason }` for a task that
 * exited without replying (seen only by a caller that traps exits: one that does not is taken down
 * with the task's reason, as by a link). Each iteration runs the whole stream anew.
 *
 * Lazy and bounded: items are pulled (from an Iterable or AsyncIterable) only as the iteration
 * asks for results and a slot is free, and at most `maxConcurrency` tasks run at once. Each task
 * may run `timeout` ms from its start. Ending the iteration early (`break`, `return`, a throw)
 * kills the running tasks and closes the items' iterator; so does the caller's exit, for any reason.
 * Throws `TypeError` for bad arguments, at once.
 *
 * @example
 * for await (const result of Task.asyncStream(ctx, urls, (url) => fetchStatus(url), { maxConcurrency: 8 })) {
 *   if ('ok' in result) console.log(result.ok);
 * }
 */
export function asyncStream<I, R>(
  ctx: ProcessContext,
  items: Iterable<I> | AsyncIterable<I>,
  fn: (item: I, ctx: ProcessContext) => R | PromiseLike<R>,
  options?: AsyncStreamOptions,
): AsyncIterable<TaskResult<R>> {
  expectContext('ctx', ctx);
  const iterable = items as Partial<Iterable<I> & AsyncIterable<I>> | null | undefined;
  if (typeof iterable?.[Symbol.iterator] !== 'function' && typeof iterable?.[Symbol.asyncIterator] !== 'function') {
    throw new TypeError(`Expected \`items\` to be an Iterable or AsyncIterable, got ${describeValue(items)}`);
  }
  if (typeof fn !== 'function') throw new TypeError(`Expected \`fn\` to be a function, got ${describeValue(fn)}`);
  const config = configOf(ctx, items, fn, options);
  return { [Symbol.asyncIterator]: () => new StreamRun(config) };
}

function configOf<I, R>(ctx: ProcessContext, items: StreamConfig<I, R>['items'], fn: StreamConfig<I, R>['fn'], options: AsyncStreamOptions | undefined): StreamConfig<I, R> {
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new TypeError(`Expected \`options\` to be an object, got ${describeValue(options)}`);
  }
  const { maxConcurrency = availableParallelism(), ordered = true, timeout = 5000, onTimeout = 'exit', zipInputOnExit = false } = options ?? {};
  if (!Number.isInteger(maxConcurrency) || maxConcurrency < 1) {
    throw new TypeError(`Expected \`options.maxConcurrency\` to be a whole number from 1 up, got ${describeValue(maxConcurrency)}`);
  }
  if (typeof ordered !== 'boolean') throw new TypeError(`Expected \`options.ordered\` to be a boolean, got ${describeValue(ordered)}`);
  if (onTimeout !== 'exit' && onTimeout !== 'killTask') {
    throw new TypeError(`Expected \`options.onTimeout\` to be 'exit' or 'killTask', got ${describeValue(onTimeout)}`);
  }
  if (typeof zipInputOnExit !== 'boolean') {
    throw new TypeError(`Expected \`options.zipInputOnExit\` to be a boolean, got ${describeValue(zipInputOnExit)}`);
  }
  return { ctx, items, fn, maxConcurrency, ordered, timeout: expectTimeout('options.timeout', timeout), onTimeout, zipInputOnExit };
}

/** One iteration of a stream: its tasks, its buffered results and its place in the items. */
class StreamRun<I, R> implements AsyncIterator<TaskResult<R>> {
  readonly #config: StreamConfig<I, R>;
  #source: Iterator<I> | AsyncIterator<I> | undefined;
  #sourceDone = false;
  readonly #running = new Map<number, Running<I, R>>();
  #spawned = 0;
  #delivered = 0;
  readonly #ready = new Map<number, TaskResult<R>>();
  #queue: TaskResult<R>[] = [];
  #failure: { readonly error: unknown } | undefined;
  #closed = false;
  #wake: (() => void) | undefined;
  #lock: Promise<unknown> = Promise.resolve();

  constructor(config: StreamConfig<I, R>) {
    this.#config = config;
  }

  next(): Promise<IteratorResult<TaskResult<R>>> {
    // One step at a time even if the consumer asks again before the last answer came.
    const step = this.#lock.then(() => this.#next());
    this.#lock = step.catch(() => undefined);
    return step;
  }

  async return(): Promise<IteratorResult<TaskResult<R>>> {
    await this.#close();
    return DONE;
  }

  async #next(): Promise<IteratorResult<TaskResult<R>>> {
    for (;;) {
      if (this.#failure !== undefined) {
        const { error } = this.#failure;
        this.#failure = undefined; // thrown once; the run is closed after it
        await this.#close().catch(() => undefined);
        throw error;
      }
      if (this.#closed) return DONE;
      const result = this.#take();
      if (result !== undefined) return { done: false, value: result };
      if (this.#running.size < this.#config.maxConcurrency && !this.#sourceDone) {
        await this.#pull();
        continue;
      }
      if (this.#running.size === 0) {
        await this.#close();
        return DONE;
      }
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
  }

  #take(): TaskResult<R> | undefined {
    if (!this.#config.ordered) return this.#queue.shift();
    const result = this.#ready.get(this.#delivered);
    if (result !== undefined) {
      this.#ready.delete(this.#delivered);
      this.#delivered += 1;
    }
    return result;
  }

  /** Takes the next item, if any, and starts its task. */
  async #pull(): Promise<void> {
    let step: IteratorResult<I>;
    try {
      const source = (this.#source ??= iteratorOf(this.#config.items));
      const next = source.next();
      step = isPromiseLike(next) ? await next : next;
    } catch (error) {
      this.#sourceDone = true; // a throwing iterator is finished: nothing to close
      this.#failure ??= { error };
      return;
    }
    if (step.done === true) this.#sourceDone = true;
    else if (!this.#closed) this.#spawn(step.value);
  }

  #spawn(item: I): void {
    const { ctx, fn, timeout, zipInputOnExit } = this.#config;
    const index = this.#spawned++;
    const name = fn.name || 'asyncStream';
    const run = { [name]: (taskCtx: ProcessContext) => fn(item, taskCtx) }[name]!;
    // Watched, not linked (Elixir links them to an intermediate process): a crash is propagated
    // in #finished, so a trapping caller gets no EXIT message per task.
    const task = startTask((body) => ctx.spawn(body), ctx, run, { link: false });
    const entry: Running<I, R> = { task, input: zipInputOnExit ? item : undefined, timer: undefined, timedOut: false };
    this.#running.set(index, entry);
    task.subscribe(() => {
      if (task.exited) this.#finished(index, entry);
    });
    if (timeout !== Infinity) entry.timer = setTimeout(() => this.#timedOut(entry), timeout);
  }

  #timedOut(entry: Running<I, R>): void {
    entry.timer = undefined;
    if (entry.task.exited) return;
    entry.timedOut = true;
    entry.task.signal('kill');
  }

  /** A task's process is gone: make its result, unless the stream is over. */
  #finished(index: number, entry: Running<I, R>): void {
    if (!this.#running.delete(index)) return;
    if (entry.timer !== undefined) clearTimeout(entry.timer);
    const { ctx, timeout, onTimeout, zipInputOnExit } = this.#config;
    const task = entry.task;
    let result: TaskResult<R>;
    if (task.reply !== undefined) {
      result = { ok: task.reply.value };
    } else if (entry.timedOut && onTimeout === 'exit') {
      this.#failure ??= { error: new TaskTimeoutError(task, timeout) };
      this.#killAll();
      this.#wake?.();
      return;
    } else {
      const reason = entry.timedOut ? 'timeout' : task.reason;
      if (!entry.timedOut && reason !== 'normal' && ctx.node.isAlive(ctx.self) && !ctx.trapsExits) {
        ctx.node.exit(ctx.self, reason); // what a link would do to a caller that does not trap exits
        return;
      }
      result = { exit: zipInputOnExit ? [entry.input, reason] : reason };
    }
    if (this.#config.ordered) this.#ready.set(index, result);
    else this.#queue.push(result);
    this.#wake?.();
  }

  #killAll(): void {
    const running = [...this.#running.values()];
    this.#running.clear();
    for (const entry of running) {
      if (entry.timer !== undefined) clearTimeout(entry.timer);
      entry.task.signal('kill');
    }
  }

  /** Ends the run: kills the running tasks, drops buffered results, closes the items' iterator. */
  async #close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#killAll();
    this.#ready.clear();
    this.#queue = [];
    this.#wake?.();
    const source = this.#source;
    if (!this.#sourceDone && source?.return !== undefined) {
      this.#sourceDone = true;
      await source.return();
    }
  }
}

function iteratorOf<I>(items: Iterable<I> | AsyncIterable<I>): Iterator<I> | AsyncIterator<I> {
  const asyncIterate = (items as Partial<AsyncIterable<I>>)[Symbol.asyncIterator];
  return typeof asyncIterate === 'function' ? asyncIterate.call(items) : (items as Iterable<I>)[Symbol.iterator]();
}

function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as Partial<PromiseLike<T>> | null)?.then === 'function';
}
