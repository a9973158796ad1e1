/**
 * The medic's acceptance scenario: the demo's `council_demo` application beside `council_hall`,
 * whose members chat over TCP and carry four planted problems (see council-hall.ts): a memory
 * leak, a CPU hog, a bandwidth hog and an overflowing mailbox. Operator access is open, so an
 * operator can `npx beamish attach scenario@localhost` and find each one; docs/medic.md shows how.
 *
 * `npm run scenario`; options: --name NODE (default scenario@localhost), --dir DIR (the runtime
 * directory for its socket; default as `startOperatorAccess`).
 */
import { parseArgs } from 'node:util';
import { Application, configureDefaultNode, defaultNode } from '../../src/index.js';
import { startOperatorAccess } from '../../src/shell/index.js';
import { councilDemo, demoLogger } from '../demo/application.js';
import { councilHall } from './council-hall.js';

const { values } = parseArgs({ options: { name: { type: 'string', default: 'scenario@localhost' }, dir: { type: 'string' } } });
const say = (line: string) => process.stdout.write(`${line}\n`);

configureDefaultNode({ name: values.name, logger: demoLogger(say), trackLocations: true });
const node = defaultNode();
await Application.start(councilDemo({ councilSize: 20, crashEvery: 5000, intervalMs: 5000, say }), { type: 'permanent' });
await Application.start(councilHall(), { type: 'permanent' });
const access = await startOperatorAccess(node, { unix: values.dir === undefined ? true : { dir: values.dir } });
say(`medic scenario: node ${node.name} is up with four planted problems; npx beamish attach ${node.name} (socket ${access.socketPath})`);
