import { describe, expect, it } from 'vitest';
import { GenServer, medic } from '../../src/index.js';
import { captureError, idle, testNode } from '../helpers.js';

describe('info', () => {
  it('answers by recon’s categories for a pid, its text or its name, and never shows mailbox contents', async () => {
    const { node } = testNode();
    const started = await GenServer.start({ init: () => ({ state: { secret: 'hunter2' } }) }, undefined, { node, name: 'keeper' });
    if (!started.ok) throw new Error('start failed');
    const pid = started.pid;
    node.send(pid, { secret: 'in the mailbox' });
    const details = medic.info(pid, { node });
    expect(details?.meta).toMatchObject({ registeredName: 'keeper', status: expect.any(String) });
    expect(details?.signals.trapExit).toBe(false);
    expect(details?.location.currentLocation).toBeTypeOf('string');
    expect(details?.memory_used.memory.state).toBeGreaterThan(0);
    expect(JSON.stringify(details)).not.toContain('in the mailbox');
    expect(JSON.stringify(details)).not.toContain('hunter2');
    expect(medic.info(String(pid), 'work', { node })).toEqual(details?.work);
    expect(medic.info('keeper', 'meta', { node })?.registeredName).toBe('keeper');
  });

  it('gives undefined for a process that is not alive, and a TypeError for an unknown category', async () => {
    const { node } = testNode();
    const gone = node.spawn(() => {});
    await node.awaitExit(gone);
    expect(medic.info(gone, { node })).toBeUndefined();
    expect(medic.info('nobody', 'meta', { node })).toBeUndefined();
    const alive = node.spawn(idle);
    expect(String(captureError(() => medic.info(alive, 'heap' as never, { node })))).toContain('category');
  });

  it('bounds its lists and says how many there are', async () => {
    const { node } = testNode();
    const hub = node.spawn(idle);
    for (let i = 0; i < 30; i++) node.spawn((ctx) => (ctx.link(hub), idle(ctx)));
    await node.run(async () => {});
    const signals = medic.info(hub, 'signals', { node });
    expect(signals?.linkCount).toBe(30);
    expect(signals?.links).toHaveLength(20);
  });
});

describe('mailboxSample', () => {
  it('shows the oldest messages formatted and cut, without taking them', async () => {
    const { node } = testNode();
    const pid = node.spawn(idle);
    await node.run(async () => {});
    for (let i = 0; i < 10; i++) node.send(pid, { n: i, pad: 'y'.repeat(500) });
    const sample = medic.mailboxSample(pid, 3, { node, maxLength: 40 });
    expect(sample?.messageQueueLength).toBe(10);
    expect(sample?.messages).toHaveLength(3);
    expect(sample?.messages[0]).toContain('n: 0');
    for (const text of sample?.messages ?? []) expect(text).toMatch(/^.{40}… \(\d+ more characters\)$/s);
    expect(medic.mailboxSample(pid, 3, { node })?.messageQueueLength).toBe(10);
    expect(String(captureError(() => medic.mailboxSample(pid, 1000, { node })))).toContain('`n`');
  });
});
