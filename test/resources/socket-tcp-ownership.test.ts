import { describe, expect, it } from 'vitest';
import {
  fromSocket,
  listSockets,
  NotAliveError,
  SocketNotOwnerError,
  Tcp,
  TcpClosed,
  TcpPassive,
  Udp,
  type AnySocket,
  type Pid,
  type ProcessContext,
  type TcpSocket,
} from '../../src/index.js';
import { idle, inProcess, testNode } from '../helpers.js';
import { connectedPair, drain, listenLocal, nextFrom } from './socket-helpers.js';

describe('Tcp ownership', () => {
  it('Tcp.controllingProcess - only the owner may hand a socket over; others get not_owner (controlling_process)', async () => {
    await inProcess(async (ctx) => {
      const { listen } = await listenLocal(ctx);
      const attempt = (target: 'self' | 'other', other?: Pid) =>
        ctx.spawn(async (p) => {
          try {
            Tcp.controllingProcess(p, listen, target === 'self' ? p.self : (other as Pid));
            p.send(ctx.self, { from: p.self, result: 'ok' });
          } catch (error) {
            p.send(ctx.self, { from: p.self, result: error });
          }
          await p.receive();
        });
      const intruder = attempt('self');
      const refused = (await ctx.receive()) as { result: SocketNotOwnerError };
      expect(refused.result).toBeInstanceOf(SocketNotOwnerError);
      expect(refused.result).toMatchObject({ code: 'not_owner', caller: intruder, owner: ctx.self });
      const heir = ctx.spawn(idle);
      Tcp.controllingProcess(ctx, listen, heir);
      expect(Tcp.owner(listen)).toBe(heir);
      // The former owner is now an intruder too.
      expect(() => Tcp.controllingProcess(ctx, listen, ctx.self)).toThrow(SocketNotOwnerError);
      expect(() => Tcp.controllingProcess(ctx, listen, 'pid' as never)).toThrow(SocketNotOwnerError);
    });
  });

  it('Tcp.controllingProcess - to a process that is not alive is NotAliveError; to itself does nothing', async () => {
    await inProcess(async (ctx) => {
      const { client } = await connectedPair(ctx);
      const gone = ctx.spawn(() => undefined);
      await ctx.node.awaitExit(gone);
      expect(() => Tcp.controllingProcess(ctx, client, gone)).toThrow(NotAliveError);
      expect(() => Tcp.controllingProcess(ctx, client, 'me' as never)).toThrow(TypeError);
      Tcp.controllingProcess(ctx, client, ctx.self);
      expect(Tcp.owner(client)).toBe(ctx.self);
    });
  });

  it('Tcp.controllingProcess - moves the messages already delivered to the new owner, in order, ahead of later ones', async () => {
    const result = await inProcess(async (ctx) => {
      const { client, server } = await connectedPair(ctx, { active: 3, packet: 2 }, { packet: 2 });
      ctx.send(ctx.self, 'before');
      for (const text of ['a', 'b', 'c']) await Tcp.send(client, text);
      // TcpPassive comes after the three packets: once it is here, they are all queued.
      await ctx.receive((m) => m instanceof TcpPassive);
      ctx.send(ctx.self, 'after');
      const heir = ctx.spawn(async (h) => {
        await h.receive((m) => m === 'go');
        Tcp.setopts(server, { active: true });
        const seen: unknown[] = [];
        for (let i = 0; i < 4; i++) seen.push(await nextFrom(h, server));
        h.send(ctx.self, seen);
      });
      Tcp.controllingProcess(ctx, server, heir);
      const leftHere = drain(ctx, server);
      await Tcp.send(client, 'd');
      ctx.send(heir, 'go');
      const seen = await ctx.receive(Array.isArray);
      return { leftHere, seen, others: [ctx.tryReceive(), ctx.tryReceive()] };
    });
    expect(result.leftHere).toEqual([]);
    expect(result.seen).toEqual([
      ['TcpData', 'a'],
      ['TcpData', 'b'],
      ['TcpData', 'c'],
      ['TcpData', 'd'],
    ]);
    expect(result.others).toEqual(['before', 'after']);
  });

  for (const [how, end] of [
    ['returns', () => undefined],
    ['crashes', () => Promise.reject(new Error('boom'))],
    ['is killed', (ctx: ProcessContext) => ctx.receive(() => false)],
  ] as const) {
    it(`the owner's exit closes its sockets, and the peer sees them closed: owner ${how}`, async () => {
      const { node } = testNode();
      await node.run(async (ctx) => {
        const { listen, port } = await listenLocal(ctx);
        let owned: { listen: AnySocket; socket: TcpSocket; udp: AnySocket } | undefined;
        const owner = ctx.spawn(async (o) => {
          const own = await listenLocal(o);
          const socket = await Tcp.connect(o, '127.0.0.1', port);
          owned = { listen: own.listen, socket, udp: await Udp.open(o, 0) };
          o.send(ctx.self, 'ready');
          await o.receive((m) => m === 'go');
          await end(o);
        });
        const peer = await Tcp.accept(ctx, listen, 5000);
        await ctx.receive((m) => m === 'ready');
        expect(listSockets(node, 10).sockets.filter((info) => info.owner === owner)).toHaveLength(3);
        const exited = node.awaitExit(owner);
        if (how === 'is killed') ctx.exit(owner, 'kill');
        else ctx.send(owner, 'go');
        await exited;
        expect(await ctx.receive(fromSocket(peer))).toBeInstanceOf(TcpClosed);
        expect([owned!.listen, owned!.socket, owned!.udp].map((socket) => Tcp.info(socket))).toEqual([undefined, undefined, undefined]);
        await Promise.all([owned!.listen, owned!.socket, owned!.udp].map((socket) => Tcp.released(socket)));
        expect(listSockets(node, 10).sockets.filter((info) => info.owner === owner)).toEqual([]);
      });
    });
  }

  it("after a transfer, the old owner's exit leaves the socket open and the new owner's closes it (controlling_process_self)", async () => {
    const { node } = testNode();
    await node.run(async (ctx) => {
      const { listen, port } = await listenLocal(ctx);
      const heir = ctx.spawn(idle);
      const first = ctx.spawn(async (o) => {
        const socket = await Tcp.connect(o, '127.0.0.1', port);
        Tcp.controllingProcess(o, socket, o.self);
        Tcp.controllingProcess(o, socket, heir);
        o.send(ctx.self, socket);
      });
      const peer = await Tcp.accept(ctx, listen, 5000);
      const socket = (await ctx.receive()) as TcpSocket;
      await node.awaitExit(first);
      expect(Tcp.owner(socket)).toBe(heir);
      await Tcp.send(socket, 'still open');
      expect(await nextFrom(ctx, peer)).toEqual(['TcpData', 'still open']);
      const exited = node.awaitExit(heir);
      ctx.exit(heir, 'kill');
      await exited;
      expect(await nextFrom(ctx, peer)).toEqual(['TcpClosed']);
    });
  });

  it('a listen socket closed by its owner\'s exit frees its port: connecting is refused', async () => {
    const { node } = testNode();
    const code = await node.run(async (ctx) => {
      const owner = ctx.spawn(async (o) => {
        const { listen, port } = await listenLocal(o);
        o.send(ctx.self, { listen, port });
        await idle(o);
      });
      const { listen, port } = (await ctx.receive()) as { listen: AnySocket; port: number };
      ctx.exit(owner, 'shutdown');
      await Tcp.released(listen);
      return Tcp.connect(ctx, '127.0.0.1', port).then(
        () => 'connected',
        (error: { code: string }) => error.code,
      );
    });
    expect(code).toBe('econnrefused');
  });

  it('Tcp.getstat - counts bytes and packets each way, as inet:getstat; listSockets is bounded by its limit', async () => {
    const { node } = testNode();
    await node.run(async (ctx) => {
      const { listen, client, server } = await connectedPair(ctx, { active: false, packet: 2 }, { packet: 2 });
      for (const text of ['ab', 'cdef', 'g']) await Tcp.send(client, text);
      for (let i = 0; i < 3; i++) await Tcp.recv(server, 0, 5000);
      expect(Tcp.getstat(client)).toEqual({
        recvOct: 0,
        recvCnt: 0,
        recvMax: 0,
        recvAvg: 0,
        sendOct: 2 + 2 + 2 + 4 + 2 + 1,
        sendCnt: 3,
        sendMax: 6,
        sendAvg: 4,
        sendPend: 0,
        recvDropped: 0,
      });
      expect(Tcp.getstat(server)).toMatchObject({ recvOct: 13, recvCnt: 3, recvMax: 4, recvAvg: 2, sendCnt: 0 });
      const all = listSockets(node, 10);
      expect(all.total).toBe(3);
      expect(all.sockets.map((info) => info.kind)).toEqual(['tcp_listen', 'tcp', 'tcp']);
      expect(all.sockets[2]).toMatchObject({ socket: server, owner: ctx.self, active: false, recvOct: 13, peer: Tcp.sockname(client) });
      expect(all.sockets[0]).toMatchObject({ socket: listen, local: Tcp.sockname(listen), peer: undefined });
      const one = listSockets(node, 1);
      expect(one.total).toBe(3);
      expect(one.sockets).toHaveLength(1);
      expect(() => listSockets(node, -1)).toThrow(TypeError);
    });
  });
});
