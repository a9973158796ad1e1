/**
 * The demo system `npm start` runs: a few hundred processes chatting at random, some crashing and
 * being noticed (by monitors) and restarted, and a reporter saying what the node is doing. It runs
 * until stopped: Ctrl-C or SIGTERM stops the node in order and exits with status 0.
 *
 * Options: --chatters N (default 300), --crash-rate R (default 0.002 per message), --interval MS.
 */
import { parseArgs } from 'node:util';
import { configureDefaultNode, defaultNode, type Logger } from '../../src/index.js';
import { nurse, type NurseCounts } from './nurse.js';
import { reporter } from './reporter.js';

const { values } = parseArgs({
  options: {
    chatters: { type: 'string', default: '300' },
    'crash-rate': { type: 'string', default: '0.002' },
    interval: { type: 'string', default: '2000' },
  },
});
const population = Number(values.chatters);
const crashRate = Number(values['crash-rate']);
const intervalMs = Number(values.interval);
if (!Number.isInteger(population) || population < 2) throw new TypeError(`Expected \`--chatters\` to be a whole number from 2 up, got \`${values.chatters}\``);
if (!(crashRate >= 0 && crashRate <= 1)) throw new TypeError(`Expected \`--crash-rate\` to be a number from 0 to 1, got \`${values['crash-rate']}\``);
if (!(intervalMs >= 10)) throw new TypeError(`Expected \`--interval\` to be at least 10 ms, got \`${values.interval}\``);

const say = (line: string) => process.stdout.write(`${line}\n`);

/** Crash reports as one line each: the nurse tells the rest of the story. */
const logger: Logger = {
  log(level, report) {
    if (report.kind === 'crash_report') return;
    if (report.kind === 'node_stopping' || report.kind === 'node_stopped') say(`node: ${(report as { detail?: string }).detail ?? ''}`);
    else if (level === 'error' || level === 'warning') say(`${level}: ${report.kind}`);
  },
};

configureDefaultNode({ name: 'demo@localhost', logger });
const node = defaultNode();
const counts: NurseCounts = { crashes: 0 };
say(`beamish demo: node ${node.name}, ${population} chatters, a nurse and a reporter (Ctrl-C stops it in order)`);
node.spawn(nurse({ population, crashRate }, counts, say), { name: 'nurse', label: 'restarts chatters' });
node.spawn(reporter(node, counts, intervalMs, say), { name: 'reporter' });
