/** One caller waiting, with what it asked for. */
interface Waiter<T, K> {
  readonly key: K;
  readonly resolve: (value: T) => void;
  readonly reject: (error: Error) => void;
  timer: NodeJS.Timeout | undefined;
}

const ignore = (): void => {};

/**
 * Callers of a blocking operation (`recv`), served in the order they called, each with its own
 * timeout. A timer exists only while its caller waits.
 */
export class WaitQueue<T, K = undefined> {
  readonly #expired: () => void;
  #waiters: Waiter<T, K>[] = [];

  /** `expired` runs after a caller gave up (the owner may stop reading, say). */
  constructor(expired: () => void = ignore) {
    this.#expired = expired;
  }

  get size(): number {
    return this.#waiters.length;
  }

  /** What the first caller asked for, if anyone waits. */
  get first(): K | undefined {
    return this.#waiters[0]?.key;
  }

  /**
   * Queues a caller, lets `tryNow` serve what it can at once, then arms the timeout if the caller
   * still waits: 0 gives up at once, Infinity never. The promise is marked handled, so a caller
   * that stopped listening cannot turn a later failure into an unhandled rejection.
   */
  wait(key: K, timeout: number, timedOut: () => Error, tryNow: () => void): Promise<T> {
    const waiting = new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T, K> = { key, resolve, reject, timer: undefined };
      this.#waiters.push(waiter);
      tryNow();
      if (!this.#waiters.includes(waiter)) return;
      if (timeout === 0) this.#expire(waiter, timedOut);
      else if (timeout !== Infinity) waiter.timer = setTimeout(() => this.#expire(waiter, timedOut), timeout);
    });
    waiting.catch(ignore);
    return waiting;
  }

  /** Serves the first caller. */
  resolveFirst(value: T): void {
    const waiter = this.#waiters.shift();
    if (waiter === undefined) return;
    clearTimeout(waiter.timer);
    waiter.resolve(value);
  }

  /** Fails the first caller; false if nobody waits. */
  rejectFirst(error: Error): boolean {
    const waiter = this.#waiters.shift();
    if (waiter === undefined) return false;
    clearTimeout(waiter.timer);
    waiter.reject(error);
    return true;
  }

  /** Fails every caller; `error` gets each one's place in the queue. */
  rejectAll(error: (index: number) => Error): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    waiters.forEach((waiter, index) => {
      clearTimeout(waiter.timer);
      waiter.reject(error(index));
    });
  }

  #expire(waiter: Waiter<T, K>, timedOut: () => Error): void {
    const index = this.#waiters.indexOf(waiter);
    if (index === -1) return;
    this.#waiters.splice(index, 1);
    waiter.reject(timedOut());
    this.#expired();
  }
}
