/**
 * GenEvent: an event manager process with any number of event handlers added and removed while it
 * runs, as OTP's `gen_event`. Producers `notify` the manager; every installed handler sees every
 * event, in turn, inside the manager's process. A handler that throws or returns a bad value is
 * removed (its `terminate` runs, a `handler_crashed` report is logged) and the others go on. See
 * docs/gen-event.md for a guided tour.
 *
 * **When not to use it.** Every handler runs in the one manager process, so one slow handler
 * delays all the others and every producer of `syncNotify`. Handlers that do real work, need
 * isolation or must be restarted belong in their own processes (a GenServer each, fed by a
 * handler that only forwards), and a plain fan-out to subscribers is a list of pids to `send` to.
 */
import { defaultNode, Pid, type ExitReason, type ProcessContext } from '../runtime/index.js';
import { callServer, expectTimeout } from './call.js';
import type { HandlerRef } from './gen-event-handler.js';
import type { HandlerInitError } from './gen-event-errors.js';
import { describeHandler, handlerKey, type HandlerKey } from './internal/gen-event-key.js';
import { GenEventManager } from './internal/gen-event-manager.js';
import { ManagerRequestMessage, NotifyMessage, type ManagerReply, type ManagerRequest } from './internal/gen-event-messages.js';
import { stopServer } from './internal/stop-server.js';
import { sendIfAlive, whereisLive, type ServerRef } from './server-ref.js';
import { startBehaviour, type StartOptions, type StartResult, type Starter } from './start.js';

/** Options of `start` and `startLink`: `name`, `node`, `label`, `maxMailbox` (see `StartOptions`). */
export type GenEventOptions = StartOptions;

/**
 * What `addHandler`, `addSupervisedHandler` and the swaps resolve with, as OTP's
 * `ok | {error, Reason}`: installed, or refused by the handler's `init` (a `HandlerInitError`).
 */
export type AddHandlerResult = { readonly ok: true } | { readonly ok: false; readonly error: HandlerInitError };

function managerBody(options: GenEventOptions | undefined) {
  const name = typeof options === 'object' && options !== null ? options.name : undefined;
  return (ctx: ProcessContext, starter: Starter) => new GenEventManager(ctx, name ?? ctx.self, starter.parent).run(starter);
}

/**
 * Starts an event manager with no handlers, linked to no one. Resolves `{ ok: true, pid }`, or
 * `{ ok: false, error }` with `AlreadyStartedError` when `options.name` is taken. The manager
 * traps exits. Throws only for bad options.
 */
export function start(options?: GenEventOptions): Promise<StartResult> {
  return startBehaviour(undefined, options, 'GenEvent', managerBody(options));
}

/**
 * As `start`, linked to the calling process `ctx` (its parent, as under a supervisor): when the
 * parent exits, the manager terminates its handlers (`'stop'`) and exits with the same reason.
 */
export function startLink(ctx: ProcessContext, options?: GenEventOptions): Promise<StartResult> {
  return startBehaviour(ctx, options, 'GenEvent', managerBody(options));
}

/**
 * Stops the manager with `reason` (default `'normal'`): every handler's `terminate('stop')` runs,
 * newest first, the owners of supervised handlers get a `HandlerExit` with `'shutdown'` (and are
 * unlinked, so they live on), and this resolves once the manager is gone. Rejects with
 * `CallExitError` if it is not alive, `CallTimeoutError` after `timeout` ms (default `Infinity`).
 */
export function stop(manager: ServerRef, reason: ExitReason = 'normal', timeout = Infinity): Promise<void> {
  return stopServer(manager, reason, timeout);
}

/** Sends a request, then throws the error the manager answered with, if any. */
function ask<T>(manager: ServerRef, message: ManagerRequest, label: unknown, timeout: number): Promise<T> {
  expectTimeout('timeout', timeout);
  return callServer<ManagerReply>(manager, label, timeout, undefined, (from) => new ManagerRequestMessage(from, message)).then((reply) => {
    if (!reply.ok) throw reply.error;
    return reply.value as T;
  });
}

function ownerOf(ctx: ProcessContext): Pid {
  if (!(ctx?.self instanceof Pid)) throw new TypeError(`Expected \`ctx\` to be the calling process's context, got \`${String(ctx)}\``);
  return ctx.self;
}

const labelOf = (op: string, key: HandlerKey): { readonly [op: string]: string } => ({ [op]: describeHandler(key) });

/**
 * Installs `handler` in the manager: its `init(arg)` runs there, and the handler is placed first
 * (handlers see events newest first, as OTP). The same spec may be installed twice; give ids to
 * tell the copies apart. Resolves `{ ok: true }` or `{ ok: false, error: HandlerInitError }`.
 * Rejects with `CallExitError` when the manager is not alive or exits first, `CallTimeoutError`
 * after `timeout` ms (default `Infinity`, as OTP). Throws `TypeError` for a bad handler.
 */
export function addHandler(manager: ServerRef, handler: HandlerRef, arg: unknown, timeout = Infinity): Promise<AddHandlerResult> {
  const key = handlerKey(handler);
  return ask(manager, { kind: 'add', handler: key, arg, owner: undefined }, labelOf('addHandler', key), timeout);
}

/**
 * As `addHandler`, supervised by the calling process `ctx` (OTP's `add_sup_handler`): the manager
 * links to it. When the handler is removed — deleted, swapped, crashed, or the manager stopping —
 * the caller receives a `HandlerExit` saying which handler and why; when the caller exits, the
 * handler is removed (`terminate({ stop: reason })`). The link stays after the handler is gone,
 * as in OTP: if the manager then dies abnormally, the caller gets the exit signal.
 */
export function addSupervisedHandler(ctx: ProcessContext, manager: ServerRef, handler: HandlerRef, arg: unknown, timeout = Infinity): Promise<AddHandlerResult> {
  const owner = ownerOf(ctx);
  const key = handlerKey(handler);
  return ask(manager, { kind: 'add', handler: key, arg, owner }, labelOf('addSupervisedHandler', key), timeout);
}

/**
 * Removes `handler`: its `terminate(arg, state)` runs and this resolves with what it returned.
 * Rejects with `HandlerNotInstalledError` when it is not installed, `HandlerCrashedError` when its
 * terminate threw (it is removed anyway), and the errors of `addHandler`.
 */
export function deleteHandler<T = unknown>(manager: ServerRef, handler: HandlerRef, arg: unknown, timeout = Infinity): Promise<T> {
  const key = handlerKey(handler);
  return ask(manager, { kind: 'delete', handler: key, arg }, labelOf('deleteHandler', key), timeout);
}

function swapRequest(
  old: readonly [HandlerRef, unknown],
  next: readonly [HandlerRef, unknown],
  owner: Pid | undefined,
): { message: ManagerRequest; label: unknown } {
  if (!Array.isArray(old) || old.length !== 2) throw new TypeError(`Expected \`old\` to be [handler, terminateArg], got \`${String(old)}\``);
  if (!Array.isArray(next) || next.length !== 2) throw new TypeError(`Expected \`next\` to be [handler, initArg], got \`${String(next)}\``);
  const oldKey = handlerKey(old[0], 'old[0]');
  const nextKey = handlerKey(next[0], 'next[0]');
  return {
    message: { kind: 'swap', old: oldKey, terminateArg: old[1], next: nextKey, initArg: next[1], owner },
    label: { swapHandler: describeHandler(oldKey), for: describeHandler(nextKey) },
  };
}

/**
 * Replaces a handler with another, handing state over (OTP's `swap_handler`): the old handler's
 * `terminate(terminateArg, state)` runs, then the new one's `init` gets a `Handover` holding
 * `initArg` and what terminate returned. The new handler is installed even when the old one is
 * missing or its terminate throws (the `Handover` carries the error), and inherits its owner.
 * Resolves as `addHandler` does, with the result of the new handler's `init`.
 */
export function swapHandler(manager: ServerRef, old: readonly [HandlerRef, unknown], next: readonly [HandlerRef, unknown], timeout = Infinity): Promise<AddHandlerResult> {
  const { message, label } = swapRequest(old, next, undefined);
  return ask(manager, message, label, timeout);
}

/** As `swapHandler`, with the new handler supervised by the calling process `ctx` (OTP's `swap_sup_handler`). */
export function swapSupervisedHandler(
  ctx: ProcessContext,
  manager: ServerRef,
  old: readonly [HandlerRef, unknown],
  next: readonly [HandlerRef, unknown],
  timeout = Infinity,
): Promise<AddHandlerResult> {
  const { message, label } = swapRequest(old, next, ownerOf(ctx));
  return ask(manager, message, label, timeout);
}

/** The installed handlers, newest first, as they were added (`spec` or `{ handler, id }`). */
export function whichHandlers(manager: ServerRef, timeout = Infinity): Promise<HandlerRef[]> {
  return ask(manager, { kind: 'which' }, 'whichHandlers', timeout);
}

/**
 * Sends `event` to every handler's `handleEvent` and returns at once. To a pid or name of a
 * process that is gone it does nothing; a local name nobody holds throws `NotRegisteredError`,
 * as OTP's `notify` to an unregistered name does.
 */
export function notify(manager: ServerRef, event: unknown): void {
  if (typeof manager === 'string') return defaultNode().send(manager, new NotifyMessage(event));
  sendIfAlive(manager, new NotifyMessage(event));
}

/**
 * As `notify`, but resolves only once every handler has handled the event (OTP's `sync_notify`).
 * Rejects with `CallExitError` or `CallTimeoutError` (default timeout `Infinity`).
 */
export function syncNotify(manager: ServerRef, event: unknown, timeout = Infinity): Promise<void> {
  return ask(manager, { kind: 'sync_notify', event }, { syncNotify: event }, timeout);
}

/**
 * Sends `request` to one handler's `handleCall` and resolves with its reply. Rejects with
 * `HandlerNotInstalledError` (OTP's `bad_module`), `HandlerCrashedError` when `handleCall` threw
 * or returned a bad value (the handler has been removed), and as `GenServer.call` with
 * `CallExitError` (manager not alive, or exited first) or `CallTimeoutError` after `timeout` ms
 * (default 5000; a reply after that is dropped).
 */
export function call<R = unknown>(manager: ServerRef, handler: HandlerRef, request: unknown, timeout = 5000): Promise<R> {
  const key = handlerKey(handler);
  return ask(manager, { kind: 'call', handler: key, request }, request, timeout);
}

/** The pid a manager reference names now, or undefined. */
export function whereis(manager: ServerRef): Pid | undefined {
  return whereisLive(manager);
}

export { Handover, HandlerExit, handlerExitOf } from './gen-event-handler.js';
export type { EventHandler, HandlerCallResult, HandlerExitReason, HandlerInitResult, HandlerRef, HandlerResult, HandlerWithId, SwapResult } from './gen-event-handler.js';
export { HandlerCrashedError, HandlerInitError, HandlerNotInstalledError } from './gen-event-errors.js';
export type { HandlerCrashedReport, HandlerUnexpectedMessageReport } from './gen-event-errors.js';
