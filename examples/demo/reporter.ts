import { GenServer, type ChildSpec, type ProcessContext } from '../../src/index.js';
import { stats } from './stats.js';

interface ReporterState {
  readonly intervalMs: number;
  readonly say: (line: string) => void;
  readonly started: number;
  lastChats: number;
}

/** Every `intervalMs`, one line on how the node is doing: processes, chats per second, restarts, jobs. */
const reporter: GenServer.GenServerSpec<Omit<ReporterState, 'started' | 'lastChats'>, ReporterState> = {
  name: 'Reporter',
  init(arg, ctx) {
    ctx.sendAfter(arg.intervalMs, ctx.self, 'report');
    return { state: { ...arg, started: performance.now(), lastChats: stats.chats } };
  },
  handleInfo(message, state, ctx) {
    if (message !== 'report') return { state };
    const rate = Math.round(((stats.chats - state.lastChats) * 1000) / state.intervalMs);
    state.lastChats = stats.chats;
    const seconds = ((performance.now() - state.started) / 1000).toFixed(1).padStart(6);
    const heap = (process.memoryUsage().heapUsed / 1048576).toFixed(1);
    state.say(
      `[${seconds}s] ${ctx.node.processCount} processes · ${rate} msgs/s · ${stats.restarts} restarts · ${stats.jobsDone} jobs done · heap ${heap} MB`,
    );
    ctx.sendAfter(state.intervalMs, ctx.self, 'report');
    return { state };
  },
};

export function reporterWorker(intervalMs: number, say: (line: string) => void): ChildSpec {
  return { id: 'reporter', start: (ctx: ProcessContext) => GenServer.startLink(ctx, reporter, { intervalMs, say }, { name: 'reporter' }) };
}
