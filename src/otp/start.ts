import {
  defaultNode,
  exitFrom,
  NameInUseError,
  type BeamishNode,
  type ExitReason,
  type MailboxLimit,
  type Pid,
  type ProcessContext,
} from '../runtime/index.js';
import { expectTimeout } from './call.js';
import { AlreadyStartedError, InitExitedError, InitFailedError, InitTimeoutError, type StartError } from './errors.js';
import type { ServerName } from './server-ref.js';

/** Options every behaviour's `start` and `startLink` take. */
export interface StartOptions {
  /** Register the process under this name (local) or `{ via, name }` before `init` runs. */
  readonly name?: ServerName;
  /** Milliseconds `init` may take; past it the process is killed. Default `Infinity`, as OTP. */
  readonly timeout?: number;
  /** The node to start on, for `start` (default: the default node). `startLink` uses the caller's. */
  readonly node?: BeamishNode;
  /** A short description shown by introspection and in reports. */
  readonly label?: string;
  /** Most messages the mailbox may hold (the runtime's `maxMailbox`). */
  readonly maxMailbox?: number | MailboxLimit;
}

/**
 * The outcome of starting a behaviour, as OTP's `{ok, Pid} | ignore | {error, Reason}`: started,
 * ignored (`init` asked not to start; not an error to a supervisor), or failed with why.
 */
export type StartResult =
  | { readonly ok: true; readonly pid: Pid }
  | { readonly ok: false; readonly ignored: true }
  | { readonly ok: false; readonly ignored: false; readonly error: StartError };

/** @internal What a starting process tells its starter, once. */
export interface Starter {
  /**
   * The parent: the caller of `startLink`, or for `start` the node itself, whose pid sends the
   * `'shutdown'` of `node.stop()` — so an unlinked behaviour that traps exits terminates in order.
   */
  readonly parent: Pid;
  /** `init` succeeded: the starter returns `{ ok: true, pid }`. */
  started(): void;
  /** `init` returned ignore: the starter returns `{ ignored: true }`; exit `'normal'` next. */
  ignored(): void;
  /** `init` returned stop: the starter returns `InitFailedError`; exit with `reason` next. */
  failed(reason: ExitReason): void;
}

/** @internal The body of a behaviour process: register, `init`, tell the starter, then loop. */
export type BehaviourBody = (ctx: ProcessContext, starter: Starter) => Promise<void>;

const started = (pid: Pid): StartResult => ({ ok: true, pid });
const ignoredResult: StartResult = { ok: false, ignored: true };
const failed = (error: StartError): StartResult => ({ ok: false, ignored: false, error });

/**
 * @internal Starts a behaviour process synchronously, as `proc_lib:start(_link)`: resolves once its
 * `init` has succeeded, failed or been ignored, when the process exits first, or at the timeout
 * (then the process is killed). With `linkTo`, the process is linked to that caller; a trapping
 * caller does not keep the EXIT of a failed start in its mailbox. `onSpawn` runs right after the
 * spawn, before anyone else can reach the process (supervisors mark themselves there).
 */
export async function startBehaviour(
  linkTo: ProcessContext | undefined,
  options: StartOptions | undefined,
  defaultLabel: string | undefined,
  body: BehaviourBody,
  onSpawn?: (pid: Pid, node: BeamishNode) => void,
): Promise<StartResult> {
  const opts = expectStartOptions(options);
  const node = linkTo?.node ?? opts.node ?? defaultNode();
  const timeout = opts.timeout === undefined ? Infinity : expectTimeout('options.timeout', opts.timeout);
  const name = opts.name;
  const spawnOptions = {
    name: typeof name === 'string' ? name : undefined,
    label: opts.label ?? defaultLabel,
    maxMailbox: opts.maxMailbox,
  };
  let resolveStart!: (result: StartResult) => void;
  const result = new Promise<StartResult>((resolve) => (resolveStart = resolve));
  let settled = false;
  let pid: Pid;
  let monitor: ReturnType<BeamishNode['monitor']> | undefined;
  let timer: NodeJS.Timeout | undefined;
  const settle = (outcome: StartResult): void => {
    if (settled) return;
    settled = true;
    if (monitor !== undefined) node.demonitor(monitor);
    if (timer !== undefined) clearTimeout(timer);
    resolveStart(outcome);
  };
  const run: (ctx: ProcessContext) => Promise<void> = (ctx) => {
    const starter: Starter = {
      parent: linkTo?.self ?? node.pid,
      started: () => settle(started(ctx.self)),
      ignored: () => settle(ignoredResult),
      failed: (reason) => settle(failed(new InitFailedError(reason))),
    };
    if (name !== undefined && typeof name !== 'string') {
      const holder = name.via.whereisName(name.name);
      if (holder !== undefined || !name.via.registerName(name.name, ctx.self)) {
        const current = holder ?? name.via.whereisName(name.name);
        settle(current === undefined ? failed(new InitExitedError('already_started')) : failed(new AlreadyStartedError(current)));
        return Promise.resolve();
      }
    }
    return body(ctx, starter);
  };
  try {
    pid = linkTo === undefined ? node.spawn(run, spawnOptions) : linkTo.spawnLink(run, spawnOptions);
  } catch (error) {
    if (error instanceof NameInUseError && typeof name === 'string') {
      const holder = node.whereis(name);
      if (holder !== undefined) return failed(new AlreadyStartedError(holder));
    }
    throw error;
  }
  onSpawn?.(pid, node);
  monitor = node.monitor(pid, (down) => settle(failed(new InitExitedError(down.reason))));
  if (timeout !== Infinity) {
    timer = setTimeout(() => {
      // Settle first: the kill fires the monitor at once, which would report the start as exited.
      settle(failed(new InitTimeoutError(timeout)));
      // A caller that died meanwhile has no link left to remove (and its ctx would throw).
      if (linkTo !== undefined && linkTo.isAlive(linkTo.self)) linkTo.unlink(pid);
      node.exit(pid, 'kill');
    }, timeout);
  }
  const outcome = await result;
  if (!outcome.ok && linkTo !== undefined && linkTo.trapsExits && !(!outcome.ignored && outcome.error instanceof InitTimeoutError)) {
    await linkTo.receive(exitFrom(pid));
  }
  return outcome;
}

function expectStartOptions(options: StartOptions | undefined): StartOptions {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`Expected \`options\` to be an object, got \`${String(options)}\` (${typeof options})`);
  }
  const name = options.name;
  if (name !== undefined && typeof name !== 'string' && (typeof name !== 'object' || name === null || typeof name.via?.registerName !== 'function')) {
    throw new TypeError(`Expected \`options.name\` to be a string or { via, name }, got \`${String(name)}\``);
  }
  return options;
}
