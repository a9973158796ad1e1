import { nodeOf, type BeamishNode, type Pid, type Ref } from '../runtime/index.js';
import { CallExitError, CallTimeoutError } from './errors.js';
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
  #node: BeamishNode;
  #resolve: ((value: R) => void) | null;
  #reject: (error: Error) => void;
  #monitor: Ref | undefined = undefined;
  #timer: NodeJS.Timeout | undefined = undefined;

  /** @internal Made by `call`. */
  constructor(node: BeamishNode, pid: Pid | undefined, resolve: (value: R) => void, reject: (error: Error) => void) {
    this.#node = node;
    this.pid = pid;
    this.#resolve = resolve;
    this.#reject = reject;
  }

  /** Whether the caller still waits for the reply. */
  get pending(): boolean {
    return this.#resolve !== null;
  }

  /** @internal */
  watch(monitor: Ref, timer: NodeJS.Timeout | undefined): void {
    this.#monitor = monitor;
    this.#timer = timer;
  }

  /** @internal Settles the call with a reply. */
  deliver(value: R): void {
    const resolve = this.#resolve;
    if (resolve === null) return;
    this.#finish();
    resolve(value);
  }

  /** @internal Settles the call with an error. */
  fail(error: Error): void {
    if (this.#resolve === null) return;
    this.#finish();
    this.#reject(error);
  }

  #finish(): void {
    this.#resolve = null;
    if (this.#monitor !== undefined) this.#node.demonitor(this.#monitor);
    if (this.#timer !== undefined) clearTimeout(this.#timer);
  }
}

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
  return new Promise<R>((resolve, reject) => {
    const from = new From<R>(node, caller, resolve, reject);
    const monitor = node.monitor(pid, (down) => from.fail(new CallExitError(server, request, down.reason)));
    const timer =
      timeout === Infinity ? undefined : setTimeout(() => from.fail(new CallTimeoutError(server, request, timeout)), timeout);
    from.watch(monitor, timer);
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
