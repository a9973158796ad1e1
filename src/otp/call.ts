import { nodeOf, type BeamishNode, type ExitReason, type Pid } from '../runtime/index.js';
import { CallExitError, CallTimeoutError } from './errors.js';
import { deadlineQueue, type DeadlineQueue } from './internal/call-deadlines.js';
import { whereisServer, type ServerRef } from './server-ref.js';

/** The most a call timeout may be other than `Infinity`: what `setTimeout` can wait. */
const MAX_TIMEOUT = 2 ** 31 - 1;

/**
 * Where a call's reply goes (OTP's `From`): hand it to `reply`, now or later, from this process or
 * any other. Replying twice, or after the caller gave up (timeout, server exit), does nothing.
 */
export class From<R = unknown> {
  /** The calling process, when the caller named itself (`call(…, { caller: ctx })`). */
  readonly pid: Pid | undefined;
  readonly #server: ServerRef;
  readonly #request: unknown;
  readonly #timeout: number;
  readonly #deadline: number;
  #resolve: ((value: R) => void) | null;
  #reject: (error: Error) => void;
  #watch: ServerWatch | null = null;
  #queue: DeadlineQueue | undefined = undefined;
  #previous: From<unknown> | null = null;
  #next: From<unknown> | null = null;

  /** @internal Made by `call`. */
  constructor(server: ServerRef, request: unknown, timeout: number, pid: Pid | undefined, resolve: (value: R) => void, reject: (error: Error) => void) {
    this.#server = server;
    this.#request = request;
    this.#timeout = timeout;
    this.#deadline = timeout === Infinity ? Infinity : performance.now() + timeout;
    this.pid = pid;
    this.#resolve = resolve;
    this.#reject = reject;
  }

  /** Whether the caller still waits for the reply. */
  get pending(): boolean {
    return this.#resolve !== null;
  }

  /** @internal When the caller stops waiting (a `performance.now()` time), or Infinity. */
  get deadline(): number {
    return this.#deadline;
  }

  /** @internal Joins the calls waiting on one server, and the queue of its timeout. */
  watch(watch: ServerWatch): void {
    this.#watch = watch;
    if (this.#timeout !== Infinity) (this.#queue = deadlineQueue(this.#timeout)).add(this as From<unknown>);
    const head = watch.head;
    this.#next = head;
    if (head !== null) head.#previous = this as From<unknown>;
    watch.head = this as From<unknown>;
  }

  /** @internal Settles the call with a reply. */
  deliver(value: R): void {
    const resolve = this.#resolve;
    if (resolve === null) return;
    this.#finish();
    resolve(value);
  }

  /** @internal The server exited before it replied. */
  serverExited(reason: ExitReason): void {
    this.#fail(new CallExitError(this.#server, this.#request, reason));
  }

  /** @internal No reply within the timeout. */
  timedOut(): void {
    this.#fail(new CallTimeoutError(this.#server, this.#request, this.#timeout));
  }

  #fail(error: Error): void {
    if (this.#resolve === null) return;
    this.#finish();
    this.#reject(error);
  }

  #finish(): void {
    this.#resolve = null;
    const watch = this.#watch;
    if (watch !== null) {
      this.#watch = null;
      const previous = this.#previous;
      const next = this.#next;
      if (previous === null) watch.head = next;
      else previous.#next = next;
      if (next !== null) next.#previous = previous;
      this.#previous = this.#next = null;
    }
    this.#queue?.settled(this as From<unknown>);
  }
}

/**
 * The calls waiting on one server, watched by one node-level monitor kept while the server lives:
 * a call then costs two pointer updates rather than a monitor and a demonitor.
 */
class ServerWatch {
  head: From<unknown> | null = null;

  constructor(node: BeamishNode, pid: Pid) {
    node.monitor(pid, (down) => {
      watches.delete(pid);
      for (let from = this.head; from !== null; from = this.head) from.serverExited(down.reason);
    });
  }
}

const watches = new WeakMap<Pid, ServerWatch>();

/** Options of a call. */
export interface CallOptions {
  /** Milliseconds to wait for the reply, or `Infinity`. Default 5000. */
  readonly timeout?: number;
  /** The calling process, made known to the server as `from.pid` (to monitor its callers, say). */
  readonly caller?: { readonly self: Pid };
}

/** @internal Validates a call's timeout argument or options. */
export function callTimeoutOf(timeout: number | CallOptions | undefined): { timeout: number; caller: Pid | undefined } {
  if (timeout === undefined) return { timeout: 5000, caller: undefined };
  if (typeof timeout === 'number') return { timeout: expectTimeout('timeout', timeout), caller: undefined };
  if (typeof timeout !== 'object' || timeout === null) {
    throw new TypeError(`Expected \`timeout\` to be a number of milliseconds or call options, got \`${String(timeout)}\``);
  }
  return {
    timeout: timeout.timeout === undefined ? 5000 : expectTimeout('options.timeout', timeout.timeout),
    caller: timeout.caller?.self,
  };
}

/** @internal Validates a timeout in milliseconds: a whole number from 0 up, or `Infinity`. */
export function expectTimeout(name: string, value: unknown): number {
  if (value === Infinity || (Number.isInteger(value) && (value as number) >= 0 && (value as number) <= MAX_TIMEOUT)) {
    return value as number;
  }
  throw new TypeError(`Expected \`${name}\` to be a whole number of milliseconds from 0 up or Infinity, got \`${String(value)}\` (${typeof value})`);
}

/**
 * @internal The call protocol under every behaviour: monitors the server through its node, sends
 * `wrap(from)`, and settles with the reply, a `CallExitError` (not alive, or exited before it
 * replied) or a `CallTimeoutError`. No process is needed on the calling side, and a late reply
 * lands nowhere.
 */
export function callServer<R>(
  server: ServerRef,
  request: unknown,
  timeout: number,
  caller: Pid | undefined,
  wrap: (from: From<R>) => unknown,
): Promise<R> {
  const pid = whereisServer(server);
  const node = pid === undefined ? undefined : nodeOf(pid);
  if (pid === undefined || node === undefined || !node.isAlive(pid)) {
    return Promise.reject(new CallExitError(server, request, 'noproc'));
  }
  let watch = watches.get(pid);
  if (watch === undefined) watches.set(pid, (watch = new ServerWatch(node, pid)));
  return new Promise<R>((resolve, reject) => {
    const from = new From<R>(server, request, timeout, caller, resolve, reject);
    from.watch(watch);
    node.send(pid, wrap(from));
  });
}

/**
 * Replies to a call whose handler returned `noreply` (or any `From` you kept), as
 * `GenServer.reply`. Does nothing if the caller stopped waiting.
 */
export function reply<R>(from: From<R>, value: R): void {
  if (!(from instanceof From)) throw new TypeError(`Expected \`from\` to be the From of a call, got \`${String(from)}\``);
  from.deliver(value);
}
