import { readdirSync, readlinkSync } from 'node:fs';
import { tempDir as makeTempDir } from '../helpers.js';
import type { BeamishNode, FileId, Pid, ProcessContext } from '../../src/index.js';

/** A fresh directory in the system's temp dir, removed after the test. */
export const tempDir = (): string => makeTempDir('beamish-file-');

/** How many descriptors of this Node.js process are open on files under `dir` (from /proc/self/fd). */
export function fdsUnder(dir: string): number {
  let count = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      if (target === dir || target.startsWith(`${dir}/`)) count++;
    } catch {
      // closed while listing (the listing's own descriptor)
    }
  }
  return count;
}

/** File-system requests Node has under way (`process.getActiveResourcesInfo()`). */
export function fsRequests(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind.startsWith('FSReq') || kind === 'CloseReq').length;
}

/**
 * Spawns a process that opens a file with `open` and then runs `then` (by default, waits for a
 * signal to end it); resolves with its pid and the handle once the file is open.
 */
export async function ownerOf<F extends FileId>(
  node: BeamishNode,
  open: (ctx: ProcessContext) => Promise<F>,
  then: (ctx: ProcessContext, file: F) => unknown = (ctx) => ctx.receive(() => false),
): Promise<{ owner: Pid; file: F }> {
  let opened!: (file: F) => void;
  let failed!: (error: unknown) => void;
  const ready = new Promise<F>((resolve, reject) => {
    opened = resolve;
    failed = reject;
  });
  const owner = node.spawn(async (ctx) => {
    let file: F;
    try {
      file = await open(ctx);
    } catch (error) {
      failed(error);
      throw error;
    }
    opened(file);
    await then(ctx, file);
  });
  return { owner, file: await ready };
}
