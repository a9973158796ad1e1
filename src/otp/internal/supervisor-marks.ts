import { nodeOf, type BeamishNode, type Pid, type ProcessContext } from '../../runtime/index.js';
import { NotASupervisorError } from '../errors.js';
import type { GenServerSpec } from '../gen-server.js';
import { whereisLive, type ServerRef } from '../server-ref.js';
import { startBehaviour, type StartOptions, type StartResult } from '../start.js';
import { genServerBody } from './gen-server-loop.js';

/** Which supervisor behaviour a process runs (a `Task.Supervisor` is a `DynamicSupervisor`). */
export type SupervisorKind = 'Supervisor' | 'DynamicSupervisor';

/*
 * The live supervisors of each node, marked from their spawn until their exit: what tells a
 * supervisor from any other process without sending it anything (OTP reads `$initial_call`; a
 * label can be changed by its starter, this mark cannot). One node-level monitor per supervisor
 * removes the mark.
 */
const marks = new WeakMap<BeamishNode, Map<Pid, SupervisorKind>>();

function mark(node: BeamishNode, pid: Pid, kind: SupervisorKind): void {
  let onNode = marks.get(node);
  if (onNode === undefined) marks.set(node, (onNode = new Map()));
  const live = onNode;
  live.set(pid, kind);
  node.monitor(pid, () => live.delete(pid));
}

/** @internal Starts a supervisor behaviour process, marked as `kind` as soon as it is spawned. */
export function startSupervisorServer<A>(
  linkTo: ProcessContext | undefined,
  kind: SupervisorKind,
  spec: GenServerSpec<A, any, any, any, any>,
  arg: A,
  options: StartOptions | undefined,
): Promise<StartResult> {
  const label = options?.label ?? kind;
  return startBehaviour(linkTo, { ...options, label }, undefined, genServerBody(spec, arg, options?.name), (pid, node) => mark(node, pid, kind));
}

/** @internal The kind of supervisor the live process `pid` is, or undefined. O(1). */
export function supervisorKindOf(pid: Pid): SupervisorKind | undefined {
  const node = nodeOf(pid);
  return node === undefined ? undefined : marks.get(node)?.get(pid);
}

/** @internal The live supervisors of `node`, oldest first. O(supervisors). */
export function supervisorsOn(node: BeamishNode): Pid[] {
  return [...(marks.get(node)?.keys() ?? [])];
}

/**
 * @internal Throws `NotASupervisorError` when `server` names a live process that is not a
 * supervisor, so that a supervisor request is never sent to a process that would crash on it.
 * A reference to nobody passes: the call then fails with `CallExitError` (`'noproc'`) as any call.
 */
export function expectSupervisor(server: ServerRef): void {
  const pid = whereisLive(server);
  if (pid !== undefined && supervisorKindOf(pid) === undefined) throw new NotASupervisorError(server);
}
