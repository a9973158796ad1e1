import type { Pid, ProcessContext } from '../runtime/index.js';
import type { StartResult } from './start.js';

/** When a supervisor restarts a child: always, only after an abnormal exit, or never. */
export type RestartType = 'permanent' | 'transient' | 'temporary';

/**
 * How a supervisor stops a child: `'brutal_kill'` (exit `'kill'`), a number of ms to wait after
 * exit `'shutdown'` before killing, or `'infinity'` (wait for as long as it takes; the default for
 * supervisors, whose children need the time).
 */
export type Shutdown = 'brutal_kill' | number | 'infinity';

/**
 * How to start a child, linked to the supervisor whose `ctx` it is given: a behaviour's
 * `startLink(ctx, …)` (a `StartResult`), or a plain `ctx.spawnLink(…)` (a `Pid`).
 */
export type ChildStart = (ctx: ProcessContext) => StartResult | Pid | Promise<StartResult | Pid>;

/** A child specification, as OTP's `child_spec()` map. */
export interface ChildSpec {
  /** Names the child within its supervisor: unique there, any value (usually a string). */
  readonly id: unknown;
  readonly start: ChildStart;
  /** Default `'permanent'`. */
  readonly restart?: RestartType;
  /** Default 5000 for a worker, `'infinity'` for a supervisor. */
  readonly shutdown?: Shutdown;
  /** Default `'worker'`. */
  readonly type?: 'worker' | 'supervisor';
  /**
   * With the supervisor's `autoShutdown`, this child's exit may stop the supervisor. Only
   * `transient` and `temporary` children may be significant.
   */
  readonly significant?: boolean;
}

/** A child as `whichChildren` lists it: its pid, or `'restarting'`, or undefined when not running. */
export interface ChildInfo {
  readonly id: unknown;
  readonly pid: Pid | 'restarting' | undefined;
  readonly type: 'worker' | 'supervisor';
}

/** What `countChildren` returns, as OTP's `count_children/1`. */
export interface ChildCounts {
  readonly specs: number;
  readonly active: number;
  readonly supervisors: number;
  readonly workers: number;
}
