/** @internal A call waiting for its reply, as its deadline queue sees it. */
export interface PendingCall {
  readonly pending: boolean;
  /** A `performance.now()` time. */
  readonly deadline: number;
  /** No reply came in time: settle the call with a timeout. */
  timedOut(): void;
}

/**
 * @internal The pending calls of one timeout value behind one timer, instead of a timer per call.
 * Calls with the same timeout are made in deadline order, so the head is always the next to
 * expire; settled calls are dropped from the head. The timer is unref'd while nothing waits, so it
 * never keeps the event loop alive alone.
 */
export class DeadlineQueue {
  #calls: (PendingCall | null)[] = [];
  #head = 0;
  #timer: NodeJS.Timeout | undefined = undefined;
  #armed = false;
  /** Whether the timer keeps the event loop alive now. */
  #referenced = false;
  #unrefScheduled = false;

  add(from: PendingCall): void {
    if (!this.#referenced) {
      this.#timer?.ref();
      this.#referenced = true;
    }
    this.#calls.push(from);
    if (!this.#armed) this.#arm(from.deadline);
  }

  /** A call settled: if it was the head, drop it and the settled ones behind it. */
  settled(from: PendingCall): void {
    const calls = this.#calls;
    if (calls[this.#head] !== from) return;
    let head = this.#head + 1;
    while (head < calls.length && calls[head]?.pending !== true) head++;
    this.#advance(head);
  }

  #advance(head: number): void {
    const calls = this.#calls;
    if (head === calls.length) {
      if (calls.length === 1) calls.pop();
      else calls.length = 0;
      this.#head = 0;
      this.#scheduleUnref();
    } else if (head > 1024 && head * 2 > calls.length) {
      this.#calls = calls.slice(head);
      this.#head = 0;
    } else this.#head = head;
  }

  /**
   * Lets the timer stop keeping the event loop alive once nothing waits, checked at the next turn
   * of the loop rather than at once: ref and unref each cross into C++, and back-to-back calls
   * would otherwise pay for both on every call.
   */
  #scheduleUnref(): void {
    if (this.#unrefScheduled || !this.#referenced) return;
    this.#unrefScheduled = true;
    setImmediate(() => {
      this.#unrefScheduled = false;
      if (this.#head !== this.#calls.length) return;
      this.#timer?.unref();
      this.#referenced = false;
    });
  }

  #arm(deadline: number): void {
    this.#armed = true;
    this.#referenced = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#expire(), Math.max(1, Math.ceil(deadline - performance.now())));
  }

  #expire(): void {
    this.#armed = false;
    const now = performance.now();
    const calls = this.#calls;
    let head = this.#head;
    for (; head < calls.length; head++) {
      const from = calls[head];
      if (from == null || !from.pending) continue;
      if (from.deadline > now) break;
      calls[head] = null;
      from.timedOut();
    }
    this.#advance(head);
    if (this.#head < this.#calls.length) this.#arm(this.#calls[this.#head]!.deadline);
  }
}

const deadlineQueues = new Map<number, DeadlineQueue>();
const defaultQueue = new DeadlineQueue();
deadlineQueues.set(5000, defaultQueue);

/** @internal The queue of calls with this timeout (made on first use; 5000 ms is ready-made). */
export function deadlineQueue(timeout: number): DeadlineQueue {
  if (timeout === 5000) return defaultQueue;
  let queue = deadlineQueues.get(timeout);
  if (queue === undefined) deadlineQueues.set(timeout, (queue = new DeadlineQueue()));
  return queue;
}
