import { expectRows, expectWindow, nodeOf, waitWindow, type MedicOptions } from './options.js';
import { gcTracker } from './internal/gc-tracker.js';
import { trafficOf } from './internal/traffic.js';
import { readMemory } from './memory.js';
import { readLoop, usageBetween, type SchedulerUsage } from './scheduler-usage.js';

/** A node's figures at one moment (recon's `node_stats`), counters since the start. */
export interface NodeStats {
  readonly node: string;
  /** When it was read, epoch ms. */
  readonly at: number;
  readonly processCount: number;
  readonly portCount: number;
  readonly socketCount: number;
  readonly runQueueLength: number;
  readonly memory: { readonly rss: number; readonly heapTotal: number; readonly heapUsed: number; readonly external: number; readonly arrayBuffers: number };
  /** Bytes received and sent by the sockets and ports open now. */
  readonly bytesIn: number;
  readonly bytesOut: number;
  /** Reductions of every process the node has run. */
  readonly reductions: number;
  /** Collections, their pauses and the heap bytes they freed, since the medic first looked. */
  readonly gcCount: number;
  readonly gcPauseMs: number;
  readonly gcBytesReclaimed: number;
  /** Event-loop utilization of each scheduler since the Node.js process started. */
  readonly schedulerUsage: readonly SchedulerUsage[];
}

/**
 * The node's figures now: counts, memory, traffic, reductions, collections and scheduler usage.
 * O(processes + sockets + ports): reductions are summed over live processes.
 */
export function nodeStats(options?: MedicOptions): NodeStats {
  return read(nodeOf(options), undefined);
}

function read(node: ReturnType<typeof nodeOf>, since: ReturnType<typeof readLoop> | undefined): NodeStats {
  const statistics = node.statistics();
  const traffic = trafficOf(node);
  const gc = gcTracker.totals();
  const memory = readMemory();
  return {
    node: node.name,
    at: Date.now(),
    processCount: statistics.processCount,
    portCount: traffic.ports,
    socketCount: traffic.sockets,
    runQueueLength: statistics.runQueueLength,
    memory: { rss: memory.rss, heapTotal: memory.heapTotal, heapUsed: memory.heapUsed, external: memory.external, arrayBuffers: memory.arrayBuffers },
    bytesIn: traffic.bytesIn,
    bytesOut: traffic.bytesOut,
    reductions: statistics.reductions,
    gcCount: gc.count,
    gcPauseMs: Math.round(gc.pauseMs * 1000) / 1000,
    gcBytesReclaimed: gc.bytesReclaimed,
    schedulerUsage: since === undefined ? [{ scheduler: 1, usage: readLoop().utilization }] : usageBetween(since),
  };
}

/** One interval of `nodeStatsList`: the figures at its end, and what changed during it. */
export interface NodeStatsSample extends NodeStats {
  readonly intervalMs: number;
  /** Changes over the interval (traffic can fall when sockets close). */
  readonly delta: {
    readonly bytesIn: number;
    readonly bytesOut: number;
    readonly reductions: number;
    readonly gcCount: number;
    readonly gcBytesReclaimed: number;
  };
}

/**
 * `n` samples, one every `intervalMs` (recon's `node_stats_list/2`): each with the figures at its
 * end, the changes during it, and scheduler usage over it. Takes n × intervalMs (at most 10
 * minutes in all); rejects when `options.signal` aborts.
 */
export async function nodeStatsList(n: number, intervalMs: number, options?: MedicOptions): Promise<NodeStatsSample[]> {
  const count = expectRows('n', n);
  const interval = expectWindow('intervalMs', intervalMs);
  expectWindow('n × intervalMs', count * interval);
  const node = nodeOf(options);
  const samples: NodeStatsSample[] = [];
  let previous = read(node, undefined);
  for (let i = 0; i < count; i++) {
    const loop = readLoop();
    await waitWindow(interval, options?.signal);
    const now = read(node, loop);
    samples.push({
      ...now,
      intervalMs: now.at - previous.at,
      delta: {
        bytesIn: now.bytesIn - previous.bytesIn,
        bytesOut: now.bytesOut - previous.bytesOut,
        reductions: now.reductions - previous.reductions,
        gcCount: now.gcCount - previous.gcCount,
        gcBytesReclaimed: now.gcBytesReclaimed - previous.gcBytesReclaimed,
      },
    });
    previous = now;
  }
  return samples;
}

function mib(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)}M`;
}

/** One line per sample, with a header: the printing form of `nodeStatsList`. */
export function formatNodeStats(samples: readonly NodeStatsSample[]): string {
  const header = 'procs  runq  sched%   heap     rss      ext     in/s      out/s     reds/s    gc/s';
  const lines = samples.map((sample) => {
    const perSecond = (value: number) => Math.round((value * 1000) / Math.max(1, sample.intervalMs));
    const usage = sample.schedulerUsage.map((s) => (s.usage * 100).toFixed(0)).join('/');
    return [
      String(sample.processCount).padEnd(6),
      String(sample.runQueueLength).padEnd(5),
      usage.padEnd(7),
      mib(sample.memory.heapUsed).padEnd(8),
      mib(sample.memory.rss).padEnd(8),
      mib(sample.memory.external).padEnd(7),
      String(perSecond(sample.delta.bytesIn)).padEnd(9),
      String(perSecond(sample.delta.bytesOut)).padEnd(9),
      String(perSecond(sample.delta.reductions)).padEnd(9),
      String(perSecond(sample.delta.gcCount)),
    ].join(' ');
  });
  return [header, ...lines].join('\n');
}

/** Samples and prints in one step: `formatNodeStats(await nodeStatsList(n, intervalMs))`. */
export async function nodeStatsText(n: number, intervalMs: number, options?: MedicOptions): Promise<string> {
  return formatNodeStats(await nodeStatsList(n, intervalMs, options));
}
