import { execFile, spawn as spawnChild } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  createNode,
  DownMessage,
  ExitMessage,
  NodeNameInUseError,
  NodeStoppedError,
  type Pid,
  type ProcessContext,
} from '../../src/index.js';
import { captureError, idle, testNode } from '../helpers.js';

const run = promisify(execFile);
const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

async function idleUntilAnyMessage(ctx: ProcessContext): Promise<void> {
  await ctx.receive();
}

describe('nodes', () => {
  it('several nodes live side by side in one Node.js process, each with its own names', async () => {
    const a = testNode().node;
    const b = testNode().node;
    a.spawn(idle, { name: 'same' });
    b.spawn(idle, { name: 'same' });
    expect(a.whereis('same')?.node).toBe(a.identity);
    expect(b.whereis('same')?.node).toBe(b.identity);
    expect(a.identity.index).not.toBe(b.identity.index);
  });

  it('node names are unique among running nodes; a stopped node frees its name', async () => {
    const node = createNode({ name: 'unique-name' });
    expect(captureError(() => createNode({ name: 'unique-name' }))).toBeInstanceOf(NodeNameInUseError);
    await node.stop();
    const again = createNode({ name: 'unique-name', logger: { log() {} } });
    await again.stop();
  });

  it('stop - roots that trap exits get shutdown from the node and may clean up', async () => {
    const { node } = testNode();
    const seen: unknown[] = [];
    const root = node.spawn(async (ctx) => {
      ctx.trapExit(true);
      ctx.spawnLink(idle);
      const message = (await ctx.receive((m) => m instanceof ExitMessage)) as ExitMessage;
      seen.push(message.reason, message.from);
      ctx.exit('shutdown');
    });
    await node.run((ctx) => ctx.yield());
    await node.stop();
    expect(seen).toEqual(['shutdown', node.pid]);
    expect(node.state).toBe('stopped');
    expect(node.processCount).toBe(0);
    expect(node.isAlive(root)).toBe(false);
  });

  it('stop - processes that outlive the timeout are killed', async () => {
    const { node } = testNode();
    const stubborn = node.spawn(idle, { trapExit: true });
    const reason = node.awaitExit(stubborn);
    await node.stop({ timeout: 20 });
    expect(await reason).toBe('killed');
  });

  it('stop - returns the same promise when called again; a stopped node spawns nothing', async () => {
    const { node } = testNode();
    node.spawn(idleUntilAnyMessage, { trapExit: true }); // exits on the shutdown message, a moment later
    await node.run((ctx) => ctx.yield());
    const first = node.stop();
    expect(node.stop()).toBe(first);
    expect(node.state).toBe('stopping');
    await first;
    expect(captureError(() => node.spawn(idle))).toBeInstanceOf(NodeStoppedError);
  });

  it('trackRelease - stop resolves only after the releases its processes\' exits began have settled', async () => {
    const { node } = testNode();
    const events: string[] = [];
    const owner = node.spawn(idle);
    node.monitor(owner, () => {
      // What a resource layer does when an owner exits: start closing, and tell the node.
      const release = new Promise<void>((resolve) => setTimeout(resolve, 5)).then(() => events.push('released'));
      node.trackRelease(release);
    });
    node.trackRelease(Promise.reject(new Error('a failed release still counts as settled')));
    await node.stop();
    events.push('stopped');
    expect(events).toEqual(['released', 'stopped']);
  });

  it('stop - afterwards nothing of the node keeps the event loop alive', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', fixture('stop-releases-event-loop.ts')], {
      timeout: 20_000,
    });
    expect(stdout.trim()).toBe('stopped: stopped, processes left: 0');
  });

  it('the default node stops in order on SIGTERM and exits with status 0', async () => {
    const child = spawnChild(process.execPath, ['--import', 'tsx', fixture('sigterm-default-node.ts')], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.setEncoding('utf8');
    const ready = new Promise<void>((resolve) =>
      child.stdout.on('data', (chunk: string) => {
        output += chunk;
        if (output.includes('ready')) resolve();
      }),
    );
    await ready;
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    expect(output).toMatch(/cleanup after shutdown from <\d+\.0\.0>/);
  });

  it('processes of two nodes can message, link and monitor each other', async () => {
    const a = testNode().node;
    const b = testNode().node;
    const onB = b.spawn(async (ctx) => {
      const { from } = (await ctx.receive()) as { from: Pid };
      ctx.send(from, 'hello from b');
      await ctx.receive(() => false);
    });
    const result = await a.run(async (ctx) => {
      const ref = ctx.monitor(onB);
      ctx.send(onB, { from: ctx.self });
      const reply = await ctx.receive((m) => typeof m === 'string');
      await b.stop();
      const down = (await ctx.receive((m) => m instanceof DownMessage && m.ref === ref)) as DownMessage;
      return { reply, reason: down.reason };
    });
    expect(result).toEqual({ reply: 'hello from b', reason: 'shutdown' });
  });

  it('options are validated with clear TypeErrors', () => {
    expect(() => createNode({ name: '' })).toThrow(/Expected `options.name` to be a non-empty string/);
    expect(() => createNode({ maxProcesses: 0 })).toThrow(/Expected `options.maxProcesses` to be a whole number from 1 up/);
    expect(() => createNode({ logger: {} as never })).toThrow(/options.logger/);
    expect(() => createNode({ trackLocations: 'yes' as never })).toThrow(TypeError);
  });
});
