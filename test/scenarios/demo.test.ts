import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const main = fileURLToPath(new URL('../../examples/demo/main.ts', import.meta.url));

describe('the demo system (npm start)', () => {
  it('runs chatters that crash and are noticed and restarted, reports, and stops in order on SIGTERM', async () => {
    const demo = spawn(process.execPath, ['--import', 'tsx', main, '--interval', '200', '--crash-rate', '0.02'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    demo.stdout.setEncoding('utf8');
    demo.stderr.setEncoding('utf8');
    demo.stderr.on('data', (chunk: string) => (output += chunk));
    const seen = new Promise<void>((resolve) => {
      demo.stdout.on('data', (chunk: string) => {
        output += chunk;
        if (/went down .* restarted as <\d+\.\d+\.0>/.test(output) && /\d+ processes · \d+ msgs\/s/.test(output)) resolve();
      });
    });
    await seen;
    demo.kill('SIGTERM');
    const [code] = await once(demo, 'exit');
    expect(code).toBe(0);
    expect(output).toContain('nurse: started 300 chatters');
    expect(output).toMatch(/node: stopped in \d+ ms\n/);
    expect(output).not.toMatch(/killed \d+ processes that outlived/);
  });
});
