/**
 * The Beamish side of the benchmarks: the same workloads as erlang/beam_bench.erl. Run one with
 * `node --expose-gc --import tsx bench/beamish/workloads.ts <id> <size>`; it prints RESULT <value>.
 */
import { echoLoad } from '../common/echo-clients.js';
import {
  AcceptorPool,
  createNode,
  fromPort,
  GenServer,
  Port,
  PortData,
  silentLogger,
  Supervisor,
  Tcp,
  TcpClosed,
  TcpData,
  TIMEOUT,
  type Pid,
  type ProcessContext,
} from '../../src/index.js';
import { procCount } from '../../src/medic/index.js';

// Reports are dropped, as the Erlang side switches its logger off: W6 makes a million of them.
const node = createNode({ name: 'bench@localhost', maxProcesses: 4_000_000, logger: silentLogger });

type Workload = (ctx: ProcessContext, size: number) => Promise<number>;

function medianOf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

async function blocked(ctx: ProcessContext): Promise<void> {
  for (;;) {
    const { from } = (await ctx.receive()) as { from: Pid };
    ctx.send(from, 'pong');
  }
}

/** Spawns `size` blocked processes; resolves once the last (so, FIFO, every one) has run to its receive. */
async function spawnBlocked(ctx: ProcessContext, size: number): Promise<void> {
  let last: Pid | undefined;
  for (let i = 0; i < size; i++) last = ctx.spawn(blocked);
  ctx.send(last as Pid, { from: ctx.self });
  await ctx.receive();
}

function heapUsedAfterGc(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

function ringMember(next: Pid) {
  return async function member(ctx: ProcessContext): Promise<void> {
    for (;;) {
      const hops = (await ctx.receive()) as number;
      ctx.send(next, hops === 0 ? 0 : hops - 1);
      if (hops === 0) return;
    }
  };
}

/** A producer sends `size` numbers to `consume`, which tells the parent when done; messages per second. */
async function pipeline(ctx: ProcessContext, size: number, consume: (c: ProcessContext) => Promise<void>): Promise<number> {
  const parent = ctx.self;
  const consumer = ctx.spawn(async (c) => {
    await consume(c);
    c.send(parent, 'counted');
  });
  const started = performance.now();
  ctx.spawn((producer) => {
    for (let i = size; i > 0; i--) producer.send(consumer, i);
  });
  await ctx.receive();
  return (size * 1000) / (performance.now() - started);
}

function skynet(parent: Pid, num: number, size: number) {
  return async function skynetNode(ctx: ProcessContext): Promise<void> {
    if (size === 1) return ctx.send(parent, num);
    const child = size / 10;
    for (let i = 0; i < 10; i++) ctx.spawn(skynet(ctx.self, num + i * child, child));
    let sum = 0;
    for (let i = 0; i < 10; i++) sum += (await ctx.receive()) as number;
    ctx.send(parent, sum);
  };
}

/** Times procCount over M1's process mix this many times in one node; the median is the result. */
const M1_REPETITIONS = 5;

/** Waits for a ping it never gets, so the notes sent to it stay queued. */
async function withQueue(ctx: ProcessContext): Promise<void> {
  await ctx.receive((message) => (message as { from?: Pid }).from !== undefined);
}

const smallServer = {
  init: (i: number) => ({ state: { count: i, name: `worker-${i}`, recent: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] } }),
  handleCall: (request: unknown, _from: unknown, state: unknown) => ({ reply: request, state }),
};

/**
 * M1's process mix, `size` in all: of every 100, one GenServer with a small state (a count, a
 * name, a list of ten numbers), ten processes blocked in a selective receive with three messages
 * queued that it does not match, and 89 blocked in receive with an empty mailbox. Resolves once
 * all have reached their receive.
 */
async function spawnMix(ctx: ProcessContext, size: number): Promise<void> {
  let last: Pid | undefined;
  for (let i = 0; i < size; i++) {
    const kind = i % 100;
    if (kind === 0) {
      const started = await GenServer.start(smallServer, i, { node });
      if (!started.ok) throw new Error('M1 server did not start');
    } else if (kind <= 10) {
      const queued = ctx.spawn(withQueue);
      for (let note = 0; note < 3; note++) ctx.send(queued, { note, of: i });
    } else {
      last = ctx.spawn(blocked);
    }
  }
  if (last === undefined) last = ctx.spawn(blocked);
  ctx.send(last, { from: ctx.self });
  await ctx.receive();
}

const workloads: Record<string, Workload> = {
  /** Processes spawned per second, each blocking in receive. */
  async W1(ctx, size) {
    const started = performance.now();
    await spawnBlocked(ctx, size);
    return (size * 1000) / (performance.now() - started);
  },

  /** Heap bytes per blocked process, after a full GC. */
  async W1M(ctx, size) {
    const before = heapUsedAfterGc();
    await spawnBlocked(ctx, size);
    return (heapUsedAfterGc() - before) / size;
  },

  /** Ring of 10,000 processes; hops per second. */
  async W2(ctx, hops) {
    const members = 10_000;
    let next = ctx.self;
    for (let i = 1; i < members; i++) next = ctx.spawn(ringMember(next));
    const first = next;
    const started = performance.now();
    ctx.send(first, hops);
    for (;;) {
      const left = (await ctx.receive()) as number;
      if (left === 0) break;
      ctx.send(first, left - 1);
    }
    return (hops * 1000) / (performance.now() - started);
  },

  /**
   * One producer, one consumer that counts; messages per second. The consumer takes what is queued
   * with tryReceive and waits with receive only when its mailbox is empty, yielding every 4000
   * messages as Erlang's reduction budget would make it: the way to write a high-throughput consumer.
   */
  W3: (ctx, size) =>
    pipeline(ctx, size, async function drainingConsumer(c) {
      for (let count = 0; count < size; ) {
        if (c.tryReceive() === TIMEOUT) await c.receive();
        if (++count % 4000 === 0) await c.yield();
      }
    }),

  /** As W3, but the consumer awaits receive() for every message: the plain way. */
  W3A: (ctx, size) =>
    pipeline(ctx, size, async function awaitingConsumer(c) {
      for (let count = 0; count < size; count++) await c.receive();
    }),

  /** Sequential GenServer.call round trips to one server; calls per second. */
  async W4(ctx, size) {
    const started = await GenServer.startLink(ctx, pingServer, undefined);
    if (!started.ok) throw new Error('W4 server did not start');
    const server = started.pid;
    const t0 = performance.now();
    for (let i = 0; i < size; i++) {
      if ((await GenServer.call(server, 'ping')) !== 'ping') throw new Error('W4 bad reply');
    }
    return (size * 1000) / (performance.now() - t0);
  },

  /** A one_for_one supervisor whose child exits as soon as it started; restart cycles per second. */
  async W6(ctx, size) {
    ctx.trapExit(true);
    const parent = ctx.self;
    const crasher = {
      id: 'crasher',
      start: (sup: ProcessContext) =>
        sup.spawnLink(function crasher(child) {
          child.send(parent, 'started');
          child.exit('crash');
        }),
    };
    const t0 = performance.now();
    const started = await Supervisor.startLink(ctx, [crasher], { intensity: size + 10, period: 1 });
    if (!started.ok) throw new Error('W6 supervisor did not start');
    for (let i = 0; i <= size; i++) await ctx.receive();
    return (size * 1000) / (performance.now() - t0);
  },

  /** procCount('memory', 10) over M1's mix of `size` processes; seconds (median of M1_REPETITIONS in one node). */
  async M1(ctx, size) {
    await spawnMix(ctx, size);
    const times: number[] = [];
    for (let run = 0; run < M1_REPETITIONS; run++) {
      const started = performance.now();
      const top = procCount('memory', 10, { node });
      times.push((performance.now() - started) / 1000);
      if (top.length !== Math.min(10, node.processCount)) throw new Error(`M1 got ${top.length} rows`);
    }
    return medianOf(times);
  },

  /** Skynet: 1,000,000 leaves, fan-out 10; seconds. */
  async W5(ctx, size) {
    const started = performance.now();
    ctx.spawn(skynet(ctx.self, 0, size));
    const sum = (await ctx.receive()) as number;
    if (sum !== (size * (size - 1)) / 2) throw new Error(`skynet summed ${sum}`);
    return (performance.now() - started) / 1000;
  },

  /**
   * Sequential round trips of a 16-byte message through a port running cat with a 4-byte length
   * header: command, then receive the echoed packet; round trips per second.
   */
  /** A TCP echo server, a process per connection (AcceptorPool), under 100 plain Node.js clients; echoed bytes/s. */
  async S1(ctx, roundTrips) {
    const started = await AcceptorPool.startLink(ctx, {
      port: 0,
      acceptors: 10,
      maxConnections: Infinity,
      socket: { ip: '127.0.0.1', active: true, noDelay: true },
      handler: async function echo(conn, socket) {
        for (;;) {
          const message = await conn.receive();
          if (message instanceof TcpData) await Tcp.send(socket, message.data);
          else if (message instanceof TcpClosed) return;
        }
      },
    });
    if (!started.ok) throw new Error('S1 pool did not start');
    return echoLoad(await AcceptorPool.port(started.pid), 100, roundTrips);
  },

  async P1(ctx, size) {
    const port = Port.open(ctx, { spawn: 'cat' }, { packet: 4 });
    const fromCat = fromPort(port);
    const message = Buffer.alloc(16, 'x');
    const started = performance.now();
    for (let i = 0; i < size; i++) {
      await Port.command(port, message);
      const reply = await ctx.receive(fromCat);
      if (!(reply instanceof PortData) || reply.data.length !== 16) throw new Error('P1 bad reply');
    }
    const rate = (size * 1000) / (performance.now() - started);
    Port.close(port);
    return rate;
  },

  /**
   * `size` chunks of 64 KiB streamed through a port running cat (no framing). A sender process
   * awaits Port.command for each chunk (so it waits while the port is busy); the owner counts the
   * bytes that come back until all have; bytes per second.
   */
  async P2(ctx, size) {
    const port = Port.open(ctx, { spawn: 'cat' });
    const fromCat = fromPort(port);
    const chunk = Buffer.alloc(65_536, 'x');
    const started = performance.now();
    ctx.spawnLink(async function sender() {
      for (let i = 0; i < size; i++) await Port.command(port, chunk);
    });
    for (let left = size * chunk.length; left > 0; ) {
      const message = await ctx.receive(fromCat);
      if (!(message instanceof PortData)) throw new Error('P2 port closed early');
      left -= message.data.length;
    }
    const rate = (size * chunk.length * 1000) / (performance.now() - started);
    Port.close(port);
    return rate;
  },
};

const pingServer = {
  init: () => ({ state: 0 }),
  handleCall: (request: unknown, _from: unknown, state: number) => ({ reply: request, state }),
};

const [id = '', sizeText = ''] = process.argv.slice(2);
const workload = workloads[id];
if (workload === undefined) throw new Error(`Unknown workload ${id}; known: ${Object.keys(workloads).join(', ')}`);
const value = await node.run((ctx) => workload(ctx, Number(sizeText)));
console.log(`RESULT ${value}`);

