import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { File, FileError, type ProcessContext } from '../../src/index.js';
import { inProcess, testNode } from '../helpers.js';
import { tempDir } from './file-helpers.js';

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(FileError);
  return (error as FileError).code;
}

/** A file holding "ABCDEFGH", opened for reading (pos1, pos2). */
async function abcdefgh(ctx: ProcessContext, name: string) {
  writeFileSync(name, 'ABCDEFGH');
  return File.open(ctx, name, ['read']);
}

describe('File.read / File.write', () => {
  for (const binary of [false, true]) {
    it(`write, position 0, read 0, read all, eof, read 0 again - ${binary ? 'binary' : 'text'} (read_write)`, async () => {
      const name = join(tempDir(), binary ? 'plain-b.fil' : 'plain.fil');
      const marker = 'hello, world';
      const seen = await inProcess(async (ctx) => {
        const fd = await File.open(ctx, name, binary ? ['read', 'write', 'binary'] : ['read', 'write']);
        await File.write(fd, marker);
        const out = [await File.position(fd, 0), await File.read(fd, 0), await File.read(fd, 100), await File.read(fd, 100), await File.read(fd, 0)];
        await File.close(fd);
        return out;
      });
      const empty = binary ? Buffer.alloc(0) : '';
      expect(seen).toEqual([0, empty, binary ? Buffer.from(marker) : marker, undefined, empty]);
    });
  }

  it('a read returns at most the size asked for, and moves past it; writes of bytes and strings mix', async () => {
    const name = join(tempDir(), 'mix');
    const seen = await inProcess(async (ctx) => {
      const fd = await File.open(ctx, name, ['read', 'write', 'binary']);
      await File.write(fd, Buffer.from([1, 2, 3]));
      await File.write(fd, new Uint8Array([4, 5]));
      await File.write(fd, 'six');
      await File.position(fd, 'bof');
      return [await File.read(fd, 2), await File.read(fd, 2), await File.read(fd, 100), File.info(fd)];
    });
    expect(seen.slice(0, 3)).toEqual([Buffer.from([1, 2]), Buffer.from([3, 4]), Buffer.from([5, 0x73, 0x69, 0x78])]);
    expect(seen[3]).toMatchObject({ position: 8, bytesRead: 8, bytesWritten: 8, reads: 3, writes: 3, pending: 0, state: 'open' });
  });

  it('a read after writing in the middle sees the write (interleaved_read_write)', async () => {
    const name = join(tempDir(), 'file_SUITEinterleaved_read_write.txt');
    await inProcess(async (ctx) => {
      const f1 = await File.open(ctx, name, ['write']);
      for (const record of ['data---r1.', 'data---r2.', 'data---r3.']) await File.write(f1, record);
      await File.close(f1);
      const f2 = await File.open(ctx, name, ['read', 'write']);
      expect(await File.read(f2, 10)).toBe('data---r1.');
      await File.write(f2, 'data---w2.');
      await File.close(f2);
      const f3 = await File.open(ctx, name, ['read']);
      expect([await File.read(f3, 10), await File.read(f3, 10), await File.read(f3, 10), await File.read(f3, 1)]).toEqual(['data---r1.', 'data---w2.', 'data---r3.', undefined]);
      await File.close(f3);
    });
  });

  it('operations run one at a time, in the order asked, whoever asks', async () => {
    const name = join(tempDir(), 'order');
    const { node } = testNode();
    await node.run(async (ctx) => {
      const fd = await File.open(ctx, name, ['write']);
      const writes: Promise<void>[] = [];
      for (let i = 0; i < 50; i++) writes.push(File.write(fd, `${i},`));
      expect(File.info(fd)?.pending).toBe(50);
      // Another process's write queues behind them.
      const other = node.spawn(async () => {
        await File.write(fd, 'other');
      });
      await Promise.all(writes);
      await node.awaitExit(other);
      await File.close(fd);
    });
    expect(readFileSync(name, 'utf8')).toBe(`${Array.from({ length: 50 }, (_, i) => `${i},`).join('')}other`);
  });
});

describe('File.pread / File.pwrite', () => {
  for (const binary of [false, true]) {
    it(`write and read at positions without moving, past the end is undefined - ${binary ? 'binary' : 'text'} (pread_write)`, async () => {
      const name = join(tempDir(), 'pread');
      const data = 'hello, world';
      const size = data.length;
      const i = size + 17;
      const as = (text: string) => (binary ? Buffer.from(text) : text);
      await inProcess(async (ctx) => {
        const fd = await File.open(ctx, name, binary ? ['binary', 'read', 'write'] : ['read', 'write']);
        await File.pwrite(fd, 0, data);
        expect(await File.pread(fd, 0, i)).toEqual(as(data));
        expect(await File.pread(fd, i, 1)).toBeUndefined();
        await File.pwrite(fd, 0, data);
        await File.pwrite(fd, i, data);
        expect([await File.pread(fd, 0, size), await File.pread(fd, 2 * i, 1), await File.pread(fd, i, size)]).toEqual([as(data), undefined, as(data)]);
        for (let p = 21 * i; p >= 0; p -= i) await File.pwrite(fd, p, data);
        expect(await File.pread(fd, 22 * i, size)).toBeUndefined();
        for (let p = 21 * i; p >= 0; p -= i) expect(await File.pread(fd, p, size)).toEqual(as(data));
        // The gap between records reads as zeros, and the current position never moved.
        expect(await File.pread(fd, size, 1)).toEqual(as('\0'));
        expect(await File.position(fd, 'cur')).toBe(0);
        await File.close(fd);
      });
    });
  }
});

describe('File append mode', () => {
  it('writes go to the end of the file, whatever the position (append)', async () => {
    const name = join(tempDir(), 'a_file.txt');
    const [first, second, third] = ['First line\n', 'Seond lines comes here\n', 'And here is the third line\n'];
    await inProcess(async (ctx) => {
      const fd1 = await File.open(ctx, name, ['write']);
      await File.write(fd1, first);
      await File.write(fd1, second);
      await File.close(fd1);
      const fd2 = await File.open(ctx, name, ['append']);
      await File.write(fd2, third);
      await File.close(fd2);
    });
    expect(readFileSync(name, 'utf8')).toBe(first + second + third);
  });

  it('after an append the position is the end; reads from it, and pwrite too appends on Linux', async () => {
    const name = join(tempDir(), 'app');
    writeFileSync(name, 'abc');
    const seen = await inProcess(async (ctx) => {
      const fd = await File.open(ctx, name, ['read', 'append']);
      const out: unknown[] = [await File.read(fd, 2)];
      await File.write(fd, 'E');
      out.push(File.info(fd)?.position, await File.position(fd, 'cur'), await File.read(fd, 1));
      await File.position(fd, 0);
      await File.pwrite(fd, 0, 'P');
      out.push(await File.read(fd, 100));
      return out;
    });
    expect(seen).toEqual(['ab', undefined, 4, undefined, 'abcEP']);
  });
});

describe('File.position', () => {
  it('relative, fixed and end-relative positions; before the start is einval (pos1)', async () => {
    const name = join(tempDir(), 'file_SUITE_pos1.fil');
    await inProcess(async (ctx) => {
      const fd = await abcdefgh(ctx, name);
      const char = () => File.read(fd, 1);
      expect(await char()).toBe('A');
      expect(await File.position(fd, { cur: 1 })).toBe(2);
      expect(await char()).toBe('C');
      expect(await File.position(fd, { cur: -3 })).toBe(0);
      expect(await char()).toBe('A');
      expect(await File.position(fd, { cur: -1 })).toBe(0);
      expect(await codeOf(File.position(fd, { cur: -1 }))).toBe('einval');
      expect(await File.position(fd, 0)).toBe(0);
      expect(await File.position(fd, { cur: 2 })).toBe(2);
      expect(await char()).toBe('C');
      expect(await File.position(fd, { cur: 10 })).toBe(13);
      expect(await char()).toBeUndefined();

      for (const [where, expected] of [[8, undefined], [7, 'H'], [0, 'A'], [3, 'D'], [12, undefined], [3, 'D']] as const) {
        expect(await File.position(fd, where)).toBe(where);
        expect(await char()).toBe(expected);
      }
      expect(await File.position(fd, 8)).toBe(8);
      expect(await File.position(fd, 'cur')).toBe(8);
      expect(await File.position(fd, { bof: 3 })).toBe(3);
      expect(await char()).toBe('D');

      expect(await File.position(fd, { eof: 0 })).toBe(8);
      expect(await char()).toBeUndefined();
      expect(await File.position(fd, { eof: -1 })).toBe(7);
      expect(await char()).toBe('H');
      expect(await File.position(fd, { eof: -8 })).toBe(0);
      expect(await char()).toBe('A');
      expect(await codeOf(File.position(fd, { eof: -9 }))).toBe('einval');
      expect(await File.position(fd, 'eof')).toBe(8);
      expect(await File.position(fd, 'bof')).toBe(0);
    });
  });

  it('a negative position is einval, and positioning still works after it (pos2)', async () => {
    const name = join(tempDir(), 'file_SUITE_pos2.fil');
    await inProcess(async (ctx) => {
      const fd = await abcdefgh(ctx, name);
      expect(await codeOf(File.position(fd, -1))).toBe('einval');
      expect(await File.position(fd, 0)).toBe(0);
      expect(await File.position(fd, { bof: 3 })).toBe(3);
      expect(await File.read(fd, 1)).toBe('D');
    });
  });

  it('a failed move leaves the position where it was (pos3)', async () => {
    const name = join(tempDir(), 'pos3');
    await inProcess(async (ctx) => {
      const fd = await abcdefgh(ctx, name);
      expect(await File.read(fd, 5)).toBe('ABCDE');
      expect(await codeOf(File.position(fd, { bof: -1 }))).toBe('einval');
      expect(await codeOf(File.position(fd, { cur: -10 }))).toBe('einval');
      expect(await File.position(fd, 'cur')).toBe(5);
    });
  });

  it('positions past 4 GiB work in a sparse file (large_file)', async () => {
    const name = join(tempDir(), 'file_SUITE_large_file');
    const s = '1234567890';
    const r = [...s].reverse().join('');
    const p = 2 ** 32;
    await inProcess(async (ctx) => {
      const f = await File.open(ctx, name, ['read', 'write']);
      await File.write(f, s);
      expect(await File.position(f, p)).toBe(p);
      await File.write(f, r);
      expect(await File.position(f, 'bof')).toBe(0);
      expect(await File.read(f, s.length)).toBe(s);
      expect(await File.position(f, { eof: -s.length })).toBe(p);
      expect(await File.read(f, s.length + 1)).toBe(r);
      expect(await File.pread(f, p, s.length + 1)).toBe(r);
      await File.close(f);
      const f1 = await File.open(ctx, name, ['read', 'write', 'append']);
      await File.write(f1, r);
      expect(await File.position(f1, { cur: 0 })).toBe(p + 2 * s.length);
      await File.close(f1);
    });
    expect(statSync(name).size).toBe(p + 2 * s.length);
  });
});

describe('File.truncate / File.sync / File.datasync', () => {
  it('cuts the file at the current position; a read-only handle cannot (truncate)', async () => {
    const name = join(tempDir(), 'file_SUITE_truncate.fil');
    writeFileSync(name, '0123456789abcdefghijklmnopqrstuvxyz');
    await inProcess(async (ctx) => {
      const fd = await File.open(ctx, name, ['read', 'write']);
      expect(await File.position(fd, 10)).toBe(10);
      await File.truncate(fd);
      await File.close(fd);
      expect(readFileSync(name, 'utf8')).toBe('0123456789');
      const fd2 = await File.open(ctx, name, ['read']);
      expect(await File.position(fd2, 5)).toBe(5);
      expect(['einval', 'ebadf']).toContain(await codeOf(File.truncate(fd2)));
      expect(readFileSync(name, 'utf8')).toBe('0123456789');
    });
  });

  it('sync and datasync resolve (sync, datasync)', async () => {
    const name = join(tempDir(), 'file_SUITE_sync.fil');
    await inProcess(async (ctx) => {
      const fd = await File.open(ctx, name, ['write']);
      await File.write(fd, 'x');
      await expect(File.sync(fd)).resolves.toBeUndefined();
      await expect(File.datasync(fd)).resolves.toBeUndefined();
      await File.close(fd);
    });
  });
});
