import { ExitMessage, type ExitReason, type Pid, type ProcessContext } from '../../runtime/index.js';
import { isQuietReason, type BehaviourTerminatedReport } from '../reports.js';
import type { Starter } from '../start.js';
import { HandlerSet } from './gen-event-handlers.js';
import { ManagerRequestMessage, NotifyMessage, type ManagerReply, type ManagerRequest } from './gen-event-messages.js';
import { SystemMessage, SystemState, type SystemTarget } from './system.js';

/**
 * @internal One GenEvent manager process (OTP's `gen_event` loop): traps exits, serves notify,
 * sync requests and `sys`, hands every other message to the handlers' `handleInfo`, removes the
 * handlers of a supervising owner that died, and stops its handlers when it terminates.
 */
export class GenEventManager implements SystemTarget {
  readonly behaviour = 'GenEvent';
  readonly name: unknown;
  readonly #ctx: ProcessContext;
  readonly #system: SystemState;
  readonly #handlers: HandlerSet;
  #lastMessage: unknown = undefined;

  constructor(ctx: ProcessContext, name: unknown, parent: Pid) {
    this.#ctx = ctx;
    this.name = name;
    this.#system = new SystemState(parent);
    this.#handlers = new HandlerSet(ctx, name);
    // The medic's memory estimates and info read the state through this, without a message.
    ctx.exposeState(() => this.getState());
  }

  /** Starts trapping exits, tells the starter, and serves until the process ends. */
  run(starter: Starter): Promise<never> {
    this.#ctx.trapExit(true);
    starter.started();
    return this.#loop();
  }

  /**
   * An exit signal that ends the manager: its parent's, or the node's own (the node stopping). A
   * manager traps exits, so without the second an unlinked one would outlive `node.stop` until killed.
   */
  #ends(message: unknown): message is ExitMessage {
    return message instanceof ExitMessage && (message.from.equals(this.#system.parent) || message.from.equals(this.#ctx.node.pid));
  }

  #whileSuspended = (message: unknown): boolean => message instanceof SystemMessage || this.#ends(message);

  async #loop(): Promise<never> {
    const ctx = this.#ctx;
    const system = this.#system;
    const handlers = this.#handlers;
    for (;;) {
      const message = system.suspended ? await ctx.receive(this.#whileSuspended) : await ctx.receive();
      if (message instanceof SystemMessage) {
        await system.handle(message, this, ctx);
        continue;
      }
      if (this.#ends(message)) await this.terminate(message.reason);
      this.#lastMessage = message;
      if (message instanceof NotifyMessage) {
        if (system.debugging) system.record('in', { event: message.event });
        await handlers.notify(message.event, 'handleEvent');
      } else if (message instanceof ManagerRequestMessage) {
        if (system.debugging) system.record('in', { request: message.request.kind });
        const reply = await this.#serve(message.request);
        message.from.deliver(reply);
        if (system.debugging) system.record('out', { reply: reply.ok ? reply.value : reply.error });
      } else {
        if (system.debugging) system.record('in', { message });
        // An owner's EXIT first removes the handlers it supervised, then goes to every handler (as OTP).
        if (message instanceof ExitMessage) await handlers.ownerExited(message.from, message.reason);
        await handlers.notify(message, 'handleInfo');
      }
    }
  }

  async #serve(request: ManagerRequest): Promise<ManagerReply> {
    const handlers = this.#handlers;
    switch (request.kind) {
      case 'sync_notify':
        await handlers.notify(request.event, 'handleEvent');
        return { ok: true, value: undefined };
      case 'call':
        return handlers.call(request.handler, request.request);
      case 'add':
        return { ok: true, value: await handlers.add(request.handler, request.arg, request.owner) };
      case 'delete':
        return handlers.delete(request.handler, request.arg);
      case 'swap':
        return { ok: true, value: await handlers.swap(request.old, request.terminateArg, request.next, request.initArg, request.owner) };
      case 'which':
        return { ok: true, value: handlers.which() };
    }
  }

  /**
   * OTP's `terminate_server`: terminates every handler (`'stop'`, owners told `'shutdown'`),
   * unlinks their owners so they do not die with the manager, reports an abnormal reason, exits.
   */
  async terminate(reason: ExitReason): Promise<never> {
    const ctx = this.#ctx;
    const handlersBefore = this.#handlers.formatted();
    const owners = await this.#handlers.stopAll();
    for (const owner of owners) if (!owner.equals(this.#system.parent)) ctx.unlink(owner);
    if (!isQuietReason(reason)) {
      const report: BehaviourTerminatedReport = {
        kind: 'server_terminated',
        behaviour: this.behaviour,
        pid: ctx.self,
        name: this.name,
        lastMessage: this.#lastMessage,
        state: handlersBefore,
        reason,
      };
      ctx.node.log('error', report);
    }
    return ctx.exit(reason);
  }

  getState(): unknown {
    return this.#handlers.states();
  }

  setState(state: unknown): void {
    this.#handlers.replaceStates(state);
  }

  formatState(): unknown {
    return this.#handlers.formatted();
  }

  details(): Record<string, unknown> {
    return { handlers: this.#handlers.size };
  }
}
