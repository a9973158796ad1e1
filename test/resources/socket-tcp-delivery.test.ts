import { describe, expect, it } from 'vitest';
import {
  fromSocket,
  SocketClosedError,
  SocketError,
  Tcp,
  TcpClosed,
  TcpData,
  TcpError,
  TcpPassive,
  type Active,
  type ProcessContext,
  type TcpSocket,
} from '../../src/index.js';
import { captureRejection, inProcess } from '../helpers.js';
import { connectedPair, describe as describeMessage, drain, isPending, listenLocal, loopTurns, nextFrom } from './socket-helpers.js';

/** Data messages from `socket` until its TcpClosed; returns the bytes and what ended it. */
async function receiveUntilClosed(ctx: ProcessContext, socket: TcpSocket): Promise<{ bytes: number; messages: number }> {
  let bytes = 0;
  let messages = 0;
  for (;;) {
    const message = await ctx.receive(fromSocket(socket));
    if (message instanceof TcpClosed) return { bytes, messages };
    if (!(message instanceof TcpData)) throw new Error(`unexpected ${message.constructor.name}`);
    bytes += message.data.length;
    messages++;
  }
}

describe('Tcp delivery modes', () => {
  it('active true - every chunk is a message, then TcpClosed once all of it came (data_before_close)', async () => {
    const result = await inProcess(async (ctx) => {
      const { client, server } = await connectedPair(ctx, { active: true }, { active: false });
      const bytes = 256 * 1024;
      await Tcp.send(client, Buffer.alloc(bytes));
      Tcp.close(client);
      return { sent: bytes, ...(await receiveUntilClosed(ctx, server)), open: Tcp.info(server) !== undefined };
    });
    expect(result.bytes).toBe(result.sent);
    expect(result.messages).toBeGreaterThan(0);
    expect(result.open).toBe(false);
  });

  it("active 'once' - one message, then passive: later data waits for recv or the next 'once'", async () => {
    const seen = await inProcess(async (ctx) => {
      const { client, server } = await connectedPair(ctx, { active: 'once' }, { active: false });
      await Tcp.send(client, 'one');
      const first = await nextFrom(ctx, server);
      expect(Tcp.getopts(server).active).toBe(false);
      await Tcp.send(client, 'two');
      // Passive now: the data went nowhere but the socket, where recv finds it.
      const second = (await Tcp.recv(server, 0, 5000)).toString();
      Tcp.setopts(server, { active: 'once' });
      await Tcp.send(client, 'three');
      const third = await nextFrom(ctx, server);
      return { first, second, third, queued: drain(ctx, server) };
    });
    expect(seen).toEqual({ first: ['TcpData', 'one'], second: 'two', third: ['TcpData', 'three'], queued: [] });
  });

  it('active N - N messages each way, then TcpPassive and passive; getopts counts down (active_n)', async () => {
    await inProcess(async (ctx) => {
      const { client, server } = await connectedPair(ctx, { active: 3 }, { active: 3 });
      expect(Tcp.getopts(client).active).toBe(3);
      for (let i = 0; i < 3; i++) {
        const text = `message ${i}`;
        await Tcp.send(client, text);
        expect(await nextFrom(ctx, server)).toEqual(['TcpData', text]);
        expect(Tcp.getopts(server).active).toBe(i === 2 ? false : 2 - i);
        await Tcp.send(server, text);
        expect(await nextFrom(ctx, client)).toEqual(['TcpData', text]);
      }
      expect(await nextFrom(ctx, server)).toEqual(['TcpPassive']);
      expect(await nextFrom(ctx, client)).toEqual(['TcpPassive']);
      expect(Tcp.getopts(server).active).toBe(false);
      expect(Tcp.getopts(client).active).toBe(false);
    });
  });

  it('active N - setopts adds to the count, 0 or less turns passive with TcpPassive, past 32767 is einval (active_n)', async () => {
    await inProcess(async (ctx) => {
      const { client, listen } = await connectedPair(ctx, {}, { active: 0 });
      // Opened with a count of 0: passive at once, and told so.
      expect(await nextFrom(ctx, client)).toEqual(['TcpPassive']);
      Tcp.setopts(client, { active: 3 });
      Tcp.setopts(client, { active: 2 });
      expect(Tcp.getopts(client).active).toBe(5);
      Tcp.setopts(client, { active: -5 });
      expect(await nextFrom(ctx, client)).toEqual(['TcpPassive']);
      Tcp.setopts(client, { active: 0 });
      expect(await nextFrom(ctx, client)).toEqual(['TcpPassive']);
      Tcp.setopts(client, { active: 32767 });
      expect(() => Tcp.setopts(client, { active: 1 })).toThrow(SocketError);
      expect(() => Tcp.setopts(client, { active: 1 })).toThrow(expect.objectContaining({ code: 'einval' }));
      Tcp.setopts(client, { active: -32768 });
      expect(await nextFrom(ctx, client)).toEqual(['TcpPassive']);
      Tcp.setopts(client, { active: 3 });
      Tcp.setopts(client, { active: true });
      expect(Tcp.getopts(client).active).toBe(true);
      Tcp.setopts(client, { active: 3 });
      Tcp.setopts(client, { active: 'once' });
      expect(Tcp.getopts(client).active).toBe('once');
      expect(drain(ctx, client)).toEqual([]);
      // A listen socket keeps the mode for the sockets it accepts.
      Tcp.setopts(listen, { active: 7 });
      expect(Tcp.getopts(listen).active).toBe(7);
    });
  });

  for (const mode of [false, 'once', 4] as const satisfies readonly Active[]) {
    it(`active ${String(mode)} - a receiver that takes nothing more stops its sender: send waits until the data is read (busy_send, fill_sendq)`, async () => {
      await inProcess(async (ctx) => {
        const { client, server } = await connectedPair(ctx, { active: mode }, { active: false });
        const chunk = Buffer.alloc(64 * 1024, 7);
        let sent = 0;
        let waiting: Promise<void> | undefined;
        // Far more than any system and Node buffer hold: a receiver that kept reading would never stop it.
        while (sent < 256 * 1024 * 1024) {
          const send = Tcp.send(client, chunk);
          sent += chunk.length;
          if (await isPending(send)) {
            waiting = send;
            break;
          }
        }
        expect(waiting).toBeDefined();
        const queued = Tcp.send(client, chunk);
        sent += chunk.length;
        expect(Tcp.getstat(client).sendPend).toBeGreaterThanOrEqual(2 * chunk.length);
        // Give the receiving side every chance to read: it must not.
        await loopTurns(50);
        expect(await isPending(waiting!)).toBe(true);
        expect(await isPending(queued)).toBe(true);
        expect(Tcp.getstat(server).recvOct).toBeLessThan(1024 * 1024);
        // Now the owner reads: first what was delivered as messages, then the rest passively.
        let received = 0;
        for (const [kind, text] of drain(ctx, server)) {
          if (kind === 'TcpData') received += (text as string).length;
        }
        Tcp.setopts(server, { active: false });
        while (received < sent) received += (await Tcp.recv(server, 0, 5000)).length;
        await waiting;
        await queued;
        expect(received).toBe(sent);
        expect(Tcp.getstat(client)).toMatchObject({ sendOct: sent, sendPend: 0 });
        expect(Tcp.getstat(server).recvOct).toBe(sent);
      });
    });
  }

  it('passive - recv reads until the peer closes, then closed (passive_sockets)', async () => {
    const result = await inProcess(async (ctx) => {
      const { client, server } = await connectedPair(ctx, { active: false }, { active: false });
      let sent = 0;
      for (let x = 5; x > 0; x--) {
        await Tcp.send(server, Buffer.alloc(1024 * x, 'a'));
        sent += 1024 * x;
      }
      Tcp.close(server);
      let received = 0;
      for (;;) {
        const chunk = await Tcp.recv(client, 0, 5000).catch((error: SocketError) => error);
        if (chunk instanceof SocketError) return { sent, received, error: chunk };
        received += chunk.length;
      }
    });
    expect(result.received).toBe(result.sent);
    expect(result.error).toBeInstanceOf(SocketClosedError);
  });

  it("a passive socket whose peer closed tells it at the next 'once' or true; after that it is closed (active_once_closed)", async () => {
    await inProcess(async (ctx) => {
      for (const mode of ['once', true] as const) {
        const { client, server } = await connectedPair(ctx, { active: false, packet: 2 }, { active: false, packet: 2 });
        await Tcp.send(server, 'Hello');
        expect((await Tcp.recv(client, 0, 5000)).toString()).toBe('Hello');
        Tcp.close(client);
        await Tcp.released(client);
        await loopTurns(5);
        expect(drain(ctx, server)).toEqual([]);
        Tcp.setopts(server, { active: mode });
        expect(await nextFrom(ctx, server)).toEqual(['TcpClosed']);
        expect(() => Tcp.setopts(server, { active: 'once' })).toThrow(SocketClosedError);
        expect(() => Tcp.send(server, 'Hello')).toThrow(SocketClosedError);
      }
    });
  });

  it('packet 1, 2, 4 - a header is added on send and packets come whole, however TCP cut them', async () => {
    await inProcess(async (ctx) => {
      for (const packet of [1, 2, 4] as const) {
        const { client, server } = await connectedPair(ctx, { active: true, packet }, { active: false, packet: 0 });
        const payloads = ['abc', '', 'x'.repeat(200)];
        const header = (length: number) => {
          const bytes = Buffer.alloc(packet);
          bytes.writeUIntBE(length, 0, packet);
          return bytes;
        };
        const stream = Buffer.concat(payloads.flatMap((p) => [header(p.length), Buffer.from(p)]));
        // Byte by byte: the decoder must put every packet together.
        for (const byte of stream) await Tcp.send(client, Buffer.of(byte));
        for (const payload of payloads) expect(await nextFrom(ctx, server)).toEqual(['TcpData', payload]);
        // And the other way: the server's sends carry the header.
        const back = Tcp.send(server, 'back');
        await back;
        expect((await Tcp.recv(client, packet + 4, 5000)).equals(Buffer.concat([header(4), Buffer.from('back')]))).toBe(true);
        expect(Tcp.getstat(server)).toMatchObject({ recvCnt: 3, recvMax: 200, sendOct: packet + 4 });
      }
    });
  });

  it("packet 'line' - a packet is a line with its newline; a partial line at the end is dropped", async () => {
    const seen = await inProcess(async (ctx) => {
      const { client, server } = await connectedPair(ctx, { active: true, packet: 'line' }, { active: false });
      await Tcp.send(client, 'a\nbb\npar');
      await Tcp.send(client, 'tial\nunfinished');
      Tcp.close(client);
      const seen: unknown[] = [];
      for (;;) {
        const message = await nextFrom(ctx, server);
        seen.push(message);
        if (message[0] === 'TcpClosed') return seen;
      }
    });
    expect(seen).toEqual([['TcpData', 'a\n'], ['TcpData', 'bb\n'], ['TcpData', 'partial\n'], ['TcpClosed']]);
  });

  it('packetSize - a header announcing more is TcpError emsgsize, then TcpClosed (otp_8102)', async () => {
    const seen = await inProcess(async (ctx) => {
      const { client, server } = await connectedPair(ctx, { active: true, packet: 4, packetSize: 10 }, { active: false });
      await Tcp.send(client, Buffer.from([0, 0, 0, 2, 0x6f, 0x6b, 0, 0, 0, 20]));
      return [await nextFrom(ctx, server), await nextFrom(ctx, server), await nextFrom(ctx, server), Tcp.info(server)];
    });
    expect(seen).toEqual([['TcpData', 'ok'], ['TcpError', 'emsgsize'], ['TcpClosed'], undefined]);
  });

  it('packetSize - a longer line fails the passive recv with emsgsize', async () => {
    await inProcess(async (ctx) => {
      const { client, server } = await connectedPair(ctx, { active: false, packet: 'line', packetSize: 10 }, { active: false });
      await Tcp.send(client, 'short\n0123456789abcdefghij\nend');
      expect((await Tcp.recv(server, 0, 5000)).toString()).toBe('short\n');
      expect(await captureRejection(Tcp.recv(server, 0, 5000))).toMatchObject({ code: 'emsgsize' });
      expect(() => Tcp.recv(server, 0, 10)).toThrow(SocketClosedError);
    });
  });

  it('packet - data too long for the header is emsgsize on send, and nothing is sent', async () => {
    await inProcess(async (ctx) => {
      const { client } = await connectedPair(ctx, {}, { packet: 1 });
      expect(() => Tcp.send(client, Buffer.alloc(256))).toThrow(expect.objectContaining({ code: 'emsgsize' }));
      expect(Tcp.getstat(client).sendCnt).toBe(0);
      await Tcp.send(client, Buffer.alloc(255));
      expect(Tcp.getstat(client)).toMatchObject({ sendCnt: 1, sendOct: 256 });
    });
  });

  it('setopts packet - a new framing cuts what was not handed over yet (otp_9389, in spirit)', async () => {
    await inProcess(async (ctx) => {
      const { client, server } = await connectedPair(ctx, { active: false }, { active: false });
      await Tcp.send(client, 'line1\nline2\n');
      expect((await Tcp.recv(server, 3, 5000)).toString()).toBe('lin');
      Tcp.setopts(server, { packet: 'line' });
      expect((await Tcp.recv(server, 0, 5000)).toString()).toBe('e1\n');
      expect((await Tcp.recv(server, 0, 5000)).toString()).toBe('line2\n');
      expect(Tcp.getopts(server)).toMatchObject({ packet: 'line', active: false });
    });
  });

  for (const mode of [true, false] as const) {
    it(`exitOnClose false - a sort server answers after the client shut down its sending side (shutdown_${mode ? 'active' : 'passive'})`, async () => {
      const sorted = await inProcess(async (ctx) => {
        const { listen, port } = await listenLocal(ctx, { exitOnClose: false, packet: 'line', active: mode });
        // The server hands every connection to a sorter process of its own.
        ctx.spawn(async (server) => {
          for (;;) {
            const socket = await Tcp.accept(server, listen);
            const sorter = server.spawn(async (sorterCtx) => {
              await sorterCtx.receive((m) => m === 'go');
              const lines: string[] = [];
              for (;;) {
                if (mode) {
                  const message = await sorterCtx.receive(fromSocket(socket));
                  if (message instanceof TcpClosed) break;
                  if (message instanceof TcpData) lines.push(message.data.toString());
                } else {
                  const line = await Tcp.recv(socket, 0).catch(() => undefined);
                  if (line === undefined) break;
                  lines.push(line.toString());
                }
              }
              for (const line of lines.sort()) await Tcp.send(socket, line);
              Tcp.shutdown(socket, 'write');
              Tcp.close(socket);
            });
            Tcp.controllingProcess(server, socket, sorter);
            server.send(sorter, 'go');
          }
        });
        const client = await Tcp.connect(ctx, '127.0.0.1', port, { packet: 'line', active: true });
        const lines = Array.from({ length: 300 }, (_, i) => `${String(i).split('').reverse().join('')}\n`);
        for (const line of lines) await Tcp.send(client, line);
        Tcp.shutdown(client, 'write');
        const back: string[] = [];
        for (;;) {
          const message = await ctx.receive(fromSocket(client));
          if (message instanceof TcpClosed) return { back, expected: [...lines].sort() };
          if (message instanceof TcpData) back.push(message.data.toString());
          else throw new Error(`unexpected ${describeMessage(message).join(' ')}`);
        }
      });
      expect(sorted.back).toEqual(sorted.expected);
    });
  }

  it('TcpError - a peer reset reaches an active owner as TcpError econnreset, then TcpClosed (show_econnreset_active)', async () => {
    const { createConnection } = await import('node:net');
    const seen = await inProcess(async (ctx) => {
      const { listen, port } = await listenLocal(ctx, { active: true });
      const peer = createConnection({ host: '127.0.0.1', port });
      const server = await Tcp.accept(ctx, listen, 5000);
      await new Promise((resolve) => (peer.connecting ? peer.once('connect', resolve) : resolve(undefined)));
      peer.resetAndDestroy();
      return [await nextFrom(ctx, server), await nextFrom(ctx, server), Tcp.info(server)];
    });
    expect(seen).toEqual([['TcpError', 'econnreset'], ['TcpClosed'], undefined]);
  });

  it("TcpError - a reset seen by a passive socket fails recv with econnreset; with 'once' it is told (show_econnreset_passive, show_econnreset_active_once)", async () => {
    const { createConnection } = await import('node:net');
    await inProcess(async (ctx) => {
      for (const how of ['recv', 'once'] as const) {
        const { listen, port } = await listenLocal(ctx, { active: false });
        const peer = createConnection({ host: '127.0.0.1', port });
        peer.on('error', () => {});
        const server = await Tcp.accept(ctx, listen, 5000);
        await new Promise((resolve) => (peer.connecting ? peer.once('connect', resolve) : resolve(undefined)));
        peer.resetAndDestroy();
        await new Promise((resolve) => peer.once('close', resolve));
        if (how === 'recv') {
          const error = await captureRejection(Tcp.recv(server, 0, 5000));
          expect(error).toBeInstanceOf(SocketError);
          expect(error).toMatchObject({ code: 'econnreset' });
          expect(() => Tcp.recv(server, 0)).toThrow(SocketClosedError);
        } else {
          expect(drain(ctx, server)).toEqual([]);
          Tcp.setopts(server, { active: 'once' });
          expect(await nextFrom(ctx, server)).toEqual(['TcpError', 'econnreset']);
          expect(await nextFrom(ctx, server)).toEqual(['TcpClosed']);
        }
        Tcp.close(listen);
      }
    });
  });

  it('recv after sending much to a peer that read one byte and closed fails, never hangs (partial_recv_and_close_3)', async () => {
    await inProcess(async (ctx) => {
      for (let round = 0; round < 5; round++) {
        const { client, server } = await connectedPair(ctx, { active: false }, { active: false });
        void Tcp.send(client, Buffer.alloc(8 * 64 * 1024, 1));
        await Tcp.recv(server, 1, 5000);
        Tcp.close(server);
        const error = await captureRejection(Tcp.recv(client, 0, 5000));
        // The peer closed with unread data, which resets the connection: 'econnreset', shown as
        // OTP's show_econnreset does (OTP's default reports 'closed').
        expect(['closed', 'econnreset']).toContain((error as SocketError).code);
      }
    });
  });

  it('a sender waiting on a peer that stops reading and closes gets closed, and the owner TcpClosed (busy_disconnect_active, busy_disconnect_passive)', async () => {
    for (const mode of [true, false] as const) {
      await inProcess(async (ctx) => {
        const { client, server } = await connectedPair(ctx, { active: false }, { active: mode });
        const chunk = Buffer.alloc(64 * 1024, 1);
        let waiting: Promise<void> | undefined;
        for (let sent = 0; sent < 256 * 1024 * 1024; sent += chunk.length) {
          const send = Tcp.send(client, chunk);
          if (await isPending(send)) {
            waiting = send;
            break;
          }
        }
        Tcp.close(server);
        const error = await captureRejection(waiting!);
        expect(error).toBeInstanceOf(SocketClosedError);
        if (mode) {
          const messages = [await nextFrom(ctx, client)];
          if (messages[0]![0] === 'TcpError') messages.push(await nextFrom(ctx, client));
          expect(messages.at(-1)).toEqual(['TcpClosed']);
        }
        expect(() => Tcp.send(client, chunk)).toThrow(SocketClosedError);
      });
    }
  });
});

// Keep the message classes referenced for readers grepping for their use.
void TcpError;
void TcpPassive;
