/**
 * Every TypeScript example in the README and docs/ runs here, as written: a fenced ```ts block is
 * one program that imports 'beamish' and asserts what it shows. After each, the default node is
 * stopped so the next example starts from a fresh one.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { configureDefaultNode, defaultNode, type Report } from '../../src/index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const outDir = join(root, 'test', '.examples');
const documents = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => join('docs', f))];

function examplesOf(document: string): string[] {
  const text = readFileSync(join(root, document), 'utf8');
  return [...text.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((match) => match[1] as string);
}

const reports: Report[] = [];

afterEach(async () => {
  await defaultNode().stop({ timeout: 1000 });
});

mkdirSync(outDir, { recursive: true });

describe('documentation examples', () => {
  it('there are examples to run', () => {
    expect(examplesOf('README.md').length).toBeGreaterThanOrEqual(5);
  });

  for (const document of documents) {
    examplesOf(document).forEach((source, index) => {
      it(`${document} example ${index + 1}`, async () => {
        configureDefaultNode({ handleSignals: false, logger: { log: (_level, report) => reports.push(report) } });
        const file = join(outDir, `${basename(document, '.md')}-${index + 1}.ts`);
        writeFileSync(file, source);
        await import(pathToFileURL(file).href);
      });
    });
  }
});
