import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const main = fileURLToPath(new URL('../../examples/demo/main.ts', import.meta.url));

describe('the demo system (npm start)', () => {
  it('runs a supervised council, restarts the flaky worker, runs jobs, reports, and stops in order on SIGTERM', async () => {
    const demo = spawn(process.execPath, ['--import', 'tsx', main, '--interval', '200', '--crash-every', '150'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    demo.stdout.setEncoding('utf8');
    demo.stderr.setEncoding('utf8');
    demo.stderr.on('data', (chunk: string) => (output += chunk));
    const seen = new Promise<void>((resolve) => {
      demo.stdout.on('data', (chunk: string) => {
        output += chunk;
        if (/flaky \(<\d+\.\d+\.0>\) terminated, restarting/.test(output) && /\d+ processes · [1-9]\d* msgs\/s · [1-9]\d* restarts · [1-9]\d* jobs done/.test(output)) resolve();
      });
    });
    await seen;
    demo.kill('SIGTERM');
    const [code] = await once(demo, 'exit');
    expect(code).toBe(0);
    expect(output).toContain('application council_demo started: 40 councillors');
    expect(output).toMatch(/node: stopped in \d+ ms\n/);
    expect(output).not.toMatch(/killed \d+ processes that outlived/);
  });
});
