/**
 * Runs Beamish's benchmarks side by side with the Erlang VM and JavaScript peers, in one
 * invocation, and prints one line per workload:
 *
 *   BENCH <id> <metric> beamish=<value> beam=<value> ratio=<beamish/beam> better=<higher|lower>
 *
 * and one line per JavaScript peer that runs the workload:
 *
 *   PEER <id> <metric> <peer>=<value> beamish/<peer>=<ratio>
 *
 * Usage: npm run bench [-- W2 W3] [--runs 3] [--scale 1]
 *
 * Each side runs in a fresh OS process per measurement (Beamish: node --expose-gc; BEAM: erl with
 * one scheduler, +S 1:1, and +P 4000000); the median of `--runs` is reported. `--scale` shrinks the
 * sizes for a quick check. A benchmark is not a test: nothing here fails on timings.
 */
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';

const exec = promisify(execFile);
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

interface Workload {
  readonly id: string;
  readonly metric: string;
  readonly better: 'higher' | 'lower';
  readonly size: number;
  /** Sizes that must be a power of ten (skynet's fan-out). */
  readonly powerOfTen?: boolean;
  /** Only Beamish runs it (a variant with no Erlang counterpart). */
  readonly beamishOnly?: boolean;
  /** The target this workload is held to, as a ratio to BEAM. */
  readonly target: string;
}

/** JavaScript peers: the same workloads on other actor implementations (bench/peers/). */
const PEERS = [
  { name: 'plain-promises', file: './peers/plain-promises.ts', runs: ['W1', 'W1M', 'W2', 'W3', 'W5'] },
  { name: 'nact', file: './peers/nact.ts', runs: ['W1', 'W1M', 'W2', 'W3'] },
  { name: 'plain-net', file: './peers/plain-net.ts', runs: ['S1'] },
] as const;

const WORKLOADS: readonly Workload[] = [
  { id: 'W1', metric: 'processes/s', better: 'higher', size: 1_000_000, target: '>= 2x BEAM' },
  { id: 'W1M', metric: 'bytes/process', better: 'lower', size: 1_000_000, target: '<= 0.4x BEAM' },
  { id: 'W2', metric: 'hops/s', better: 'higher', size: 10_000_000, target: '>= 2x BEAM' },
  { id: 'W3', metric: 'msgs/s', better: 'higher', size: 10_000_000, target: '>= 1.5x BEAM' },
  { id: 'W3A', metric: 'msgs/s', better: 'higher', size: 10_000_000, target: 'W3 with await per message', beamishOnly: true },
  { id: 'W4', metric: 'calls/s', better: 'higher', size: 1_000_000, target: '>= 2x BEAM' },
  { id: 'W5', metric: 'seconds', better: 'lower', size: 1_000_000, powerOfTen: true, target: "<= BEAM's time" },
  { id: 'W6', metric: 'cycles/s', better: 'higher', size: 200_000, target: '>= 1x BEAM' },
  { id: 'P1', metric: 'roundtrips/s', better: 'higher', size: 200_000, target: '>= 1x BEAM' },
  { id: 'P2', metric: 'bytes/s', better: 'higher', size: 50_000, target: '>= 1x BEAM' },
  { id: 'S1', metric: 'bytes/s', better: 'higher', size: 2_000, target: '>= 0.85x plain net' },
  { id: 'M1', metric: 'seconds', better: 'lower', size: 1_000_000, target: "<= BEAM's time" },
];

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    runs: { type: 'string', default: '3' },
    scale: { type: 'string', default: '1' },
  },
});
const runs = Number(values.runs);
const scale = Number(values.scale);
if (!Number.isInteger(runs) || runs < 1) throw new TypeError(`Expected \`--runs\` to be a whole number from 1 up, got \`${values.runs}\``);
if (!(scale > 0 && scale <= 1)) throw new TypeError(`Expected \`--scale\` to be a number above 0 and at most 1, got \`${values.scale}\``);
const wanted = positionals.map((id) => id.toUpperCase());
const unknown = wanted.filter((id) => !WORKLOADS.some((w) => w.id === id));
if (unknown.length > 0) throw new TypeError(`Unknown workloads ${unknown.join(', ')}; known: ${WORKLOADS.map((w) => w.id).join(', ')}`);
const selected = WORKLOADS.filter((w) => wanted.length === 0 || wanted.includes(w.id));

function sizeOf(workload: Workload): number {
  if (!workload.powerOfTen) return Math.max(1, Math.round(workload.size * scale));
  return 10 ** Math.max(1, Math.round(Math.log10(workload.size * scale)));
}

function parseResult(stdout: string, who: string): number {
  const match = /^RESULT (\S+)$/m.exec(stdout);
  if (match === null) throw new Error(`${who} printed no RESULT line:\n${stdout}`);
  return Number(match[1]);
}

/** Runs a TypeScript workload file in a fresh Node.js process. */
async function runNode(file: string, id: string, size: number): Promise<number> {
  const { stdout } = await exec(process.execPath, ['--expose-gc', '--import', 'tsx', here(file), id, String(size)], {
    maxBuffer: 1 << 20,
  });
  return parseResult(stdout, `${file} ${id}`);
}

const buildDir = here('./.build');

async function compileErlang(): Promise<boolean> {
  try {
    mkdirSync(buildDir, { recursive: true });
    await exec('erlc', ['-o', buildDir, here('./erlang/beam_bench.erl')]);
    return true;
  } catch (error) {
    console.log(`# no Erlang VM here (${(error as Error).message.split('\n')[0]}); install it with: apt-get install -y erlang-nox`);
    return false;
  }
}

async function runBeam(id: string, size: number): Promise<number> {
  const { stdout } = await exec('erl', ['+S', '1:1', '+P', '4000000', '-noshell', '-pa', buildDir, '-eval', `beam_bench:main(['${id}', '${size}'])`], {
    maxBuffer: 1 << 20,
  });
  return parseResult(stdout, `beam ${id}`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function show(value: number): string {
  if (value >= 1000) return Math.round(value).toString();
  return value.toPrecision(4);
}

const haveBeam = await compileErlang();
console.log(`# node ${process.version}, ${runs} run(s) per side, median reported, scale ${scale}`);
for (const workload of selected) {
  const size = sizeOf(workload);
  const beamish: number[] = [];
  const beam: number[] = [];
  const peers = PEERS.filter((peer) => (peer.runs as readonly string[]).includes(workload.id));
  const peerFigures = peers.map((): number[] => []);
  // The sides take turns within each run, so a machine that speeds up or slows down meanwhile
  // (a shared VM does) weighs on all of them alike.
  for (let run = 0; run < runs; run++) {
    beamish.push(await runNode('./beamish/workloads.ts', workload.id, size));
    if (haveBeam && !workload.beamishOnly) beam.push(await runBeam(workload.id, size));
    for (const [index, peer] of peers.entries()) peerFigures[index]!.push(await runNode(peer.file, workload.id, size));
  }
  const ours = median(beamish);
  const theirs = beam.length > 0 ? median(beam) : undefined;
  const ratio = theirs === undefined ? 'n/a' : (ours / theirs).toFixed(2);
  console.log(`# ${workload.id}: size ${size}; target ${workload.target}; runs beamish=[${beamish.map(show).join(', ')}] beam=[${beam.map(show).join(', ')}]`);
  console.log(
    `BENCH ${workload.id} ${workload.metric} beamish=${show(ours)} beam=${theirs === undefined ? 'n/a' : show(theirs)} ratio=${ratio} better=${workload.better}`,
  );
  for (const [index, peer] of peers.entries()) {
    const value = median(peerFigures[index]!);
    console.log(`PEER ${workload.id} ${workload.metric} ${peer.name}=${show(value)} beamish/${peer.name}=${(ours / value).toFixed(2)}`);
  }
}
