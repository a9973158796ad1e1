import type { ProcessContext } from '../../src/index.js';
import { fromSocket, Tcp, type TcpConnectOptions, type TcpListenOptions, type TcpListenSocket, type TcpSocket, type TcpMessage } from '../../src/index.js';

/** A listen socket on loopback with a free port, and that port. */
export async function listenLocal(ctx: ProcessContext, options: TcpListenOptions = {}): Promise<{ listen: TcpListenSocket; port: number }> {
  const listen = await Tcp.listen(ctx, 0, { ip: '127.0.0.1', ...options });
  return { listen, port: Tcp.sockname(listen).port };
}

/** Both ends of a loopback connection, both owned by the caller. */
export async function connectedPair(
  ctx: ProcessContext,
  serverOptions: TcpListenOptions = {},
  clientOptions: TcpConnectOptions = {},
): Promise<{ listen: TcpListenSocket; client: TcpSocket; server: TcpSocket }> {
  const { listen, port } = await listenLocal(ctx, serverOptions);
  const [client, server] = await Promise.all([Tcp.connect(ctx, '127.0.0.1', port, clientOptions, 5000), Tcp.accept(ctx, listen, 5000)]);
  return { listen, client, server };
}

/** The next message from a socket, described as `[kind, text?]` for easy comparison. */
export async function nextFrom(ctx: ProcessContext, socket: TcpSocket): Promise<unknown[]> {
  return describe(await ctx.receive(fromSocket(socket)));
}

export function describe(message: TcpMessage): unknown[] {
  const kind = message.constructor.name;
  if ('data' in message) return [kind, message.data.toString()];
  if ('reason' in message) return [kind, message.reason];
  return [kind];
}

/** Every queued message of `socket` in the caller's mailbox, described, without waiting. */
export function drain(ctx: ProcessContext, socket: TcpSocket): unknown[][] {
  const seen: unknown[][] = [];
  for (;;) {
    const message = ctx.tryReceive(fromSocket(socket));
    if (typeof message === 'symbol') return seen;
    seen.push(describe(message));
  }
}

const PENDING = Symbol('pending');

/** Whether a promise is still pending after everything already settled has run. */
export async function isPending(promise: Promise<unknown>): Promise<boolean> {
  // The promise itself goes first, so one already settled wins the race.
  const winner = await Promise.race([promise, Promise.resolve(PENDING)]).catch(() => 'rejected');
  return winner === PENDING;
}

/**
 * Lets the event loop run `turns` full turns (timers, I/O, immediates): a chance for anything
 * that can happen to happen, without waiting for a guessed time.
 */
export async function loopTurns(turns: number): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** Counts of the socket handle kinds in `process.getActiveResourcesInfo()`. */
export function socketHandles(): { tcp: number; servers: number; udp: number } {
  const active = process.getActiveResourcesInfo();
  const count = (kind: string) => active.filter((name) => name === kind).length;
  return { tcp: count('TCPSocketWrap') + count('TCPWrap'), servers: count('TCPServerWrap'), udp: count('UDPWrap') };
}
