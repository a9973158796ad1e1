import { invalidArgument } from '../invalid-argument.js';
import { Pid } from '../pid.js';

/** The one shape of every argument error (see `invalidArgument`). */
export const invalid = invalidArgument;

/**
 * A message: anything but a thenable. A promise (or any object with a `then` method) can never be
 * what an awaited receive returns, because promises adopt thenables; it must be wrapped
 * (`{ promise }`).
 */
export function expectMessage(value: unknown): unknown {
  if (
    ((typeof value === 'object' && value !== null) || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  ) {
    throw invalid('message', 'a value that is not a promise or thenable (wrap it: { promise })', value);
  }
  return value;
}

/** A delay in milliseconds: a finite non-negative number. */
export function expectDelay(name: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0) || value === Infinity) {
    throw invalid(name, 'a finite number of milliseconds from 0 up', value);
  }
  return value;
}

/** A receive timeout: a non-negative number of milliseconds, or Infinity. */
export function expectTimeout(name: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0)) {
    throw invalid(name, 'a number of milliseconds from 0 up, or Infinity', value);
  }
  return value;
}

export function expectPid(name: string, value: unknown): Pid {
  if (!(value instanceof Pid)) throw invalid(name, 'a Pid', value);
  return value;
}

/** A registered name: a non-empty string other than 'undefined', which Erlang reserves. */
export function expectName(name: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value === 'undefined') {
    throw invalid(name, "a non-empty string other than 'undefined'", value);
  }
  return value;
}

export function expectBoolean(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw invalid(name, 'a boolean', value);
  return value;
}

export function expectFunction<F extends (...args: never[]) => unknown>(name: string, value: unknown): F {
  if (typeof value !== 'function') throw invalid(name, 'a function', value);
  return value as F;
}

/** A whole number from `min` up. */
export function expectCount(name: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw invalid(name, `a whole number from ${min} up`, value);
  }
  return value;
}
