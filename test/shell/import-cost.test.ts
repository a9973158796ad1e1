import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const entry = fileURLToPath(new URL('../../src/index.ts', import.meta.url));

describe('importing the package', () => {
  it('leaves EventEmitter.prototype.emit alone: node:repl (and with it node:domain) loads with the first shell session only', async () => {
    const script = `const { EventEmitter } = await import('node:events'); const emit = EventEmitter.prototype.emit; await import(${JSON.stringify(entry)}); process.stdout.write(String(EventEmitter.prototype.emit === emit));`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]);
    expect(stdout).toBe('true');
  });
});
