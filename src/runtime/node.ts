import { ProcessExitedError, UnknownNodeError } from './errors.js';
import { snapshotProcess, DEFAULT_LIST_LIMIT, type ProcessInfo } from './info.js';
import { logSafely, stderrLogger, type Logger, type LogLevel, type Report } from './logger.js';
import { DownMessage } from './messages.js';
import { Pid, splitPidText, type NodeIdentity } from './pid.js';
import { isError, type ExitReason } from './reasons.js';
import type { Ref } from './ref.js';
import { nodeOfPid } from './internal/node-table.js';
import type { ProcessContext, ProcessFunction, SpawnOptions } from './context.js';
import { Kernel, type NodeState } from './internal/kernel.js';
import { nodeByIndex } from './internal/node-table.js';
import { exitSoon, handleShutdownSignals } from './internal/os-signals.js';
import { scheduler } from './internal/scheduler.js';
import { monitor, sendExit, unwatch, watch } from './internal/signals.js';
import type { Monitor } from './internal/extras.js';
import { stopKernel } from './internal/stop.js';
import type { Process } from './internal/process.js';
import { accountRuntime, emit as emitSystemEvent, setSystemWatch } from './internal/system-watching.js';
import { ProcessProbe, pointProbe } from './probe.js';
import type { SystemWatch } from './system-watch.js';
import { resumeProcess, suspendProcess } from './internal/suspension.js';
import { cancelProcessTimer, readProcessTimer, startProcessTimer } from './internal/timers.js';
import { expectBoolean, expectCount, expectDelay, expectFunction, expectName, expectPid, invalid } from './internal/validate.js';

/** Erlang's default process limit (`+P`). */
export const DEFAULT_MAX_PROCESSES = 1_048_576;

/** Options of `createNode`. */
export interface NodeOptions {
  /** The node's name, unique among the nodes of this Node.js process. Default `'nonode@nohost'`. */
  readonly name?: string;
  /** Where crash and other reports go. Default: formatted text on stderr. */
  readonly logger?: Logger;
  /** Most processes alive at once; spawning past it throws `SystemLimitError`. Default 1,048,576. */
  readonly maxProcesses?: number;
  /**
   * Record the call site of every blocking receive, so introspection shows where each process
   * waits. Costs about a microsecond per blocking receive; can be switched at run time.
   */
  readonly trackLocations?: boolean;
  /** Stop the node in order on SIGTERM/SIGINT and exit with status 0. Default false (true for the default node). */
  readonly handleSignals?: boolean;
}

/** Life-long counters of a node (`BeamishNode.statistics`). */
export interface NodeStatistics {
  readonly processCount: number;
  readonly spawned: number;
  readonly exited: number;
  /** Reductions of every process the node has run, exited ones included. */
  readonly reductions: number;
  readonly runQueueLength: number;
  readonly uptimeMs: number;
}

function expectSystemWatch(watch: SystemWatch): void {
  if (typeof watch !== 'object' || watch === null) throw invalid('watch', 'an object', watch);
  expectFunction('watch.onEvent', watch.onEvent);
  if (watch.longScheduleMs !== undefined) expectDelay('watch.longScheduleMs', watch.longScheduleMs);
  if (watch.busyPort !== undefined) expectBoolean('watch.busyPort', watch.busyPort);
  const queue = watch.longMessageQueue;
  if (queue !== undefined) {
    if (typeof queue !== 'object' || queue === null) throw invalid('watch.longMessageQueue', 'an object { disable, enable }', queue);
    expectCount('watch.longMessageQueue.enable', queue.enable, 1);
    expectCount('watch.longMessageQueue.disable', queue.disable, 0);
    if (queue.disable >= queue.enable) throw invalid('watch.longMessageQueue.disable', `a number below enable (${queue.enable})`, queue.disable);
  }
}

/** Options of `stop`. */
export interface StopOptions {
  /** Milliseconds processes get to exit on their own before the rest are killed. Default 5000. */
  readonly timeout?: number;
  /**
   * For a node that handles signals (it owns the Node.js process, as the default node does): once
   * stopped, end the Node.js process with this status, as `init:stop(Status)`. Ignored otherwise.
   */
  readonly exitCode?: number;
}

/**
 * A Beamish node: a process table, a name registry and timers, like one Erlang VM. Several nodes
 * can live in one Node.js process (they share its event loop); most programs use the default node
 * through the package's top-level functions and never create one.
 */
export class BeamishNode {
  readonly #kernel: Kernel;
  readonly #watches = new Map<Ref, Monitor>();
  #stopping: Promise<void> | undefined;
  #removeSignalHandlers: (() => void) | undefined;
  #ownsProcess = false;

  /** @internal Use `createNode`. */
  constructor(options: NodeOptions = {}) {
    if (typeof options !== 'object' || options === null) throw invalid('options', 'an object', options);
    const name = options.name ?? 'nonode@nohost';
    if (typeof name !== 'string' || name.length === 0) throw invalid('options.name', 'a non-empty string', name);
    const logger = options.logger ?? stderrLogger;
    if (typeof logger?.log !== 'function') throw invalid('options.logger', 'an object with a log(level, report) method', logger);
    this.#kernel = new Kernel(this, {
      name,
      logger,
      maxProcesses: options.maxProcesses === undefined ? DEFAULT_MAX_PROCESSES : expectCount('options.maxProcesses', options.maxProcesses, 1),
      trackLocations: options.trackLocations === undefined ? false : expectBoolean('options.trackLocations', options.trackLocations),
    });
    if (options.handleSignals === true) {
      this.#ownsProcess = true;
      this.#removeSignalHandlers = handleShutdownSignals(() => this.stop());
    }
  }

  /** The node's name. */
  get name(): string {
    return this.#kernel.identity.name;
  }

  /** Name, creation and index: what every pid of this node carries. */
  get identity(): NodeIdentity {
    return this.#kernel.identity;
  }

  /** `'running'`, `'stopping'` or `'stopped'`. */
  get state(): NodeState {
    return this.#kernel.state;
  }

  /** The node's own pid (`<n.0.0>`), the sender of exit signals the node itself sends. */
  get pid(): Pid {
    return this.#kernel.nodePid;
  }

  get logger(): Logger {
    return this.#kernel.logger;
  }

  set logger(logger: Logger) {
    if (typeof logger?.log !== 'function') throw invalid('logger', 'an object with a log(level, report) method', logger);
    this.#kernel.logger = logger;
  }

  /** Whether blocking receives record their call site (see `NodeOptions.trackLocations`). */
  get trackLocations(): boolean {
    return this.#kernel.trackLocations;
  }

  set trackLocations(on: boolean) {
    this.#kernel.trackLocations = expectBoolean('trackLocations', on);
  }

  /** Most processes alive at once. */
  get maxProcesses(): number {
    return this.#kernel.maxProcesses;
  }

  /** Live processes; O(1). */
  get processCount(): number {
    return this.#kernel.table.size;
  }

  /** Milliseconds since the node started; O(1). */
  get uptimeMs(): number {
    return this.#kernel.uptime();
  }

  /** Processes waiting in this thread's run queue (shared by every node in it); O(1). */
  get runQueueLength(): number {
    return scheduler.runQueueLength;
  }

  /**
   * Starts a process running `fn`; it runs once the caller yields. Throws `TypeError` for bad
   * options, `NameInUseError` if `options.name` is taken (nothing is spawned then),
   * `SystemLimitError` past `maxProcesses` and `NodeStoppedError` once the node is stopped.
   */
  spawn(fn: ProcessFunction, options?: SpawnOptions): Pid {
    return this.#kernel.spawn(fn, options, undefined).pid;
  }

  /**
   * Runs `fn` in a new process and resolves with what it returns; rejects with a
   * `ProcessExitedError` (its `reason` the exit reason) if the process ends any other way.
   * The bridge from plain async code into processes.
   */
  run<T>(fn: (ctx: ProcessContext) => T | Promise<T>, options?: SpawnOptions): Promise<T> {
    expectFunction('fn', fn);
    let result: T;
    const name = fn.name || 'run';
    const body = {
      [name]: async (ctx: ProcessContext) => {
        result = await fn(ctx);
      },
    }[name] as ProcessFunction;
    const pid = this.spawn(body, options);
    return this.awaitExit(pid).then((reason) => {
      if (reason === 'normal') return result;
      throw new ProcessExitedError(pid, reason, isError(reason) ? { cause: reason } : undefined);
    });
  }

  /** Resolves with the exit reason of `pid` when it exits (`'noproc'` if it is not alive). */
  awaitExit(pid: Pid): Promise<ExitReason> {
    const process = expectPid('pid', pid).proc;
    if (process === null) return Promise.resolve('noproc');
    return new Promise((resolve) => {
      monitor((down) => resolve(down.reason), process, this.#kernel.makeRef(), undefined);
    });
  }

  /**
   * Watches a process (by pid or registered name) from outside any process: when it exits,
   * `onDown` is called once with the `DownMessage`. If it is not alive, `onDown` gets `'noproc'`
   * in a microtask. Cancel with `demonitor`. The primitive under calls, synchronous starts and
   * registries: it costs one map entry on each side and no process.
   */
  monitor(target: Pid | string, onDown: (down: DownMessage) => void): Ref {
    expectFunction('onDown', onDown);
    const ref = this.#kernel.makeRef();
    const name = typeof target === 'string' ? target : undefined;
    const process = name === undefined ? expectPid('target', target).proc : this.#kernel.names.get(expectName('target', name));
    if (process == null || process.kernel !== this.#kernel) {
      const pid = name === undefined ? (target as Pid) : undefined;
      queueMicrotask(() => onDown(new DownMessage(ref, pid, name, 'noproc')));
      return ref;
    }
    const watches = this.#watches;
    const watcher = (down: DownMessage): void => {
      watches.delete(ref);
      onDown(down);
    };
    watches.set(ref, watch(watcher, process, ref, name));
    return ref;
  }

  /** Cancels a `monitor` made through the node; returns whether it was still active. */
  demonitor(ref: Ref): boolean {
    const record = this.#watches.get(ref);
    if (record === undefined) return false;
    this.#watches.delete(ref);
    return unwatch(record);
  }

  /**
   * Tells the node that an OS resource is being released (a program being terminated, a socket
   * or file closing) because its owner exited: `stop()` resolves only once every such release
   * has settled, so that nothing of the node is left on the event loop when it does. For resource
   * layers built on the runtime; costs one set entry until `release` settles.
   */
  trackRelease(release: PromiseLike<unknown>): void {
    const releases = this.#kernel.releases;
    const settled: Promise<unknown> = Promise.resolve(release).then(
      () => releases.delete(settled),
      () => releases.delete(settled),
    );
    releases.add(settled);
  }

  /** Logs a report through the node's logger; a logger that throws never takes the caller down. */
  log(level: LogLevel, report: Report): void {
    logSafely(this.#kernel.logger, level, report);
  }

  /** Sends from outside any process; see `ProcessContext.send`. */
  send(dest: Pid | string, message: unknown): void {
    this.#kernel.send(dest, message);
  }

  /** Sends an exit signal from the node itself (its pid `<n.0.0>`); see `ProcessContext.exit`. */
  exit(pid: Pid, reason: ExitReason): void {
    sendExit(expectPid('pid', pid), this.#kernel.nodePid, reason);
  }

  /** Registers `pid` under `name`. Throws `NameInUseError`, `AlreadyRegisteredError` or `NotAliveError`. */
  register(name: string, pid: Pid): void {
    this.#kernel.register(name, pid);
  }

  /** Removes a name; throws `NotRegisteredError` if nobody holds it. */
  unregister(name: string): void {
    this.#kernel.unregister(name);
  }

  /** The pid registered under `name`, or undefined. */
  whereis(name: string): Pid | undefined {
    return this.#kernel.whereis(name);
  }

  /** All registered names. */
  registered(): string[] {
    return [...this.#kernel.names.keys()];
  }

  /** Whether `pid` names a live process. */
  isAlive(pid: Pid): boolean {
    return expectPid('pid', pid).proc !== null;
  }

  /** See `ProcessContext.sendAfter`. */
  sendAfter(ms: number, dest: Pid | string, message: unknown): Ref {
    return startProcessTimer(this.#kernel, ms, dest, message, false);
  }

  /** See `ProcessContext.startTimer`. */
  startTimer(ms: number, dest: Pid | string, message: unknown): Ref {
    return startProcessTimer(this.#kernel, ms, dest, message, true);
  }

  /** See `ProcessContext.cancelTimer`. */
  cancelTimer(ref: Ref): number | false {
    return cancelProcessTimer(this.#kernel, ref);
  }

  /** See `ProcessContext.readTimer`. */
  readTimer(ref: Ref): number | false {
    return readProcessTimer(this.#kernel, ref);
  }

  /**
   * Suspends a process (erlang:suspend_process): it is not run until resumed as often as it was
   * suspended; its messages keep queueing. Returns false if it is not alive.
   */
  suspend(pid: Pid): boolean {
    const process = this.#kernel.lookup(expectPid('pid', pid));
    if (process === undefined) return false;
    suspendProcess(process);
    return true;
  }

  /** Undoes one `suspend`. Returns false if it is not alive; throws `BadArgError` if it is not suspended. */
  resume(pid: Pid): boolean {
    const process = this.#kernel.lookup(expectPid('pid', pid));
    if (process === undefined) return false;
    resumeProcess(process);
    return true;
  }

  /** Pids of all live processes, in spawn order. O(n): it copies the whole list. */
  processes(): Pid[] {
    return Array.from(this.#kernel.table.values(), (process) => process.pid);
  }

  /**
   * A bounded snapshot of a process (see `ProcessInfo`), by pid, pid text or registered name;
   * undefined if it is not alive here. O(listLimit).
   */
  processInfo(target: Pid | string, options?: { readonly listLimit?: number }): ProcessInfo | undefined {
    const listLimit = options?.listLimit === undefined ? DEFAULT_LIST_LIMIT : expectCount('options.listLimit', options.listLimit, 0);
    const process = this.#find(target);
    return process === undefined ? undefined : snapshotProcess(process, listLimit);
  }

  /** A live view of one process, by pid, pid text or registered name; undefined if it is not alive here. */
  probe(target: Pid | string): ProcessProbe | undefined {
    const process = this.#find(target);
    return process === undefined ? undefined : new ProcessProbe(process);
  }

  #find(target: Pid | string): Process | undefined {
    let pid: Pid | undefined;
    if (target instanceof Pid) pid = target;
    else if (typeof target !== 'string') throw invalid('target', 'a Pid, pid text or registered name', target);
    else pid = target.startsWith('<') ? parsePid(target) : this.#kernel.whereis(target);
    return pid === undefined ? undefined : this.#kernel.lookup(pid);
  }

  /**
   * Visits every live process, in spawn order, through one `ProcessProbe` re-pointed at each (so
   * a scan allocates nothing per process). `visit` returning `false` ends the scan early. O(n) in
   * live processes; processes that exit during the scan are skipped. Returns how many were visited.
   */
  scanProcesses(visit: (probe: ProcessProbe) => boolean | void): number {
    expectFunction('visit', visit);
    let probe: ProcessProbe | undefined;
    return this.#kernel.table.forEach((process) => {
      if (probe === undefined) probe = new ProcessProbe(process);
      else pointProbe(probe, process);
      return visit(probe);
    });
  }

  /**
   * Counters of the node's whole life, as `erlang:statistics/1`: processes spawned and exited, and
   * reductions of all processes, exited ones included. O(n) in live processes (it sums their
   * reductions).
   */
  statistics(): NodeStatistics {
    const kernel = this.#kernel;
    let reductions = kernel.exitedReductions;
    kernel.table.forEach((process) => void (reductions += process.reductions));
    return {
      processCount: kernel.table.size,
      spawned: kernel.spawnedCount,
      exited: kernel.exitedCount,
      reductions,
      runQueueLength: scheduler.runQueueLength,
      uptimeMs: kernel.uptime(),
    };
  }

  /**
   * Installs what the node watches for, as `erlang:system_monitor/2`: long schedules, long
   * message queues and busy ports (see `SystemWatch`); `undefined` stops watching. One watch per
   * node: installing replaces the previous one, which is returned. Most users want the medic's
   * `systemMonitor`, which delivers the events to a process, rate-bounded.
   */
  watchSystem(watch: SystemWatch | undefined): SystemWatch | undefined {
    if (watch !== undefined) expectSystemWatch(watch);
    return setSystemWatch(this.#kernel, watch);
  }

  /**
   * Starts (or, with false, stops) measuring how long each process runs, for `top`'s run-time
   * column: the same stretch measurement as long-schedule watching, with its cost (two clock
   * readings per runtime call) while anyone has it on. Calls are counted: each `true` needs its
   * `false`. Affects every node of this thread.
   */
  accountRuntime(on: boolean): void {
    accountRuntime(expectBoolean('on', on));
  }

  /**
   * For resource implementations: tells the node's system watch that `pid` is made to wait
   * because the port or socket it writes to is busy. Does nothing unless busy ports are watched.
   */
  notifyBusyPort(pid: Pid, port: unknown, description: string): void {
    if (this.#kernel.systemWatch?.busyPort !== true) return;
    emitSystemEvent(this.#kernel, { kind: 'busy_port', pid, port, description });
  }

  /**
   * Stops the node in an orderly way, top down: in rounds, the root processes (spawned from
   * outside any process, or orphaned) get `'shutdown'` from the node, newest first, and each
   * round waits for its roots to exit; whatever outlives `timeout` is killed. Resolves when
   * nothing of the node remains to keep the event loop alive. Calling it again returns the same
   * promise.
   */
  stop(options?: StopOptions): Promise<void> {
    if (this.#stopping === undefined) {
      const timeout = options?.timeout === undefined ? 5000 : expectDelay('options.timeout', options.timeout);
      this.#removeSignalHandlers?.();
      const exitCode = options?.exitCode === undefined ? undefined : expectCount('options.exitCode', options.exitCode, 0);
      this.#stopping = stopKernel(this.#kernel, timeout);
      if (exitCode !== undefined && this.#ownsProcess) void this.#stopping.then(() => exitSoon(exitCode));
    }
    return this.#stopping;
  }
}

/** Creates a node. Throws `NodeNameInUseError` if a running node of this Node.js process has the name. */
export function createNode(options?: NodeOptions): BeamishNode {
  return new BeamishNode(options);
}

/**
 * Reads pid text (`<0.42.0>`) back into a pid of the node it names in this Node.js process:
 * the live process's own pid, or a pid that is not alive. Throws `TypeError` for text that is not
 * a pid and `UnknownNodeError` for a node index no running node has.
 */
export function parsePid(text: string): Pid {
  const parts = typeof text === 'string' ? splitPidText(text) : undefined;
  if (parts === undefined) throw invalid('text', 'pid text such as <0.42.0>', text);
  const kernel = nodeByIndex(parts.index);
  if (kernel === undefined) throw new UnknownNodeError(text);
  return kernel.table.get(parts.id)?.pid ?? (parts.id === 0 ? kernel.nodePid : new Pid(kernel.identity, parts.id, null));
}

/**
 * The running node of this Node.js process that `pid` belongs to, or undefined when that node has
 * stopped. Lets code holding only a pid (a reply handle, a registry) reach its node.
 */
export function nodeOf(pid: Pid): BeamishNode | undefined {
  return nodeOfPid(expectPid('pid', pid))?.node;
}
