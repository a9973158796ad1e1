import { GenServer, Supervisor, type ChildSpec, type ProcessContext } from '../../src/index.js';
import { stats } from './stats.js';

/*
 * The council: a few dozen named GenServers that chat with each other at their own random pace,
 * as the book's recon_demo council does. Most chats are casts; one in five is a call that waits
 * for the other's answer, so a slow or missing councillor shows up as a call error.
 */

export const councillorName = (index: number) => `councillor_${index}`;

interface Councillor {
  readonly index: number;
  readonly size: number;
  /** Milliseconds between this councillor's own remarks. */
  readonly pace: number;
  heard: number;
}

type Request = { readonly kind: 'opinion'; readonly from: string };

const councillor: GenServer.GenServerSpec<{ index: number; size: number }, Councillor, Request, string, string> = {
  name: 'Councillor',
  init({ index, size }, ctx) {
    const pace = 100 + Math.floor(Math.random() * 900);
    ctx.sendAfter(pace, ctx.self, 'speak');
    return { state: { index, size, pace, heard: 0 } };
  },
  handleCall(request, _from, state) {
    state.heard++;
    return { reply: `${councillorName(state.index)} agrees with ${request.from}`, state };
  },
  handleCast(_remark, state) {
    state.heard++;
    return { state };
  },
  async handleInfo(message, state, ctx) {
    if (message !== 'speak') return { state };
    const other = councillorName(Math.floor(Math.random() * state.size));
    const server = { name: other, node: ctx.node };
    stats.chats++;
    if (Math.random() < 0.2) {
      // A call may fail if the other is restarting; a councillor shrugs that off.
      await GenServer.call(server, { kind: 'opinion', from: councillorName(state.index) }, 1000).catch(() => undefined);
    } else GenServer.cast(server, `${councillorName(state.index)} says hello`);
    ctx.sendAfter(state.pace, ctx.self, 'speak');
    return { state };
  },
};

/** The council's supervisor spec: `size` councillors, one_for_one. */
export function councilSupervisor(size: number): ChildSpec {
  const children: ChildSpec[] = Array.from({ length: size }, (_, index) => ({
    id: councillorName(index),
    start: (ctx: ProcessContext) => GenServer.startLink(ctx, councillor, { index, size }, { name: councillorName(index) }),
  }));
  return {
    id: 'council',
    type: 'supervisor',
    start: (ctx) => Supervisor.startLink(ctx, children, { name: 'council', strategy: 'one_for_one', intensity: 10, period: 5 }),
  };
}
