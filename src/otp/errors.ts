import { BeamishError, formatTerm, Pid, type ExitReason } from '../runtime/index.js';
import type { ServerRef } from './server-ref.js';

function describe(server: ServerRef): string {
  if (typeof server === 'string') return `'${server}'`;
  if ('via' in server) return `via ${formatTerm(server.name, 80)}`;
  if (server instanceof Pid) return String(server);
  return `'${server.name}' on ${server.node.name}`;
}

/** A `call` got no reply within its timeout. The late reply, if one comes, is dropped. */
export class CallTimeoutError extends BeamishError {
  readonly server: ServerRef;
  readonly request: unknown;
  readonly timeout: number;

  constructor(server: ServerRef, request: unknown, timeout: number) {
    super('call_timeout', `call to ${describe(server)} got no reply within ${timeout} ms (request: ${formatTerm(request, 200)})`);
    this.server = server;
    this.request = request;
    this.timeout = timeout;
  }
}

/**
 * A `call` failed because the server was not alive (`reason` `'noproc'`) or exited before it
 * replied (`reason` its exit reason), as Elixir's `exit({reason, {GenServer, :call, …}})`.
 */
export class CallExitError extends BeamishError {
  readonly server: ServerRef;
  readonly request: unknown;
  readonly reason: ExitReason;

  constructor(server: ServerRef, request: unknown, reason: ExitReason) {
    const what = reason === 'noproc' ? 'no process is alive there' : `the server exited: ${formatTerm(reason, 300)}`;
    super('call_exit', `call to ${describe(server)} failed: ${what}`, reason instanceof Error ? { cause: reason } : undefined);
    this.server = server;
    this.request = request;
    this.reason = reason;
  }
}

/** Why a behaviour did not start: the error of a `{ ok: false }` start result. */
export class StartError extends BeamishError {}

/** `init` returned `{ stop: reason }`; the process exited with that reason. */
export class InitFailedError extends StartError {
  readonly reason: ExitReason;

  constructor(reason: ExitReason) {
    super('init_failed', `init failed: ${formatTerm(reason, 300)}`, reason instanceof Error ? { cause: reason } : undefined);
    this.reason = reason;
  }
}

/** The process exited before `init` finished: it threw, called `ctx.exit`, or was killed. */
export class InitExitedError extends StartError {
  readonly reason: ExitReason;

  constructor(reason: ExitReason) {
    super('init_exited', `exited during init: ${formatTerm(reason, 300)}`, reason instanceof Error ? { cause: reason } : undefined);
    this.reason = reason;
  }
}

/** `init` did not finish within the start timeout; the process was killed. */
export class InitTimeoutError extends StartError {
  readonly timeout: number;

  constructor(timeout: number) {
    super('init_timeout', `init did not finish within ${timeout} ms`);
    this.timeout = timeout;
  }
}

/** The name asked for is held by another process (OTP's `{already_started, Pid}`). */
export class AlreadyStartedError extends StartError {
  readonly pid: Pid;

  constructor(pid: Pid) {
    super('already_started', `the name is already held by ${pid}`);
    this.pid = pid;
  }
}

/** A callback returned a value that is none of its documented shapes; the process exits with this. */
export class BadReturnValueError extends BeamishError {
  readonly callback: string;
  readonly value: unknown;

  constructor(callback: string, value: unknown) {
    super('bad_return_value', `${callback} returned ${formatTerm(value, 300)}, which is not one of its return shapes`);
    this.callback = callback;
    this.value = value;
  }
}
