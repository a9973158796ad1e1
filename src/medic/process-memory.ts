import type { ProcessProbe } from '../runtime/index.js';
import { emptyTally, estimateSize, type SizeTally } from './internal/size-estimate.js';

/**
 * The fixed parts of a process, measured on Node 20 (x64) with heap deltas over 1,000 to 100,000
 * processes (1,017 to 1,084 bytes for an idle process; 3,560 to 3,700 for an idle GenServer):
 * an idle process waiting in receive (its record, pid and suspended async function), the record of
 * rarer parts (names, links, monitors) once it has any, and what a behaviour's loop keeps beside
 * its state (GenServer, GenStatem, GenEvent; found by their exposing their state).
 */
export const PROCESS_BASE_BYTES = 1_000;
export const PROCESS_EXTRAS_BYTES = 200;
export const BEHAVIOUR_BASE_BYTES = 2_400;
const LINK_BYTES = 40;
const MONITOR_BYTES = 120;
const TIMER_BYTES = 150;
const MAILBOX_SLOT_BYTES = 8;
/** Messages of a mailbox walked in full; the rest are assumed alike. */
const MAILBOX_SAMPLE = 8;
/** Values walked per state and per mailbox. */
const WALK_BUDGET = 256;

/** A process's memory estimate, in bytes, by part. */
export interface ProcessMemory {
  /** Everything: fixed parts, state, mailbox and Buffers. */
  readonly total: number;
  readonly fixed: number;
  /** What its exposed state holds on the V8 heap (0 when it exposes none). */
  readonly state: number;
  /** Its queued messages on the V8 heap. */
  readonly mailbox: number;
  /** Bytes of the Buffers its state and mailbox reference (outside the V8 heap). */
  readonly buffers: number;
  /** Bytes of the backing stores those Buffers keep alive (more than `buffers` when slices pin big stores). */
  readonly buffersRetained: number;
}

/**
 * Estimates processes' memory, reusing its scratch space across processes (so ranking 100,000
 * costs no allocation per process beyond the walk). See docs/medic.md for the method and its error.
 */
export class ProcessMemoryEstimator {
  readonly #seen = new Set<object>();
  readonly #tally: SizeTally = emptyTally();

  /** Total bytes only: the cheap form top-N uses. */
  total(probe: ProcessProbe): number {
    return this.#estimate(probe).total;
  }

  /** The estimate by part. O(the walk budget): at most 256 values of state and 256 of mailbox. */
  estimate(probe: ProcessProbe): ProcessMemory {
    const { total, fixed, state, mailbox } = this.#estimate(probe);
    return { total, fixed, state, mailbox, buffers: this.#tally.buffers, buffersRetained: this.#tally.buffersRetained };
  }

  /** Bytes of Buffer backing stores the process keeps alive (recon's `binary_memory`). */
  buffersRetained(probe: ProcessProbe): number {
    this.#estimate(probe);
    return this.#tally.buffersRetained;
  }

  #estimate(probe: ProcessProbe): { total: number; fixed: number; state: number; mailbox: number } {
    const tally = this.#tally;
    tally.heap = tally.buffers = tally.buffersRetained = tally.visited = 0;
    const seen = this.#seen;
    if (seen.size > 0) seen.clear(); // clearing allocates a new table even when empty
    const extras = probe.registeredName !== undefined || probe.label !== undefined || probe.linkCount + probe.monitorCount + probe.monitoredByCount + probe.timerCount > 0;
    let fixed = PROCESS_BASE_BYTES;
    if (extras) fixed += PROCESS_EXTRAS_BYTES + LINK_BYTES * probe.linkCount + MONITOR_BYTES * (probe.monitorCount + probe.monitoredByCount) + TIMER_BYTES * probe.timerCount;
    let state = 0;
    if (probe.exposesState) {
      fixed += BEHAVIOUR_BASE_BYTES;
      estimateSize(probe.exposedState(), tally, seen, WALK_BUDGET);
      state = tally.heap;
    }
    const length = probe.messageQueueLength;
    let mailbox = 0;
    if (length > 0) {
      const sample = probe.peekMailbox(MAILBOX_SAMPLE);
      const before = tally.heap;
      const buffersBefore = tally.buffers;
      const retainedBefore = tally.buffersRetained;
      tally.visited = 0;
      for (const message of sample) estimateSize(message, tally, seen, WALK_BUDGET);
      const scale = length / sample.length;
      mailbox = (tally.heap - before) * scale + MAILBOX_SLOT_BYTES * length;
      tally.buffers = buffersBefore + (tally.buffers - buffersBefore) * scale;
      tally.buffersRetained = retainedBefore + (tally.buffersRetained - retainedBefore) * scale;
    }
    state = Math.round(state);
    mailbox = Math.round(mailbox);
    tally.buffers = Math.round(tally.buffers);
    tally.buffersRetained = Math.round(tally.buffersRetained);
    return { total: fixed + state + mailbox + tally.buffers, fixed, state, mailbox };
  }
}
