import { describe, expect, it } from 'vitest';
import { medic, Tcp, type ProcessContext } from '../../src/index.js';
import { captureError, captureRejection, testNode } from '../helpers.js';
import { connectedPair } from '../resources/socket-helpers.js';

describe('binLeak', () => {
  it('collects garbage, says what it released, and ranks processes by the Buffer bytes they keep, slices pinning whole stores', async () => {
    const { node } = testNode();
    const keeper = node.spawn(async (ctx: ProcessContext) => {
      const big = Buffer.alloc(4 * 1024 * 1024, 1);
      const header = big.subarray(0, 16); // keeps the 4 MiB store alive
      ctx.exposeState(() => ({ header }));
      await ctx.receive(() => false);
    }, { name: 'slice_keeper' });
    const modest = node.spawn(async (ctx: ProcessContext) => {
      const own = Buffer.alloc(64 * 1024, 2);
      ctx.exposeState(() => ({ own }));
      await ctx.receive(() => false);
    });
    await node.run(async () => {});
    let garbage: Buffer | undefined = Buffer.alloc(8 * 1024 * 1024, 3);
    expect(garbage.length).toBe(8 * 1024 * 1024);
    garbage = undefined;
    const report = medic.binLeak(5, { node });
    expect(report.released).toBeGreaterThanOrEqual(8 * 1024 * 1024);
    expect(report.processes.map((row) => row.pid)).toEqual([keeper, modest]);
    expect(report.processes[0]).toMatchObject({ name: 'slice_keeper', used: 16, retained: 4 * 1024 * 1024, pinned: 4 * 1024 * 1024 - 16 });
    expect(report.processes[1]).toMatchObject({ used: 64 * 1024, retained: 64 * 1024, pinned: 0 });
    expect(String(captureError(() => medic.binLeak(-1, { node })))).toContain('`n`');
  });
});

describe('ports and sockets', () => {
  it('counts by type, ranks sockets by traffic absolute and over a window, and names their owners', async () => {
    const { node } = testNode();
    await node.run(async (ctx) => {
      const { client, server } = await connectedPair(ctx, { active: false }, { active: false });
      const { client: quietClient } = await connectedPair(ctx, { active: false }, { active: false });
      await Tcp.send(client, 'x'.repeat(10_000));
      await Tcp.recv(server, 10_000, 5000);
      expect(medic.portTypes({ node })).toEqual([
        { type: 'tcp', count: 4 },
        { type: 'tcp_listen', count: 2 },
      ]);
      const [top] = medic.inetCount('sendOct', 1, { node });
      expect(top).toMatchObject({ socket: client, value: 10_000, kind: 'tcp', owner: ctx.self });
      const window = medic.inetWindow('recvOct', 1, 100, { node });
      await Tcp.send(quietClient, 'y'.repeat(300));
      await Tcp.send(server, 'z'.repeat(200));
      await Tcp.recv(client, 200, 5000);
      const [mover] = await window;
      expect(mover).toMatchObject({ socket: client, value: 200 });
      const details = medic.portInfo(client);
      expect(details?.io).toMatchObject({ sendOct: 10_000 });
      expect(medic.sockets('tcp_listen', 10, { node }).total).toBe(2);
      expect(medic.sockets('tcp', 1, { node }).sockets).toHaveLength(1);
      const [owner] = medic.resourceOwners(1, { node });
      expect(owner).toMatchObject({ owner: ctx.self, sockets: 6, ports: 0 });
      expect(String(captureError(() => medic.inetCount('bytes' as never, 1, { node })))).toContain('attribute');
      expect(String(await captureRejection(medic.inetWindow('oct', 1, -5, { node })))).toContain('`ms`');
    });
  });
});
