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

/**
 * A supervisor request was addressed to a live process that is not a `Supervisor` or
 * `DynamicSupervisor` (`Task.Supervisor` included). Nothing was sent to it.
 */
export class NotASupervisorError extends BeamishError {
  readonly server: ServerRef;

  constructor(server: ServerRef) {
    super('not_a_supervisor', `${describe(server)} is not a supervisor`);
    this.server = server;
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

/** A supervisor has no child with the id asked for (OTP's `{error, not_found}`). */
export class ChildNotFoundError extends BeamishError {
  readonly id: unknown;

  constructor(id: unknown) {
    super('not_found', `the supervisor has no child ${formatTerm(id, 100)}`);
    this.id = id;
  }
}

/**
 * A supervisor cannot do this to a child in its current condition: it is `running` (delete or
 * restart it), `restarting`, or its spec is `already_present` (start it again by `restartChild`).
 */
export class ChildStateError extends BeamishError {
  readonly id: unknown;

  constructor(code: 'running' | 'restarting' | 'already_present', id: unknown) {
    super(code, `child ${formatTerm(id, 100)} is ${code.replace('_', ' ')}`);
    this.id = id;
  }
}

/** A dynamic supervisor already has its `maxChildren` (OTP's `{error, max_children}`). */
export class MaxChildrenError extends StartError {
  readonly maxChildren: number;

  constructor(maxChildren: number) {
    super('max_children', `the supervisor already has its maximum of ${maxChildren} children`);
    this.maxChildren = maxChildren;
  }
}

/** A child's start function failed: it threw, or returned an error (the `reason`). */
export class ChildStartError extends StartError {
  readonly id: unknown;
  readonly reason: unknown;

  constructor(id: unknown, reason: unknown) {
    super('child_start_failed', `child ${formatTerm(id, 100)} failed to start: ${formatTerm(reason, 300)}`, reason instanceof Error ? { cause: reason } : undefined);
    this.id = id;
    this.reason = reason;
  }
}

/** An application, or one of its dependencies, failed to start (OTP's `{error, {App, Reason}}`). */
export class ApplicationStartError extends BeamishError {
  readonly application: string;
  readonly reason: unknown;

  constructor(application: string, reason: unknown) {
    super('application_start_failed', `application ${application} failed to start: ${formatTerm(reason, 300)}`, reason instanceof Error ? { cause: reason } : undefined);
    this.application = application;
    this.reason = reason;
  }
}

/** No application of that name is loaded on the node (OTP's `{error, {not_loaded, App}}`). */
export class UnknownApplicationError extends BeamishError {
  readonly application: string;

  constructor(application: string) {
    super('not_loaded', `no application named ${application} is loaded`);
    this.application = application;
  }
}

/** The application is not running (OTP's `{error, {not_started, App}}`). */
export class NotStartedError extends BeamishError {
  readonly application: string;

  constructor(application: string) {
    super('not_started', `application ${application} is not started`);
    this.application = application;
  }
}

/** A significant child under a supervisor whose `autoShutdown` is `'never'` (OTP's `bad_combination`). */
export class SignificantChildError extends StartError {
  readonly id: unknown;

  constructor(id: unknown) {
    super('bad_combination', `child ${formatTerm(id, 100)} is significant, but the supervisor's autoShutdown is 'never'`);
    this.id = id;
  }
}
