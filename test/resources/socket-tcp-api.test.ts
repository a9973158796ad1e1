import { describe, expect, it } from 'vitest';
import {
  configureSockets,
  listSockets,
  SocketClosedError,
  SocketError,
  SocketTimeoutError,
  SystemLimitError,
  Tcp,
  TcpClosed,
  TcpError,
  fromSocket,
  type Pid,
  type ProcessContext,
  type TcpSocket,
} from '../../src/index.js';
import { captureRejection, inProcess, testNode } from '../helpers.js';
import { connectedPair, listenLocal } from './socket-helpers.js';

/** A lookup that never answers: a connect stays in its first step until its timeout. */
const silentLookup = (): void => {};

describe('Tcp listen, accept and connect', () => {
  it('Tcp.listen - port 0 takes a free port that sockname tells; accept and connect pair up (primitive_accept, implicit_inet6)', async () => {
    await inProcess(async (ctx) => {
      const { listen, client, server } = await connectedPair(ctx);
      const port = Tcp.sockname(listen).port;
      expect(port).toBeGreaterThan(0);
      expect(Tcp.sockname(server)).toEqual({ address: '127.0.0.1', port, family: 'inet' });
      expect(Tcp.peername(client)).toEqual(Tcp.sockname(server));
      expect(Tcp.peername(server)).toEqual(Tcp.sockname(client));
      expect(Tcp.owner(server)).toBe(ctx.self);
      expect(String(client)).toMatch(/^#Socket<\d+\.\d+>$/);
      await Tcp.send(client, 'ping');
      expect((await ctx.receive(fromSocket(server))).constructor.name).toBe('TcpData');
    });
  });

  it('Tcp.accept - gives up with SocketTimeoutError after its timeout (t_accept_timeout, accept_timeout)', async () => {
    const error = await inProcess(async (ctx) => {
      const { listen } = await listenLocal(ctx);
      return captureRejection(Tcp.accept(ctx, listen, 20));
    });
    expect(error).toBeInstanceOf(SocketTimeoutError);
    expect(error).toMatchObject({ code: 'timeout', operation: 'accept', timeout: 20 });
  });

  it('Tcp.accept - the timeouts of several acceptors fire in the order of their deadlines (accept_timeouts_in_order, 2, 3)', async () => {
    const order = await inProcess(async (ctx) => {
      const { listen } = await listenLocal(ctx);
      const timeouts = [60, 20, 40, 30];
      for (const timeout of timeouts) {
        ctx.spawn(async (acceptor) => {
          const error = await captureRejection(Tcp.accept(acceptor, listen, timeout));
          acceptor.send(ctx.self, { timeout, code: (error as SocketError).code });
        });
      }
      const seen: unknown[] = [];
      for (let i = 0; i < timeouts.length; i++) seen.push(await ctx.receive());
      return seen;
    });
    expect(order).toEqual([20, 30, 40, 60].map((timeout) => ({ timeout, code: 'timeout' })));
  });

  it('Tcp.accept - a timed-out acceptor leaves the next connection to the one still waiting (accept_timeouts_mixed)', async () => {
    const outcome = await inProcess(async (ctx) => {
      const { listen, port } = await listenLocal(ctx);
      const spawnAcceptor = (timeout: number) =>
        ctx.spawn(async (acceptor) => {
          acceptor.send(ctx.self, 'accepting');
          const result = await Tcp.accept(acceptor, listen, timeout).then(
            (socket) => `accepted by ${String(Tcp.owner(socket) === acceptor.self)}`,
            (error: SocketError) => error.code,
          );
          acceptor.send(ctx.self, { timeout, result });
        });
      spawnAcceptor(10);
      spawnAcceptor(Infinity);
      await ctx.receive((m) => m === 'accepting');
      await ctx.receive((m) => m === 'accepting');
      const first = await ctx.receive();
      const client = await Tcp.connect(ctx, '127.0.0.1', port);
      const second = await ctx.receive();
      Tcp.close(client);
      return [first, second];
    });
    expect(outcome).toEqual([
      { timeout: 10, result: 'timeout' },
      { timeout: Infinity, result: 'accepted by true' },
    ]);
  });

  it('Tcp.accept - closing the listen socket fails every waiting acceptor with closed (multi_accept_close_listen, accept_closed_by_other_process)', async () => {
    const errors = await inProcess(async (ctx) => {
      const { listen } = await listenLocal(ctx);
      for (let i = 0; i < 4; i++) {
        ctx.spawn(async (acceptor) => {
          const pending = Tcp.accept(acceptor, listen);
          acceptor.send(ctx.self, 'accepting');
          acceptor.send(ctx.self, await captureRejection(pending));
        });
      }
      for (let i = 0; i < 4; i++) await ctx.receive((m) => m === 'accepting');
      ctx.spawn(() => void Tcp.close(listen));
      const seen: unknown[] = [];
      for (let i = 0; i < 4; i++) seen.push(await ctx.receive());
      return seen;
    });
    for (const error of errors) expect(error).toBeInstanceOf(SocketClosedError);
  });

  it('a closed listen socket refuses accept, getopts, setopts and controllingProcess with closed (closed_socket)', async () => {
    await inProcess(async (ctx) => {
      const { listen } = await listenLocal(ctx);
      expect(Tcp.close(listen)).toBe(true);
      expect(Tcp.close(listen)).toBe(false);
      expect(() => Tcp.accept(ctx, listen)).toThrow(SocketClosedError);
      expect(() => Tcp.getopts(listen)).toThrow(SocketClosedError);
      expect(() => Tcp.setopts(listen, { active: false })).toThrow(SocketClosedError);
      expect(() => Tcp.controllingProcess(ctx, listen, ctx.self)).toThrow(SocketClosedError);
      expect(() => Tcp.sockname(listen)).toThrow(SocketClosedError);
      expect(Tcp.info(listen)).toBeUndefined();
      // Not a connected socket: the type says so, and so does the run-time check.
      expect(() => Tcp.send(listen as unknown as TcpSocket, 'data')).toThrow(TypeError);
    });
  });

  it('Tcp.accept - an acceptor that dies stops waiting; the connection goes to a live one (killing_acceptor, killing_multi_acceptors2)', async () => {
    const winner = await inProcess(async (ctx) => {
      const { listen, port } = await listenLocal(ctx);
      const acceptorOf = (name: string) => async (acceptor: ProcessContext) => {
        const pending = Tcp.accept(acceptor, listen);
        acceptor.send(ctx.self, 'accepting');
        const socket = await pending;
        acceptor.send(ctx.self, { name, owner: Tcp.owner(socket) === acceptor.self });
      };
      const doomed = ctx.spawn(acceptorOf('killed'));
      await ctx.receive((m) => m === 'accepting');
      const killed = ctx.node.awaitExit(doomed);
      ctx.exit(doomed, 'kill');
      await killed;
      ctx.spawn(acceptorOf('alive'));
      await ctx.receive((m) => m === 'accepting');
      await Tcp.connect(ctx, '127.0.0.1', port);
      return ctx.receive();
    });
    expect(winner).toEqual({ name: 'alive', owner: true });
  });

  it('Tcp.accept - several waiting acceptors each take one of several connections (several_accepts_in_one_go)', async () => {
    const owners = await inProcess(async (ctx) => {
      const { listen, port } = await listenLocal(ctx);
      const acceptors: Pid[] = [];
      for (let i = 0; i < 8; i++) {
        acceptors.push(
          ctx.spawn(async (acceptor) => {
            const pending = Tcp.accept(acceptor, listen, 5000);
            acceptor.send(ctx.self, 'accepting');
            const socket = await pending;
            acceptor.send(ctx.self, { by: acceptor.self, owner: Tcp.owner(socket) });
            await acceptor.receive();
          }),
        );
      }
      for (let i = 0; i < 8; i++) await ctx.receive((m) => m === 'accepting');
      await Promise.all(acceptors.map(() => Tcp.connect(ctx, '127.0.0.1', port, {}, 5000)));
      const seen: { by: Pid; owner: Pid }[] = [];
      for (let i = 0; i < 8; i++) seen.push((await ctx.receive()) as { by: Pid; owner: Pid });
      return { acceptors, seen };
    });
    expect(owners.seen.every(({ by, owner }) => by === owner)).toBe(true);
    expect(new Set(owners.seen.map(({ by }) => by)).size).toBe(8);
  });

  it('closing a listen socket closes the connections it has not accepted: the client sees them closed (no_accept)', async () => {
    const message = await inProcess(async (ctx) => {
      const { listen, port } = await listenLocal(ctx);
      const client = await Tcp.connect(ctx, '127.0.0.1', port);
      Tcp.close(listen);
      // Whether the connection still waited in the system's queue (reset) or in Beamish's
      // (closed), the client is told it is closed.
      for (;;) {
        const message = await ctx.receive(fromSocket(client));
        if (!(message instanceof TcpError)) return message;
        expect(message.reason).toBe('econnreset');
      }
    });
    expect(message).toBeInstanceOf(TcpClosed);
  });

  it('Tcp.connect - to a port nobody listens on is econnrefused (t_connect_bad)', async () => {
    const error = await inProcess(async (ctx) => {
      const { listen, port } = await listenLocal(ctx);
      Tcp.close(listen);
      await Tcp.released(listen);
      return captureRejection(Tcp.connect(ctx, '127.0.0.1', port));
    });
    expect(error).toBeInstanceOf(SocketError);
    expect(error).toMatchObject({ code: 'econnrefused' });
    expect((error as Error).cause).toBeInstanceOf(Error);
  });

  it('Tcp.connect - a name that does not resolve is nxdomain (t_connect_bad)', async () => {
    const error = await inProcess((ctx) => {
      const lookup = (_host: string, _options: object, callback: (error: Error) => void) =>
        callback(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }));
      return captureRejection(Tcp.connect(ctx, 'non-existing-host-xxx', 7, { lookup: lookup as never }));
    });
    expect(error).toMatchObject({ code: 'nxdomain' });
  });

  it('Tcp.connect - gives up with SocketTimeoutError after its timeout and leaves no socket behind (t_connect_timeout)', async () => {
    const { node } = testNode();
    const error = await node.run((ctx) => captureRejection(Tcp.connect(ctx, 'slow.example', 80, { lookup: silentLookup as never }, 20)));
    expect(error).toBeInstanceOf(SocketTimeoutError);
    expect(error).toMatchObject({ code: 'timeout', operation: 'connect', timeout: 20 });
    expect(listSockets(node, 10).total).toBe(0);
  });

  it('Tcp.connect - a connecting process that exits drops its attempt', async () => {
    const { node } = testNode();
    const connector = node.spawn(async (ctx) => {
      void Tcp.connect(ctx, 'slow.example', 80, { lookup: silentLookup as never });
      await ctx.receive();
    });
    await node.run((ctx) => ctx.yield());
    expect(listSockets(node, 10).sockets.map((info) => [info.kind, info.owner])).toEqual([['tcp', connector]]);
    const exited = node.awaitExit(connector);
    node.exit(connector, 'kill');
    await exited;
    expect(listSockets(node, 10).total).toBe(0);
  });

  it('Tcp.recv - gives up with SocketTimeoutError; data that comes later is still there (t_recv_timeout)', async () => {
    await inProcess(async (ctx) => {
      const { client, server } = await connectedPair(ctx, { active: false }, { active: false });
      const error = await captureRejection(Tcp.recv(client, 0, 20));
      expect(error).toBeInstanceOf(SocketTimeoutError);
      expect(error).toMatchObject({ operation: 'recv', timeout: 20, socket: client });
      await Tcp.send(server, 'late');
      expect((await Tcp.recv(client, 4, 5000)).toString()).toBe('late');
    });
  });

  it('Tcp.recv - the end of the stream is closed, and the socket is closed after it (t_recv_eof)', async () => {
    await inProcess(async (ctx) => {
      const { client, server } = await connectedPair(ctx, { active: false }, { active: false });
      Tcp.close(server);
      expect(await captureRejection(Tcp.recv(client, 0))).toBeInstanceOf(SocketClosedError);
      expect(Tcp.info(client)).toBeUndefined();
      expect(() => Tcp.send(client, 'more')).toThrow(SocketClosedError);
    });
  });

  it('Tcp.recv - asking for more than the peer sent before closing is closed (partial_recv_and_close, 2)', async () => {
    await inProcess(async (ctx) => {
      const message = 'the quick brown fox jumps over a lazy dog 0123456789\n';
      const early = await connectedPair(ctx, { active: false }, { active: false });
      await Tcp.send(early.client, message);
      Tcp.close(early.client);
      expect(await captureRejection(Tcp.recv(early.server, message.length + 1))).toBeInstanceOf(SocketClosedError);
      // The same with the receiver already waiting when the peer closes.
      const waiting = await connectedPair(ctx, { active: false }, { active: false });
      await Tcp.send(waiting.client, message);
      const pending = Tcp.recv(waiting.server, message.length + 1);
      Tcp.close(waiting.client);
      expect(await captureRejection(pending)).toBeInstanceOf(SocketClosedError);
    });
  });

  it('Tcp.recv - on an active socket, or with a length and packet framing, is einval', async () => {
    await inProcess(async (ctx) => {
      const active = await connectedPair(ctx);
      expect(() => Tcp.recv(active.client, 0, 10)).toThrow(expect.objectContaining({ code: 'einval' }));
      const framed = await connectedPair(ctx, { active: false, packet: 2 }, { active: false, packet: 2 });
      expect(() => Tcp.recv(framed.client, 5, 10)).toThrow(expect.objectContaining({ code: 'einval' }));
    });
  });

  it('Tcp.recv - timeout 0 only looks: data already read is returned, none is a timeout (recv_poll_after_active_once)', async () => {
    await inProcess(async (ctx) => {
      const { client, server } = await connectedPair(ctx, { active: false }, { active: 'once' });
      await Tcp.send(server, 'first');
      expect((await ctx.receive(fromSocket(client))).constructor.name).toBe('TcpData');
      expect(Tcp.getopts(client).active).toBe(false);
      expect(await captureRejection(Tcp.recv(client, 0, 0))).toBeInstanceOf(SocketTimeoutError);
    });
  });

  it("Tcp.shutdown - 'write' ends the stream for the peer, which can still answer (t_shutdown_write, shutdown_pending)", async () => {
    await inProcess(async (ctx) => {
      const { client, server } = await connectedPair(ctx, { active: false, exitOnClose: false }, { active: false });
      const big = Buffer.alloc(512 * 1024 + 17, 1);
      const sent = Tcp.send(client, big);
      Tcp.shutdown(client, 'write');
      await sent;
      expect(() => Tcp.send(client, 'more')).toThrow(SocketClosedError);
      let received = 0;
      for (;;) {
        const chunk = await Tcp.recv(server, 0, 5000).catch((error: SocketError) => error);
        if (chunk instanceof SocketError) {
          expect(chunk).toBeInstanceOf(SocketClosedError);
          break;
        }
        received += chunk.length;
      }
      expect(received).toBe(big.length);
      // exitOnClose: false kept the server's socket open for its answer.
      await Tcp.send(server, String(received));
      expect((await Tcp.recv(client, 0, 5000)).toString()).toBe(String(big.length));
    });
  });

  it("Tcp.shutdown - 'read_write' ends the stream for the peer; a closed socket is closed (t_shutdown_both, t_shutdown_error)", async () => {
    await inProcess(async (ctx) => {
      const { client, server } = await connectedPair(ctx, { active: false }, { active: false });
      Tcp.shutdown(server, 'read_write');
      expect(await captureRejection(Tcp.recv(client, 0, 5000))).toBeInstanceOf(SocketClosedError);
      expect(() => Tcp.recv(server, 0, 10)).toThrow(SocketClosedError);
      Tcp.close(server);
      expect(() => Tcp.shutdown(server, 'read_write')).toThrow(SocketClosedError);
      expect(() => Tcp.shutdown(server, 'both' as never)).toThrow(TypeError);
    });
  });

  it('Tcp.send - after close is closed, and so is every other operation on the socket', async () => {
    await inProcess(async (ctx) => {
      const { client } = await connectedPair(ctx);
      Tcp.close(client);
      expect(() => Tcp.send(client, 'data')).toThrow(SocketClosedError);
      expect(() => Tcp.recv(client, 0)).toThrow(SocketClosedError);
      expect(() => Tcp.setopts(client, { active: 'once' })).toThrow(SocketClosedError);
      expect(() => Tcp.sockname(client)).toThrow(SocketClosedError);
      expect(() => Tcp.controllingProcess(ctx, client, ctx.self)).toThrow(SocketClosedError);
      expect(Tcp.getstat(client).sendCnt).toBe(0);
    });
  });

  it('bad arguments are TypeErrors and change nothing', async () => {
    const { node } = testNode();
    await node.run(async (ctx) => {
      expect(() => Tcp.listen(ctx, -1)).toThrow(/Expected `port` to be a whole number from 0 to 65535, got `-1` \(number\)/);
      expect(() => Tcp.listen(ctx, 0, { active: 'twice' as never })).toThrow(TypeError);
      expect(() => Tcp.listen(ctx, 0, { packet: 3 as never })).toThrow(TypeError);
      expect(() => Tcp.listen(ctx, 0, { backlg: 5 } as never)).toThrow(TypeError);
      expect(() => Tcp.connect(ctx, '127.0.0.1', 0)).toThrow(TypeError);
      expect(() => Tcp.connect(ctx, '', 80)).toThrow(TypeError);
      expect(() => Tcp.connect({} as never, '127.0.0.1', 80)).toThrow(TypeError);
      const { listen, client } = await connectedPair(ctx);
      expect(() => Tcp.accept(ctx, listen, -5)).toThrow(TypeError);
      expect(() => Tcp.send(client, 42 as never)).toThrow(TypeError);
      expect(() => Tcp.setopts(client, { active: 40000 })).toThrow(TypeError);
      expect(() => Tcp.setopts(client, { packet: 'http' as never, active: false })).toThrow(TypeError);
      expect(Tcp.getopts(client).active).toBe(true);
    });
    expect(listSockets(node, 10).total).toBe(0);
  });

  it('configureSockets - past maxSockets, opening throws SystemLimitError and accept rejects with it (accept_system_limit)', async () => {
    const { node } = testNode();
    configureSockets(node, { maxSockets: 2 });
    await node.run(async (ctx) => {
      const { listen, port } = await listenLocal(ctx);
      const pending = Tcp.accept(ctx, listen, 5000);
      const client = await Tcp.connect(ctx, '127.0.0.1', port);
      expect(await captureRejection(pending)).toBeInstanceOf(SystemLimitError);
      // The connection the acceptor would have taken was closed.
      expect(await ctx.receive(fromSocket(client))).toBeInstanceOf(TcpClosed);
      expect(() => Tcp.listen(ctx, 0)).not.toThrow();
    });
    await node.run(async (ctx) => {
      await listenLocal(ctx);
      await listenLocal(ctx);
      expect(() => Tcp.listen(ctx, 0)).toThrow(SystemLimitError);
      expect(() => Tcp.connect(ctx, '127.0.0.1', 1)).toThrow(SystemLimitError);
    });
  });
});
