import type { Pid, ProcessContext } from '../../runtime/index.js';
import { BadReturnValueError } from '../errors.js';
import { HandlerCrashedError, HandlerInitError, HandlerNotInstalledError, type HandlerCrashedReport, type HandlerUnexpectedMessageReport } from '../gen-event-errors.js';
import { Handover, HandlerExit, type HandlerExitReason, type HandlerRef } from '../gen-event-handler.js';
import type { AddHandlerResult } from '../gen-event.js';
import { describeHandler, sameHandler, tryHandlerKey, type HandlerKey } from './gen-event-key.js';
import { callbackExitReason, isThenable } from './callbacks.js';
import { formatHandlerStatus, interpret, type Callback, type Outcome } from './gen-event-results.js';

/** @internal One installed handler: its key, state, and the owner that supervises it, if any. */
interface Installed extends HandlerKey {
  state: unknown;
  readonly owner: Pid | undefined;
}

/** Why a handler is removed, which decides the report and what its owner is told. */
type Removal =
  | 'normal'
  | 'shutdown'
  | { readonly swapped: HandlerRef; readonly owner: Pid | undefined }
  | { readonly crashed: unknown; readonly callback: string; readonly lastMessage: unknown };

type Settled = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

/**
 * @internal The handlers of one event manager, newest first (as OTP's list), and everything done
 * to them: install, call, notify, swap, remove. Every callback runs here, in the manager's process,
 * one at a time; a failing callback removes its handler and never reaches the manager.
 */
export class HandlerSet {
  readonly #ctx: ProcessContext;
  readonly #name: unknown;
  readonly #list: Installed[] = [];

  constructor(ctx: ProcessContext, name: unknown) {
    this.#ctx = ctx;
    this.#name = name;
  }

  get size(): number {
    return this.#list.length;
  }

  /** The handlers as `whichHandlers` shows them. */
  which(): HandlerRef[] {
    return this.#list.map((installed) => installed.ref);
  }

  /** The handlers and their states, as `sys.getState` shows them. */
  states(): { handler: HandlerRef; state: unknown }[] {
    return this.#list.map((installed) => ({ handler: installed.ref, state: installed.state }));
  }

  /** Sets the states `sys.replaceState` returned; entries that name no installed handler are ignored. */
  replaceStates(next: unknown): void {
    if (!Array.isArray(next)) return;
    const pending = [...this.#list];
    for (const entry of next as unknown[]) {
      const key = tryHandlerKey((entry as { handler?: unknown } | null)?.handler);
      const index = key === undefined ? -1 : pending.findIndex((installed) => sameHandler(installed, key));
      if (index < 0) continue;
      pending[index]!.state = (entry as { state: unknown }).state;
      pending.splice(index, 1);
    }
  }

  /** The handlers as `sys.getStatus` shows them: names, owners, states through `formatStatus`. */
  formatted(): { handler: string; owner: Pid | undefined; state: unknown }[] {
    return this.#list.map((installed) => ({
      handler: describeHandler(installed),
      owner: installed.owner,
      state: formatHandlerStatus(installed.spec, { state: installed.state }).state,
    }));
  }

  #find(key: HandlerKey): Installed | undefined {
    return this.#list.find((installed) => sameHandler(installed, key));
  }

  /** Installs a handler (OTP's `add_handler`, or `add_sup_handler` with an owner, linked first). */
  async add(key: HandlerKey, arg: unknown, owner: Pid | undefined): Promise<AddHandlerResult> {
    if (owner !== undefined) this.#ctx.link(owner);
    const init = await this.#init(key, arg);
    if (!init.ok) return init;
    this.#list.unshift({ ...key, state: init.state, owner });
    return { ok: true };
  }

  /** Removes a handler, resolving with what its `terminate(arg)` returned. */
  async delete(key: HandlerKey, arg: unknown): Promise<Settled> {
    const installed = this.#find(key);
    if (installed === undefined) return { ok: false, error: new HandlerNotInstalledError(key.ref) };
    const result = await this.#remove(installed, arg, installed.state, 'normal');
    return result.ok ? result : { ok: false, error: new HandlerCrashedError(installed.ref, 'terminate', result.error) };
  }

  /**
   * Replaces `old` by `next` (OTP's `swap_handler`): `next` is installed even if `old` is missing
   * or its terminate throws; its init then learns so from the `Handover`.
   */
  async swap(old: HandlerKey, terminateArg: unknown, next: HandlerKey, initArg: unknown, supervisor: Pid | undefined): Promise<AddHandlerResult> {
    const installed = this.#find(old);
    if (installed === undefined) {
      return this.add(next, new Handover(initArg, undefined, old.ref, new HandlerNotInstalledError(old.ref)), supervisor);
    }
    const owner = supervisor ?? installed.owner;
    const handover = await this.#handOver(installed, terminateArg, installed.state, next, initArg, owner);
    return this.add(next, handover, owner);
  }

  /** Runs one handler's `handleCall`; the reply, or why there is none. */
  async call(key: HandlerKey, request: unknown): Promise<Settled> {
    const installed = this.#find(key);
    if (installed === undefined) return { ok: false, error: new HandlerNotInstalledError(key.ref) };
    const outcome = await this.#run(installed, 'handleCall', request);
    await this.#apply(installed, outcome, request, 'handleCall');
    if (outcome.kind === 'crash') return { ok: false, error: new HandlerCrashedError(installed.ref, 'handleCall', outcome.reason) };
    return { ok: true, value: outcome.reply };
  }

  /** Runs every handler's `handleEvent` (or `handleInfo`) on a message, newest handler first. */
  async notify(message: unknown, callback: 'handleEvent' | 'handleInfo'): Promise<void> {
    for (const installed of [...this.#list]) {
      if (callback === 'handleInfo' && typeof installed.spec.handleInfo !== 'function') {
        this.#unexpected(installed, message);
        continue;
      }
      const outcome = await this.#run(installed, callback, message);
      await this.#apply(installed, outcome, message, callback);
    }
  }

  /** Removes the handlers `owner` supervised, because it exited (terminate gets `{ stop: reason }`). */
  async ownerExited(owner: Pid, reason: unknown): Promise<void> {
    for (const installed of this.#list.filter((h) => h.owner?.equals(owner) === true)) {
      await this.#remove(installed, { stop: reason }, installed.state, 'shutdown');
    }
  }

  /** Removes every handler because the manager stops (terminate gets `'stop'`); returns their owners. */
  async stopAll(): Promise<Pid[]> {
    const owners: Pid[] = [];
    for (const installed of [...this.#list]) {
      if (installed.owner !== undefined) owners.push(installed.owner);
      await this.#remove(installed, 'stop', installed.state, 'shutdown');
    }
    return owners;
  }

  async #init(key: HandlerKey, arg: unknown): Promise<{ ok: true; state: unknown } | { ok: false; error: HandlerInitError }> {
    let result: unknown;
    try {
      result = key.spec.init(arg, this.#ctx);
      if (isThenable(result)) result = await result;
    } catch (error) {
      return { ok: false, error: new HandlerInitError(key.ref, callbackExitReason(this.#ctx, error), true) };
    }
    const shape = result as Record<string, unknown> | null;
    if (typeof shape === 'object' && shape !== null) {
      if ('error' in shape) return { ok: false, error: new HandlerInitError(key.ref, shape.error, false) };
      if ('state' in shape) return { ok: true, state: shape.state };
    }
    return { ok: false, error: new HandlerInitError(key.ref, new BadReturnValueError('init', result), false) };
  }

  async #run(installed: Installed, callback: Callback, message: unknown): Promise<Outcome> {
    const fn = installed.spec[callback] as ((message: unknown, state: unknown, ctx: ProcessContext) => unknown) | undefined;
    if (typeof fn !== 'function') return { kind: 'crash', reason: new Error(`the handler ${describeHandler(installed)} has no ${callback}`) };
    let result: unknown;
    try {
      result = fn.call(installed.spec, message, installed.state, this.#ctx);
      if (isThenable(result)) result = await result;
    } catch (error) {
      return { kind: 'crash', reason: callbackExitReason(this.#ctx, error) };
    }
    return interpret(result, callback);
  }

  /** Applies a callback's outcome: new state, removal, swap, or removal as crashed. */
  async #apply(installed: Installed, outcome: Outcome, lastMessage: unknown, callback: Callback): Promise<void> {
    switch (outcome.kind) {
      case 'ok':
        installed.state = outcome.state;
        return;
      case 'remove':
        await this.#remove(installed, 'remove_handler', installed.state, 'normal');
        return;
      case 'crash':
        await this.#remove(installed, { error: outcome.reason }, installed.state, { crashed: outcome.reason, callback, lastMessage });
        return;
      case 'swap': {
        const index = this.#list.indexOf(installed);
        const { next } = outcome;
        const owner = installed.owner;
        const handover = await this.#handOver(installed, outcome.terminateArg, outcome.state, next, outcome.initArg, owner);
        const init = await this.#init(next, handover);
        if (init.ok) {
          this.#list.splice(Math.min(index, this.#list.length), 0, { ...next, state: init.state, owner });
          return;
        }
        // The handler swapped in refused to start: a crash of it, reported and told to the owner, as OTP.
        this.#report(next, undefined, { crashed: init.error, callback: 'init', lastMessage });
        if (owner !== undefined) this.#ctx.send(owner, new HandlerExit(this.#ctx.self, next.ref, init.error));
        return;
      }
    }
  }

  /** Terminates `installed` for a swap and packs what its terminate returned for the new handler. */
  async #handOver(installed: Installed, terminateArg: unknown, state: unknown, next: HandlerKey, initArg: unknown, owner: Pid | undefined): Promise<Handover> {
    const result = await this.#remove(installed, terminateArg, state, { swapped: next.ref, owner });
    return result.ok
      ? new Handover(initArg, result.value, installed.ref)
      : new Handover(initArg, undefined, installed.ref, new HandlerCrashedError(installed.ref, 'terminate', result.error));
  }

  /** OTP's `do_terminate`: takes the handler out, runs its terminate, reports a crash, tells the owner. */
  async #remove(installed: Installed, arg: unknown, state: unknown, removal: Removal): Promise<Settled> {
    const index = this.#list.indexOf(installed);
    if (index >= 0) this.#list.splice(index, 1);
    let result: Settled = { ok: true, value: undefined };
    const terminate = installed.spec.terminate;
    if (typeof terminate === 'function') {
      try {
        let value = terminate.call(installed.spec, arg, state, this.#ctx);
        if (isThenable(value)) value = await value;
        result = { ok: true, value };
      } catch (error) {
        result = { ok: false, error: callbackExitReason(this.#ctx, error) };
      }
    }
    let reason: HandlerExitReason = removal;
    if (typeof removal === 'object' && 'crashed' in removal) {
      this.#report(installed, state, removal);
      reason = removal.crashed;
    }
    if (installed.owner !== undefined) this.#ctx.send(installed.owner, new HandlerExit(this.#ctx.self, installed.ref, reason));
    return result;
  }

  #report(key: HandlerKey, state: unknown, crash: { crashed: unknown; callback: string; lastMessage: unknown }): void {
    const status = formatHandlerStatus(key.spec, { state, message: crash.lastMessage, reason: crash.crashed });
    const report: HandlerCrashedReport = {
      kind: 'handler_crashed',
      manager: this.#ctx.self,
      name: this.#name,
      handler: describeHandler(key),
      callback: crash.callback,
      lastMessage: status.message,
      state: status.state,
      reason: 'reason' in status ? status.reason : crash.crashed,
    };
    this.#ctx.node.log('error', report);
  }

  /** OTP's default `handle_info`: log the stray message; the handler stays. */
  #unexpected(installed: Installed, message: unknown): void {
    const report: HandlerUnexpectedMessageReport = {
      kind: 'unexpected_message',
      behaviour: 'GenEvent',
      pid: this.#ctx.self,
      name: this.#name,
      handler: describeHandler(installed),
      message,
    };
    this.#ctx.node.log('warning', report);
  }

}
