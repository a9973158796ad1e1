import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { ClientIO } from '../../src/shell/index.js';

export const root = fileURLToPath(new URL('../../', import.meta.url));
export const bin = fileURLToPath(new URL('../../bin/beamish.js', import.meta.url));

/** Pipes standing in for a terminal-less stdin, stdout and stderr; what was written is collected. */
export function pipeIO(): ClientIO & { stdin: PassThrough; out: () => string; err: () => string } {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk) => (out += chunk));
  stderr.on('data', (chunk) => (err += chunk));
  return { stdin, stdout, stderr, out: () => out, err: () => err };
}

/** A node in a Node.js process of its own (test/fixtures/operator-node.ts), attachable once this resolves. */
export async function fixtureNode(name: string, dir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/operator-node.ts', name, dir], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout?.on('data', (chunk) => (out += chunk));
  while (!out.includes('ready\n')) {
    const [event] = await Promise.race([once(child.stdout!, 'data').then(() => ['data']), once(child, 'exit').then(() => ['exit'])]);
    if (event === 'exit') throw new Error(`the fixture node exited before it was ready: ${out}`);
  }
  return child;
}

/** Stops a fixture node with SIGTERM (it stops in order) and waits for its exit code. */
export async function stopFixture(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const [code] = await exited;
  return code as number | null;
}
