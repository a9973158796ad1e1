import { BeamishError } from './errors.js';
import type { ProcessInfo } from './info.js';
import { createNode, type BeamishNode, type NodeOptions } from './node.js';
import type { Pid } from './pid.js';
import type { ExitReason } from './reasons.js';
import type { Ref } from './ref.js';
import type { ProcessContext, ProcessFunction, SpawnOptions } from './context.js';

/*
 * The default node, so that small programs need no set-up: the top-level functions below act on
 * it, and it is created on first use. It stops in order on SIGTERM/SIGINT unless configured not
 * to. Once stopped, the next use creates a fresh one.
 */

let current: BeamishNode | undefined;
let defaults: NodeOptions = { handleSignals: true };

/** The default node, created on first use (again after it was stopped). */
export function defaultNode(): BeamishNode {
  if (current === undefined || current.state === 'stopped') current = createNode(defaults);
  return current;
}

/**
 * Sets the options the default node is created with, e.g. `{ handleSignals: false }` to keep
 * SIGTERM/SIGINT to yourself. Throws if the default node is already running.
 */
export function configureDefaultNode(options: NodeOptions): void {
  if (current !== undefined && current.state !== 'stopped') {
    throw new BeamishError('default_node_running', 'configureDefaultNode must be called before the default node is first used');
  }
  defaults = { handleSignals: true, ...options };
}

/** Starts a process on the default node; see `BeamishNode.spawn`. */
export function spawn(fn: ProcessFunction, options?: SpawnOptions): Pid {
  return defaultNode().spawn(fn, options);
}

/** Runs `fn` in a process of the default node and resolves with its result; see `BeamishNode.run`. */
export function run<T>(fn: (ctx: ProcessContext) => T | Promise<T>, options?: SpawnOptions): Promise<T> {
  return defaultNode().run(fn, options);
}

/** Resolves with the exit reason of `pid`; see `BeamishNode.awaitExit`. */
export function awaitExit(pid: Pid): Promise<ExitReason> {
  return defaultNode().awaitExit(pid);
}

/** Sends from outside any process; see `ProcessContext.send`. */
export function send(dest: Pid | string, message: unknown): void {
  defaultNode().send(dest, message);
}

/** Sends an exit signal from the default node; see `BeamishNode.exit`. */
export function exit(pid: Pid, reason: ExitReason): void {
  defaultNode().exit(pid, reason);
}

/** See `BeamishNode.register`. */
export function register(name: string, pid: Pid): void {
  defaultNode().register(name, pid);
}

/** See `BeamishNode.unregister`. */
export function unregister(name: string): void {
  defaultNode().unregister(name);
}

/** See `BeamishNode.whereis`. */
export function whereis(name: string): Pid | undefined {
  return defaultNode().whereis(name);
}

/** See `BeamishNode.registered`. */
export function registered(): string[] {
  return defaultNode().registered();
}

/** Whether `pid` names a live process (of any node). */
export function isAlive(pid: Pid): boolean {
  return defaultNode().isAlive(pid);
}

/** See `ProcessContext.sendAfter`. */
export function sendAfter(ms: number, dest: Pid | string, message: unknown): Ref {
  return defaultNode().sendAfter(ms, dest, message);
}

/** See `ProcessContext.startTimer`. */
export function startTimer(ms: number, dest: Pid | string, message: unknown): Ref {
  return defaultNode().startTimer(ms, dest, message);
}

/** See `ProcessContext.cancelTimer`. */
export function cancelTimer(ref: Ref): number | false {
  return defaultNode().cancelTimer(ref);
}

/** See `ProcessContext.readTimer`. */
export function readTimer(ref: Ref): number | false {
  return defaultNode().readTimer(ref);
}

/** Pids of the default node's live processes; O(n). */
export function processes(): Pid[] {
  return defaultNode().processes();
}

/** See `BeamishNode.processInfo`. */
export function processInfo(target: Pid | string, options?: { readonly listLimit?: number }): ProcessInfo | undefined {
  return defaultNode().processInfo(target, options);
}
