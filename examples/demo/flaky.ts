import { GenServer, type ChildSpec, type ProcessContext } from '../../src/index.js';

/**
 * A worker that crashes every few seconds, so the newcomer sees a supervisor restart it: it throws
 * from `handleInfo`, its supervisor logs `child_terminated` and starts a fresh one.
 */
const flaky: GenServer.GenServerSpec<number, { readonly lifetime: number }> = {
  name: 'Flaky',
  init(lifetime, ctx) {
    ctx.sendAfter(lifetime, ctx.self, 'trip');
    return { state: { lifetime } };
  },
  handleInfo(message, state) {
    if (message === 'trip') throw new Error(`flaky tripped after ${state.lifetime} ms, as it does`);
    return { state };
  },
};

export function flakyWorker(lifetimeMs: number): ChildSpec {
  return {
    id: 'flaky',
    start: (ctx: ProcessContext) => GenServer.startLink(ctx, flaky, lifetimeMs, { name: 'flaky' }),
  };
}
