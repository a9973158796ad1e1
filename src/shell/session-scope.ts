import * as otp from '../otp/index.js';
import * as resources from '../resources/index.js';
import * as runtime from '../runtime/index.js';
import { formatTerm, TIMEOUT, type ProcessContext } from '../runtime/index.js';

/** Node methods that stand in for the runtime's default-node functions of the same name. */
const NODE_METHODS = ['run', 'awaitExit', 'registered', 'processes', 'processInfo', 'suspend', 'resume'] as const;

/**
 * Process operations bound to the session's own process, so that the shell acts as a process
 * (Erlang's shell does): what it spawns are its children, what it sends comes from its pid, and it
 * can receive.
 */
const CONTEXT_METHODS = [
  'send',
  'spawn',
  'spawnLink',
  'spawnMonitor',
  'link',
  'unlink',
  'monitor',
  'demonitor',
  'exit',
  'trapExit',
  'register',
  'unregister',
  'whereis',
  'isAlive',
  'sendAfter',
  'startTimer',
  'cancelTimer',
  'readTimer',
  'receive',
  'tryReceive',
  'yield',
] as const;

/** Most messages `flush()` takes and prints at once. */
const FLUSH_LIMIT = 100;

/**
 * What a session's REPL has in scope: the runtime, OTP and resources exports; the node's and the
 * shell process's operations bound to them; the session's `medic` (its methods also as globals);
 * `node`, `ctx`, `self`, `signal` and `flush()`. `exitShell(reason)` is what `exit(reason)` does:
 * it ends the shell's process, and so the session, with that reason.
 */
export function sessionScope(ctx: ProcessContext, medic: object, hooks: { print(text: string): void; exitShell(reason: unknown): void }): Record<string, unknown> {
  const node = ctx.node;
  const scope: Record<string, unknown> = { ...runtime, ...otp, ...resources, runtime };
  for (const name of NODE_METHODS) scope[name] = node[name].bind(node);
  for (const name of CONTEXT_METHODS) scope[name] = (ctx[name] as (...args: unknown[]) => unknown).bind(ctx);
  for (const [name, value] of Object.entries(medic)) if (typeof value === 'function') scope[name] = value;
  const exit = scope.exit as (...args: unknown[]) => unknown;
  return Object.assign(scope, {
    exit: (...args: unknown[]) => (args.length < 2 ? hooks.exitShell(args[0]) : exit(...args)),
    node,
    ctx,
    self: ctx.self,
    medic,
    signal: ctx.signal,
    flush: (limit: number = FLUSH_LIMIT) => flush(ctx, limit, hooks.print),
  });
}

/**
 * Takes up to `limit` messages from the shell's mailbox and prints them, as Erlang's shell
 * `flush()`; says how many are left. Returns how many it took.
 */
function flush(ctx: ProcessContext, limit: number, print: (text: string) => void): number {
  let taken = 0;
  for (; taken < limit; taken++) {
    const message = ctx.tryReceive();
    if (message === TIMEOUT) break;
    print(`Shell got ${formatTerm(message, 1024)}`);
  }
  const left = ctx.node.processInfo(ctx.self)?.messageQueueLength ?? 0;
  if (left > 0) print(`… ${left} more messages left in the mailbox (flush(n) takes more)`);
  return taken;
}
