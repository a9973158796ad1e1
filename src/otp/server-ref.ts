import { defaultNode, nodeOf, Pid, type BeamishNode } from '../runtime/index.js';

/**
 * A name registry for `via` names, as OTP's `{via, Module, Name}`: any key type, any storage.
 * `registerName` must be atomic (false when the key is taken), and the registry removes a
 * process's names when it exits (`createRegistry` does).
 */
export interface Registry<K = unknown> {
  registerName(key: K, pid: Pid): boolean;
  unregisterName(key: K): void;
  whereisName(key: K): Pid | undefined;
}

/** A server registered in a `Registry`. */
export interface ViaName<K = unknown> {
  readonly via: Registry<K>;
  readonly name: K;
}

/** A server registered under a local name on a node other than the default one. */
export interface NodeName {
  readonly name: string;
  readonly node: BeamishNode;
}

/**
 * How a behaviour process is addressed: its pid, a name registered on the default node, a
 * `{ name, node }`, or a `{ via, name }`.
 */
export type ServerRef = Pid | string | NodeName | ViaName;

/** The name a behaviour registers under when it starts. */
export type ServerName = string | ViaName;

/** @internal The live pid a server reference names now, or undefined. */
export function whereisServer(server: ServerRef): Pid | undefined {
  if (server instanceof Pid) return server;
  if (typeof server === 'string') return defaultNode().whereis(server);
  if (typeof server === 'object' && server !== null) {
    if ('via' in server) return server.via.whereisName(server.name);
    if ('node' in server && typeof server.name === 'string') return server.node.whereis(server.name);
  }
  throw new TypeError(`Expected \`server\` to be a Pid, a name, { name, node } or { via, name }, got \`${String(server)}\``);
}

/** @internal The pid a server reference names, if that process is alive now. */
export function whereisLive(server: ServerRef): Pid | undefined {
  const pid = whereisServer(server);
  return pid !== undefined && nodeOf(pid)?.isAlive(pid) === true ? pid : undefined;
}

/** @internal Sends `message` to the server if it is alive; does nothing otherwise (a cast never fails). */
export function sendIfAlive(server: ServerRef, message: unknown): void {
  const pid = whereisLive(server);
  if (pid !== undefined) nodeOf(pid)!.send(pid, message);
}
