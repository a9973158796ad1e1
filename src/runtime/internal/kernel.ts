import { AlreadyRegisteredError, NameInUseError, NodeStoppedError, NotAliveError, NotRegisteredError, ProcessExitedError, SystemLimitError } from '../errors.js';
import type { MailboxLimit, ProcessFunction, SpawnOptions } from '../context.js';
import type { Logger } from '../logger.js';
import type { SystemWatch } from '../system-watch.js';
import type { BeamishNode } from '../node.js';
import { Pid, type NodeIdentity } from '../pid.js';
import { isError, type ExitReason } from '../reasons.js';
import { Ref } from '../ref.js';
import { extrasOf, type ResolvedMailboxLimit } from './extras.js';
import { addNode, claimNodeName, removeNode } from './node-table.js';
import { Process } from './process.js';
import { ProcessTable } from './process-table.js';
import { scheduler } from './scheduler.js';
import type { ProcessTimer } from './timers.js';
import { expectBoolean, expectCount, expectFunction, expectMessage, expectName, expectPid, invalid } from './validate.js';

/** Where a node is in its life. */
export type NodeState = 'running' | 'stopping' | 'stopped';

/** What a kernel is made from (validated by the node). */
export interface KernelOptions {
  readonly name: string;
  readonly logger: Logger;
  readonly maxProcesses: number;
  readonly trackLocations: boolean;
}

/**
 * The state of one node: its process table, registered names and timers, and the operations on
 * them that do not belong to one process. The public `BeamishNode` is its facade.
 */
export class Kernel {
  readonly identity: NodeIdentity;
  readonly node: BeamishNode;
  /** Live processes by id, in spawn order. */
  readonly table = new ProcessTable();
  readonly names = new Map<string, Process>();
  readonly timers = new Map<Ref, ProcessTimer>();
  /** Releases of OS resources under way (see `BeamishNode.trackRelease`): stop waits for them. */
  readonly releases = new Set<Promise<unknown>>();
  /** The node's own pid, `<n.0.0>`: the sender of signals that come from the node itself. */
  readonly nodePid: Pid;
  /** Wall-clock time the node started, in epoch milliseconds. */
  readonly startedAt = Date.now();
  readonly #startedAtMonotonic = performance.now();
  logger: Logger;
  maxProcesses: number;
  trackLocations: boolean;
  state: NodeState = 'running';
  /** Set when the last stop phase begins: from then on nothing may spawn. */
  refusesSpawns = false;
  /** What the node watches for (see `BeamishNode.watchSystem`). */
  systemWatch: SystemWatch | undefined = undefined;
  /** The mailbox length that counts as long; Infinity while not watched (one comparison per queued message). */
  longQueueEnable = Infinity;
  /** Processes that have exited, and the reductions they had spent. */
  exitedCount = 0;
  exitedReductions = 0;
  #nextId = 1;
  #nextRef = 1;

  constructor(node: BeamishNode, options: KernelOptions) {
    this.node = node;
    this.identity = Object.freeze({
      name: options.name,
      creation: Math.floor(Date.now() / 1000),
      index: claimNodeName(options.name),
    });
    this.nodePid = new Pid(this.identity, 0, null);
    this.logger = options.logger;
    this.maxProcesses = options.maxProcesses;
    this.trackLocations = options.trackLocations;
    addNode(this);
  }

  /** Milliseconds since the node started, as a whole number. */
  uptime(): number {
    return Math.floor(performance.now() - this.#startedAtMonotonic);
  }

  /** Processes spawned since the node started. */
  get spawnedCount(): number {
    return this.#nextId - 1;
  }

  makeRef(): Ref {
    return new Ref(this.identity, this.#nextRef++);
  }

  /** Creates a process and queues its first run; `parent` is the spawning process, if any. */
  spawn(fn: ProcessFunction, options: SpawnOptions | undefined, parent: Process | undefined): Process {
    expectFunction('fn', fn);
    if (this.state === 'stopped' || this.refusesSpawns) throw new NodeStoppedError(this.identity.name);
    if (options !== undefined && (typeof options !== 'object' || options === null)) {
      throw invalid('options', 'an object', options);
    }
    const name = options?.name === undefined ? undefined : expectName('options.name', options.name);
    if (name !== undefined && this.names.has(name)) throw new NameInUseError(name);
    const trapExit = options?.trapExit === undefined ? false : expectBoolean('options.trapExit', options.trapExit);
    const limit = options?.maxMailbox === undefined ? null : resolveMailboxLimit(options.maxMailbox);
    const label = options?.label;
    if (label !== undefined && typeof label !== 'string') throw invalid('options.label', 'a string', label);
    if (this.table.size >= this.maxProcesses) throw new SystemLimitError('processes', this.maxProcesses);

    const id = this.#nextId++;
    const pid = new Pid(this.identity, id, null);
    const process = new Process(this, pid, fn, parent?.pid);
    pid.proc = process;
    this.table.add(process);
    if (trapExit || name !== undefined || limit !== null || label !== undefined) {
      const extra = extrasOf(process);
      extra.trapExit = trapExit;
      extra.label = label;
      extra.mailboxLimit = limit;
      if (name !== undefined) {
        extra.registeredName = name;
        this.names.set(name, process);
      }
    }
    scheduler.enqueue(process);
    return process;
  }

  /** Sends from anywhere: to a pid (dropped if dead) or a registered name (an error if unknown). */
  send(dest: Pid | string, message: unknown): void {
    expectMessage(message);
    if (dest instanceof Pid) {
      dest.proc?.deliver(message);
    } else if (typeof dest === 'string') {
      const process = this.names.get(dest);
      if (process === undefined) throw new NotRegisteredError(dest);
      process.deliver(message);
    } else {
      throw invalid('dest', 'a Pid or a registered name', dest);
    }
  }

  /** The live process `pid` names on this node, if any. */
  lookup(pid: Pid): Process | undefined {
    const process = pid.proc ?? undefined;
    return process?.kernel === this ? process : undefined;
  }

  register(name: string, pid: Pid): void {
    expectName('name', name);
    const process = expectPid('pid', pid).proc;
    if (process === null) throw new NotAliveError(pid);
    if (process.kernel !== this) throw invalid('pid', `a pid of node ${this.identity.name}`, pid);
    if (this.names.has(name)) throw new NameInUseError(name);
    const existing = process.extra?.registeredName;
    if (existing !== undefined) throw new AlreadyRegisteredError(pid, existing);
    this.names.set(name, process);
    extrasOf(process).registeredName = name;
  }

  unregister(name: string): void {
    expectName('name', name);
    const process = this.names.get(name);
    if (process === undefined) throw new NotRegisteredError(name);
    this.names.delete(name);
    extrasOf(process).registeredName = undefined;
  }

  whereis(name: string): Pid | undefined {
    if (typeof name !== 'string') throw invalid('name', 'a string', name);
    return this.names.get(name)?.pid;
  }

  /** Frees an exiting process's name at the moment it exits. */
  releaseName(process: Process): void {
    const name = process.extra?.registeredName;
    if (name !== undefined && this.names.get(name) === process) this.names.delete(name);
  }

  /** The last step of an exit: the process leaves the table. */
  processExited(process: Process): void {
    this.table.delete(process);
    this.exitedCount++;
    this.exitedReductions += process.reductions;
  }

  /** The error an exited process's AbortSignal carries. */
  exitedError(process: Process, reason: ExitReason): ProcessExitedError {
    return new ProcessExitedError(process.pid, reason, isError(reason) ? { cause: reason } : undefined);
  }

  /** Takes the node out of this Node.js process's node table (the last step of stopping). */
  detach(): void {
    this.state = 'stopped';
    removeNode(this);
  }
}

function resolveMailboxLimit(limit: number | MailboxLimit): ResolvedMailboxLimit {
  if (typeof limit === 'number') return { size: expectCount('options.maxMailbox', limit, 1), kill: true, report: true };
  if (typeof limit !== 'object' || limit === null) {
    throw invalid('options.maxMailbox', 'a number or { size, kill?, report? }', limit);
  }
  return {
    size: expectCount('options.maxMailbox.size', limit.size, 1),
    kill: limit.kill === undefined ? true : expectBoolean('options.maxMailbox.kill', limit.kill),
    report: limit.report === undefined ? true : expectBoolean('options.maxMailbox.report', limit.report),
  };
}
