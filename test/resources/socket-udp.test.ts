import { isIP } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  fromSocket,
  listSockets,
  SocketClosedError,
  SocketError,
  SocketTimeoutError,
  Udp,
  UdpData,
  UdpPassive,
  type ProcessContext,
  type UdpMessage,
  type UdpSocket,
} from '../../src/index.js';
import { captureRejection, idle, inProcess, testNode } from '../helpers.js';
import { loopTurns } from './socket-helpers.js';

/** A UDP socket on loopback and its port. */
async function openLocal(ctx: ProcessContext, options: Parameters<typeof Udp.open>[2] = {}): Promise<{ socket: UdpSocket; port: number }> {
  const socket = await Udp.open(ctx, 0, { ip: '127.0.0.1', ...options });
  return { socket, port: Udp.sockname(socket).port };
}

function describeMessage(message: UdpMessage): unknown[] {
  if (message instanceof UdpData) return ['UdpData', message.data.toString(), message.port];
  if (message instanceof UdpPassive) return ['UdpPassive'];
  return ['UdpError', message.reason];
}

async function nextFrom(ctx: ProcessContext, socket: UdpSocket): Promise<unknown[]> {
  return describeMessage(await ctx.receive(fromSocket(socket)));
}

/** Lets the loop run until `check` holds, or fails after `turns` turns. */
async function until(check: () => boolean, turns = 1000): Promise<void> {
  for (let i = 0; i < turns && !check(); i++) await loopTurns(1);
  expect(check()).toBe(true);
}

describe('Udp', () => {
  it('Udp.send - a datagram reaches an active socket as UdpData with where it came from', async () => {
    const seen = await inProcess(async (ctx) => {
      const a = await openLocal(ctx);
      const b = await openLocal(ctx);
      await Udp.send(a.socket, '127.0.0.1', b.port, 'ping');
      const ping = await ctx.receive(fromSocket(b.socket));
      expect(ping).toBeInstanceOf(UdpData);
      const data = ping as UdpData;
      expect(data).toMatchObject({ socket: b.socket, address: '127.0.0.1', port: a.port });
      await Udp.send(b.socket, data.address, data.port, 'pong');
      return [describeMessage(ping), await nextFrom(ctx, a.socket), Udp.getstat(a.socket)];
    });
    expect(seen[0]).toEqual(['UdpData', 'ping', expect.any(Number)]);
    expect(seen[1]).toEqual(['UdpData', 'pong', expect.any(Number)]);
    expect(seen[2]).toMatchObject({ sendCnt: 1, sendOct: 4, recvCnt: 1, recvOct: 4, recvMax: 4, recvAvg: 4 });
  });

  it('Udp.recv - a passive socket keeps datagrams for recv; none is SocketTimeoutError (binary_passive_recv)', async () => {
    await inProcess(async (ctx) => {
      const a = await openLocal(ctx);
      const b = await openLocal(ctx, { active: false });
      const error = await captureRejection(Udp.recv(b.socket, 20));
      expect(error).toBeInstanceOf(SocketTimeoutError);
      expect(error).toMatchObject({ operation: 'recv', timeout: 20 });
      await Udp.send(a.socket, '127.0.0.1', b.port, Buffer.from([1, 2, 3]));
      const datagram = await Udp.recv(b.socket, 5000);
      expect(datagram).toEqual({ address: '127.0.0.1', port: a.port, data: Buffer.from([1, 2, 3]) });
      expect(() => Udp.recv(a.socket, 10)).toThrow(expect.objectContaining({ code: 'einval' }));
    });
  });

  it('active N - N datagrams, then UdpPassive; a count of 0 at open is passive at once (active_n)', async () => {
    await inProcess(async (ctx) => {
      const s1 = await openLocal(ctx, { active: false });
      Udp.setopts(s1.socket, { active: 3 });
      Udp.setopts(s1.socket, { active: -3 });
      expect(await nextFrom(ctx, s1.socket)).toEqual(['UdpPassive']);
      expect(Udp.getopts(s1.socket).active).toBe(false);
      Udp.setopts(s1.socket, { active: 32767 });
      expect(() => Udp.setopts(s1.socket, { active: 1 })).toThrow(expect.objectContaining({ code: 'einval' }));
      Udp.setopts(s1.socket, { active: 3 - 32767 });
      const s2 = await openLocal(ctx, { active: 3 });
      for (let i = 1; i <= 3; i++) {
        await Udp.send(s2.socket, '127.0.0.1', s1.port, `message ${i}`);
        expect(await nextFrom(ctx, s1.socket)).toEqual(['UdpData', `message ${i}`, s2.port]);
        await Udp.send(s1.socket, '127.0.0.1', s2.port, `message ${i}`);
        expect(await nextFrom(ctx, s2.socket)).toEqual(['UdpData', `message ${i}`, s1.port]);
      }
      expect(await nextFrom(ctx, s1.socket)).toEqual(['UdpPassive']);
      expect(await nextFrom(ctx, s2.socket)).toEqual(['UdpPassive']);
      const s3 = await openLocal(ctx, { active: 0 });
      expect(await nextFrom(ctx, s3.socket)).toEqual(['UdpPassive']);
      expect(Udp.getopts(s3.socket)).toEqual({ active: false, maxQueuedBytes: 1024 * 1024 });
    });
  });

  it("active 'once' - one datagram, then passive; recv with timeout 0 finds nothing more (recv_poll_after_active_once)", async () => {
    await inProcess(async (ctx) => {
      const a = await openLocal(ctx);
      const b = await openLocal(ctx, { active: 'once' });
      await Udp.send(a.socket, '127.0.0.1', b.port, 'one');
      expect(await nextFrom(ctx, b.socket)).toEqual(['UdpData', 'one', a.port]);
      expect(Udp.getopts(b.socket).active).toBe(false);
      expect(await captureRejection(Udp.recv(b.socket, 0))).toBeInstanceOf(SocketTimeoutError);
      await Udp.send(a.socket, '127.0.0.1', b.port, 'two');
      expect((await Udp.recv(b.socket, 5000)).data.toString()).toBe('two');
      await Udp.send(a.socket, '127.0.0.1', b.port, 'three');
      Udp.setopts(b.socket, { active: 'once' });
      expect(await nextFrom(ctx, b.socket)).toEqual(['UdpData', 'three', a.port]);
    });
  });

  it('Udp.recv - closing the socket fails a waiting recv with closed (recv_close)', async () => {
    const error = await inProcess(async (ctx) => {
      const { socket } = await openLocal(ctx, { active: false });
      const waiting = Udp.recv(socket);
      ctx.spawn(() => void Udp.close(socket));
      return captureRejection(waiting);
    });
    expect(error).toBeInstanceOf(SocketClosedError);
  });

  it('Udp.send - to a port nobody listens on is fine, twice (send_to_closed); after close it is closed', async () => {
    await inProcess(async (ctx) => {
      const closed = await openLocal(ctx);
      Udp.close(closed.socket);
      await Udp.released(closed.socket);
      const { socket } = await openLocal(ctx);
      await Udp.send(socket, '127.0.0.1', closed.port, 'foo');
      await Udp.send(socket, '127.0.0.1', closed.port, 'foo');
      expect(Udp.close(socket)).toBe(true);
      expect(() => Udp.send(socket, '127.0.0.1', closed.port, 'foo')).toThrow(SocketClosedError);
      expect(() => Udp.recv(socket)).toThrow(SocketClosedError);
      expect(() => Udp.setopts(socket, { active: true })).toThrow(SocketClosedError);
    });
  });

  it('Udp.send - a bad address is a typed error: nxdomain, emsgsize, TypeError (bad_address, send_to_empty)', async () => {
    await inProcess(async (ctx) => {
      // Addresses resolve to themselves (binding looks up the address too); names fail.
      const lookup = (host: string, _options: object, callback: (error: Error | null, address?: string, family?: number) => void) => {
        if (isIP(host) !== 0) callback(null, host, isIP(host));
        else callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' }));
      };
      const { socket } = await openLocal(ctx, { lookup: lookup as never });
      expect(await captureRejection(Udp.send(socket, 'no-such-host.invalid', 9, 'x'))).toMatchObject({ code: 'nxdomain' });
      const tooLarge = await captureRejection(Udp.send(socket, '127.0.0.1', 9, Buffer.alloc(70000)));
      expect(tooLarge).toBeInstanceOf(SocketError);
      expect(tooLarge).toMatchObject({ code: 'emsgsize' });
      expect(() => Udp.send(socket, '', 9, 'x')).toThrow(TypeError);
      expect(() => Udp.send(socket, '127.0.0.1', 0, 'x')).toThrow(TypeError);
      expect(() => Udp.send(socket, '127.0.0.1', 9, 7 as never)).toThrow(TypeError);
      expect(Udp.getstat(socket).sendCnt).toBe(0);
    });
  });

  it('maxQueuedBytes - a passive socket keeps datagrams up to its limit and counts the ones it drops', async () => {
    await inProcess(async (ctx) => {
      const a = await openLocal(ctx);
      const b = await openLocal(ctx, { active: false, maxQueuedBytes: 250 });
      for (let i = 0; i < 5; i++) await Udp.send(a.socket, '127.0.0.1', b.port, Buffer.alloc(100, 48 + i));
      await until(() => Udp.getstat(b.socket).recvOct === 500);
      expect(Udp.getstat(b.socket).recvDropped).toBe(3);
      expect((await Udp.recv(b.socket, 0)).data[0]).toBe(48);
      expect((await Udp.recv(b.socket, 0)).data[0]).toBe(49);
      expect(await captureRejection(Udp.recv(b.socket, 0))).toBeInstanceOf(SocketTimeoutError);
    });
  });

  it('Udp.controllingProcess - moves delivered datagrams to the new owner; the owner exit closes the socket', async () => {
    const { node } = testNode();
    await node.run(async (ctx) => {
      const a = await openLocal(ctx);
      const b = await openLocal(ctx, { active: 2 });
      await Udp.send(a.socket, '127.0.0.1', b.port, 'first');
      await Udp.send(a.socket, '127.0.0.1', b.port, 'second');
      await ctx.receive((m) => m instanceof UdpPassive);
      const heir = ctx.spawn(async (h) => {
        const seen = [await nextFrom(h, b.socket), await nextFrom(h, b.socket)];
        h.send(ctx.self, seen);
        await idle(h);
      });
      Udp.controllingProcess(ctx, b.socket, heir);
      expect(await ctx.receive(Array.isArray)).toEqual([
        ['UdpData', 'first', a.port],
        ['UdpData', 'second', a.port],
      ]);
      expect(listSockets(node, 10).sockets.map((info) => info.owner)).toEqual([ctx.self, heir]);
      const exited = node.awaitExit(heir);
      ctx.exit(heir, 'kill');
      await exited;
      expect(Udp.info(b.socket)).toBeUndefined();
      await Udp.released(b.socket);
      expect(listSockets(node, 10).total).toBe(1);
    });
  });

  it('Udp.open - a port in use is eaddrinuse; bad options are TypeErrors', async () => {
    await inProcess(async (ctx) => {
      const { port } = await openLocal(ctx);
      expect(await captureRejection(Udp.open(ctx, port, { ip: '127.0.0.1' }))).toMatchObject({ code: 'eaddrinuse' });
      expect(() => Udp.open(ctx, 70000)).toThrow(TypeError);
      expect(() => Udp.open(ctx, 0, { family: 'inet7' as never })).toThrow(TypeError);
      expect(() => Udp.open(ctx, 0, { active: 'always' as never })).toThrow(TypeError);
    });
  });
});
