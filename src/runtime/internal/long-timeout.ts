/** setTimeout's longest delay; beyond it Node fires after 1 ms with a warning. */
const MAX_DELAY = 2 ** 31 - 1;

/** A timer that may be longer than `MAX_DELAY`: it re-arms itself until the full delay has passed. */
class LongTimeout<A> {
  #handle: NodeJS.Timeout;
  readonly #due: number;
  readonly #callback: (arg: A) => void;
  readonly #arg: A;

  constructor(callback: (arg: A) => void, delay: number, arg: A) {
    this.#callback = callback;
    this.#arg = arg;
    this.#due = Date.now() + delay;
    this.#handle = setTimeout(() => this.#tick(), MAX_DELAY);
  }

  clear(): void {
    clearTimeout(this.#handle);
  }

  #tick(): void {
    const left = this.#due - Date.now();
    if (left <= 0) this.#callback(this.#arg);
    else this.#handle = setTimeout(() => this.#tick(), Math.min(left, MAX_DELAY));
  }
}

/** A running timeout of any length. */
export type TimeoutHandle = NodeJS.Timeout | LongTimeout<never>;

/** Calls `callback(arg)` after `delay` ms, however long (a finite, non-negative delay). */
export function startTimeout<A>(callback: (arg: A) => void, delay: number, arg: A): TimeoutHandle {
  if (delay <= MAX_DELAY) return setTimeout(callback, delay, arg);
  return new LongTimeout(callback, delay, arg) as unknown as TimeoutHandle;
}

/** Stops a timeout from `startTimeout`; stopping one that fired already does nothing. */
export function cancelTimeout(handle: TimeoutHandle): void {
  if (handle instanceof LongTimeout) handle.clear();
  else clearTimeout(handle);
}
