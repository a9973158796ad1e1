import { describe, expect, it } from 'vitest';
import { Port, PacketTooLargeError, PortData, PortEof, PortLine } from '../../src/index.js';
import { decoderFor, type Framing } from '../../src/resources/ports/internal/port-framing.js';
import { captureError, inTrappingProcess } from '../helpers.js';
import { collectUntilExit, nextFrom, packetOf, receiveBytes } from './port-helpers.js';

/** OTP port_SUITE's packet sizes, those that fit a header of `size` bytes. */
function sizesFor(size: 1 | 2 | 4): number[] {
  const limit = size === 1 ? 256 : size === 2 ? 65536 : Infinity;
  return [10, 13, 64, 127, 128, 255, 256, 1023, 1024, 32767, 32768, 65535, 65536].filter((n) => n < limit);
}

/** What a decoder delivers for these chunks, as text. */
function decode(framing: Framing, chunks: string[], end = true): unknown[] {
  const out: unknown[] = [];
  const decoder = decoderFor(framing, {
    data: (bytes) => out.push(bytes.toString('latin1')),
    line: (bytes, eol) => out.push({ [eol ? 'eol' : 'noeol']: bytes.toString('latin1') }),
  });
  for (const chunk of chunks) decoder.push(Buffer.from(chunk, 'latin1'));
  if (end) decoder.end();
  return out;
}

describe('Port framing', () => {
  for (const size of [1, 2, 4] as const) {
    it(`packet: ${size} - packets of every size round-trip through cat, header removed (basic_ping)`, async () => {
      const sizes = sizesFor(size);
      const received = await inTrappingProcess(async (ctx) => {
        const port = Port.open(ctx, { spawn: 'cat' }, { packet: size });
        const got: number[] = [];
        for (const length of sizes) {
          const packet = packetOf(length, 'ping');
          await Port.command(port, packet);
          const reply = await nextFrom(ctx, port);
          expect(reply).toBeInstanceOf(PortData);
          expect((reply as PortData).data.toString()).toBe(packet);
          got.push((reply as PortData).data.length);
        }
        const info = Port.info(port)!;
        const total = sizes.reduce((sum, n) => sum + n + size, 0);
        expect([info.output, info.input]).toEqual([total, total]);
        return got;
      });
      expect(received).toEqual(sizes);
    });
  }

  it('packet - an empty packet is a message too, and several packets in one read are split', async () => {
    const seen = await inTrappingProcess(async (ctx) => {
      const port = Port.open(ctx, { shell: 'printf "\\000\\002hi\\000\\000\\000\\003abc"' }, { packet: 2 });
      return collectUntilExit(ctx, port);
    });
    expect(seen).toEqual([{ data: 'hi' }, { data: '' }, { data: 'abc' }, { exit: 'normal' }]);
  });

  it('packet - a command too long for the header is a typed error, and the port stays usable (bad_packet)', async () => {
    const seen = await inTrappingProcess(async (ctx) => {
      const port = Port.open(ctx, { spawn: 'cat' }, { packet: 1 });
      const error = captureError(() => Port.commandNosuspend(port, Buffer.alloc(256)));
      expect(error).toBeInstanceOf(PacketTooLargeError);
      expect(error).toMatchObject({ code: 'packet_too_large', size: 256, max: 255 });
      const wide = Port.open(ctx, { spawn: 'cat' }, { packet: 2 });
      expect(() => Port.command(wide, Buffer.alloc(65536))).toThrow(PacketTooLargeError);
      await Port.command(port, Buffer.alloc(255, 'x'));
      return ((await nextFrom(ctx, port)) as PortData).data.length;
    });
    expect(seen).toBe(255);
  });

  it('packet - a packet arriving in pieces, and pieces holding several packets, are reassembled (slow_writes, mul_slow_writes)', () => {
    const packet = (text: string) => String.fromCharCode(0, 0, text.length >> 8, text.length & 0xff) + text;
    const stream = packet('hello') + packet('') + packet('x'.repeat(300)) + packet('end');
    const byteByByte = decode({ kind: 'packet', size: 4 }, [...stream]);
    const inThrees = decode({ kind: 'packet', size: 4 }, stream.match(/[\s\S]{1,3}/g)!);
    const expected = ['hello', '', 'x'.repeat(300), 'end'];
    expect(byteByByte).toEqual(expected);
    expect(inThrees).toEqual(expected);
    // A packet cut off by the end of output is dropped, not delivered short.
    expect(decode({ kind: 'packet', size: 2 }, ['\u0000\u0005abc'])).toEqual([]);
    // A header that ends exactly where a read ends.
    expect(decode({ kind: 'packet', size: 2 }, ['\u0000\u0003', '\u0000\u0000\u0001'])).toEqual(['\u0000\u0000\u0001']);
  });

  it('stream - big amounts of data stream through cat in both directions without deadlock (stream_big)', async () => {
    const data = Buffer.from(packetOf(100_000).repeat(4));
    const echoed = await inTrappingProcess(async (ctx) => {
      const port = Port.open(ctx, { spawn: 'cat' });
      await Port.command(port, data);
      return receiveBytes(ctx, port, data.length);
    });
    expect(echoed.equals(data)).toBe(true);
  });

  it('line - output is cut into lines, complete ones eol, longer ones in noeol parts (line)', async () => {
    const long = packetOf(110);
    const half = packetOf(55);
    const seen = await inTrappingProcess(async (ctx) => {
      const port = Port.open(ctx, { spawn: 'printf', args: ['%s\\n%s%s\\n%s\\r%s\\nlast', long, long, half, long, half] }, { line: 110 });
      return collectUntilExit(ctx, port);
    });
    expect(seen).toEqual([
      { eol: long },
      { noeol: long },
      { eol: half },
      { noeol: long }, // a lone CR is not a line end
      { eol: `\r${half}` },
      { noeol: 'last' }, // what is left when the output ends
      { exit: 'normal' },
    ]);
  });

  it('line - a line of exactly the maximum is complete; lines build up over several reads', () => {
    expect(decode({ kind: 'line', max: 4 }, ['abcdefghij\nxy\nabcd\nlast'])).toEqual([
      { noeol: 'abcd' },
      { noeol: 'efgh' },
      { eol: 'ij' },
      { eol: 'xy' },
      { eol: 'abcd' },
      { noeol: 'last' },
    ]);
    expect(decode({ kind: 'line', max: 10 }, ['ab', 'cd', 'ef\ngh', '\n', ''], false)).toEqual([{ eol: 'abcdef' }, { eol: 'gh' }]);
  });

  it('line - with eof, the last partial line comes before PortEof and the port stays open', async () => {
    const seen = await inTrappingProcess(async (ctx) => {
      const port = Port.open(ctx, { spawn: 'printf', args: ['one\ntwo'] }, { line: 80, eof: true });
      const first = (await nextFrom(ctx, port)) as PortLine;
      const second = (await nextFrom(ctx, port)) as PortLine;
      const third = await nextFrom(ctx, port);
      expect(Port.info(port)).toBeDefined();
      Port.close(port);
      return [first.line.toString(), first.eol, second.line.toString(), second.eol, third instanceof PortEof];
    });
    expect(seen).toEqual(['one', true, 'two', false, true]);
  });
});
