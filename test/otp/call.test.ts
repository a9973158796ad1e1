import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

describe('call timeouts', () => {
  it('once no call is pending, no call timer keeps the event loop alive', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', fixture('calls-release-event-loop.ts')], { timeout: 20_000 });
    expect(stdout.trim()).toBe('left: []');
  });
});
