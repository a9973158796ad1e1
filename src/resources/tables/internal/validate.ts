import { invalidArgument } from '../../../runtime/index.js';

/** The TypeError of a bad argument. */
export const invalid = invalidArgument;

/*
 * Argument checks with Beamish's one message shape:
 * ``Expected `limit` to be a whole number from 1 up, got `0` (number)``.
 */

/** A whole number from `min` up. */
export function expectCount(name: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) throw invalid(name, `a whole number from ${min} up`, value);
  return value;
}

/** A function. */
export function expectFunction<F extends (...args: never[]) => unknown>(name: string, value: unknown): F {
  if (typeof value !== 'function') throw invalid(name, 'a function', value);
  return value as F;
}

/** An integer within ±2^53−1. */
export function expectSafeInteger(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw invalid(name, 'a safe integer', value);
  return value;
}

/** A plain options object, or undefined. */
export function expectOptions<T extends object>(name: string, value: unknown): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(name, 'an options object', value);
  return value as T;
}
