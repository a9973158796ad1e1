import { describe, expect, it } from 'vitest';
import { medic } from '../../src/index.js';
import { captureError, idle, testNode } from '../helpers.js';

describe('TopSampler', () => {
  it('ranks by reductions since the previous frame, and by memory, mailbox and run time', async () => {
    const { node } = testNode();
    const sampler = new medic.TopSampler(node);
    try {
      const worker = node.spawn(async (ctx) => {
        for (;;) {
          const message = await ctx.receive();
          if (typeof message === 'object' && message !== null && 'ack' in message) ctx.send(message.ack as never, 'done');
          if (message === 'spin') {
            const end = performance.now() + 30;
            while (performance.now() < end);
          }
        }
      }, { name: 'worker' });
      const hoarder = node.spawn(idle, { name: 'hoarder' });
      await node.run(async () => {});
      /** Resolves once the worker has handled everything sent to it before. */
      const caughtUp = () => node.run(async (ctx) => {
        ctx.send(worker, { ack: ctx.self });
        await ctx.receive((m) => m === 'done');
      });
      sampler.frame(); // the baseline
      for (let i = 0; i < 500; i++) node.send(worker, i);
      for (let i = 0; i < 50; i++) node.send(hoarder, { payload: 'z'.repeat(1000) });
      node.send(worker, 'spin');
      await caughtUp();
      const byReductions = sampler.frame({ sort: 'reductions', lines: 1 });
      expect(byReductions.rows.map((row) => [row.name, row.reductions >= 500])).toEqual([['worker', true]]);
      expect(byReductions).toMatchObject({ node: node.name, sort: 'reductions', processCount: 2 });
      expect(byReductions.schedulerUsage).toHaveLength(1);
      expect(byReductions.memory.processes).toBeGreaterThan(50 * 1000);

      for (let i = 0; i < 100; i++) node.send(worker, i);
      node.send(worker, 'spin');
      await caughtUp();
      const byRuntime = sampler.frame({ sort: 'runtime', lines: 1 });
      expect(byRuntime.rows[0]?.name).toBe('worker');
      expect(byRuntime.rows[0]?.runtime).toBeGreaterThanOrEqual(30);

      expect(sampler.frame({ sort: 'memory', lines: 1 }).rows[0]?.name).toBe('hoarder');
      expect(sampler.frame({ sort: 'messageQueueLength', lines: 2 }).rows.map((row) => [row.name, row.messageQueueLength])).toEqual([
        ['hoarder', 50],
        ['worker', 0],
      ]);
      expect(String(captureError(() => sampler.frame({ sort: 'cpu' as never })))).toContain('sort');
    } finally {
      sampler.close();
      sampler.close();
    }
  });
});
