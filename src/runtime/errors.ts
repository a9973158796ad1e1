import type { Pid } from './pid.js';
import type { ExitReason } from './reasons.js';

/** Every error Beamish raises on purpose: a stable `code` to branch on, and the cause kept. */
export class BeamishError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** A limit of the node was reached, as Erlang's `system_limit` (too many processes, say). */
export class SystemLimitError extends BeamishError {
  readonly limit: string;
  readonly max: number;

  constructor(limit: string, max: number) {
    super('system_limit', `The node's limit of ${max} ${limit} is reached`);
    this.limit = limit;
    this.max = max;
  }
}

/** A call was given an argument that is well-typed but wrong for the node's state (Erlang's `badarg`). */
export class BadArgError extends BeamishError {}

/** `register` was asked for a name another process holds. */
export class NameInUseError extends BadArgError {
  readonly registeredName: string;

  constructor(name: string) {
    super('name_in_use', `The name '${name}' is already registered to another process`);
    this.registeredName = name;
  }
}

/** `register` was asked to name a process that already has a name. */
export class AlreadyRegisteredError extends BadArgError {
  readonly pid: Pid;
  readonly registeredName: string;

  constructor(pid: Pid, name: string) {
    super('already_registered', `${pid} is already registered as '${name}'`);
    this.pid = pid;
    this.registeredName = name;
  }
}

/** The process named in the call has exited or never existed. */
export class NotAliveError extends BadArgError {
  readonly pid: Pid;

  constructor(pid: Pid) {
    super('not_alive', `${pid} is not alive`);
    this.pid = pid;
  }
}

/** No process is registered under the name given (sending to it, unregistering it). */
export class NotRegisteredError extends BadArgError {
  readonly registeredName: string;

  constructor(name: string) {
    super('not_registered', `No process is registered as '${name}'`);
    this.registeredName = name;
  }
}

/** `link` to a process that does not exist, from a process that does not trap exits. */
export class NoProcError extends BeamishError {
  readonly pid: Pid;

  constructor(pid: Pid) {
    super('noproc', `${pid} does not exist`);
    this.pid = pid;
  }
}

/** A process called `receive` while one of its receives was still waiting. */
export class ReceiveInProgressError extends BeamishError {
  constructor(pid: Pid) {
    super('receive_in_progress', `${pid} called receive while another receive of it is still waiting`);
  }
}

/** The node has been stopped (or is being stopped) and takes no new processes. */
export class NodeStoppedError extends BeamishError {
  constructor(node: string) {
    super('node_stopped', `Node ${node} is stopped`);
  }
}

/** A node of that name already runs in this Node.js process. */
export class NodeNameInUseError extends BeamishError {
  constructor(node: string) {
    super('node_name_in_use', `A node named ${node} is already running in this Node.js process`);
  }
}

/** Pid text names a node this Node.js process does not run. */
export class UnknownNodeError extends BeamishError {
  constructor(text: string) {
    super('unknown_node', `${text} names a node that is not running in this Node.js process`);
  }
}

/**
 * A process has exited. It is the reason its AbortSignal is aborted with, and what `run` rejects
 * with when the process did not end normally; `reason` is the exit reason.
 */
export class ProcessExitedError extends BeamishError {
  readonly pid: Pid;
  readonly reason: ExitReason;

  constructor(pid: Pid, reason: ExitReason, options?: ErrorOptions) {
    super('process_exited', `${pid} exited`, options);
    this.pid = pid;
    this.reason = reason;
  }
}

/**
 * Thrown by `ctx.exit(reason)` to end the calling process with `reason`, as Erlang's `exit/1`.
 * Code that catches everything should rethrow it (see `isExitSignal`).
 */
export class ExitSignal extends BeamishError {
  readonly reason: ExitReason;

  constructor(reason: ExitReason) {
    super('exit', 'The process is exiting');
    this.reason = reason;
  }
}

/** A value that was thrown inside a process but is not an Error (`throw 'oops'`), kept as `value`. */
export class UncaughtThrowError extends BeamishError {
  readonly value: unknown;

  constructor(value: unknown) {
    super('nocatch', `A process threw a value that is not an Error: ${String(value)}`);
    this.value = value;
  }
}

/** True when `error` is the signal `ctx.exit(reason)` throws; catch-all handlers should rethrow it. */
export function isExitSignal(error: unknown): error is ExitSignal {
  return error instanceof ExitSignal;
}
