import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { startOperatorAccess } from '../../src/shell/index.js';
import { testNode } from '../helpers.js';
import { runtimeDir } from '../shell/shell-helpers.js';
import { bin, fixtureNode, pipeIO, root, stopFixture } from './cli-helpers.js';

const run = promisify(execFile);

async function nodeWithAccess(options: { tcp?: boolean; cookie?: string } = {}) {
  const dir = runtimeDir();
  const { node, reports } = testNode();
  const access = await startOperatorAccess(node, { unix: { dir }, ...(options.tcp === true ? { tcp: true, cookie: options.cookie } : {}) });
  return { node, reports, dir, access };
}

describe('beamish attach', () => {
  it('evaluates piped input in the node with the real medic in scope, then exits 0 and leaves the node running', async () => {
    const { node, dir } = await nodeWithAccess();
    const io = pipeIO();
    io.stdin.end('x = await new Promise((r) => setTimeout(r, 20, 21))\nx * 2\nnodeStats().processCount > 0\nnode.name\n');
    expect(await runCli(['attach', node.name, '--dir', dir], io)).toBe(0);
    expect(io.out()).toContain(`${node.name}> 42\n`);
    expect(io.out()).toContain(`${node.name}> true\n`);
    expect(io.out()).toContain(`'${node.name}'`);
    expect(io.err()).toBe('');
    expect(node.state).toBe('running');
  });

  it('with no node name, attaches to the only node listening', async () => {
    const { node, dir } = await nodeWithAccess();
    const io = pipeIO();
    io.stdin.end('String(self)\n');
    expect(await runCli(['attach', '--dir', dir], io)).toBe(0);
    expect(io.out()).toContain(`Beamish shell on node ${node.name}`);
  });

  it('an unknown node is a clear message and exit status 1', async () => {
    const dir = runtimeDir();
    const io = pipeIO();
    expect(await runCli(['attach', 'nobody@nowhere', '--dir', dir], io)).toBe(1);
    expect(io.err()).toBe(`beamish: No node named nobody@nowhere listens for operators in ${dir}\n`);
    const none = pipeIO();
    expect(await runCli(['attach', '--dir', dir], none)).toBe(1);
    expect(none.err()).toBe(`beamish: No node listens for operators in ${dir}\n`);
  });

  it('over TCP with the cookie; a wrong cookie is refused with status 1', async () => {
    const { node, access } = await nodeWithAccess({ tcp: true, cookie: 'sesame' });
    const address = `127.0.0.1:${access.tcp?.port}`;
    const io = pipeIO();
    io.stdin.end('node.name\n');
    expect(await runCli(['attach', '--tcp', address, '--cookie', 'sesame'], io)).toBe(0);
    expect(io.out()).toContain(`'${node.name}'`);
    const wrong = pipeIO();
    expect(await runCli(['attach', '--tcp', address, '--cookie', 'open sesame'], wrong)).toBe(1);
    expect(wrong.err()).toBe(`beamish: Node ${node.name} refused the cookie\n`);
  });

  it('--cookie-file reads the cookie for --tcp', async () => {
    const dir = runtimeDir();
    const cookieFile = join(dir, 'cookie');
    const { node } = testNode();
    const access = await startOperatorAccess(node, { unix: false, tcp: true, cookieFile });
    const io = pipeIO();
    io.stdin.end('1 + 2\n');
    expect(await runCli(['attach', '--tcp', `127.0.0.1:${access.tcp?.port}`, '--cookie-file', cookieFile], io)).toBe(0);
    expect(io.out()).toContain('3');
  });

  it('usage errors: a cookie without --tcp, a malformed address', async () => {
    const io = pipeIO();
    expect(await runCli(['attach', 'x', '--cookie', 'c'], io)).toBe(1);
    expect(io.err()).toContain('--cookie and --cookie-file go with --tcp');
    const bad = pipeIO();
    expect(await runCli(['attach', '--tcp', 'nowhere'], bad)).toBe(1);
    expect(bad.err()).toContain('Expected host:port');
  });
});

describe('beamish top', () => {
  it('prints frames on a pipe until q', async () => {
    const { node, dir } = await nodeWithAccess();
    node.spawn(async (ctx) => void (await ctx.receive(() => false)), { name: 'some_worker' });
    const io = pipeIO();
    const status = runCli(['top', node.name, '--dir', dir, '--interval', '100', '--lines', '5', '--sort', 'mailbox'], io);
    await expect.poll(() => (io.out().match(/Load: schedulers/g) ?? []).length, { timeout: 5000 }).toBeGreaterThanOrEqual(2);
    io.stdin.write('q');
    expect(await status).toBe(0);
    expect(io.out()).toContain(`${node.name}  `);
    expect(io.out()).toContain('some_worker');
    expect(io.out()).toContain('sort: mailbox  interval: 100 ms  lines: 5');
  });

  it('rejects a sort key it does not know', async () => {
    const io = pipeIO();
    expect(await runCli(['top', 'x', '--sort', 'bogus'], io)).toBe(1);
    expect(io.err()).toContain("Allowed choices are reductions, memory, mailbox, runtime");
  });
});

describe('beamish nodes', () => {
  it('lists the live nodes; --all also the sockets dead nodes left', async () => {
    const { node, dir } = await nodeWithAccess();
    const stale = join(dir, 'dead@host');
    await run(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(stale)}, () => process.kill(process.pid, 'SIGKILL'))`]).catch(() => undefined);
    const io = pipeIO();
    expect(await runCli(['nodes', '--dir', dir], io)).toBe(0);
    expect(io.out()).toBe(`${node.name}\n`);
    const all = pipeIO();
    expect(await runCli(['nodes', '--dir', dir, '--all'], all)).toBe(0);
    expect(all.out()).toBe(`dead@host (stale)\n${node.name}\n`);
  });

  it('bin/beamish.js runs the CLI from the sources, without a build, against a node in another process', async () => {
    const dir = runtimeDir();
    const child = await fixtureNode('cli-fixture@localhost', dir);
    try {
      const { stdout } = await run(process.execPath, [bin, 'nodes', '--dir', dir], { cwd: root });
      expect(stdout).toBe('cli-fixture@localhost\n');
      const failed = await run(process.execPath, [bin, 'attach', 'missing@localhost', '--dir', dir], { cwd: root }).catch((error: { code: number; stderr: string }) => error);
      expect(failed).toMatchObject({ code: 1, stderr: `beamish: No node named missing@localhost listens for operators in ${dir}\n` });
    } finally {
      expect(await stopFixture(child)).toBe(0);
    }
  });
});
