import { describe, expect, it } from 'vitest';
import { listSockets, Tcp, Udp, type AnySocket } from '../../src/index.js';
import { idle, testNode } from '../helpers.js';
import { listenLocal, socketHandles } from './socket-helpers.js';

// In a file of its own, so that no socket of another test is still closing when the baseline is taken.
describe('Sockets and node stop', () => {
  it('node stop closes every socket of the node, waiting operations included, and leaves no handle behind', async () => {
    const baseline = socketHandles();
    const { node } = testNode();
    const sockets: AnySocket[] = [];
    await node.run(async (ctx) => {
      const { listen, port } = await listenLocal(ctx);
      sockets.push(listen);
      for (let i = 0; i < 5; i++) {
        ctx.spawn(async (p) => {
          const client = await Tcp.connect(p, '127.0.0.1', port, { active: false });
          sockets.push(client);
          p.send(ctx.self, 'connected');
          // Waits in recv when the node stops.
          await Tcp.recv(client, 0);
        });
      }
      const acceptor = ctx.spawn(async (p) => {
        await p.receive((m) => m === 'yours');
        for (let i = 0; i < 5; i++) sockets.push(await Tcp.accept(p, listen));
        p.send(ctx.self, 'accepted');
        // Waits in accept when the node stops.
        await Tcp.accept(p, listen);
      });
      // The listen socket must outlive this process, which returns.
      Tcp.controllingProcess(ctx, listen, acceptor);
      ctx.send(acceptor, 'yours');
      for (let i = 0; i < 5; i++) await ctx.receive((m) => m === 'connected');
      await ctx.receive((m) => m === 'accepted');
      ctx.spawn(async (p) => {
        sockets.push(await Udp.open(p, 0, { active: false }));
        p.send(ctx.self, 'udp');
        await idle(p);
      });
      await ctx.receive((m) => m === 'udp');
    });
    expect(listSockets(node, 100).total).toBe(12);
    expect(socketHandles()).not.toEqual(baseline);
    await node.stop({ timeout: 1000 });
    expect(listSockets(node, 100).total).toBe(0);
    // The node waited for the closes its processes' exits began (node.trackRelease).
    expect(socketHandles()).toEqual(baseline);
    await Promise.all(sockets.map((socket) => Tcp.released(socket)));
  });

});
