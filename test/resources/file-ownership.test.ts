import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setImmediate } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import {
  createNode,
  File,
  FileClosedError,
  FileError,
  FileNotOwnerError,
  NotAliveError,
  Supervisor,
  type BeamishNode,
  type FileId,
  type Pid,
  type ProcessContext,
} from '../../src/index.js';
import { captureError, idle, testNode } from '../helpers.js';
import { fdsUnder, fsRequests, ownerOf, tempDir } from './file-helpers.js';

/** Asserts the file is gone for good: descriptor closed, not listed, operations refused. */
async function expectReleased(node: BeamishNode, file: FileId, dir: string): Promise<void> {
  await File.released(file);
  expect(fdsUnder(dir)).toBe(0);
  expect(File.info(file)).toBeUndefined();
  expect(File.count(node)).toBe(0);
  await expect(File.write(file, 'x')).rejects.toBeInstanceOf(FileClosedError);
}

describe('File ownership - the owner exit closes the file', () => {
  const reasons: [string, (node: BeamishNode, owner: Pid) => void, (ctx: ProcessContext) => unknown][] = [
    ['normal exit', () => {}, async (ctx) => void (await ctx.receive((m) => m === 'stop'))],
    ['crash', () => {}, async (ctx) => {
      await ctx.receive((m) => m === 'stop');
      throw new Error('boom');
    }],
    ['kill', (node, owner) => node.exit(owner, 'kill'), idle],
    ['exit signal shutdown', (node, owner) => node.exit(owner, 'shutdown'), idle],
    ['exit signal from another process', (node, owner) => void node.spawn((ctx) => ctx.exit(owner, { shutdown: 'bye' })), idle],
  ];

  for (const [why, end, body] of reasons) {
    it(`${why} - the descriptor is closed and the handle refuses operations`, async () => {
      const { node } = testNode();
      const dir = tempDir();
      const baseline = fsRequests();
      const { owner, file } = await ownerOf(node, (ctx) => File.open(ctx, join(dir, 'f'), ['write']), body);
      await File.write(file, 'data');
      expect(fdsUnder(dir)).toBe(1);
      expect(File.info(file)?.owner).toBe(owner);
      const exited = node.awaitExit(owner);
      node.send(owner, 'stop');
      end(node, owner);
      await exited;
      await expectReleased(node, file, dir);
      // A close request is listed until its callback returns, a turn after `released` resolves.
      await setImmediate();
      expect(fsRequests()).toBe(baseline);
    });
  }

  it('supervisor shutdown - terminateChild and the supervisor stopping close their children’s files', async () => {
    const { node } = testNode();
    const dir = tempDir();
    const files = new Map<string, FileId>();
    const child = (id: string) => ({
      id,
      start: (ctx: ProcessContext) =>
        ctx.spawnLink(async (worker) => {
          files.set(id, await File.open(worker, join(dir, id), ['write']));
          worker.send(parent as Pid, { opened: id });
          await idle(worker);
        }),
    });
    let parent: Pid | undefined;
    const result = await node.run(async (ctx) => {
      parent = ctx.self;
      const sup = await Supervisor.startLink(ctx, [child('a'), child('b')], { node });
      if (!sup.ok) throw new Error('the supervisor did not start');
      // Both children have opened their file.
      await ctx.receive((m) => (m as { opened?: string }).opened === 'a');
      await ctx.receive((m) => (m as { opened?: string }).opened === 'b');
      expect(fdsUnder(dir)).toBe(2);
      await Supervisor.terminateChild(sup.pid, 'a');
      await File.released(files.get('a')!);
      expect(fdsUnder(dir)).toBe(1);
      await Supervisor.stop(sup.pid);
      await File.released(files.get('b')!);
      return fdsUnder(dir);
    });
    expect(result).toBe(0);
    expect(File.count(node)).toBe(0);
  });

  it('node stop - every file of every process is closed', async () => {
    const node = createNode({ name: `files-stop@${process.pid}`, handleSignals: false, logger: { log: () => {} } });
    const dir = tempDir();
    const files: FileId[] = [];
    for (let i = 0; i < 5; i++) {
      const { file } = await ownerOf(node, async (ctx) => {
        const mine = await File.open(ctx, join(dir, `root${i}`), ['write']);
        // A child of this process opens its own file too.
        const opened = new Promise<FileId>((resolve) => ctx.spawn(async (kid) => {
          resolve(await File.open(kid, join(dir, `kid${i}`), ['read', 'write']));
          await idle(kid);
        }));
        files.push(await opened);
        return mine;
      });
      files.push(file);
    }
    expect(File.count(node)).toBe(10);
    expect(fdsUnder(dir)).toBe(10);
    await node.stop({ timeout: 1000 });
    // The node waited for the closes its processes' exits began (node.trackRelease).
    expect(fdsUnder(dir)).toBe(0);
    expect(File.count(node)).toBe(0);
    await Promise.all(files.map((file) => File.released(file)));
  });
});

describe('File ownership - operations under way when the owner dies', () => {
  it('an owner killed in the middle of a large read: the read completes, then the descriptor is closed', async () => {
    const { node } = testNode();
    const dir = tempDir();
    const size = 32 * 1024 * 1024;
    writeFileSync(join(dir, 'big'), Buffer.alloc(size, 'x'));
    const { owner, file } = await ownerOf(node, (ctx) => File.open(ctx, join(dir, 'big'), ['read', 'binary']));
    let settled = false;
    const reading = File.read(file, size);
    void reading.then(() => (settled = true));
    const queued = File.read(file, 10);
    expect(File.info(file)?.pending).toBe(2);
    const exited = node.awaitExit(owner);
    node.exit(owner, 'kill');
    await exited;
    // The owner is gone and the read is still under way: the file is closing, the descriptor held.
    expect(settled).toBe(false);
    expect(File.info(file)?.state).toBe('closing');
    expect(fdsUnder(dir)).toBe(1);
    await expect(File.read(file, 1)).rejects.toBeInstanceOf(FileClosedError);
    const data = await reading;
    expect(data?.length).toBe(size);
    await expect(queued).rejects.toMatchObject({ code: 'closed', operation: 'read' });
    await expectReleased(node, file, dir);
  });

  it('an owner that exits while its open is under way: the new descriptor is closed, not leaked', async () => {
    const { node } = testNode();
    const dir = tempDir();
    for (const how of ['returns', 'throws', 'is killed while awaiting it'] as const) {
      let opening: Promise<FileId> | undefined;
      const owner = node.spawn(async (ctx) => {
        opening = File.open(ctx, join(dir, how), ['write']);
        if (how === 'throws') throw new Error('gone before the open finished');
        if (how === 'is killed while awaiting it') {
          ctx.node.exit(ctx.self, 'kill');
          await opening;
        }
        opening.catch(() => {});
      });
      await node.awaitExit(owner);
      await expect(opening).rejects.toMatchObject({ code: 'exit' });
      // The open did happen (the file was created); its descriptor is closed.
      expect(existsSync(join(dir, how))).toBe(true);
      expect(fdsUnder(dir)).toBe(0);
      expect(File.count(node)).toBe(0);
    }
  });

  it('an open from a process that has exited fails without opening anything', async () => {
    const { node } = testNode();
    const dir = tempDir();
    let context: ProcessContext | undefined;
    await node.awaitExit(node.spawn((ctx) => void (context = ctx)));
    await expect(File.open(context!, join(dir, 'late'), ['write'])).rejects.toMatchObject({ code: 'exit' });
    expect(existsSync(join(dir, 'late'))).toBe(false);
  });
});

describe('File.transfer', () => {
  it('the new owner’s exit closes the file, the old owner’s no longer does', async () => {
    const { node } = testNode();
    const dir = tempDir();
    const heir = node.spawn(idle);
    const { owner, file } = await ownerOf(node, (ctx) => File.open(ctx, join(dir, 'f'), ['write']), async (ctx, f) => {
      File.transfer(ctx, f, heir);
      File.transfer(ctx, f, heir); // the caller is no longer the owner
    });
    const exitReason = await node.awaitExit(owner);
    expect(exitReason).toBeInstanceOf(FileNotOwnerError);
    expect(File.info(file)).toMatchObject({ owner: heir, state: 'open' });
    await File.write(file, 'still open');
    expect(File.list(node, { owner: heir }).map((info) => info.file)).toEqual([file]);
    expect(File.list(node, { owner })).toEqual([]);
    node.exit(heir, 'kill');
    await expectReleased(node, file, dir);
  });

  it('by a process that is not the owner: not_owner, and nothing changes', async () => {
    const { node } = testNode();
    const dir = tempDir();
    const { owner, file } = await ownerOf(node, (ctx) => File.open(ctx, join(dir, 'f'), ['write']));
    const error = await node.run((ctx) => captureError(() => File.transfer(ctx, file, ctx.self)));
    expect(error).toBeInstanceOf(FileNotOwnerError);
    expect(error).toBeInstanceOf(FileError);
    expect(error).toMatchObject({ code: 'not_owner', owner, operation: 'transfer', file });
    expect((error as FileNotOwnerError).message).toMatch(/may not transfer it: its owner is <\d+\.\d+\.\d+>/);
    expect(File.info(file)?.owner).toBe(owner);
  });

  it('to a dead process, or one of another node: NotAliveError, and the owner keeps it', async () => {
    const { node } = testNode();
    const { node: other } = testNode();
    const dir = tempDir();
    const dead = node.spawn(() => {});
    await node.awaitExit(dead);
    const stranger = other.spawn(idle);
    const errors = await node.run(async (ctx) => {
      const file = await File.open(ctx, join(dir, 'f'), ['write']);
      const result = [captureError(() => File.transfer(ctx, file, dead)), captureError(() => File.transfer(ctx, file, stranger))];
      File.transfer(ctx, file, ctx.self); // to the owner: nothing to do
      expect(File.info(file)?.owner).toBe(ctx.self);
      return result;
    });
    for (const error of errors) expect(error).toBeInstanceOf(NotAliveError);
    // The owner (the run process) has exited normally since: its file is closed.
    expect(fdsUnder(dir)).toBe(0);
  });
});

describe('File - any process may use and close a handle', () => {
  it('a process that is not the owner reads, writes and closes; the owner is not affected', async () => {
    const { node } = testNode();
    const dir = tempDir();
    const { owner, file } = await ownerOf(node, (ctx) => File.open(ctx, join(dir, 'shared'), ['read', 'write']));
    const text = await node.run(async () => {
      await File.write(file, 'from a friend');
      return File.pread(file, 0, 100);
    });
    expect(text).toBe('from a friend');
    await node.run(async () => expect(await File.close(file)).toBe(true));
    await expectReleased(node, file, dir);
    expect(node.isAlive(owner)).toBe(true);
  });
});

describe('File.info / File.list / File.count', () => {
  it('list is bounded, oldest first, filterable by owner; count is the total', async () => {
    const { node } = testNode();
    const dir = tempDir();
    const a = await ownerOf(node, (ctx) => File.open(ctx, join(dir, 'a'), ['write']));
    const b = await ownerOf(node, (ctx) => File.open(ctx, join(dir, 'b'), ['read', 'write', 'binary']));
    const c = await ownerOf(node, (ctx) => File.open(ctx, join(dir, 'c'), ['append']));
    expect(File.count(node)).toBe(3);
    expect(File.list(node).map((info) => info.path)).toEqual([join(dir, 'a'), join(dir, 'b'), join(dir, 'c')]);
    expect(File.list(node, { limit: 2 }).map((info) => info.file)).toEqual([a.file, b.file]);
    expect(File.list(node, { limit: 0 })).toEqual([]);
    expect(File.list(node, { owner: b.owner }).map((info) => info.file)).toEqual([b.file]);
    const info = File.info(b.file)!;
    expect(info).toMatchObject({ path: join(dir, 'b'), owner: b.owner, modes: ['read', 'write', 'binary'], state: 'open', position: 0, pending: 0, node: node.name });
    expect(fdsUnder(dir)).toBe(3);
    expect(existsSync(`/proc/self/fd/${info.fd}`)).toBe(true);
    expect(() => File.list(node, { limit: -1 })).toThrow(/Expected `options.limit` to be a whole number from 0 up/);
    expect(() => File.list({} as BeamishNode)).toThrow(/Expected `node` to be a BeamishNode/);
    expect(() => File.info({} as FileId)).toThrow(TypeError);
    await File.close(c.file);
    expect(File.count(node)).toBe(2);
  });
});
