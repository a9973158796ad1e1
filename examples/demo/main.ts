/**
 * The demo system `npm start` runs: the `council_demo` application (see application.ts), with
 * operator access open, so that `npx beamish attach demo@localhost` and `npx beamish top
 * demo@localhost` reach it from another terminal. It runs until stopped: Ctrl-C or SIGTERM stops
 * the application top-down and exits with status 0.
 *
 * Options: --council N (default 40), --crash-every MS (default 3000), --interval MS (default 2000),
 * --name NODE (default demo@localhost).
 */
import { parseArgs } from 'node:util';
import { Application, configureDefaultNode, defaultNode } from '../../src/index.js';
import { startOperatorAccess } from '../../src/shell/index.js';
import { councilDemo, demoLogger } from './application.js';

const { values } = parseArgs({
  options: {
    council: { type: 'string', default: '40' },
    'crash-every': { type: 'string', default: '3000' },
    interval: { type: 'string', default: '2000' },
    name: { type: 'string', default: 'demo@localhost' },
  },
});
const councilSize = Number(values.council);
const crashEvery = Number(values['crash-every']);
const intervalMs = Number(values.interval);
if (!Number.isInteger(councilSize) || councilSize < 2) throw new TypeError(`Expected \`--council\` to be a whole number from 2 up, got \`${values.council}\``);
if (!(crashEvery >= 10)) throw new TypeError(`Expected \`--crash-every\` to be at least 10 ms, got \`${values['crash-every']}\``);
if (!(intervalMs >= 10)) throw new TypeError(`Expected \`--interval\` to be at least 10 ms, got \`${values.interval}\``);

const say = (line: string) => process.stdout.write(`${line}\n`);

configureDefaultNode({ name: values.name, logger: demoLogger(say) });
const node = defaultNode();

const started = await Application.start(councilDemo({ councilSize, crashEvery, intervalMs, say }), { type: 'permanent' });
say(`beamish demo: node ${node.name}, application ${started.join(', ')} started: ${councilSize} councillors, a flaky worker, jobs, a reporter (Ctrl-C stops it in order)`);
try {
  const access = await startOperatorAccess(node);
  say(`operator access: npx beamish attach ${node.name} · npx beamish top ${node.name} (socket ${access.socketPath})`);
} catch (error) {
  // The demo runs without it: another demo may hold the name.
  say(`operator access not opened: ${error instanceof Error ? error.message : String(error)}`);
}
