import type { AnySocket, Port } from '../resources/index.js';
import type { BeamishNode, Pid } from '../runtime/index.js';
import { binLeak } from './bin-leak.js';
import { inetCount, inetWindow, portInfo, ports, portTypes, resourceOwners, sockets, type InetAttribute } from './inet.js';
import { locationCount } from './locations.js';
import { orphans } from './leak-suspects.js';
import { mailboxGrowth } from './mailbox-growth.js';
import { heapFragmentation, memory, memoryBreakdown, type MemoryKind } from './memory.js';
import { formatNodeStats, nodeStats, nodeStatsList, nodeStatsText } from './node-stats.js';
import type { MedicOptions } from './options.js';
import { procCount, procWindow } from './proc-count.js';
import type { ProcessAttribute } from './process-attributes.js';
import { info, mailboxSample, processMemory, type InfoCategory, type ProcessTarget } from './process-info.js';
import { schedulerUsage } from './scheduler-usage.js';
import { applicationGraph, renderTree, supervisionTree, toDot, type SupervisionTreeOptions, type StructureOptions } from './structure.js';
import { supervisorChildCounts, type SupervisorChildCountsOptions } from './supervisor-counts.js';
import { currentSystemMonitor, systemMonitor, SystemMonitorMessage, type SystemMonitorSettings } from './system-monitor.js';

/**
 * The medic kit bound to one node and, optionally, to a signal that ends every window and
 * sampling run it starts: what an attached shell puts in scope (its signal aborts when the
 * operator leaves). Each method is the module function of the same name with those options.
 */
export function createMedic(node: BeamishNode, options: { readonly signal?: AbortSignal } = {}) {
  const bound: MedicOptions = { node, signal: options.signal };
  return {
    node,
    nodeStats: () => nodeStats(bound),
    nodeStatsList: (n: number, intervalMs: number) => nodeStatsList(n, intervalMs, bound),
    nodeStatsText: (n: number, intervalMs: number) => nodeStatsText(n, intervalMs, bound),
    formatNodeStats,
    memory: (kind: MemoryKind) => memory(kind),
    memoryBreakdown: () => memoryBreakdown(bound),
    heapFragmentation,
    schedulerUsage: (ms: number) => schedulerUsage(ms, bound),
    info: (target: ProcessTarget, category?: InfoCategory) => (category === undefined ? info(target, bound) : info(target, category, bound)),
    mailboxSample: (target: ProcessTarget, n: number, maxLength?: number) => mailboxSample(target, n, { ...bound, maxLength }),
    processMemory: (target: ProcessTarget) => processMemory(target, bound),
    procCount: (attribute: ProcessAttribute, n: number) => procCount(attribute, n, bound),
    procWindow: (attribute: ProcessAttribute, n: number, ms: number) => procWindow(attribute, n, ms, bound),
    portTypes: () => portTypes(bound),
    portInfo: (port: Port | AnySocket) => portInfo(port),
    inetCount: (attribute: InetAttribute, n: number) => inetCount(attribute, n, bound),
    inetWindow: (attribute: InetAttribute, n: number, ms: number) => inetWindow(attribute, n, ms, bound),
    sockets: (kind: Parameters<typeof sockets>[0], limit: number) => sockets(kind, limit, bound),
    ports: (limit: number) => ports(limit, bound),
    resourceOwners: (n: number) => resourceOwners(n, bound),
    locationCount: (n: number) => locationCount(n, bound),
    binLeak: (n: number) => binLeak(n, bound),
    orphans: (n: number) => orphans(n, bound),
    mailboxGrowth: (n: number, ms: number) => mailboxGrowth(n, ms, bound),
    systemMonitor: (subscriber: Pid | undefined, settings?: SystemMonitorSettings) => systemMonitor(subscriber, settings, bound),
    currentSystemMonitor: () => currentSystemMonitor(bound),
    /** The class of what the system monitor sends, for matching: `receive((m) => m instanceof SystemMonitorMessage)`. */
    SystemMonitorMessage,
    supervisionTree: (root: string | Pid, treeOptions?: Omit<SupervisionTreeOptions, 'node' | 'signal'>) => supervisionTree(root, { ...treeOptions, ...bound }),
    applicationGraph: (graphOptions?: Omit<StructureOptions, 'node' | 'signal'>) => applicationGraph({ ...graphOptions, ...bound }),
    supervisorChildCounts: (n: number, countOptions?: Omit<SupervisorChildCountsOptions, 'node' | 'signal'>) => supervisorChildCounts(n, { ...countOptions, ...bound }),
    renderTree,
    toDot,
  };
}

/** The medic kit bound to a node (see `createMedic`). */
export type Medic = ReturnType<typeof createMedic>;
