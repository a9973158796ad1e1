import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { fromPort, Port, PortData } from '../../src/index.js';
import { findExecutable } from '../../src/resources/ports/internal/port-death-signal.js';
import { inProcess } from '../helpers.js';

const run = promisify(execFile);
const fixture = fileURLToPath(new URL('./port-stdio-fixture.ts', import.meta.url));
const pipesHere = process.platform === 'linux' && findExecutable('mkfifo') !== undefined && process.env['BEAMISH_MKFIFO'] !== '';

interface FixtureReport {
  stdin: string;
  stdout: string;
  stdinLink: string;
  reply: string;
  pid: number;
  dirs: string[];
}

async function runFixture(env: NodeJS.ProcessEnv = {}): Promise<FixtureReport> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', fixture], { timeout: 20_000, env: { ...process.env, ...env } });
  return JSON.parse(stdout) as FixtureReport;
}

/** The pid of a process that has exited (and was reaped), for a directory no live process owns. */
function deadPid(): number {
  return Number(spawnSync('sh', ['-c', 'echo $$'], { encoding: 'utf8' }).stdout.trim());
}

describe.runIf(pipesHere)('port stdio on pipes', () => {
  it("Port.open - the program's standard input and output are pipes, and their FIFO names are gone once it runs", async () => {
    const seen = await inProcess(async (ctx) => {
      const port = Port.open(ctx, { spawn: 'cat' }, { termAfter: 0 });
      const { osPid } = Port.info(port)!;
      const links = [0, 1].map((fd) => readlinkSync(`/proc/${osPid}/fd/${fd}`));
      const fifos = [0, 1].map((fd) => statSync(`/proc/${osPid}/fd/${fd}`).isFIFO());
      Port.close(port);
      return { links, fifos };
    });
    expect(seen.fifos).toEqual([true, true]);
    for (const link of seen.links) {
      expect(link).toMatch(/\/beamish-pipes-\d+-[^/]+\/p\d+ \(deleted\)$/);
      expect(existsSync(link.replace(/ \(deleted\)$/, ''))).toBe(false);
    }
  });

  it('output read into the shared buffer reaches each port whole and in order: two ports, packets larger than a pipe', async () => {
    // Random bytes: no period a read could line up with, so a read overwritten by another shows.
    const sent = [randomBytes(200_000), randomBytes(200_000)];
    const received = await inProcess(async (ctx) => {
      const ports = sent.map(() => Port.open(ctx, { spawn: 'cat' }, { packet: 4 }));
      // Both programs answer at once, so their reads interleave through the one shared buffer.
      await Promise.all(ports.map((port, i) => Port.command(port, sent[i]!)));
      const replies = [];
      for (const port of ports) replies.push(await ctx.receive(fromPort(port)));
      for (const port of ports) Port.close(port);
      return replies.map((reply) => (reply instanceof PortData ? reply.data : undefined));
    });
    expect(received[0]?.equals(sent[0]!)).toBe(true);
    expect(received[1]?.equals(sent[1]!)).toBe(true);
  });

  it('a fresh process puts its FIFO names in a private directory of its own, and removes it when it exits', async () => {
    const report = await runFixture();
    expect(report).toMatchObject({ stdin: 'fifo', stdout: 'fifo', reply: 'ping' });
    expect(report.dirs).toHaveLength(1);
    const dir = join(tmpdir(), report.dirs[0]!);
    expect(existsSync(dir)).toBe(false);
  });

  it('removes the FIFO directory a killed process left behind', async () => {
    const stale = join(tmpdir(), `beamish-pipes-${deadPid()}-stale`);
    mkdirSync(stale, { mode: 0o700 });
    writeFileSync(join(stale, 'p0'), '');
    try {
      await runFixture();
      expect(existsSync(stale)).toBe(false);
    } finally {
      rmSync(stale, { recursive: true, force: true });
    }
  });

  it('falls back to socket pairs when pipes are turned off or mkfifo fails, and the port works the same', async () => {
    for (const mkfifo of ['', '/nonexistent/mkfifo']) {
      const report = await runFixture({ BEAMISH_MKFIFO: mkfifo });
      expect(report).toMatchObject({ stdin: 'socket', stdout: 'socket', reply: 'ping' });
      expect(readdirSync(tmpdir()).filter((entry) => entry.startsWith(`beamish-pipes-${report.pid}-`))).toEqual([]);
    }
  });
});
