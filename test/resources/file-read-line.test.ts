import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { File, type ProcessContext } from '../../src/index.js';
import { inProcess } from '../helpers.js';
import { tempDir } from './file-helpers.js';

describe('File text mode', () => {
  it('reads return whole UTF-8 characters: a cut-off character waits for the next read', async () => {
    const name = join(tempDir(), 'utf8');
    writeFileSync(name, 'aé€😀z'); // 1 + 2 + 3 + 4 + 1 bytes
    const seen = await inProcess(async (ctx) => {
      const fd = await File.open(ctx, name);
      const out: unknown[] = [];
      out.push(await File.read(fd, 2)); // 'a' and half of 'é': only 'a'
      out.push(await File.read(fd, 1)); // one byte asked, two needed: the whole 'é'
      out.push(await File.read(fd, 5)); // '€' and the start of '😀': only '€'
      out.push(await File.read(fd, 100));
      out.push(await File.position(fd, 'cur'));
      out.push(await File.pread(fd, 1, 1));
      out.push(await File.read(fd, 1));
      return out;
    });
    expect(seen).toEqual(['a', 'é', '€', '😀z', 11, 'é', undefined]);
  });

  it('a character cut off by the end of the file reads as U+FFFD, and the read ends', async () => {
    const name = join(tempDir(), 'cut');
    writeFileSync(name, Buffer.from([0x61, 0xe2, 0x82]));
    const seen = await inProcess(async (ctx) => {
      const fd = await File.open(ctx, name);
      return [await File.read(fd, 3), await File.read(fd, 3), await File.read(fd, 3)];
    });
    expect(seen).toEqual(['a', '\ufffd', undefined]);
  });
});

describe('File.readLine', () => {
  const lines = ['hej', 'hopp', 'i', 'lingon\rskogen'];
  const crlf = (rows: string[]) => rows.map((row) => `${row}\r\n`).join('');
  const noEnd = 'Inget radslut\r';
  // The data files of read_line_1 and read_line_2, with their line counts when read by lines, and
  // when reading alternates between read(1) and readLine (undefined where that splits a CR LF).
  const testdata: [string, string, number, number | undefined][] = [
    ['Testdata1', crlf(lines) + noEnd, 5, 10],
    ['Testdata2', (crlf(lines) + noEnd).repeat(100), 401, 802],
    ['Testdata3', `${(lines.join('') + noEnd).repeat(200)}\r\n`, 1, 2],
    ['Testdata4', ('\r\n\r\n' + crlf(lines) + noEnd).repeat(100), 601, undefined],
    ['Testdata5', ('\n\n' + crlf(lines) + noEnd).repeat(100), 601, 1002],
    ['Testdata6', ('i\n'.repeat(2) + crlf(lines) + noEnd).repeat(100), 601, 1202],
    ['Testdata7', ('i\r\n'.repeat(2) + crlf(lines) + noEnd).repeat(100), 601, 1202],
    ['Testdata8', (crlf(lines) + noEnd).repeat(1000), 4001, 8002],
  ];

  async function readAll(ctx: ProcessContext, name: string, alternate: boolean): Promise<Buffer[]> {
    const fd = await File.open(ctx, name, ['read', 'binary']);
    const got: Buffer[] = [];
    // Alternating starts with read(1), as read_rl_lines2(F, true) does.
    for (let byLine = !alternate; ; byLine = alternate ? !byLine : true) {
      const next = byLine ? await File.readLine(fd) : await File.read(fd, 1);
      if (next === undefined) break;
      got.push(next);
    }
    await File.close(fd);
    return got;
  }

  it('reads line by line, CR LF as LF, the last line without an ending; alternating with read(1) (read_line_1, read_line_2)', async () => {
    const dir = tempDir();
    await inProcess(async (ctx) => {
      for (const [base, content, byLines, alternating] of testdata) {
        const name = join(dir, `${base}.txt`);
        writeFileSync(name, content);
        const expected = content.replaceAll('\r\n', '\n');
        const all = await readAll(ctx, name, false);
        expect([base, all.length]).toEqual([base, byLines]);
        expect(Buffer.concat(all).toString()).toBe(expected);
        const mixed = await readAll(ctx, name, true);
        if (alternating === undefined) expect(Buffer.concat(mixed).toString()).not.toBe(expected);
        else {
          expect([base, mixed.length]).toEqual([base, alternating]);
          expect(Buffer.concat(mixed).toString()).toBe(expected);
        }
      }
    });
  });

  it('a line longer than one read, in text mode, with multi-byte characters', async () => {
    const name = join(tempDir(), 'long');
    const long = 'ü'.repeat(10_000);
    writeFileSync(name, `${long}\nshort\n`);
    const seen = await inProcess(async (ctx) => {
      const fd = await File.open(ctx, name);
      return [await File.readLine(fd), await File.readLine(fd), await File.readLine(fd), File.info(fd)?.bytesRead];
    });
    expect(seen).toEqual([`${long}\n`, 'short\n', undefined, 20_007]);
  });
});
