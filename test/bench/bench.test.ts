import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const runner = fileURLToPath(new URL('../../bench/run.ts', import.meta.url));

/**
 * Keeps the benchmarks runnable: every workload runs, shrunk, on both Beamish and the Erlang VM,
 * and prints its BENCH line in the agreed format. Timings are not checked (a benchmark is not a test).
 */
describe('bench/run.ts', () => {
  it('runs every workload on Beamish, BEAM and the JavaScript peers, one line each', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', runner, '--runs', '1', '--scale', '0.001'], {
      timeout: 120_000,
    });
    const lines = stdout.split('\n').filter((line) => line.startsWith('BENCH '));
    expect(lines.map((line) => line.split(' ')[1])).toEqual(['W1', 'W1M', 'W2', 'W3', 'W3A', 'W4', 'W5', 'W6', 'P1', 'P2', 'S1', 'M1']);
    const format = /^BENCH (\w+) (\S+) beamish=([\d.e+-]+) beam=([\d.e+-]+|n\/a) ratio=([\d.]+|n\/a) better=(higher|lower)$/;
    for (const line of lines) {
      const match = format.exec(line);
      expect(match, line).not.toBeNull();
      const [, id, , beamish, beam] = match as RegExpExecArray;
      expect(Number(beamish)).toBeGreaterThan(0);
      if (id !== 'W3A') expect(Number(beam), `${id} needs the Erlang VM (apt-get install erlang-nox)`).toBeGreaterThan(0);
    }
    const peers = stdout.split('\n').filter((line) => line.startsWith('PEER '));
    expect(peers.map((line) => line.split(' ').slice(1, 4).join(' ').replace(/=.*/, ''))).toEqual([
      'W1 processes/s plain-promises',
      'W1 processes/s nact',
      'W1M bytes/process plain-promises',
      'W1M bytes/process nact',
      'W2 hops/s plain-promises',
      'W2 hops/s nact',
      'W3 msgs/s plain-promises',
      'W3 msgs/s nact',
      'W5 seconds plain-promises',
      'S1 bytes/s plain-net',
    ]);
    for (const line of peers) expect(line).toMatch(/^PEER \w+ \S+ [\w-]+=[\d.e+-]+ beamish\/[\w-]+=[\d.]+$/);
  }, 150_000); // a fresh OS process per workload and side: longer than the default 30 s on a busy machine
});
