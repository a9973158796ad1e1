import { formatTerm, invalidArgument, type Pid } from '../runtime/index.js';
import { expectRows, nodeOf, type MedicOptions } from './options.js';
import { ProcessMemoryEstimator, type ProcessMemory } from './process-memory.js';

/** recon's `info/2` categories. */
export type InfoCategory = 'meta' | 'signals' | 'location' | 'memory_used' | 'work';

/** A process's figures by recon's categories. Lists are bounded (their counts give the full size); no mailbox contents. */
export interface ProcessDetails {
  readonly pid: Pid;
  readonly meta: {
    readonly registeredName: string | undefined;
    readonly label: string | undefined;
    readonly status: string;
    readonly parent: Pid | undefined;
    readonly spawnedAt: number;
  };
  readonly signals: {
    readonly links: readonly Pid[];
    readonly linkCount: number;
    readonly monitors: readonly Pid[];
    readonly monitorCount: number;
    readonly monitoredBy: readonly (Pid | 'node')[];
    readonly monitoredByCount: number;
    readonly trapExit: boolean;
  };
  readonly location: { readonly initialCall: string; readonly currentLocation: string };
  readonly memory_used: {
    readonly memory: ProcessMemory;
    readonly messageQueueLength: number;
    readonly mailboxLimit: number | undefined;
    readonly timerCount: number;
  };
  readonly work: { readonly reductions: number; readonly messagesIn: number; readonly messagesOut: number };
}

const CATEGORIES: readonly InfoCategory[] = ['meta', 'signals', 'location', 'memory_used', 'work'];
const LIST_LIMIT = 20;

/** A target of `info`: a pid, its text (`'<0.42.0>'`) or a registered name. */
export type ProcessTarget = Pid | string;

/**
 * What a process is and does (recon's `info/1,2`): all categories, or one. A process that is not
 * alive gives `undefined`, never an error. O(1) apart from the memory estimate (bounded) and the
 * lists (at most 20 entries each). Never includes mailbox contents: that is `mailboxSample`.
 */
export function info(target: ProcessTarget, options?: MedicOptions): ProcessDetails | undefined;
export function info<C extends InfoCategory>(target: ProcessTarget, category: C, options?: MedicOptions): ProcessDetails[C] | undefined;
export function info(target: ProcessTarget, categoryOrOptions?: InfoCategory | MedicOptions, maybeOptions?: MedicOptions): unknown {
  const category = typeof categoryOrOptions === 'string' ? categoryOrOptions : undefined;
  const options = typeof categoryOrOptions === 'string' ? maybeOptions : categoryOrOptions;
  if (category !== undefined && !CATEGORIES.includes(category)) throw invalidArgument('category', `one of ${CATEGORIES.join(', ')}`, category);
  const node = nodeOf(options);
  const snapshot = node.processInfo(target, { listLimit: LIST_LIMIT });
  const probe = node.probe(target);
  if (snapshot === undefined || probe === undefined) return undefined;
  const details: ProcessDetails = {
    pid: snapshot.pid,
    meta: { registeredName: snapshot.registeredName, label: snapshot.label, status: snapshot.status, parent: snapshot.parent, spawnedAt: snapshot.spawnedAt },
    signals: {
      links: snapshot.links,
      linkCount: snapshot.linkCount,
      monitors: snapshot.monitors.map((monitor) => monitor.pid),
      monitorCount: snapshot.monitorCount,
      monitoredBy: snapshot.monitoredBy,
      monitoredByCount: snapshot.monitoredByCount,
      trapExit: snapshot.trapExit,
    },
    location: { initialCall: snapshot.initialCall, currentLocation: snapshot.currentLocation },
    memory_used: {
      memory: new ProcessMemoryEstimator().estimate(probe),
      messageQueueLength: snapshot.messageQueueLength,
      mailboxLimit: snapshot.mailboxLimit,
      timerCount: snapshot.timerCount,
    },
    work: { reductions: snapshot.reductions, messagesIn: snapshot.messagesIn, messagesOut: snapshot.messagesOut },
  };
  return category === undefined ? details : details[category];
}

/** The oldest messages of a mailbox, as text, and how many there are in all. */
export interface MailboxSample {
  readonly messageQueueLength: number;
  readonly messages: readonly string[];
}

/**
 * The oldest `n` messages (at most 100) of a process's mailbox, each formatted and cut to
 * `maxLength` characters (default 200): the explicit, bounded look at mailbox contents that
 * `info` never takes. Nothing is copied or removed. undefined if the process is not alive.
 */
export function mailboxSample(target: ProcessTarget, n: number, options?: MedicOptions & { readonly maxLength?: number }): MailboxSample | undefined {
  const count = expectRows('n', n);
  if (count > 100) throw invalidArgument('n', 'a whole number from 0 to 100', n);
  const maxLength = options?.maxLength ?? 200;
  const probe = nodeOf(options).probe(target);
  if (probe === undefined) return undefined;
  return { messageQueueLength: probe.messageQueueLength, messages: probe.peekMailbox(count).map((message) => formatTerm(message, maxLength)) };
}

/** Memory estimate of one process, by part; undefined if it is not alive. */
export function processMemory(target: ProcessTarget, options?: MedicOptions): ProcessMemory | undefined {
  const probe = nodeOf(options).probe(target);
  return probe === undefined ? undefined : new ProcessMemoryEstimator().estimate(probe);
}
