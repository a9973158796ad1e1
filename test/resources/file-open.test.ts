import { existsSync, mkdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { File, FileClosedError, FileError, FileId, type ProcessContext } from '../../src/index.js';
import { inProcess, testNode } from '../helpers.js';
import { tempDir } from './file-helpers.js';

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
  expect(error).toBeInstanceOf(FileError);
  return (error as FileError).code;
}

describe('File.open', () => {
  it('modes - write creates and truncates, read reads, read+write keeps the data, no modes reads, sync writes (new_modes)', async () => {
    const dir = tempDir();
    const name = join(dir, 'foo1.fil');
    const marker = 'hello, world';
    await inProcess(async (ctx) => {
      const w = await File.open(ctx, name, ['write']);
      await File.write(w, `${marker}.\n`);
      expect(await File.close(w)).toBe(true);

      const r = await File.open(ctx, name, ['read']);
      expect(await File.readLine(r)).toBe(`${marker}.\n`);
      await File.close(r);

      const rw = await File.open(ctx, name, ['read', 'write']);
      expect(await File.read(rw, 5)).toBe('hello');
      await File.write(rw, 'X');
      await File.close(rw);
      expect(readFileSync(name, 'utf8')).toBe('helloX world.\n');

      const byDefault = await File.open(ctx, name);
      expect(await File.read(byDefault, 5)).toBe('hello');
      expect(File.info(byDefault)?.modes).toEqual(['read']);
      await File.close(byDefault);

      const binary = await File.open(ctx, name, ['read', 'binary']);
      expect(await File.read(binary, 5)).toEqual(Buffer.from('hello'));
      await File.close(binary);

      const synced = await File.open(ctx, name, ['write', 'sync']);
      await File.write(synced, `${marker}.\n`);
      await File.close(synced);
      expect(readFileSync(name, 'utf8')).toBe(`${marker}.\n`);
    });
  });

  it('two handles on one file see each other; truncate at bof empties it (open1)', async () => {
    const name = join(tempDir(), 'foo1.fil');
    await inProcess(async (ctx) => {
      const fd1 = await File.open(ctx, name, ['read', 'write']);
      const fd2 = await File.open(ctx, name, ['read']);
      const str = '{a,tuple}.\n';
      await File.write(fd1, str);
      expect(await File.position(fd1, 'bof')).toBe(0);
      expect(await File.readLine(fd1)).toBe(str);
      expect(await File.readLine(fd2)).toBe(str);
      expect(await File.close(fd2)).toBe(true);
      expect(await File.position(fd1, 'bof')).toBe(0);
      await File.truncate(fd1);
      expect(await File.readLine(fd1)).toBeUndefined();
      await File.close(fd1);
      const fd3 = await File.open(ctx, name, ['read']);
      expect(await File.readLine(fd3)).toBeUndefined();
      await File.close(fd3);
    });
  });

  it('a directory is refused with eisdir, for reading and for writing, with or without a trailing slash (open_errors)', async () => {
    const dir = tempDir();
    const codes = await inProcess(async (ctx) =>
      Promise.all([
        codeOf(File.open(ctx, dir, ['read'])),
        codeOf(File.open(ctx, `${dir}/`, ['read'])),
        codeOf(File.open(ctx, dir, ['write'])),
        codeOf(File.open(ctx, `${dir}/`, ['write'])),
      ]),
    );
    expect(codes).toEqual(['eisdir', 'eisdir', 'eisdir', 'eisdir']);
    expect(File.count(testNode().node)).toBe(0);
  });

  it('a missing file is enoent, a file used as a directory enotdir; the error names the path and keeps the cause', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'plain'), 'x');
    const [missing, notDir, missingDir] = await inProcess(async (ctx) =>
      Promise.all([
        File.open(ctx, join(dir, 'nope')).catch((e: unknown) => e),
        File.open(ctx, join(dir, 'plain', 'inside'), ['write']).catch((e: unknown) => e),
        File.open(ctx, join(dir, 'no-dir', 'file'), ['write']).catch((e: unknown) => e),
      ]),
    );
    expect(missing).toBeInstanceOf(FileError);
    expect(missing).toMatchObject({ code: 'enoent', operation: 'open', path: join(dir, 'nope'), file: undefined });
    expect((missing as FileError).cause).toMatchObject({ code: 'ENOENT' });
    expect((missing as FileError).message).toContain(join(dir, 'nope'));
    expect(notDir).toMatchObject({ code: 'enotdir' });
    expect(missingDir).toMatchObject({ code: 'enoent' });
    expect(existsSync(join(dir, 'no-dir'))).toBe(false);
  });

  it('exclusive creates a new file and refuses an existing one with eexist (exclusive)', async () => {
    const dir = join(tempDir(), 'file_SUITE_exclusive');
    mkdirSync(dir);
    const name = join(dir, 'ex_file.txt');
    await inProcess(async (ctx) => {
      const fd = await File.open(ctx, name, ['write', 'exclusive']);
      expect(await codeOf(File.open(ctx, name, ['write', 'exclusive']))).toBe('eexist');
      expect(await codeOf(File.open(ctx, name, ['exclusive']))).toBe('eexist');
      expect(await File.close(fd)).toBe(true);
      // exclusive alone opens for writing, as in Erlang.
      const alone = await File.open(ctx, join(dir, 'alone'), ['exclusive']);
      await File.write(alone, 'x');
      expect(File.info(alone)?.modes).toEqual(['exclusive']);
      await File.close(alone);
    });
    expect(readFileSync(join(dir, 'alone'), 'utf8')).toBe('x');
  });

  it('a file the process may not open is eacces', async () => {
    const dir = tempDir();
    const name = join(dir, 'secret');
    writeFileSync(name, 'x');
    chmodSync(name, 0o000);
    // Root may open anything: take the identity of `nobody` for the open (the directory is 0700).
    const asRoot = process.geteuid?.() === 0;
    const code = await inProcess(async (ctx) => {
      if (asRoot) process.seteuid!(65534);
      try {
        return await codeOf(File.open(ctx, name, ['read']));
      } finally {
        if (asRoot) process.seteuid!(0);
      }
    });
    expect(code).toBe('eacces');
  });

  it('a path may be a file: URL', async () => {
    const name = join(tempDir(), 'url.txt');
    writeFileSync(name, 'by url');
    const text = await inProcess(async (ctx) => {
      const file = await File.open(ctx, pathToFileURL(name));
      expect(File.info(file)?.path).toBe(name);
      return File.read(file, 100);
    });
    expect(text).toBe('by url');
  });

  it('bad arguments are TypeErrors, and nothing is opened', async () => {
    const dir = tempDir();
    const { node } = testNode();
    await node.run(async (ctx) => {
      await expect(File.open({} as ProcessContext, join(dir, 'a'), ['write'])).rejects.toThrow(/Expected `ctx` to be the context of a process/);
      await expect(File.open(ctx, '', ['write'])).rejects.toThrow(TypeError);
      await expect(File.open(ctx, 'a\0b', ['write'])).rejects.toThrow(TypeError);
      await expect(File.open(ctx, 42 as unknown as string)).rejects.toThrow(/Expected `path`/);
      await expect(File.open(ctx, new URL('http://example.com/x'))).rejects.toThrow(/file: URL/);
      await expect(File.open(ctx, join(dir, 'a'), 'write' as unknown as ['write'])).rejects.toThrow(/Expected `modes` to be an array of modes/);
      await expect(File.open(ctx, join(dir, 'a'), ['write', 'raw'] as unknown as ['write'])).rejects.toThrow(/Expected `modes\[\]` to be one of 'read'.*got `raw` \(string\)/);
    });
    expect(existsSync(join(dir, 'a'))).toBe(false);
    expect(File.count(node)).toBe(0);
  });

  it('the handle type follows the modes: Buffer with binary, string without', async () => {
    const name = join(tempDir(), 't');
    writeFileSync(name, 'abc');
    await inProcess(async (ctx) => {
      const text = await File.open(ctx, name);
      const bytes = await File.open(ctx, name, ['read', 'binary']);
      expectTypeOf(text).toEqualTypeOf<FileId<string>>();
      expectTypeOf(bytes).toEqualTypeOf<FileId<Buffer>>();
      expectTypeOf(await File.read(bytes, 1)).toEqualTypeOf<Buffer | undefined>();
      expect(text).toBeInstanceOf(FileId);
      expect(String(text)).toMatch(/^#File<\d+\.\d+>$/);
      expect(text.equals(text)).toBe(true);
      expect(text.equals(bytes)).toBe(false);
    });
  });
});

describe('File - wrong use of a handle', () => {
  it('write on a handle opened for reading is ebadf, and the handle stays usable (access)', async () => {
    const name = join(tempDir(), 'file_SUITE_access.fil');
    writeFileSync(name, 'ABCDEFGH');
    await inProcess(async (ctx) => {
      const fd = await File.open(ctx, name, ['read']);
      expect(await codeOf(File.write(fd, 'XXXX'))).toBe('ebadf');
      expect(await codeOf(File.pwrite(fd, 0, 'XXXX'))).toBe('ebadf');
      expect(await File.readLine(fd)).toBe('ABCDEFGH');
      await File.close(fd);
    });
    expect(readFileSync(name, 'utf8')).toBe('ABCDEFGH');
  });

  it('read on a handle opened for writing is ebadf', async () => {
    const name = join(tempDir(), 'w');
    await inProcess(async (ctx) => {
      const fd = await File.open(ctx, name, ['write']);
      expect(await codeOf(File.read(fd, 1))).toBe('ebadf');
      expect(await codeOf(File.pread(fd, 0, 1))).toBe('ebadf');
      expect(await codeOf(File.readLine(fd))).toBe('ebadf');
      await File.write(fd, 'still fine');
    });
    expect(readFileSync(name, 'utf8')).toBe('still fine');
  });

  it('close returns true, then false; closing twice never throws (close)', async () => {
    const name = join(tempDir(), 'file_SUITE_close.fil');
    await inProcess(async (ctx) => {
      const fd = await File.open(ctx, name, ['read', 'write']);
      await expect(File.close({ ok: fd } as unknown as FileId)).rejects.toThrow(/Expected `file` to be a FileId/);
      const [first, concurrent] = await Promise.all([File.close(fd), File.close(fd)]);
      expect([first, concurrent]).toEqual([true, false]);
      expect(await File.close(fd)).toBe(false);
    });
  });

  it('every operation on a closed file fails with FileClosedError, never a crash (close)', async () => {
    const name = join(tempDir(), 'closed');
    const { node } = testNode();
    const errors = await node.run(async (ctx) => {
      const fd = await File.open(ctx, name, ['read', 'write']);
      await File.close(fd);
      const attempts: Promise<unknown>[] = [
        File.read(fd, 1),
        File.readLine(fd),
        File.write(fd, 'x'),
        File.pread(fd, 5, 1),
        File.pwrite(fd, 5, 'einval please'),
        File.position(fd, 5),
        File.truncate(fd),
        File.sync(fd),
        File.datasync(fd),
      ];
      const settled = await Promise.allSettled(attempts);
      let transferError: unknown;
      try {
        File.transfer(ctx, fd, ctx.self);
      } catch (error) {
        transferError = error;
      }
      return [...settled.map((s) => (s.status === 'rejected' ? s.reason : s.value)), transferError];
    });
    expect(errors.map((e) => (e as FileError).operation)).toEqual(['read', 'readLine', 'write', 'pread', 'pwrite', 'position', 'truncate', 'sync', 'datasync', 'transfer']);
    for (const error of errors) {
      expect(error).toBeInstanceOf(FileClosedError);
      expect(error).toMatchObject({ code: 'closed', path: name });
    }
    expect(File.count(node)).toBe(0);
  });

  it('bad handles, sizes, positions and data are TypeErrors', async () => {
    const name = join(tempDir(), 'args');
    await inProcess(async (ctx) => {
      const fd = await File.open(ctx, name, ['read', 'write']);
      await expect(File.read('fd' as unknown as FileId, 1)).rejects.toThrow(/Expected `file` to be a FileId/);
      await expect(File.read(fd, -1)).rejects.toThrow(/Expected `size` to be a whole number from 0 to \d+, got `-1` \(number\)/);
      await expect(File.read(fd, 1.5)).rejects.toThrow(TypeError);
      await expect(File.pread(fd, -1, 1)).rejects.toThrow(/Expected `position`/);
      await expect(File.write(fd, 42 as unknown as string)).rejects.toThrow(/Expected `data` to be a string, Buffer or Uint8Array/);
      await expect(File.position(fd, 'end' as unknown as 'eof')).rejects.toThrow(/Expected `location`/);
      await expect(File.position(fd, { eof: 1, cur: 2 } as unknown as 'eof')).rejects.toThrow(/Expected `location`/);
      await expect(File.position(fd, 0.5)).rejects.toThrow(/Expected `location`/);
      expect(() => File.transfer(ctx, fd, 'pid' as never)).toThrow(/Expected `newOwner` to be a Pid/);
      expect(File.info(fd)?.position).toBe(0);
    });
  });
});
