import { execFile } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { NodeStoppedError } from '../../src/index.js';
import {
  AccessNameInUseError,
  AttachProtocolError,
  startOperatorAccess,
  UnknownAccessNodeError,
  UnsafeRuntimeDirError,
  type OperatorAccessOptions,
} from '../../src/shell/index.js';
import { captureRejection, reportsOf, testNode } from '../helpers.js';
import { fakeMedic, fakeTopSource, ReplClient, runtimeDir } from './shell-helpers.js';

const run = promisify(execFile);

function accessOptions(dir: string, extra: OperatorAccessOptions = {}): OperatorAccessOptions {
  return { unix: { dir }, createMedic: fakeMedic().createMedic, topSource: fakeTopSource, ...extra };
}

/** Leaves a socket file behind as a node killed with SIGKILL would. */
async function staleSocket(path: string): Promise<void> {
  const script = `require('net').createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, 'SIGKILL'))`;
  await run(process.execPath, ['-e', script]).catch(() => undefined);
  expect(lstatSync(path).isSocket()).toBe(true);
}

describe('startOperatorAccess - the Unix socket', () => {
  it('listens on a socket named after the node, mode 0600, in a directory of mode 0700', async () => {
    const dir = join(runtimeDir(), 'beamish');
    const { node } = testNode();
    const access = await startOperatorAccess(node, accessOptions(dir));
    expect(access.socketPath).toBe(join(dir, node.name));
    expect(access.nodeName).toBe(node.name);
    expect(lstatSync(dir).mode & 0o777).toBe(0o700);
    const socket = lstatSync(access.socketPath as string);
    expect(socket.isSocket()).toBe(true);
    expect(socket.mode & 0o777).toBe(0o600);
    expect(node.processInfo(access.pid)?.label).toBe('operator access');
  });

  it('refuses a runtime directory open to others, with UnsafeRuntimeDirError, and creates nothing in it', async () => {
    const dir = runtimeDir();
    chmodSync(dir, 0o755);
    const { node } = testNode();
    const error = await captureRejection(startOperatorAccess(node, accessOptions(dir)));
    expect(error).toBeInstanceOf(UnsafeRuntimeDirError);
    expect((error as UnsafeRuntimeDirError).code).toBe('unsafe_runtime_dir');
    expect(String((error as Error).message)).toContain('0755');
    expect(existsSync(join(dir, node.name))).toBe(false);
    expect(node.processCount).toBe(0);
  });

  it.runIf(process.getuid?.() === 0)('refuses a runtime directory that belongs to another user', async () => {
    const dir = runtimeDir();
    await run('chown', ['65534', dir]);
    const error = await captureRejection(startOperatorAccess(testNode().node, accessOptions(dir)));
    expect(error).toBeInstanceOf(UnsafeRuntimeDirError);
    expect((error as Error).message).toContain('uid 65534');
  });

  it('replaces the socket a dead node left behind', async () => {
    const dir = runtimeDir();
    const { node } = testNode();
    await staleSocket(join(dir, node.name));
    const access = await startOperatorAccess(node, accessOptions(dir));
    const client = await ReplClient.open({ node: node.name, dir });
    expect(await client.evaluate('node.name')).toBe(`'${node.name}'`);
    client.send('.exit\n');
    expect(await client.ended()).toBe('detached');
    await access.close();
  });

  it('refuses a name a live node listens under, with AccessNameInUseError, and leaves its socket alone', async () => {
    const dir = runtimeDir();
    // Another Node.js process listening under the name: a plain listener on the path stands in for it.
    const impostor = testNode({ name: `impostor@${process.pid}` }).node;
    const server: Server = createServer().listen(join(dir, impostor.name));
    await new Promise((resolve) => server.once('listening', resolve));
    const inUse = await captureRejection(startOperatorAccess(impostor, accessOptions(dir)));
    expect(inUse).toBeInstanceOf(AccessNameInUseError);
    expect((inUse as AccessNameInUseError).code).toBe('access_name_in_use');
    expect(lstatSync(join(dir, impostor.name)).isSocket()).toBe(true);
    expect(impostor.processCount).toBe(0);
    await new Promise((resolve) => server.close(resolve));
  });

  it('refuses to replace a file that is not a socket', async () => {
    const dir = runtimeDir();
    const { node } = testNode();
    writeFileSync(join(dir, node.name), 'not a socket');
    expect(await captureRejection(startOperatorAccess(node, accessOptions(dir)))).toBeInstanceOf(UnsafeRuntimeDirError);
  });

  it('refuses a node name that cannot be a socket file name', async () => {
    const { node } = testNode({ name: 'a/b' });
    expect(await captureRejection(startOperatorAccess(node, accessOptions(runtimeDir())))).toBeInstanceOf(TypeError);
  });
});

describe('startOperatorAccess - options', () => {
  it('rejects bad options with TypeError before listening', async () => {
    const { node } = testNode();
    const dir = runtimeDir();
    for (const bad of [
      { unix: false, tcp: false },
      { unix: { dir }, tcp: { host: '0.0.0.0' } },
      { unix: { dir }, tcp: { host: '192.168.1.1' } },
      { unix: { dir }, tcp: { port: 70000 } },
      { unix: { dir }, tcp: true, cookie: '' },
      { unix: { dir }, maxSessions: 0 },
      { unix: { dir }, handshakeTimeout: -1 },
      { unix: { dir }, output: { depth: 0 } },
      { unix: { dir }, createMedic: 'no' },
    ]) {
      const error = await captureRejection(startOperatorAccess(node, bad as OperatorAccessOptions));
      expect(error, JSON.stringify(bad)).toBeInstanceOf(TypeError);
    }
    expect(node.processCount).toBe(0);
  });

  it('throws NodeStoppedError for a node that is not running', async () => {
    const { node } = testNode();
    await node.stop();
    expect(await captureRejection(startOperatorAccess(node, accessOptions(runtimeDir())))).toBeInstanceOf(NodeStoppedError);
  });
});

describe('OperatorAccess - sessions and closing', () => {
  it('serves several operators at once, each in a process of its own', async () => {
    const dir = runtimeDir();
    const { node } = testNode();
    const access = await startOperatorAccess(node, accessOptions(dir));
    const a = await ReplClient.open({ node: node.name, dir });
    const b = await ReplClient.open({ node: node.name, dir });
    expect(a.pid).not.toBe(b.pid);
    expect(access.sessionCount).toBe(2);
    expect(await a.evaluate('mine = 1; String(self)')).toBe(`'${a.pid}'`);
    expect(await b.evaluate('typeof mine')).toBe("'undefined'");
    expect(node.processInfo(a.pid)?.parent).toEqual(access.pid);
    expect(node.processInfo(a.pid)?.label).toBe('operator shell (unix)');
    a.send('.exit\n');
    await a.ended();
    expect(await b.evaluate('1 + 1')).toBe('2');
  });

  it('maxSessions - a client past the limit is told so and closed', async () => {
    const dir = runtimeDir();
    const { node, reports } = testNode();
    await startOperatorAccess(node, accessOptions(dir, { maxSessions: 1 }));
    await ReplClient.open({ node: node.name, dir });
    const error = await captureRejection(ReplClient.open({ node: node.name, dir }));
    expect(error).toBeInstanceOf(AttachProtocolError);
    expect((error as Error).message).toContain('1 operator sessions, its limit');
    expect(reportsOf(reports, 'operator_refused').map((report) => report.detail)).toEqual(['too many sessions']);
  });

  it('close() ends every session, removes the socket and leaves the node running', async () => {
    const dir = runtimeDir();
    const { node } = testNode();
    const access = await startOperatorAccess(node, accessOptions(dir));
    const client = await ReplClient.open({ node: node.name, dir });
    const worker = node.spawn(async (ctx) => void (await ctx.receive()));
    await access.close();
    expect(await client.ended()).toBe('operator access closed');
    expect(existsSync(access.socketPath as string)).toBe(false);
    expect(node.isAlive(access.pid)).toBe(false);
    expect(node.isAlive(worker)).toBe(true);
    expect(node.state).toBe('running');
    expect(await captureRejection(ReplClient.open({ node: node.name, dir }))).toBeInstanceOf(UnknownAccessNodeError);
  });

  it('closes when the node stops: sessions are told, the socket goes, and stop() waits for it', async () => {
    const dir = runtimeDir();
    const { node } = testNode();
    const access = await startOperatorAccess(node, accessOptions(dir));
    const client = await ReplClient.open({ node: node.name, dir });
    await node.stop();
    expect(existsSync(access.socketPath as string)).toBe(false);
    await access.closed;
    expect(await client.ended()).toBe('the node is stopping');
  });

  it('closes when its process is killed', async () => {
    const dir = runtimeDir();
    const { node } = testNode();
    const access = await startOperatorAccess(node, accessOptions(dir));
    const client = await ReplClient.open({ node: node.name, dir });
    node.exit(access.pid, 'kill');
    await access.closed;
    expect(await client.ended()).toMatch(/killed/);
    expect(existsSync(access.socketPath as string)).toBe(false);
  });

  it('reports who attached and who left', async () => {
    const dir = runtimeDir();
    const { node, reports } = testNode();
    await startOperatorAccess(node, accessOptions(dir));
    const client = await ReplClient.open({ node: node.name, dir });
    client.send('.exit\n');
    await client.ended();
    await node.run((ctx) => ctx.yield());
    expect(reportsOf(reports, 'operator_attached')).toEqual([expect.objectContaining({ peer: 'unix', detail: `repl session ${client.pid}` })]);
    await expect.poll(() => reportsOf(reports, 'operator_detached').length).toBe(1);
  });

  it('a connection that closes without a word (a liveness probe) is not reported', async () => {
    const dir = runtimeDir();
    const { node, reports } = testNode();
    const access = await startOperatorAccess(node, accessOptions(dir));
    const probe = connect(access.socketPath as string);
    await new Promise((resolve) => probe.once('connect', resolve));
    probe.destroy();
    await new Promise((resolve) => probe.once('close', resolve));
    const client = await ReplClient.open({ node: node.name, dir });
    await client.evaluate('1');
    expect(reportsOf(reports, 'operator_refused')).toEqual([]);
  });

  it('a session request that is not one is answered with an error and the connection closed', async () => {
    const dir = runtimeDir();
    const { node } = testNode();
    const access = await startOperatorAccess(node, accessOptions(dir));
    for (const request of ['hello\n', 'mode {"mode":"shell"}\n', 'mode not json\n']) {
      const socket = connect(access.socketPath as string);
      let text = '';
      socket.on('data', (chunk) => (text += chunk));
      socket.write(request);
      await new Promise((resolve) => socket.once('close', resolve));
      expect(text).toBe(`beamish-attach 1 ${node.name} open\nerror Expected a session request (\`mode {...}\`)\n`);
    }
    expect(access.sessionCount).toBe(0);
  });

  it('at most 16 connections may be in their handshake at once; more are dropped unanswered', async () => {
    const dir = runtimeDir();
    const { node } = testNode();
    const access = await startOperatorAccess(node, accessOptions(dir, { handshakeTimeout: 60_000 }));
    const greeted = await Promise.all(
      Array.from({ length: 16 }, async () => {
        const socket = connect(access.socketPath as string);
        await new Promise((resolve) => socket.once('data', resolve));
        return socket;
      }),
    );
    const extra = connect(access.socketPath as string);
    let answered = false;
    extra.on('data', () => (answered = true));
    extra.on('error', () => undefined);
    await new Promise((resolve) => extra.once('close', resolve));
    expect(answered).toBe(false);
    for (const socket of greeted) socket.destroy();
  });
});
