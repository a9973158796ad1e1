/**
 * The medic's kit: recon-style introspection of a live node — node stats, memory, scheduler
 * usage, per-process info, top-N absolute and over a window, ports and sockets by traffic, Buffer
 * leaks, leak suspects, mailbox growth, the system monitor and the supervision structure. Every
 * call is bounded in time and output and states its cost. See docs/medic.md.
 */
export { binLeak, type BinLeakReport, type BinLeakRow } from './bin-leak.js';
export { inetCount, inetWindow, portInfo, ports, portTypes, resourceOwners, sockets, type InetAttribute, type OwnerRow, type PortDetails, type SocketDetails, type SocketRow } from './inet.js';
export { locationCount, type LocationRow } from './locations.js';
export { orphans, type OrphanRow } from './leak-suspects.js';
export { mailboxGrowth, type MailboxGrowthRow } from './mailbox-growth.js';
export { createMedic, type Medic } from './medic.js';
export { heapFragmentation, memory, memoryBreakdown, type HeapSpaceUsage, type MemoryBreakdown, type MemoryKind } from './memory.js';
export { formatNodeStats, nodeStats, nodeStatsList, nodeStatsText, type NodeStats, type NodeStatsSample } from './node-stats.js';
export { MAX_WINDOW_MS, type MedicOptions } from './options.js';
export { procCount, procWindow, type ProcessRow } from './proc-count.js';
export { PROCESS_ATTRIBUTES, type ProcessAttribute } from './process-attributes.js';
export { info, mailboxSample, processMemory, type InfoCategory, type MailboxSample, type ProcessDetails, type ProcessTarget } from './process-info.js';
export { BEHAVIOUR_BASE_BYTES, PROCESS_BASE_BYTES, PROCESS_EXTRAS_BYTES, ProcessMemoryEstimator, type ProcessMemory } from './process-memory.js';
export { schedulerUsage, type SchedulerUsage } from './scheduler-usage.js';
export * from './structure.js';
export * from './supervisor-counts.js';
export { currentSystemMonitor, systemMonitor, SystemMonitorMessage, type SystemMonitorSettings } from './system-monitor.js';
export { TopSampler, type TopFrame, type TopRow, type TopSort } from './top-sampler.js';
