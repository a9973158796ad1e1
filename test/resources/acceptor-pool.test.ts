import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { AcceptorPool, ExitMessage, Tcp, type BeamishNode, type Pid, type ProcessContext, type TcpSocket } from '../../src/index.js';
import { testNode } from '../helpers.js';

/** Echoes each line back, upper-cased, until the client closes. */
async function shout(_ctx: ProcessContext, socket: TcpSocket): Promise<void> {
  for (;;) {
    const data = await Tcp.recv(socket, 0).catch(() => undefined);
    if (data === undefined) return;
    await Tcp.send(socket, data.toString().toUpperCase());
  }
}

async function startPool(node: BeamishNode, options: Partial<AcceptorPool.AcceptorPoolOptions> = {}): Promise<{ pool: Pid; port: number }> {
  const started = await AcceptorPool.start({ node, port: 0, handler: shout, socket: { ip: '127.0.0.1' }, ...options });
  if (!started.ok) throw new Error('the pool did not start');
  return { pool: started.pid, port: await AcceptorPool.port(started.pid) };
}

async function client(port: number): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  socket.setEncoding('utf8');
  return socket;
}

/** Sends `text` and resolves with the first answer. */
async function ask(socket: Socket, text: string): Promise<string> {
  const answer = once(socket, 'data');
  socket.write(text);
  return String((await answer)[0]);
}

async function closed(socket: Socket): Promise<void> {
  socket.end();
  await once(socket, 'close');
}

describe('AcceptorPool', () => {
  it('serves each connection in a process of its own', async () => {
    const { node } = testNode();
    const { pool, port } = await startPool(node, { acceptors: 4 });
    const clients = await Promise.all(Array.from({ length: 20 }, () => client(port)));
    const answers = await Promise.all(clients.map((socket, i) => ask(socket, `hello ${i}`)));
    expect(answers).toEqual(clients.map((_, i) => `HELLO ${i}`));
    expect(await AcceptorPool.info(pool)).toMatchObject({ port, acceptors: 4, connections: 20, maxConnections: 1024, waiting: 0 });
    await Promise.all(clients.map(closed));
    await expect.poll(async () => (await AcceptorPool.info(pool)).connections).toBe(0);
  });

  it('maxConnections - at the limit the acceptors wait; a connection that ends lets the next one in', async () => {
    const { node } = testNode();
    const { pool, port } = await startPool(node, { acceptors: 2, maxConnections: 2 });
    const first = await client(port);
    const second = await client(port);
    expect(await ask(first, 'a')).toBe('A');
    expect(await ask(second, 'b')).toBe('B');
    const third = await client(port);
    const thirdAnswer = ask(third, 'c');
    await expect.poll(async () => (await AcceptorPool.info(pool)).waiting).toBe(1);
    expect((await AcceptorPool.info(pool)).connections).toBe(2);
    await closed(first);
    expect(await thirdAnswer).toBe('C');
    expect(await AcceptorPool.info(pool)).toMatchObject({ connections: 2, waiting: 0 });
  });

  it('setMaxConnections - raising the limit at run time lets the waiting connections in at once', async () => {
    const { node } = testNode();
    const { pool, port } = await startPool(node, { acceptors: 3, maxConnections: 1 });
    const first = await client(port);
    expect(await ask(first, 'a')).toBe('A');
    const waiting = await Promise.all([client(port), client(port)]);
    const answers = waiting.map((socket, i) => ask(socket, `w${i}`));
    await expect.poll(async () => (await AcceptorPool.info(pool)).waiting).toBe(2);
    await AcceptorPool.setMaxConnections(pool, 10);
    expect(await Promise.all(answers)).toEqual(['W0', 'W1']);
    expect(await AcceptorPool.info(pool)).toMatchObject({ connections: 3, maxConnections: 10 });
    await expect(AcceptorPool.setMaxConnections(pool, -1)).rejects.toThrow(TypeError);
  });

  it('a crashing connection ends alone: the others and the pool go on', async () => {
    const { node } = testNode();
    const { pool, port } = await startPool(node, {
      handler: async (_ctx, socket) => {
        const data = (await Tcp.recv(socket, 0)).toString();
        if (data === 'crash') throw new Error('bad request');
        await Tcp.send(socket, `ok ${data}`);
        await Tcp.recv(socket, 0).catch(() => undefined);
      },
    });
    const good = await client(port);
    const bad = await client(port);
    const badClosed = once(bad, 'close');
    bad.write('crash');
    await badClosed;
    expect(await ask(good, 'still here')).toBe('ok still here');
    expect(node.isAlive(pool)).toBe(true);
  });

  it('stop - closes the listen socket first, then shuts the connections down in order', async () => {
    const { node } = testNode();
    const events: string[] = [];
    const { pool, port } = await startPool(node, {
      shutdown: 5000,
      handler: async (ctx, socket) => {
        ctx.trapExit(true);
        await Tcp.send(socket, 'welcome');
        const exit = await ctx.receive((m): m is ExitMessage => m instanceof ExitMessage);
        events.push(`connection got ${String(exit.reason)}`);
        await Tcp.send(socket, 'goodbye');
      },
    });
    const user = await client(port);
    expect(String((await once(user, 'data'))[0])).toBe('welcome');
    const goodbye = once(user, 'data');
    await AcceptorPool.stop(pool);
    expect(String((await goodbye)[0])).toBe('goodbye');
    expect(events).toEqual(['connection got shutdown']);
    expect(node.isAlive(pool)).toBe(false);
    const refused = connect(port, '127.0.0.1');
    const [error] = (await once(refused, 'error')) as [NodeJS.ErrnoException];
    expect(error.code).toBe('ECONNREFUSED');
  });

  it('start - a port in use fails the start as a value', async () => {
    const { node } = testNode();
    const { port } = await startPool(node);
    const second = await AcceptorPool.start({ node, port, handler: shout, socket: { ip: '127.0.0.1' } });
    expect(second.ok).toBe(false);
  });

  it('bad options are TypeErrors before anything starts', () => {
    const { node } = testNode();
    expect(() => AcceptorPool.start({ node, port: -1, handler: shout })).toThrow(/options\.port/);
    expect(() => AcceptorPool.start({ node, port: 0, handler: 'no' as never })).toThrow(/options\.handler/);
    expect(() => AcceptorPool.start({ node, port: 0, handler: shout, acceptors: 0 })).toThrow(/options\.acceptors/);
    expect(node.processCount).toBe(0);
  });
});
