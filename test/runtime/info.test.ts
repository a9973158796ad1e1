import { describe, expect, it } from 'vitest';
import { type Pid } from '../../src/index.js';
import { idle, testNode } from '../helpers.js';

describe('processInfo', () => {
  it('reports what a process is and what it does', async () => {
    const { node } = testNode();
    const before = Date.now();
    await node.run(async function driver(ctx) {
      const child = ctx.spawn(
        async function childLoop(c) {
          await c.receive(function isStop(m) {
            return m === 'stop';
          });
        },
        { name: 'child', label: 'a child', trapExit: true },
      );
      expect(node.processInfo(child)).toMatchObject({ status: 'runnable', currentLocation: 'start of childLoop' });
      await ctx.yield();
      ctx.monitor(child);
      ctx.link(child);
      const info = node.processInfo('child')!;
      expect(info).toMatchObject({
        pid: child,
        registeredName: 'child',
        label: 'a child',
        status: 'waiting',
        currentLocation: 'receive (isStop)',
        initialCall: 'childLoop',
        parent: ctx.self,
        trapExit: true,
        links: [ctx.self],
        linkCount: 1,
        monitoredBy: [ctx.self],
        monitoredByCount: 1,
        messageQueueLength: 0,
      });
      expect(info.spawnedAt).toBeGreaterThanOrEqual(before - 1);
      expect(info.spawnedAt).toBeLessThanOrEqual(Date.now() + 1);
      const self = node.processInfo(String(ctx.self))!;
      expect(self).toMatchObject({ status: 'running', initialCall: 'driver', monitorCount: 1 });
      expect(self.monitors[0]).toMatchObject({ pid: child, name: undefined });
      ctx.send(child, 'stop');
    });
  });

  it('never includes mailbox contents and bounds its lists', async () => {
    const { node } = testNode();
    await node.run(async (ctx) => {
      const hub = ctx.spawn(idle);
      for (let i = 0; i < 300; i++) {
        ctx.spawn(async (c) => {
          c.link(hub);
          c.monitor(hub);
          await c.receive(() => false);
        });
      }
      for (let i = 0; i < 50; i++) node.send(hub, { secret: i });
      await ctx.yield();
      const info = node.processInfo(hub, { listLimit: 10 })!;
      expect(info.links).toHaveLength(10);
      expect(info.linkCount).toBe(300);
      expect(info.monitoredBy).toHaveLength(10);
      expect(info.monitoredByCount).toBe(300);
      expect(info.messageQueueLength).toBe(50);
      expect(JSON.stringify(info)).not.toContain('secret');
    });
  });

  it('a dead or unknown process gives undefined, not an error', async () => {
    const { node } = testNode();
    const dead = node.spawn(() => undefined);
    await node.awaitExit(dead);
    expect(node.processInfo(dead)).toBeUndefined();
    expect(node.processInfo('nobody')).toBeUndefined();
    expect(() => node.processInfo(42 as never)).toThrow(TypeError);
  });

  it('trackLocations - shows the call site of the receive a process waits in', async () => {
    const { node } = testNode({ trackLocations: true });
    const pid: Pid = node.spawn(async function waitsHere(ctx) {
      await ctx.receive();
    });
    await node.run((ctx) => ctx.yield());
    expect(node.processInfo(pid)?.currentLocation).toMatch(/^receive at waitsHere \(.*info\.test\.ts:\d+:\d+\)$/);
    node.trackLocations = false;
    expect(node.trackLocations).toBe(false);
  });

  it('processes() lists live pids in spawn order; processCount counts them', async () => {
    const { node } = testNode();
    const pids = [node.spawn(idle), node.spawn(idle), node.spawn(idle)];
    expect(node.processes()).toEqual(pids);
    expect(node.processCount).toBe(3);
    node.exit(pids[1]!, 'kill');
    expect(node.processes()).toEqual([pids[0], pids[2]]);
  });
});
