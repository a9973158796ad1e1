/**
 * The leak torture by hand, at any size: `npm run torture -- <processes> [wave] [seed]`.
 * Prints the OS-level counts before, at the peak of a wave, and after; exits 1 if anything leaked.
 */
import { torture } from './leak-torture.js';

const [processes = '10000', wave = '100', seed = '1'] = process.argv.slice(2);
const result = await torture({ processes: Number(processes), wave: Number(wave), seed: Number(seed) });
console.log(JSON.stringify(result, null, 2));
const leaked = result.after.fds !== result.baseline.fds || result.after.children !== result.baseline.children;
console.log(leaked ? 'LEAKED' : `no leak: ${result.processes} processes in ${result.seconds.toFixed(1)} s`);
process.exitCode = leaked ? 1 : 0;
