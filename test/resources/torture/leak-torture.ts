/**
 * The leak torture of issue 4: waves of processes each open a port (a `cat`), both ends of a TCP
 * connection, a timer, a table and a file, and are then ended at random — a normal return, a
 * crash, `kill`, a supervisor's shutdown, or their node stopping. Afterwards the OS-level counts
 * (open descriptors, child processes, Node's active handles) must be back to their baseline.
 *
 * Shared by test/resources/leak-torture.test.ts (a CI-sized run) and `npm run torture -- N`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createNode,
  DynamicSupervisor,
  File,
  Port,
  Table,
  Tcp,
  silentLogger,
  type BeamishNode,
  type Pid,
  type ProcessContext,
  type TcpListenSocket,
} from '../../../src/index.js';

/** How a worker is ended. */
export type Ending = 'normal' | 'crash' | 'kill' | 'supervisor' | 'node_stop';
const ENDINGS: readonly Ending[] = ['normal', 'crash', 'kill', 'supervisor', 'node_stop'];

/** What the OS says the Node.js process holds. */
export interface Snapshot {
  readonly fds: number;
  readonly children: number;
  readonly handles: Readonly<Record<string, number>>;
}

/** Open descriptors, live child processes and Node's active handles, by kind, right now. */
export function snapshot(): Snapshot {
  const handles: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) handles[kind] = (handles[kind] ?? 0) + 1;
  return { fds: readdirSync('/proc/self/fd').length, children: childProcesses(), handles };
}

function childProcesses(): number {
  let count = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command (which may hold spaces): state, then parent pid.
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(ppid) === process.pid && state !== 'Z') count++;
    } catch {
      // The process ended while we looked.
    }
  }
  return count;
}

/** Seeded, so a failing run can be repeated (mulberry32). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface TortureOptions {
  /** Workers in all. */
  readonly processes: number;
  /** Workers alive at once (one node per wave). */
  readonly wave?: number;
  readonly seed?: number;
}

export interface TortureResult {
  readonly processes: number;
  readonly endings: Readonly<Record<Ending, number>>;
  readonly baseline: Snapshot;
  readonly peak: Snapshot;
  readonly after: Snapshot;
  readonly seconds: number;
}

type Order = 'normal' | 'crash';
const isOrder = (message: unknown): message is Order => message === 'normal' || message === 'crash';

/** One worker: opens one of everything, says it is ready, then waits to be ended. */
function worker(index: number, dir: string, listener: number, coordinator: Pid) {
  return async function tortured(ctx: ProcessContext): Promise<void> {
    const port = Port.open(ctx, { spawn: 'cat' });
    const table = Table.create(ctx, { type: index % 2 === 0 ? 'set' : 'ordered_set' });
    Table.insert(ctx, table, [index, 'row']);
    const file = await File.open(ctx, join(dir, `w${index}`), ['write']);
    await File.write(file, 'held open\n');
    const client = await Tcp.connect(ctx, '127.0.0.1', listener, { active: false });
    await Tcp.send(client, 'hello');
    ctx.sendAfter(3_600_000, ctx.self, 'an hour from now');
    void port;
    ctx.send(coordinator, { ready: ctx.self });
    const order = await ctx.receive(isOrder);
    if (order === 'crash') throw new Error(`worker ${index} crashes on purpose`);
  };
}

/**
 * The accepting end: takes each connection and hands it to a holder process of its own, so both
 * ends of every connection are owned, by different processes, on the worker's node.
 */
async function acceptor(ctx: ProcessContext, listen: TcpListenSocket): Promise<void> {
  for (;;) {
    const socket = await Tcp.accept(ctx, listen);
    const holder = ctx.spawnLink(async (h) => void (await h.receive(() => false)));
    Tcp.controllingProcess(ctx, socket, holder);
  }
}

export async function torture(options: TortureOptions): Promise<TortureResult> {
  const started = performance.now();
  const wave = options.wave ?? 100;
  const next = random(options.seed ?? 42);
  const endings: Record<Ending, number> = { normal: 0, crash: 0, kill: 0, supervisor: 0, node_stop: 0 };
  const dir = await mkdtemp(join(tmpdir(), 'beamish-torture-'));
  const baseline = snapshot();
  let peak = baseline;
  try {
    for (let done = 0; done < options.processes; done += wave) {
      const size = Math.min(wave, options.processes - done);
      const node = createNode({ name: `torture${done}@localhost`, logger: silentLogger });
      const wavePeak = await runWave(node, size, done, dir, next, endings);
      if (wavePeak.fds > peak.fds) peak = wavePeak;
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return { processes: options.processes, endings, baseline, peak, after: snapshot(), seconds: (performance.now() - started) / 1000 };
}

async function runWave(node: BeamishNode, size: number, first: number, dir: string, next: () => number, endings: Record<Ending, number>): Promise<Snapshot> {
  const sup = await DynamicSupervisor.start({ node, intensity: 0 });
  if (!sup.ok) throw new Error('the wave supervisor did not start');
  const coordinator = await node.run(async (ctx) => {
    const listen = await Tcp.listen(ctx, 0, { ip: '127.0.0.1' });
    const port = Tcp.sockname(listen).port;
    ctx.spawnLink((a) => acceptor(a, listen));
    const workers: { pid: Pid; ending: Ending; supervised: boolean }[] = [];
    for (let i = 0; i < size; i++) {
      const ending = ENDINGS[Math.floor(next() * ENDINGS.length)]!;
      const body = worker(first + i, dir, port, ctx.self);
      if (ending === 'supervisor') {
        const started = await DynamicSupervisor.startChild(sup.pid, { restart: 'temporary', shutdown: 1000, start: (s: ProcessContext) => s.spawnLink(body) });
        if (!started.ok) throw new Error('a supervised worker did not start');
        workers.push({ pid: started.pid, ending, supervised: true });
      } else workers.push({ pid: ctx.spawn(body), ending, supervised: false });
    }
    for (let ready = 0; ready < size; ready++) await ctx.receive((m) => typeof m === 'object' && m !== null && 'ready' in m);
    const peak = snapshot();
    const exits: Promise<unknown>[] = [];
    for (const { pid, ending } of workers) {
      endings[ending]++;
      if (ending === 'node_stop') continue;
      exits.push(node.awaitExit(pid));
      if (ending === 'normal' || ending === 'crash') ctx.send(pid, ending);
      else if (ending === 'kill') ctx.exit(pid, 'kill');
      else await DynamicSupervisor.terminateChild(sup.pid, pid);
    }
    await Promise.all(exits);
    // Tables die with their owners (none has an heir): only the node_stop workers' remain.
    const holding = workers.filter((entry) => entry.ending === 'node_stop').length;
    if (Table.count(node) !== holding) throw new Error(`${Table.count(node)} tables left for ${holding} live workers`);
    return peak;
  }, { trapExit: true });
  await node.stop({ timeout: 2000 });
  return coordinator;
}
