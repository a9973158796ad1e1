import { describe, expect, it } from 'vitest';
import { parsePid, type ExitReason } from '../../src/index.js';
import { connectOperator, formatBytes, renderTop, startOperatorAccess, topKey, TOP_KEYS, type WireTopFrame } from '../../src/shell/index.js';
import { testNode } from '../helpers.js';
import { fakeMedic, fakeTopSource, runtimeDir } from './shell-helpers.js';

function sampleFrame(rows = 3): WireTopFrame {
  return {
    node: 'demo@localhost',
    at: Date.UTC(2030, 0, 1, 12, 30, 5),
    intervalMs: 2003,
    schedulerUsage: [0.5, 0.25],
    processCount: 1234,
    runQueueLength: 7,
    memory: { total: 50 * 1024 * 1024, processes: 3 * 1024 * 1024, heapUsed: 30 * 1024 * 1024, external: 1536, rss: 90 * 1024 * 1024 },
    sort: 'memory',
    rows: Array.from({ length: rows }, (_, i) => ({
      pid: `<0.${100 + i}.0>`,
      name: i === 0 ? 'a_registered_name_that_is_rather_long_indeed_and_goes_on' : `worker${i}`,
      reductions: 1000 * (i + 1),
      memory: 4096 * (rows - i),
      messageQueueLength: i,
      runtime: 12,
      currentLocation: 'receive (isCall) at handleCall (/srv/app/src/some/deep/module/path/server.ts:120:17)',
    })),
  };
}

const settings = { sort: 'memory', lines: 20, intervalMs: 2000 } as const;

describe('renderTop', () => {
  it('draws the header, the titles with the sort column marked, the rows and the footer', () => {
    const lines = renderTop(sampleFrame(), settings, 160);
    expect(lines[0]).toBe('demo@localhost  12:30:05  interval 2003 ms');
    expect(lines[1]).toBe('Load: schedulers 37.5% (50% 25%)  procs 1234  run queue 7');
    expect(lines[2]).toBe('Memory: total 50M  processes 3.0M  heap 30M  external 1.5K  rss 90M');
    expect(lines[4]).toMatch(/^Pid +Name or initial call +Reds +Memory\* +MsgQ +Runtime +Current location$/);
    expect(lines[5]).toMatch(/^<0\.100\.0> +a_registered_name_that_is_rathe… +1000 +12K +0 +12ms +receive \(isCall\) at handleCall/);
    expect(lines.at(-1)).toBe(`sort: memory  interval: 2000 ms  lines: 20   ${TOP_KEYS}`);
  });

  it('fits every line to the terminal width, dropping the location column when narrow', () => {
    for (const width of [40, 60, 80, 100, 132, 250]) {
      const lines = renderTop(sampleFrame(), settings, width);
      for (const line of lines) expect(line.length, `${width}: ${line}`).toBeLessThanOrEqual(width);
    }
    expect(renderTop(sampleFrame(), settings, 70)[4]).not.toContain('Current location');
    expect(renderTop(sampleFrame(), settings, 120)[4]).toContain('Current location');
  });

  it('formatBytes - short binary units', () => {
    expect([0, 1023, 1024, 1536, 10 * 1024, 5 * 1024 ** 3].map(formatBytes)).toEqual(['0B', '1023B', '1.0K', '1.5K', '10K', '5.0G']);
  });
});

describe('topKey', () => {
  it('maps etop-like keys to settings', () => {
    expect(topKey('r', settings)).toEqual({ sort: 'reductions' });
    expect(topKey('m', settings)).toEqual({ sort: 'memory' });
    expect(topKey('M', settings)).toEqual({ sort: 'messageQueueLength' });
    expect(topKey('t', settings)).toEqual({ sort: 'runtime' });
    expect(topKey('+', settings)).toEqual({ intervalMs: 5000 });
    expect(topKey('-', settings)).toEqual({ intervalMs: 1000 });
    expect(topKey('-', { ...settings, intervalMs: 250 })).toBeUndefined();
    expect(topKey('>', settings)).toEqual({ lines: 25 });
    expect(topKey('<', { ...settings, lines: 3 })).toEqual({ lines: 1 });
    expect(topKey('<', { ...settings, lines: 1 })).toBeUndefined();
    expect(['q', '\x03', '\x04'].map((key) => topKey(key, settings))).toEqual(['quit', 'quit', 'quit']);
    expect(topKey('x', settings)).toBeUndefined();
  });
});

describe('top session', () => {
  async function watching() {
    const dir = runtimeDir();
    const { node } = testNode();
    await startOperatorAccess(node, { unix: { dir }, createMedic: fakeMedic().createMedic, topSource: fakeTopSource });
    for (let i = 0; i < 5; i++) node.spawn(async (ctx) => void (await ctx.receive()), { name: `worker${i}` });
    const { channel, grant } = await connectOperator({ node: node.name, dir }, { mode: 'top', sort: 'reductions', lines: 3, intervalMs: 100 });
    const messages: Record<string, unknown>[] = [];
    let wake: () => void = () => undefined;
    channel.readFrames({
      data: () => undefined,
      control: (message) => {
        messages.push(message);
        wake();
      },
    });
    const next = async (test: (message: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> => {
      for (let seen = 0; ; ) {
        while (seen < messages.length) {
          const message = messages[seen++] as Record<string, unknown>;
          if (test(message)) return message;
        }
        await new Promise<void>((resolve) => (wake = resolve));
      }
    };
    return { node, channel, grant, next };
  }

  it('sends a frame every interval, its rows bounded by lines and its pids as text', async () => {
    const { node, grant, next } = await watching();
    const first = (await next((m) => m.type === 'frame')).frame as WireTopFrame;
    const started = performance.now();
    await next((m) => m.type === 'frame' && m.frame !== undefined && (m.frame as WireTopFrame).at > first.at);
    expect(performance.now() - started).toBeGreaterThanOrEqual(50);
    expect(first.node).toBe(node.name);
    expect(first.rows).toHaveLength(3);
    expect(first.rows[0]?.pid).toMatch(/^<\d+\.\d+\.\d+>$/);
    expect(node.processInfo(parsePid(grant.pid))?.label).toBe('operator top (unix)');
  });

  it('new settings take effect at once, clamped to their bounds', async () => {
    const { channel, next } = await watching();
    await next((m) => m.type === 'frame');
    channel.writeControl({ type: 'settings', sort: 'messageQueueLength', lines: 1000, intervalMs: 5 });
    const changed = await next((m) => m.type === 'frame' && (m.frame as WireTopFrame).sort === 'messageQueueLength');
    expect(changed.settings).toEqual({ sort: 'messageQueueLength', lines: 100, intervalMs: 100 });
    channel.writeControl({ type: 'settings', sort: 'bogus', lines: 2 });
    const again = await next((m) => m.type === 'frame' && (m.settings as { lines: number }).lines === 2);
    expect((again.frame as WireTopFrame).sort).toBe('messageQueueLength');
    expect((again.frame as WireTopFrame).rows).toHaveLength(2);
  });

  it('quitting (the connection closing) exits the top process with shutdown', async () => {
    const { node, channel, grant, next } = await watching();
    await next((m) => m.type === 'frame');
    const pid = parsePid(grant.pid);
    const exit = new Promise<ExitReason>((resolve) => node.monitor(pid, (down) => resolve(down.reason)));
    channel.end();
    expect(await exit).toBe('shutdown');
    expect(node.state).toBe('running');
  });

  it('the node stopping ends top, and it says why', async () => {
    const { node, next } = await watching();
    await next((m) => m.type === 'frame');
    await node.stop();
    expect((await next((m) => m.type === 'end')).reason).toBe('the node is stopping');
  });
});
