import { invalidArgument, type BeamishNode, type Pid, type Ref, type SystemWatchEvent } from '../runtime/index.js';
import { gcTracker, type GcEvent } from './internal/gc-tracker.js';
import { nodeOf, type MedicOptions } from './options.js';
import { ProcessMemoryEstimator } from './process-memory.js';

/** What the system monitor watches for (as `erlang:system_monitor/2`'s options). */
export interface SystemMonitorSettings {
  /** A process ran this many ms without calling the runtime. Costs two clock readings per runtime call. */
  readonly longScheduleMs?: number;
  /** A collection paused the thread this many ms. */
  readonly longGcMs?: number;
  /** A process's memory estimate reached this many bytes (checked every `largeHeapCheckMs`, default 1000). */
  readonly largeHeapBytes?: number;
  readonly largeHeapCheckMs?: number;
  /** A mailbox reached `enable` messages; and again when it is back to `disable` (OTP 27). */
  readonly longMessageQueue?: { readonly disable: number; readonly enable: number };
  /** A process was suspended on a busy port or socket. */
  readonly busyPort?: boolean;
  /** Most events delivered per second (default 100); the rest are counted and dropped. */
  readonly maxEventsPerSecond?: number;
}

/**
 * An event the system monitor delivers to its subscriber, as `{monitor, Pid, Kind, Info}`.
 * `pid` is undefined for `long_gc` (V8 collects one heap for all processes). `dropped` counts the
 * events dropped by the rate bound since the previous delivered one.
 */
export class SystemMonitorMessage {
  constructor(
    readonly kind: 'long_schedule' | 'long_gc' | 'large_heap' | 'long_message_queue' | 'busy_port',
    readonly pid: Pid | undefined,
    readonly info: Readonly<Record<string, unknown>>,
    readonly dropped: number,
  ) {}
}

/** Most events waiting for delivery at once; past it they are dropped (and counted). */
const PENDING_LIMIT = 1000;

class ActiveMonitor {
  readonly #node: BeamishNode;
  readonly subscriber: Pid;
  readonly settings: SystemMonitorSettings;
  readonly #downRef: Ref;
  readonly #stopGc: (() => void) | undefined;
  readonly #heapTimer: NodeJS.Timeout | undefined;
  readonly #largeHeaps = new Set<Pid>();
  readonly #maxPerSecond: number;
  #tokens: number;
  #refilledAt = performance.now();
  #dropped = 0;
  #pending: SystemMonitorMessage[] = [];
  #flushScheduled = false;

  constructor(node: BeamishNode, subscriber: Pid, settings: SystemMonitorSettings, onSubscriberDown: () => void) {
    this.#node = node;
    this.subscriber = subscriber;
    this.settings = settings;
    this.#maxPerSecond = settings.maxEventsPerSecond ?? 100;
    this.#tokens = this.#maxPerSecond;
    this.#downRef = node.monitor(subscriber, onSubscriberDown);
    node.watchSystem({
      longScheduleMs: settings.longScheduleMs,
      longMessageQueue: settings.longMessageQueue,
      busyPort: settings.busyPort,
      onEvent: (event) => this.#fromRuntime(event),
    });
    const longGc = settings.longGcMs;
    if (longGc !== undefined) {
      this.#stopGc = gcTracker.listen((event: GcEvent) => {
        if (event.durationMs >= longGc) this.#queue(new SystemMonitorMessage('long_gc', undefined, { timeMs: Math.round(event.durationMs), kind: event.kind }, 0));
      });
    }
    const largeHeap = settings.largeHeapBytes;
    if (largeHeap !== undefined) {
      this.#heapTimer = setInterval(() => this.#checkHeaps(largeHeap), settings.largeHeapCheckMs ?? 1000);
      this.#heapTimer.unref();
    }
  }

  #fromRuntime(event: SystemWatchEvent): void {
    switch (event.kind) {
      case 'long_schedule':
        this.#queue(new SystemMonitorMessage('long_schedule', event.pid, { timeMs: event.timeMs, location: event.location }, 0));
        return;
      case 'long_message_queue':
        this.#queue(new SystemMonitorMessage('long_message_queue', event.pid, { long: event.long, queueLength: event.queueLength }, 0));
        return;
      case 'busy_port':
        this.#queue(new SystemMonitorMessage('busy_port', event.pid, { port: event.port, description: event.description }, 0));
        return;
    }
  }

  /** Reports each process once when its estimate crosses the threshold, and again only after it fell below. */
  #checkHeaps(threshold: number): void {
    const estimator = new ProcessMemoryEstimator();
    const over = new Set<Pid>();
    this.#node.scanProcesses((probe) => {
      const bytes = estimator.total(probe);
      if (bytes < threshold) return;
      over.add(probe.pid);
      if (!this.#largeHeaps.has(probe.pid)) this.#queue(new SystemMonitorMessage('large_heap', probe.pid, { bytes, location: probe.currentLocation }, 0));
    });
    this.#largeHeaps.clear();
    for (const pid of over) this.#largeHeaps.add(pid);
  }

  /** Events are queued where they happen and delivered from a microtask, never inside the runtime's own work. */
  #queue(message: SystemMonitorMessage): void {
    if (!this.#take() || this.#pending.length >= PENDING_LIMIT) {
      this.#dropped++;
      return;
    }
    const dropped = this.#dropped;
    this.#dropped = 0;
    this.#pending.push(dropped === 0 ? message : new SystemMonitorMessage(message.kind, message.pid, message.info, dropped));
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    queueMicrotask(() => this.#flush());
  }

  #take(): boolean {
    const now = performance.now();
    this.#tokens = Math.min(this.#maxPerSecond, this.#tokens + ((now - this.#refilledAt) * this.#maxPerSecond) / 1000);
    this.#refilledAt = now;
    if (this.#tokens < 1) return false;
    this.#tokens--;
    return true;
  }

  #flush(): void {
    this.#flushScheduled = false;
    const pending = this.#pending;
    this.#pending = [];
    for (const message of pending) this.#node.send(this.subscriber, message);
  }

  stop(): void {
    this.#node.demonitor(this.#downRef);
    this.#node.watchSystem(undefined);
    this.#stopGc?.();
    if (this.#heapTimer !== undefined) clearInterval(this.#heapTimer);
    this.#pending = [];
  }
}

const monitors = new WeakMap<BeamishNode, ActiveMonitor>();

function expectSettings(settings: SystemMonitorSettings): void {
  if (typeof settings !== 'object' || settings === null) throw invalidArgument('settings', 'an object', settings);
  for (const key of ['longScheduleMs', 'longGcMs', 'largeHeapBytes', 'largeHeapCheckMs', 'maxEventsPerSecond'] as const) {
    const value = settings[key];
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value) || value < (key === 'largeHeapCheckMs' || key === 'maxEventsPerSecond' ? 1 : 0))) {
      throw invalidArgument(`settings.${key}`, 'a finite number (at least 1 for rates and intervals)', value);
    }
  }
}

/**
 * Makes `subscriber` the node's system monitor (`erlang:system_monitor/2`): it receives a
 * `SystemMonitorMessage` for each long schedule, long collection, large process, long message
 * queue (and its end) and busy port, per `settings`, at most `maxEventsPerSecond` (the rest are
 * counted in the next message's `dropped`), so it can never be flooded. One monitor per node:
 * this replaces the previous one, whose settings are returned. The subscriber's exit removes the
 * monitor. `systemMonitor(undefined)` removes it. Costs: see each setting.
 */
export function systemMonitor(
  subscriber: Pid | undefined,
  settings: SystemMonitorSettings = {},
  options?: MedicOptions,
): { readonly subscriber: Pid; readonly settings: SystemMonitorSettings } | undefined {
  const node = nodeOf(options);
  const previous = monitors.get(node);
  if (subscriber !== undefined) {
    expectSettings(settings);
    if (!node.isAlive(subscriber)) throw invalidArgument('subscriber', 'a live process of this node', subscriber);
  }
  previous?.stop();
  monitors.delete(node);
  if (subscriber !== undefined) {
    const active: ActiveMonitor = new ActiveMonitor(node, subscriber, settings, () => {
      if (monitors.get(node) !== active) return;
      active.stop();
      monitors.delete(node);
    });
    monitors.set(node, active);
  }
  return previous === undefined ? undefined : { subscriber: previous.subscriber, settings: previous.settings };
}

/** The node's system monitor now, if any (`erlang:system_monitor/0`). */
export function currentSystemMonitor(options?: MedicOptions): { readonly subscriber: Pid; readonly settings: SystemMonitorSettings } | undefined {
  const active = monitors.get(nodeOf(options));
  return active === undefined ? undefined : { subscriber: active.subscriber, settings: active.settings };
}
