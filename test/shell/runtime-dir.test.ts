import { chmodSync, lstatSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkRuntimeDir, defaultRuntimeDir, ensureRuntimeDir, socketPathOf } from '../../src/shell/runtime-dir.js';
import { readCookieFile, UnsafeCookieFileError, UnsafeRuntimeDirError } from '../../src/shell/index.js';
import { captureError } from '../helpers.js';
import { runtimeDir } from './shell-helpers.js';

const savedXdg = process.env.XDG_RUNTIME_DIR;
afterEach(() => {
  if (savedXdg === undefined) delete process.env.XDG_RUNTIME_DIR;
  else process.env.XDG_RUNTIME_DIR = savedXdg;
});

describe('runtime directory', () => {
  it('defaultRuntimeDir - $XDG_RUNTIME_DIR/beamish, else <tmpdir>/beamish-<uid>', () => {
    process.env.XDG_RUNTIME_DIR = '/run/user/1000';
    expect(defaultRuntimeDir()).toBe('/run/user/1000/beamish');
    delete process.env.XDG_RUNTIME_DIR;
    expect(defaultRuntimeDir()).toBe(join(tmpdir(), `beamish-${process.getuid?.()}`));
  });

  it('ensureRuntimeDir - creates the directory with mode 0700', () => {
    const dir = join(runtimeDir(), 'nested', 'beamish');
    ensureRuntimeDir(dir);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('checkRuntimeDir - refuses group or world access, symbolic links and files', () => {
    const open = runtimeDir();
    chmodSync(open, 0o770);
    expect(captureError(() => checkRuntimeDir(open))).toBeInstanceOf(UnsafeRuntimeDirError);
    const target = runtimeDir();
    const link = join(runtimeDir(), 'link');
    symlinkSync(target, link);
    expect((captureError(() => ensureRuntimeDir(link)) as Error).message).toContain('symbolic link');
    const file = join(runtimeDir(), 'file');
    writeFileSync(file, '');
    expect((captureError(() => checkRuntimeDir(file)) as Error).message).toContain('not a directory');
  });

  it('socketPathOf - the node name is the file name; names that cannot be one are refused', () => {
    expect(socketPathOf('/run/b', 'demo@localhost')).toBe('/run/b/demo@localhost');
    expect(captureError(() => socketPathOf('/run/b', '../evil'))).toBeInstanceOf(TypeError);
    expect(captureError(() => socketPathOf('/run/b', 'with space'))).toBeInstanceOf(TypeError);
    expect((captureError(() => socketPathOf('/run/b', 'n'.repeat(120))) as Error).message).toContain('103 bytes');
  });
});

describe('cookie file', () => {
  it('readCookieFile - creates a missing file 0400 with random content, then reads the same cookie', () => {
    const path = join(runtimeDir(), 'cookie');
    const cookie = readCookieFile(path, { create: true });
    expect(cookie).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(lstatSync(path).mode & 0o777).toBe(0o400);
    expect(readCookieFile(path, { create: true })).toBe(cookie);
    expect(readCookieFile(path)).toBe(cookie);
    expect(readCookieFile(join(runtimeDir(), 'other'), { create: true })).not.toBe(cookie);
  });

  it('readCookieFile - never overwrites an existing cookie', () => {
    const path = join(runtimeDir(), 'cookie');
    writeFileSync(path, 'mine\n', { mode: 0o600 });
    expect(readCookieFile(path, { create: true })).toBe('mine');
    expect(readFileSync(path, 'utf8')).toBe('mine\n');
  });

  it('readCookieFile - refuses a file others may read, an empty one, and a directory', () => {
    const dir = runtimeDir();
    const shared = join(dir, 'shared');
    writeFileSync(shared, 'secret', { mode: 0o644 });
    chmodSync(shared, 0o644);
    const error = captureError(() => readCookieFile(shared));
    expect(error).toBeInstanceOf(UnsafeCookieFileError);
    expect((error as Error).message).toContain('mode 0644');
    const empty = join(dir, 'empty');
    writeFileSync(empty, '\n', { mode: 0o600 });
    expect(captureError(() => readCookieFile(empty))).toBeInstanceOf(UnsafeCookieFileError);
    const folder = join(dir, 'folder');
    mkdirSync(folder, { mode: 0o700 });
    expect(captureError(() => readCookieFile(folder))).toBeInstanceOf(UnsafeCookieFileError);
  });

  it('readCookieFile - a missing file without create is the system error', () => {
    expect((captureError(() => readCookieFile(join(runtimeDir(), 'none'))) as NodeJS.ErrnoException).code).toBe('ENOENT');
  });
});
