import { describe, expect, it } from 'vitest';
import { parsePid } from '../../src/index.js';
import { connectOperator, startOperatorAccess, type TopFrameSource, type WireTopFrame } from '../../src/shell/index.js';
import { reportsOf, testNode } from '../helpers.js';
import { fakeTopSource, ReplClient, runtimeDir } from './shell-helpers.js';

describe('sessions with the real medic kit (the defaults)', () => {
  it('a REPL session has the medic bound to its node; leaving stops the windows it started', async () => {
    const dir = runtimeDir();
    const { node, reports } = testNode();
    await startOperatorAccess(node, { unix: { dir } });
    node.spawn(async (ctx) => void (await ctx.receive(() => false)), { name: 'waiter' });
    const client = await ReplClient.open({ node: node.name, dir });
    expect(await client.evaluate('nodeStats().processCount === processes().length')).toBe('true');
    expect(await client.evaluate('medic.node === node')).toBe('true');
    expect(await client.evaluate("procCount('messageQueueLength', 50).some((row) => row.name === 'waiter')")).toBe('true');
    // The window reports how it ended through the node's logger, which outlives the session.
    await client.evaluate("w = procWindow('reductions', 3, 60_000).then(() => 'finished', (e) => e.name); w.then((end) => node.log('info', { kind: 'window_end', end }))");
    client.send('.exit\n');
    await client.ended();
    await expect.poll(() => reportsOf(reports, 'window_end').map((report) => report.end)).toHaveLength(1);
    expect(reportsOf(reports, 'window_end')[0]?.end).not.toBe('finished');
  });

  it('a top session samples with the real TopSampler', async () => {
    const dir = runtimeDir();
    const { node } = testNode();
    await startOperatorAccess(node, { unix: { dir } });
    node.spawn(async (ctx) => void (await ctx.receive(() => false)), { name: 'busy_enough' });
    const { channel } = await connectOperator({ node: node.name, dir }, { mode: 'top', sort: 'reductions', lines: 50, intervalMs: 100 });
    const frame = await new Promise<WireTopFrame>((resolve) =>
      channel.readFrames({ data: () => undefined, control: (message) => message.type === 'frame' && resolve(message.frame as WireTopFrame) }),
    );
    expect(frame.node).toBe(node.name);
    expect(frame.processCount).toBe(node.processCount);
    expect(frame.rows.map((row) => row.name)).toContain('busy_enough');
    channel.end();
  });

  it("the top session closes its frame source when it ends (the sampler's run-time accounting stops)", async () => {
    const dir = runtimeDir();
    const { node } = testNode();
    let closed = 0;
    const topSource = (n: typeof node): TopFrameSource => ({ frame: fakeTopSource(n).frame, close: () => void closed++ });
    await startOperatorAccess(node, { unix: { dir }, topSource });
    const { channel, grant } = await connectOperator({ node: node.name, dir }, { mode: 'top', sort: 'memory', lines: 5, intervalMs: 100 });
    channel.readFrames({ data: () => undefined, control: () => undefined });
    const exited = node.awaitExit(parsePid(grant.pid));
    channel.end();
    expect(await exited).toBe('shutdown');
    expect(closed).toBe(1);
  });

  it('evaluation runs without a Node.js domain, so attaching costs the node nothing once the session is over', async () => {
    const dir = runtimeDir();
    const { node } = testNode();
    await startOperatorAccess(node, { unix: { dir } });
    const client = await ReplClient.open({ node: node.name, dir });
    expect(await client.evaluate('process.domain === undefined || process.domain === null')).toBe('true');
  });
});
