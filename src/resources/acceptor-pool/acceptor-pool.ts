/**
 * AcceptorPool: a TCP server in ranch's spirit. A pool of acceptor processes takes connections
 * from one listen socket; each connection gets a process of its own, under a supervisor, which
 * owns the socket and runs your handler. At `maxConnections` the acceptors stop accepting, and
 * resume when a connection ends; the limit can change while the pool runs. Stopping the pool
 * closes the listen socket first, then shuts the connections down with their shutdown time.
 *
 * **When not to use it.** For one or two long-lived connections, accept them yourself with
 * `Tcp.accept`. For HTTP, a web framework on Node's `http` is the better tool.
 */
import type { BeamishNode, Pid, ProcessContext } from '../../runtime/index.js';
import { DynamicSupervisor, GenServer, Supervisor, type ChildSpec, type ServerRef, type StartResult } from '../../otp/index.js';
import type { TcpListenOptions } from '../sockets/types.js';
import type { ConnectionHandler } from './internal/connection.js';
import { limiter, type LimiterInfo } from './internal/limiter.js';
import { listener } from './internal/listener.js';

export type { ConnectionHandler } from './internal/connection.js';

/** Options of a pool. */
export interface AcceptorPoolOptions {
  /** The TCP port; 0 takes a free one (`port(pool)` tells which). */
  readonly port: number;
  /** Runs in each connection's process, which owns the socket; the connection ends when it returns. */
  readonly handler: ConnectionHandler;
  /** Listen options (`ip`, `backlog`) and the options accepted sockets start with (`active`, `packet`, …). Default `active: false`. */
  readonly socket?: TcpListenOptions;
  /** Acceptor processes. Default 10. */
  readonly acceptors?: number;
  /** Connections at once; past it, acceptors wait. Default 1024; `Infinity` for no limit. */
  readonly maxConnections?: number;
  /** Milliseconds a new connection process waits for its socket. Default 5000. */
  readonly handshakeTimeout?: number;
  /** How a connection is stopped when the pool stops: ms after `'shutdown'`, or `'brutal_kill'`. Default 5000. */
  readonly shutdown?: number | 'brutal_kill';
  /** Register the pool's supervisor under this name. */
  readonly name?: string;
  /** The node, for `start` (default: the default node). */
  readonly node?: BeamishNode;
}

/** A pool's state, as `info` reports it. */
export interface AcceptorPoolInfo extends LimiterInfo {
  readonly port: number;
  readonly acceptors: number;
}

function whole(name: string, value: unknown, min: number, infinite: boolean): number {
  if ((infinite && value === Infinity) || (Number.isInteger(value) && (value as number) >= min)) return value as number;
  throw new TypeError(`Expected \`${name}\` to be a whole number from ${min} up${infinite ? ' or Infinity' : ''}, got \`${String(value)}\` (${typeof value})`);
}

function children(options: AcceptorPoolOptions): ChildSpec[] {
  if (typeof options !== 'object' || options === null) throw new TypeError(`Expected \`options\` to be an object, got \`${String(options)}\``);
  if (typeof options.handler !== 'function') throw new TypeError(`Expected \`options.handler\` to be a function, got \`${String(options.handler)}\` (${typeof options.handler})`);
  const port = whole('options.port', options.port, 0, false);
  const acceptors = whole('options.acceptors', options.acceptors ?? 10, 1, false);
  const max = whole('options.maxConnections', options.maxConnections ?? 1024, 0, true);
  const handshakeTimeout = whole('options.handshakeTimeout', options.handshakeTimeout ?? 5000, 0, true);
  const shutdown = options.shutdown ?? 5000;
  if (shutdown !== 'brutal_kill') whole('options.shutdown', shutdown, 0, false);
  // rest_for_one, in this order: a limiter or connection supervisor that fails takes the
  // listener down with it, and stopping goes listener first, connections next, limiter last.
  let limiterPid: Pid | undefined;
  let connectionsPid: Pid | undefined;
  return [
    {
      id: 'limiter',
      start: async (ctx) => {
        const result = await GenServer.startLink(ctx, limiter, max);
        if (result.ok) limiterPid = result.pid;
        return result;
      },
    },
    {
      id: 'connections',
      type: 'supervisor',
      start: async (ctx) => {
        const result = await DynamicSupervisor.startLink(ctx, { intensity: 0 });
        if (result.ok) connectionsPid = result.pid;
        return result;
      },
    },
    {
      id: 'listener',
      start: (ctx) =>
        GenServer.startLink(ctx, listener, {
          port,
          socket: { active: false, ...options.socket },
          acceptors,
          handler: options.handler,
          handshakeTimeout,
          shutdown,
          limiter: limiterPid!,
          connections: connectionsPid!,
        }),
    },
  ];
}

/** Starts a pool, not linked; resolves once it listens. A port in use fails the start (`eaddrinuse`). */
export function start(options: AcceptorPoolOptions): Promise<StartResult> {
  return Supervisor.start(children(options), { strategy: 'rest_for_one', intensity: 3, period: 5, name: options.name, node: options.node, label: 'AcceptorPool' });
}

/** As `start`, linked to `ctx`: a pool as a child of your application's tree. */
export function startLink(ctx: ProcessContext, options: AcceptorPoolOptions): Promise<StartResult> {
  return Supervisor.startLink(ctx, children(options), { strategy: 'rest_for_one', intensity: 3, period: 5, name: options.name, label: 'AcceptorPool' });
}

async function child(pool: ServerRef, id: 'limiter' | 'listener'): Promise<Pid> {
  const found = (await Supervisor.whichChildren(pool)).find((info) => info.id === id)?.pid;
  if (typeof found !== 'object') throw new Error(`the pool's ${id} is not running`);
  return found;
}

/** The port the pool listens on. */
export async function port(pool: ServerRef): Promise<number> {
  return GenServer.call<number>(await child(pool, 'listener'), 'port');
}

/** Connections now, the limit, acceptors waiting at the limit, the port and the acceptors. */
export async function info(pool: ServerRef): Promise<AcceptorPoolInfo> {
  const limits = await GenServer.call<LimiterInfo>(await child(pool, 'limiter'), { kind: 'info' });
  const listen = await child(pool, 'listener');
  return { ...limits, port: await GenServer.call<number>(listen, 'port'), acceptors: await GenServer.call<number>(listen, 'acceptors') };
}

/** Changes the connection limit while the pool runs: raising it lets waiting acceptors go on at once. */
export async function setMaxConnections(pool: ServerRef, max: number): Promise<void> {
  whole('max', max, 0, true);
  await GenServer.call(await child(pool, 'limiter'), { kind: 'set_max', max });
}

/** Stops the pool: the listen socket closes, then connections are shut down, then the pool exits. */
export function stop(pool: ServerRef): Promise<void> {
  return Supervisor.stop(pool, 'shutdown');
}
