import { BeamishNode, invalidArgument } from '../../runtime/index.js';
import { nodeOf, type MedicOptions } from '../options.js';

/** The longest per-call timeout: what `setTimeout` can wait. */
const MAX_TIMEOUT = 2 ** 31 - 1;

/** @internal Options every structure call takes, checked. */
export interface CheckedOptions {
  readonly node: BeamishNode;
  readonly timeout: number;
  readonly signal: AbortSignal | undefined;
}

/** @internal Checks `options` (an object or undefined) and fills in the node and timeout. */
export function checkOptions(options: (MedicOptions & { readonly timeout?: number }) | undefined, defaultTimeout: number): CheckedOptions {
  const node = nodeOf(options);
  if (!(node instanceof BeamishNode)) throw invalidArgument('options.node', 'a BeamishNode', node);
  const timeout = options?.timeout ?? defaultTimeout;
  if (!Number.isInteger(timeout) || timeout < 0 || timeout > MAX_TIMEOUT) {
    throw invalidArgument('options.timeout', `a whole number of milliseconds from 0 to ${MAX_TIMEOUT}`, timeout);
  }
  const signal = options?.signal;
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw invalidArgument('options.signal', 'an AbortSignal', signal);
  return { node, timeout, signal };
}

/** @internal Checks a whole-number limit from `min` up. */
export function checkCount(name: string, value: unknown, min: number): number {
  if (!Number.isInteger(value) || (value as number) < min) throw invalidArgument(name, `a whole number from ${min} up`, value);
  return value as number;
}

/**
 * @internal Settles as `promise` does, or rejects with the signal's reason as soon as it is
 * aborted; the work behind `promise` is left to finish on its own (every call is bounded).
 */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
