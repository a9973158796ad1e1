/** A sender waiting for room. */
interface Waiter {
  readonly bytes: Uint8Array;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

const DONE: Promise<void> = Promise.resolve();
const ignore = (): void => {};

/**
 * Busy-socket back-pressure, as `gen_tcp:send` blocking on a busy port: while the system's
 * buffer is full, senders wait in order; each 'drain' lets them go on while room lasts.
 */
export class SendQueue {
  readonly #write: (bytes: Uint8Array) => void;
  readonly #busy: () => boolean;
  #waiters: Waiter[] = [];
  #waitingBytes = 0;

  constructor(write: (bytes: Uint8Array) => void, busy: () => boolean) {
    this.#write = write;
    this.#busy = busy;
  }

  /** Bytes accepted from senders that still wait for room. */
  get waitingBytes(): number {
    return this.#waitingBytes;
  }

  /** Whether a sender would wait now. */
  get busy(): boolean {
    return this.#waiters.length !== 0 || this.#busy();
  }

  /** Writes now if there is room (an already resolved promise), or queues the bytes. */
  send(bytes: Uint8Array): Promise<void> {
    if (!this.busy) {
      this.#write(bytes);
      return DONE;
    }
    const waiting = new Promise<void>((resolve, reject) => this.#waiters.push({ bytes, resolve, reject }));
    this.#waitingBytes += bytes.length;
    // A sender that does not await must not turn a close into an unhandled rejection.
    waiting.catch(ignore);
    return waiting;
  }

  /** There is room again: waiting senders go on, in order, while it lasts. */
  flush(): void {
    const waiters = this.#waiters;
    let taken = 0;
    while (taken < waiters.length && !this.#busy()) this.#go(waiters[taken++] as Waiter);
    if (taken > 0) waiters.splice(0, taken);
  }

  /** Writes everything waiting, room or not: before a shutdown of the sending side. */
  flushAll(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) this.#go(waiter);
  }

  /** Fails every waiting sender (their data is not sent). */
  rejectAll(error: () => Error): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    this.#waitingBytes = 0;
    for (const waiter of waiters) waiter.reject(error());
  }

  #go(waiter: Waiter): void {
    this.#waitingBytes -= waiter.bytes.length;
    this.#write(waiter.bytes);
    waiter.resolve();
  }
}
