import { setTimeout as delay } from 'node:timers/promises';
import { defaultNode, invalidArgument, type BeamishNode } from '../runtime/index.js';

/** Options every medic call takes. */
export interface MedicOptions {
  /** The node to look at; the default node otherwise. */
  readonly node?: BeamishNode;
  /** Ends a windowed or sampling call early: it rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/** The longest window or sampling run a medic call accepts: an operator's call must end. */
export const MAX_WINDOW_MS = 10 * 60_000;

/** @internal The node an options object names. */
export function nodeOf(options: MedicOptions | undefined): BeamishNode {
  if (options !== undefined && (typeof options !== 'object' || options === null)) throw invalidArgument('options', 'an object', options);
  return options?.node ?? defaultNode();
}

/** @internal Validates a count of rows. */
export function expectRows(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 100_000) {
    throw invalidArgument(name, 'a whole number from 0 to 100000', value);
  }
  return value;
}

/** @internal Validates a window length. */
export function expectWindow(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_WINDOW_MS) {
    throw invalidArgument(name, `a number of milliseconds from 0 to ${MAX_WINDOW_MS}`, value);
  }
  return value;
}

/** @internal Waits out a window; rejects with the signal's reason if it aborts first. The timer never holds the event loop open. */
export async function waitWindow(ms: number, signal: AbortSignal | undefined): Promise<void> {
  signal?.throwIfAborted();
  try {
    await delay(ms, undefined, { signal, ref: false });
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw error;
  }
}
