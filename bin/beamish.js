#!/usr/bin/env node
// The `beamish` command. A built package runs dist/; a checkout without a build runs the
// TypeScript sources through tsx, so `npx beamish …` works in the repository as it is.
import { existsSync } from 'node:fs';

const built = new URL('../dist/cli/main.js', import.meta.url);
let main;
if (existsSync(built)) main = await import(built.href);
else {
  const { register } = await import('tsx/esm/api');
  register();
  main = await import(new URL('../src/cli/main.ts', import.meta.url).href);
}
process.exitCode = await main.runCli(process.argv.slice(2));
