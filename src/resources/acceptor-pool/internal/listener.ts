import { ExitMessage, type Pid, type ProcessContext, type Ref } from '../../../runtime/index.js';
import { DynamicSupervisor, GenServer } from '../../../otp/index.js';
import * as Tcp from '../../sockets/tcp.js';
import type { TcpListenOptions } from '../../sockets/types.js';
import type { TcpListenSocket } from '../../sockets/handles.js';
import { SocketClosedError } from '../../sockets/errors.js';
import { connectionBody, Handshake, type ConnectionHandler } from './connection.js';

/** @internal What the listener needs. */
export interface ListenerArg {
  readonly port: number;
  readonly socket: TcpListenOptions;
  readonly acceptors: number;
  readonly handler: ConnectionHandler;
  readonly handshakeTimeout: number;
  readonly shutdown: number | 'brutal_kill';
  readonly limiter: Pid;
  readonly connections: Pid;
}

interface State {
  readonly arg: ListenerArg;
  readonly listen: TcpListenSocket;
  readonly acceptors: Set<Pid>;
}

/**
 * @internal One acceptor: accept a connection, wait for a slot (so nothing more is accepted while
 * the pool is full), start the connection process, hand it the slot and the socket.
 */
function acceptor(arg: ListenerArg, listen: TcpListenSocket) {
  return async function acceptorLoop(ctx: ProcessContext): Promise<void> {
    const spec = { restart: 'temporary' as const, shutdown: arg.shutdown, start: (sup: ProcessContext) => sup.spawnLink(connectionBody(arg.handler, arg.handshakeTimeout)) };
    for (;;) {
      const socket = await Tcp.accept(ctx, listen);
      const slot = await GenServer.call<Ref>(arg.limiter, { kind: 'admit', acceptor: ctx.self }, Infinity);
      const started = await DynamicSupervisor.startChild(arg.connections, spec);
      if (!started.ok) {
        // The connection could not start: the client is turned away and the slot given back.
        Tcp.close(socket);
        await GenServer.call(arg.limiter, { kind: 'release', slot }, Infinity);
        continue;
      }
      await GenServer.call(arg.limiter, { kind: 'handover', slot, connection: started.pid }, Infinity);
      Tcp.controllingProcess(ctx, socket, started.pid);
      ctx.send(started.pid, new Handshake(socket));
    }
  };
}

/**
 * @internal The listener: owns the listen socket and its acceptors. An acceptor that fails is
 * replaced; the listener's end closes the socket and takes the acceptors with it.
 */
export const listener: GenServer.GenServerSpec<ListenerArg, State, 'port' | 'acceptors', unknown> = {
  name: 'AcceptorPool.listener',
  async init(arg, ctx) {
    ctx.trapExit(true);
    const listen = await Tcp.listen(ctx, arg.port, arg.socket);
    const acceptors = new Set<Pid>();
    for (let i = 0; i < arg.acceptors; i++) acceptors.add(ctx.spawnLink(acceptor(arg, listen)));
    return { state: { arg, listen, acceptors } };
  },
  handleCall(request, _from, state) {
    return { reply: request === 'port' ? Tcp.sockname(state.listen).port : state.acceptors.size, state };
  },
  handleInfo(message, state, ctx) {
    if (!(message instanceof ExitMessage) || !state.acceptors.delete(message.from)) return { state };
    // Without its listen socket no acceptor can work: the listener ends, and its supervisor decides.
    if (message.reason instanceof SocketClosedError) return { stop: message.reason, state };
    state.acceptors.add(ctx.spawnLink(acceptor(state.arg, state.listen)));
    return { state };
  },
  terminate(_reason, state, ctx) {
    Tcp.close(state.listen);
    for (const pid of state.acceptors) ctx.exit(pid, 'shutdown');
  },
};
