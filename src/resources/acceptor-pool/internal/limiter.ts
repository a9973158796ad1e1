import { DownMessage, type Pid, type Ref } from '../../../runtime/index.js';
import { GenServer, type From } from '../../../otp/index.js';

/*
 * The connection limit of an acceptor pool, as ranch's connection supervisor keeps it: an
 * acceptor asks for a slot before it starts a connection process and waits — accepting nothing
 * more — while the pool is full. A slot is held by the acceptor until it hands it to the
 * connection, and freed when its holder exits, so neither can leak one.
 */

/** @internal */
export type LimiterRequest =
  | { readonly kind: 'admit'; readonly acceptor: Pid }
  | { readonly kind: 'handover'; readonly slot: Ref; readonly connection: Pid }
  | { readonly kind: 'release'; readonly slot: Ref }
  | { readonly kind: 'set_max'; readonly max: number }
  | { readonly kind: 'info' };

/** @internal What `AcceptorPool.info` reports of the limit. */
export interface LimiterInfo {
  readonly connections: number;
  readonly maxConnections: number;
  /** Acceptors waiting for a slot, each holding one accepted connection. */
  readonly waiting: number;
}

interface Waiting {
  readonly from: From<Ref>;
  readonly acceptor: Pid;
  readonly monitor: Ref;
}

interface State {
  max: number;
  /** Slots in use, by the monitor of their holder. */
  readonly slots: Map<Ref, Pid>;
  readonly waiting: Waiting[];
}

function grant(ctx: { monitor(pid: Pid): Ref }, state: State, holder: Pid): Ref {
  const slot = ctx.monitor(holder);
  state.slots.set(slot, holder);
  return slot;
}

function serveWaiting(ctx: { monitor(pid: Pid): Ref; demonitor(ref: Ref): boolean }, state: State): void {
  while (state.slots.size < state.max && state.waiting.length > 0) {
    const next = state.waiting.shift()!;
    ctx.demonitor(next.monitor);
    GenServer.reply(next.from, grant(ctx, state, next.acceptor));
  }
}

/** @internal The limiter's callbacks. */
export const limiter: GenServer.GenServerSpec<number, State, LimiterRequest, unknown> = {
  name: 'AcceptorPool.limiter',
  init: (max) => ({ state: { max, slots: new Map(), waiting: [] } }),
  handleCall(request, from, state, ctx) {
    switch (request.kind) {
      case 'admit':
        if (state.slots.size < state.max) return { reply: grant(ctx, state, request.acceptor), state };
        state.waiting.push({ from: from as From<Ref>, acceptor: request.acceptor, monitor: ctx.monitor(request.acceptor) });
        return { noreply: true, state };
      case 'handover': {
        if (!state.slots.delete(request.slot)) return { reply: false, state };
        ctx.demonitor(request.slot, { flush: true });
        // The connection may already be gone: the monitor's DOWN then frees the slot at once.
        return { reply: true, state: (grant(ctx, state, request.connection), state) };
      }
      case 'release':
        if (state.slots.delete(request.slot)) {
          ctx.demonitor(request.slot, { flush: true });
          serveWaiting(ctx, state);
        }
        return { reply: undefined, state };
      case 'set_max':
        state.max = request.max;
        serveWaiting(ctx, state);
        return { reply: undefined, state };
      case 'info': {
        const info: LimiterInfo = { connections: state.slots.size, maxConnections: state.max, waiting: state.waiting.length };
        return { reply: info, state };
      }
    }
  },
  handleInfo(message, state, ctx) {
    if (!(message instanceof DownMessage)) return { state };
    if (state.slots.delete(message.ref)) serveWaiting(ctx, state);
    else {
      const at = state.waiting.findIndex((entry) => entry.monitor === message.ref);
      if (at >= 0) state.waiting.splice(at, 1);
    }
    return { state };
  },
};
