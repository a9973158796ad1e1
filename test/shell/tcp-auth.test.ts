import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AttachProtocolError,
  AuthenticationError,
  connectOperator,
  startOperatorAccess,
  type OperatorAccess,
  type SessionRequest,
} from '../../src/shell/index.js';
import { captureRejection, reportsOf, testNode } from '../helpers.js';
import { fakeMedic, fakeTopSource, ReplClient, runtimeDir } from './shell-helpers.js';

const COOKIE = 'correct horse battery staple';
const repl: SessionRequest = { mode: 'repl', terminal: false, columns: 80, rows: 24 };

async function tcpAccess(extra: { handshakeTimeout?: number; cookieFile?: string; cookie?: string } = { cookie: COOKIE }) {
  const { node, reports } = testNode();
  const access = await startOperatorAccess(node, { unix: false, tcp: true, createMedic: fakeMedic().createMedic, topSource: fakeTopSource, ...extra });
  return { node, reports, access, port: (access.tcp as { port: number }).port };
}

/** A raw connection to the access port, reading what the node says. */
async function rawClient(port: number): Promise<{ socket: Socket; lines: () => string[]; closed: Promise<void> }> {
  const socket = connect(port, '127.0.0.1');
  let text = '';
  socket.on('data', (chunk) => (text += chunk.toString('latin1')));
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise((resolve) => socket.once('connect', resolve));
  return { socket, lines: () => text.split('\n').filter((line) => line !== ''), closed };
}

async function greeting(client: { lines: () => string[]; socket: Socket }): Promise<string> {
  while (client.lines().length === 0) await new Promise((resolve) => client.socket.once('data', resolve));
  return client.lines()[0] as string;
}

describe('OperatorAccess over TCP - the cookie challenge–response', () => {
  it('listens on loopback only and lets in a client that knows the cookie', async () => {
    const { node, access, port } = await tcpAccess();
    expect(access.tcp?.host).toBe('127.0.0.1');
    expect(access.socketPath).toBeUndefined();
    const client = await ReplClient.open({ host: '127.0.0.1', port, cookie: COOKIE });
    expect(await client.evaluate('node.name')).toBe(`'${node.name}'`);
    expect(node.processInfo(client.pid)?.label).toMatch(/^operator shell \(tcp 127\.0\.0\.1:\d+\)$/);
  });

  it('the cookie never crosses the wire: the client sends a nonce and an HMAC over both nonces', async () => {
    const { port } = await tcpAccess();
    const client = await rawClient(port);
    const [, , , how, serverNonce] = (await greeting(client)).split(' ');
    expect(how).toBe('challenge');
    expect(serverNonce).toMatch(/^[0-9a-f]{64}$/);
    const clientNonce = 'ab'.repeat(32);
    const proof = createHmac('sha256', COOKIE).update(`beamish-attach client|${serverNonce}|${clientNonce}`).digest('hex');
    client.socket.write(`proof ${clientNonce} ${proof}\n`);
    while (client.lines().length < 2) await new Promise((resolve) => client.socket.once('data', resolve));
    const expected = createHmac('sha256', COOKIE).update(`beamish-attach server|${clientNonce}|${serverNonce}`).digest('hex');
    expect(client.lines()[1]).toBe(`welcome ${expected}`);
    expect(client.lines().join('\n')).not.toContain(COOKIE);
    client.socket.destroy();
  });

  it('a wrong cookie is refused with AuthenticationError, no session starts, and the attempt is reported', async () => {
    const { node, reports, port } = await tcpAccess();
    const before = node.processCount;
    const error = await captureRejection(connectOperator({ host: '127.0.0.1', port, cookie: 'wrong' }, repl));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).code).toBe('authentication_failed');
    expect(node.processCount).toBe(before);
    await expect.poll(() => reportsOf(reports, 'operator_refused').map((report) => report.detail)).toEqual(['The client did not prove it knows the cookie']);
  });

  it('garbage instead of a proof is denied and the connection closed', async () => {
    const { node, port } = await tcpAccess();
    const before = node.processCount;
    const client = await rawClient(port);
    await greeting(client);
    client.socket.write('mode {"mode":"repl"}\n');
    await client.closed;
    expect(client.lines()[1]).toBe('denied');
    expect(node.processCount).toBe(before);
  });

  it('a proof with the right shape but a replayed or forged HMAC is denied', async () => {
    const { port } = await tcpAccess();
    const client = await rawClient(port);
    await greeting(client);
    // A proof made for another challenge (a replay) cannot match this one's nonce.
    const stale = createHmac('sha256', COOKIE).update(`beamish-attach client|${'00'.repeat(32)}|${'ab'.repeat(32)}`).digest('hex');
    client.socket.write(`proof ${'ab'.repeat(32)} ${stale}\n`);
    await client.closed;
    expect(client.lines()[1]).toBe('denied');
  });

  it('a slow client is cut off at the handshake timeout', async () => {
    const { reports, port } = await tcpAccess({ cookie: COOKIE, handshakeTimeout: 200 });
    const client = await rawClient(port);
    await greeting(client);
    client.socket.write('pro'); // and then nothing
    const started = performance.now();
    await client.closed;
    expect(performance.now() - started).toBeGreaterThanOrEqual(150);
    await expect.poll(() => reportsOf(reports, 'operator_refused').map((report) => report.detail)).toEqual(['The handshake took longer than 200 ms']);
  });

  it('an oversize line is refused before the timeout', async () => {
    const { reports, port } = await tcpAccess({ cookie: COOKIE, handshakeTimeout: 60_000 });
    const client = await rawClient(port);
    await greeting(client);
    client.socket.write('x'.repeat(10_000));
    await client.closed;
    await expect.poll(() => reportsOf(reports, 'operator_refused').map((report) => report.detail)).toEqual(['A handshake line was longer than 256 bytes']);
  });

  it('an oversize frame after authentication ends the session, and the node goes on', async () => {
    const { node, port } = await tcpAccess();
    const client = await ReplClient.open({ host: '127.0.0.1', port, cookie: COOKIE });
    const header = Buffer.alloc(5);
    header.writeUInt8(1, 0);
    header.writeUInt32BE(10 * 1024 * 1024, 1);
    client.connection.channel.socket.write(header);
    await client.connection.channel.closed;
    await expect.poll(() => node.isAlive(node.processes().find((pid) => String(pid) === client.pid) ?? node.pid)).toBe(false);
    expect(node.state).toBe('running');
  });

  it('the client refuses a server that does not know the cookie', async () => {
    const impostor = createServer((socket) => {
      socket.write(`beamish-attach 1 fake@host challenge ${'cd'.repeat(32)}\n`);
      socket.once('data', () => socket.write(`welcome ${'00'.repeat(32)}\n`));
    });
    await new Promise<void>((resolve) => impostor.listen(0, '127.0.0.1', resolve));
    const port = (impostor.address() as AddressInfo).port;
    const error = await captureRejection(connectOperator({ host: '127.0.0.1', port, cookie: COOKIE }, repl));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as Error).message).toBe('Node fake@host did not prove it knows the cookie');
    impostor.close();
  });

  it('the client refuses a TCP server that offers a session without a challenge', async () => {
    const impostor = createServer((socket) => socket.write('beamish-attach 1 fake@host open\n'));
    await new Promise<void>((resolve) => impostor.listen(0, '127.0.0.1', resolve));
    const port = (impostor.address() as AddressInfo).port;
    const error = await captureRejection(connectOperator({ host: '127.0.0.1', port, cookie: COOKIE }, repl));
    expect(error).toBeInstanceOf(AttachProtocolError);
    expect((error as Error).message).toContain('without a challenge');
    impostor.close();
  });

  it('the client refuses a peer that is not a Beamish node', async () => {
    const other = createServer((socket) => socket.write('SSH-2.0-OpenSSH_9.6\r\n'));
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const error = await captureRejection(connectOperator({ host: '127.0.0.1', port: (other.address() as AddressInfo).port, cookie: COOKIE }, repl));
    expect(error).toBeInstanceOf(AttachProtocolError);
    other.close();
  });

  it('without a cookie option, the cookie file is created 0400 with random content and used', async () => {
    const cookieFile = join(runtimeDir(), 'cookie');
    const { port } = await tcpAccess({ cookieFile });
    const cookie = readFileSync(cookieFile, 'utf8').trim();
    expect(cookie.length).toBeGreaterThanOrEqual(32);
    const client = await ReplClient.open({ host: '127.0.0.1', port, cookie });
    expect(await client.evaluate('1 + 1')).toBe('2');
  });

  it('both transports at once: Unix socket without cookie, TCP with it', async () => {
    const dir = runtimeDir();
    const { node } = testNode();
    const access: OperatorAccess = await startOperatorAccess(node, { unix: { dir }, tcp: { port: 0 }, cookie: COOKIE, createMedic: fakeMedic().createMedic, topSource: fakeTopSource });
    const overUnix = await ReplClient.open({ node: node.name, dir });
    const overTcp = await ReplClient.open({ host: '127.0.0.1', port: (access.tcp as { port: number }).port, cookie: COOKIE });
    expect(await overUnix.evaluate('1')).toBe('1');
    expect(await overTcp.evaluate('2')).toBe('2');
  });
});
