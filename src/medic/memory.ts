import v8 from 'node:v8';
import { Table } from '../resources/index.js';
import { invalidArgument } from '../runtime/index.js';
import { nodeOf, type MedicOptions } from './options.js';
import { ProcessMemoryEstimator } from './process-memory.js';

/** One V8 heap space: what it holds and what it has committed. */
export interface HeapSpaceUsage {
  readonly space: string;
  /** Bytes of live objects (and garbage not yet collected). */
  readonly used: number;
  /** Bytes the space has reserved for objects. */
  readonly allocated: number;
  /** Bytes of it in physical memory. */
  readonly physical: number;
  /** `used / allocated`, 0..1; 1 for an empty space. */
  readonly usage: number;
}

/** The whole of a node's memory, from one reading of V8 and the OS (recon_alloc's view, for V8). */
export interface MemorySnapshot {
  /** Resident set size of the Node.js process. */
  readonly rss: number;
  readonly heapUsed: number;
  /** V8 heap committed: the sum of the spaces' `allocated`. */
  readonly heapTotal: number;
  /** Memory outside the V8 heap that V8 knows of: Buffers, typed arrays, native objects. */
  readonly external: number;
  /** The part of `external` that is ArrayBuffers (Buffers included). */
  readonly arrayBuffers: number;
  readonly spaces: readonly HeapSpaceUsage[];
}

/** @internal One consistent reading: every figure derived from it agrees with the others. */
export function readMemory(): MemorySnapshot {
  const usage = process.memoryUsage();
  const spaces = v8.getHeapSpaceStatistics().map((space) => {
    // Used never exceeds allocated here, by construction: that is what keeps `usage` ≤ 1.
    const allocated = space.space_size;
    const used = Math.min(space.space_used_size, allocated);
    return { space: space.space_name, used, allocated, physical: space.physical_space_size, usage: allocated === 0 ? 1 : used / allocated };
  });
  return {
    rss: usage.rss,
    heapUsed: spaces.reduce((sum, space) => sum + space.used, 0),
    heapTotal: spaces.reduce((sum, space) => sum + space.allocated, 0),
    external: usage.external,
    arrayBuffers: usage.arrayBuffers,
    spaces,
  };
}

/** What `memory(kind)` can report. */
export type MemoryKind = 'used' | 'allocated' | 'unused' | 'usage';

/**
 * recon_alloc's `memory/1`, for V8: `used` (heap used plus external), `allocated` (heap committed
 * plus external), `unused` (their difference) or `usage` (used / allocated, 0..1). All four come
 * from one reading in which used never exceeds allocated, so `usage` can never pass 1 (the bug of
 * recon issues #55 and #104, where used and allocated were read at different moments). O(1).
 */
export function memory(kind: MemoryKind): number {
  const snapshot = readMemory();
  const used = snapshot.heapUsed + snapshot.external;
  const allocated = snapshot.heapTotal + snapshot.external;
  switch (kind) {
    case 'used':
      return used;
    case 'allocated':
      return allocated;
    case 'unused':
      return allocated - used;
    case 'usage':
      return allocated === 0 ? 1 : used / allocated;
    default:
      throw invalidArgument('kind', "one of 'used', 'allocated', 'unused', 'usage'", kind);
  }
}

/**
 * Fragmentation per V8 heap space (recon_alloc's `fragmentation/1`): used against committed bytes
 * for each space, worst usage first. Spaces with low usage and much committed memory are where a
 * heap that grew once and emptied holds memory. O(spaces).
 */
export function heapFragmentation(): HeapSpaceUsage[] {
  return [...readMemory().spaces].filter((space) => space.allocated > 0).sort((a, b) => a.usage - b.usage);
}

/** Where a node's memory is, in recon's spirit (`erlang:memory/0`). */
export interface MemoryBreakdown {
  /** Resident set size: everything the OS counts, the other figures included. */
  readonly rss: number;
  readonly heapTotal: number;
  readonly heapUsed: number;
  /** The sum of every process's estimate (see `processMemory`), mailboxes and Buffers included. */
  readonly processes: number;
  /** The part of `processes` in mailboxes. */
  readonly mailboxes: number;
  /** ArrayBuffers and Buffers, anyone's. */
  readonly buffers: number;
  /** Other memory outside the V8 heap: native objects, compiled regular expressions. */
  readonly otherExternal: number;
  /** Code and bytecode with their metadata. */
  readonly code: number;
  /** The node's tables, as their own estimates. */
  readonly tables: number;
  readonly processCount: number;
  readonly tableCount: number;
}

/**
 * A node's memory by kind. Walks every process's estimate (O(processes), bounded per process) and
 * lists every table (O(tables)); the V8 and OS figures are one reading.
 */
export function memoryBreakdown(options?: MedicOptions): MemoryBreakdown {
  const node = nodeOf(options);
  const estimator = new ProcessMemoryEstimator();
  let processes = 0;
  let mailboxes = 0;
  const processCount = node.scanProcesses((probe) => {
    const estimate = estimator.estimate(probe);
    processes += estimate.total;
    mailboxes += estimate.mailbox;
  });
  const tableCount = Table.count(node);
  const tables = Table.all(node, { limit: tableCount }).reduce((sum, table) => sum + table.memory, 0);
  const snapshot = readMemory();
  const code = v8.getHeapCodeStatistics();
  return {
    rss: snapshot.rss,
    heapTotal: snapshot.heapTotal,
    heapUsed: snapshot.heapUsed,
    processes,
    mailboxes,
    buffers: snapshot.arrayBuffers,
    otherExternal: snapshot.external - snapshot.arrayBuffers,
    code: code.code_and_metadata_size + code.bytecode_and_metadata_size,
    tables,
    processCount,
    tableCount,
  };
}
