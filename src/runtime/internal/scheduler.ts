import { Fifo } from './fifo.js';

/** What the scheduler runs: a process to start or to resume. */
export interface Runnable {
  run(): void;
}

/**
 * Longest stretch, in milliseconds, that processes may run before Node's event loop gets a turn
 * (timers, sockets, I/O callbacks). Erlang's schedulers likewise check I/O every few thousand
 * reductions.
 */
export const SLICE_MS = 2;

/**
 * Reductions a process may use in one run before it goes to the back of the run queue, as
 * Erlang's 4000-reduction time slice.
 */
export const PROCESS_BUDGET = 4000;

const CLOCK_EVERY = 64;
// Scheduling through a resolved promise: Node's queueMicrotask wraps every callback in an AsyncResource.
const resolved = Promise.resolve();
const DRAIN_BATCH = 256;

/**
 * The one scheduler of this thread, shared by every node in it, because they share one event loop.
 *
 * Processes are async functions. Resuming a waiting process resolves the promise its `receive`
 * returned, so the process continues in a microtask. Microtasks alone would starve Node's I/O
 * forever, so the scheduler counts reductions across all processes and reads the clock every
 * 64 of them: once the slice has run for `SLICE_MS`, every further start or resume goes into the
 * run queue, which is drained from `setImmediate`, after the event loop has polled for I/O.
 * A slice starts afresh whenever the event loop has turned (seen as a gap between clock readings),
 * so work woken by I/O after an idle spell is not charged for the idle time.
 * Inside a slice, new processes start from a microtask, in spawn order.
 */
class Scheduler {
  readonly #runQueue = new Fifo<Runnable>();
  #sliceStart = performance.now();
  #lastClockRead = performance.now();
  /** Reductions left before the clock is read again. */
  #clockCountdown = CLOCK_EVERY;
  #exhausted = false;
  #microDrainPending = false;
  #macroDrainPending = false;
  readonly #drainFromMicrotask = () => {
    this.#microDrainPending = false;
    this.#drain();
  };
  readonly #drainFromMacrotask = () => {
    this.#macroDrainPending = false;
    this.#exhausted = false;
    this.#sliceStart = this.#lastClockRead = performance.now();
    this.#clockCountdown = CLOCK_EVERY;
    this.#drain();
  };

  /** Processes waiting in the run queue for their turn. */
  get runQueueLength(): number {
    return this.#runQueue.length;
  }

  /**
   * Counts one reduction against the current slice. Returns true when the slice is used up: the
   * caller must then queue its work with `enqueue` instead of doing it now. Kept this small so
   * that V8 inlines it into every hand-off; the clock is read in a method of its own.
   */
  spendReduction(): boolean {
    if (--this.#clockCountdown !== 0) return this.#exhausted;
    return this.#readClock();
  }

  #readClock(): boolean {
    this.#clockCountdown = CLOCK_EVERY;
    const now = performance.now();
    // 64 reductions take microseconds: a longer gap since the last reading means the event loop
    // turned meanwhile (it polled, or sat idle), so this is a new slice, not the old one running on.
    if (now - this.#lastClockRead > SLICE_MS) {
      this.#sliceStart = now;
      if (this.#exhausted) {
        this.#exhausted = false;
        if (this.#runQueue.length > 0) this.#scheduleMicroDrain();
      }
    }
    this.#lastClockRead = now;
    if (!this.#exhausted && now - this.#sliceStart > SLICE_MS) {
      this.#exhausted = true;
      this.#scheduleMacroDrain();
    }
    return this.#exhausted;
  }

  /** Puts work at the back of the run queue. */
  enqueue(item: Runnable): void {
    this.#runQueue.push(item);
    if (this.#exhausted) this.#scheduleMacroDrain();
    else this.#scheduleMicroDrain();
  }

  #scheduleMicroDrain(): void {
    if (this.#microDrainPending) return;
    this.#microDrainPending = true;
    resolved.then(this.#drainFromMicrotask);
  }

  #scheduleMacroDrain(): void {
    if (this.#macroDrainPending) return;
    this.#macroDrainPending = true;
    setImmediate(this.#drainFromMacrotask);
  }

  #drain(): void {
    const queue = this.#runQueue;
    // A small batch per drain: the processes it resumes run in the microtasks queued behind it,
    // and the next drain is queued after those, so their reductions count before it goes on.
    let batch = Math.min(queue.length, DRAIN_BATCH);
    while (batch-- > 0) {
      if (this.spendReduction()) return;
      queue.shift().run();
    }
    if (queue.length === 0) return;
    if (this.#exhausted) this.#scheduleMacroDrain();
    else this.#scheduleMicroDrain();
  }
}

/** @internal The scheduler of this thread. */
export const scheduler = new Scheduler();
