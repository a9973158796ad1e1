import { BeamishNode, invalidArgument, Pid, type ProcessContext } from '../../../runtime/index.js';

/** The TypeError of a bad argument. */
export const invalid = invalidArgument;

/*
 * Argument checks with Beamish's one message shape:
 * ``Expected `size` to be a whole number from 0 up, got `-1` (number)``.
 */

/** The calling process's context. */
export function expectContext(ctx: unknown): ProcessContext {
  const candidate = ctx as Partial<ProcessContext> | null | undefined;
  if (typeof candidate?.send !== 'function' || !(candidate.self instanceof Pid) || !(candidate.node instanceof BeamishNode)) {
    throw invalid('ctx', 'the context of a process', ctx);
  }
  return ctx as ProcessContext;
}

/** A whole number from 0 up to `max`. */
export function expectOffset(name: string, value: unknown, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    throw invalid(name, max === Number.MAX_SAFE_INTEGER ? 'a whole number from 0 up' : `a whole number from 0 to ${max}`, value);
  }
  return value;
}

/** Bytes to write: a string (UTF-8) or a Uint8Array (a Buffer, say), as they are. */
export function bytesOf(name: string, data: unknown): Uint8Array {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (data instanceof Uint8Array) return data;
  throw invalid(name, 'a string, Buffer or Uint8Array', data);
}
