/**
 * Leak suspects among supervisors: which supervisors of a node have the most children. A dynamic
 * supervisor whose children are started and never end (a connection per client that never closes,
 * a job per request that never finishes) grows without bound; ranking supervisors by their
 * children is how *Erlang in Anger* finds it.
 */
import { CallExitError, CallTimeoutError, NotASupervisorError, Supervisor, type ChildCounts, type SupervisorKind } from '../otp/index.js';
import type { Pid } from '../runtime/index.js';
import { abortable, checkOptions } from './internal/structure-options.js';
import { expectRows } from './options.js';
import type { StructureOptions } from './structure.js';

/** Options of `supervisorChildCounts`. */
export interface SupervisorChildCountsOptions extends StructureOptions {
  /** The count to rank by. Default `'specs'` (every child the supervisor keeps, running or not). */
  readonly by?: keyof ChildCounts;
}

/** A supervisor and its children's counts, as `Supervisor.countChildren` gives them. */
export interface SupervisorChildCount extends ChildCounts {
  readonly pid: Pid;
  readonly name: string | undefined;
  readonly label: string | undefined;
  readonly kind: SupervisorKind;
}

/** A supervisor that did not answer within the timeout: hung, suspended, or too busy to say. */
export interface SupervisorNoAnswer {
  readonly pid: Pid;
  readonly name: string | undefined;
  readonly label: string | undefined;
  readonly kind: SupervisorKind;
}

/** What `supervisorChildCounts` found. */
export interface SupervisorChildCounts {
  readonly node: string;
  readonly by: keyof ChildCounts;
  /** The top `n` supervisors by `by`, most first; ties in start order. */
  readonly top: readonly SupervisorChildCount[];
  /** Supervisors asked (those that died meanwhile are not counted anywhere else). */
  readonly examined: number;
  /** Up to `n` of the supervisors that did not answer in time, oldest first. */
  readonly unanswered: readonly SupervisorNoAnswer[];
  /** How many did not answer in time. */
  readonly unansweredCount: number;
}

const COUNTS: readonly (keyof ChildCounts)[] = ['specs', 'active', 'supervisors', 'workers'];

type Answer = { readonly counts: ChildCounts } | { readonly counts: undefined; readonly timedOut: boolean };

async function countsOf(pid: Pid, timeout: number): Promise<Answer> {
  try {
    return { counts: await Supervisor.countChildren(pid, timeout) };
  } catch (error) {
    if (error instanceof CallTimeoutError) return { counts: undefined, timedOut: true };
    if (error instanceof CallExitError || error instanceof NotASupervisorError) return { counts: undefined, timedOut: false };
    throw error;
  }
}

/**
 * The `n` supervisors of a node with the most children, recon-style: every `Supervisor`,
 * `DynamicSupervisor` and `Task.Supervisor` alive is asked `countChildren`, ranked by
 * `options.by`. Supervisors are found by the mark they carry from their spawn
 * (`Supervisor.whichSupervisors`), not by scanning processes or trusting labels.
 *
 * **Cost.** Finding them is O(supervisors) and sends nothing. Then one `countChildren` call per
 * supervisor — O(its children) inside it — all at once, each bounded by `options.timeout`, so the
 * whole takes at most one timeout; memory is O(supervisors) while it runs. Supervisors that die
 * meanwhile are skipped; those that do not answer are listed apart. Rejects only for bad
 * arguments (`TypeError`), or with the signal's reason when aborted.
 *
 * @example
 * const { top } = await supervisorChildCounts(5, { by: 'active', timeout: 1000 });
 */
export async function supervisorChildCounts(n: number, options?: SupervisorChildCountsOptions): Promise<SupervisorChildCounts> {
  const limit = expectRows('n', n);
  const { node, timeout, signal } = checkOptions(options, 5000);
  const by = options?.by ?? 'specs';
  if (!COUNTS.includes(by)) throw new TypeError(`Expected \`options.by\` to be 'specs', 'active', 'supervisors' or 'workers', got \`${String(by)}\``);
  signal?.throwIfAborted();
  // Who each one is, taken before asking: a supervisor that answers and dies keeps its row.
  const supervisors: SupervisorNoAnswer[] = [];
  for (const pid of Supervisor.whichSupervisors({ node })) {
    const kind = Supervisor.kindOf(pid);
    const info = node.processInfo(pid, { listLimit: 0 });
    if (kind !== undefined && info !== undefined) supervisors.push({ pid, name: info.registeredName, label: info.label, kind });
  }
  const answers = await abortable(Promise.all(supervisors.map((who) => countsOf(who.pid, timeout))), signal);
  const top: SupervisorChildCount[] = [];
  const unanswered: SupervisorNoAnswer[] = [];
  let unansweredCount = 0;
  answers.forEach((answer, i) => {
    const who = supervisors[i]!;
    if (answer.counts !== undefined) top.push({ ...who, ...answer.counts });
    else if (answer.timedOut && ++unansweredCount <= limit) unanswered.push(who);
  });
  // Stable sort: ties keep start order.
  top.sort((a, b) => b[by] - a[by]);
  return { node: node.name, by, top: top.slice(0, limit), examined: supervisors.length, unanswered, unansweredCount };
}
