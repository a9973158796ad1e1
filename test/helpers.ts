import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { createNode, type BeamishNode, type LogLevel, type NodeOptions, type ProcessContext, type Report } from '../src/index.js';

/** A report a test node's logger received. */
export interface LoggedReport {
  readonly level: LogLevel;
  readonly report: Report;
}

const nodes: BeamishNode[] = [];
let counter = 0;

afterEach(async () => {
  await Promise.all(nodes.splice(0).map((node) => node.stop({ timeout: 1000 })));
});

/** A fresh node whose reports are collected instead of printed; stopped after the test. */
export function testNode(options: NodeOptions = {}): { node: BeamishNode; reports: LoggedReport[] } {
  const reports: LoggedReport[] = [];
  const node = createNode({
    name: `test${++counter}@${process.pid}`,
    logger: { log: (level, report) => reports.push({ level, report }) },
    ...options,
  });
  nodes.push(node);
  return { node, reports };
}

/** Reports of one kind. */
export function reportsOf<K extends string>(reports: readonly LoggedReport[], kind: K): (Report & { kind: K } & Record<string, unknown>)[] {
  return reports.filter((entry) => entry.report.kind === kind).map((entry) => entry.report as Report & { kind: K } & Record<string, unknown>);
}

/** The error `fn` throws; fails the test if it throws nothing. */
export function captureError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

/** A process body that waits until a signal ends it. */
export async function idle(ctx: ProcessContext): Promise<void> {
  await ctx.receive(() => false);
}

/** Runs `fn` in a process of a fresh test node and resolves with what it returns. */
export function inProcess<T>(fn: (ctx: ProcessContext) => T | Promise<T>): Promise<T> {
  return testNode().node.run(fn);
}

/** As `inProcess`, in a process that traps exits (so a port's or link's exit arrives as a message). */
export function inTrappingProcess<T>(fn: (ctx: ProcessContext) => T | Promise<T>): Promise<T> {
  return testNode().node.run(fn, { trapExit: true });
}

/** What `promise` rejected with; fails the test if it resolved. */
export async function captureRejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

const tempDirs: string[] = [];

afterEach(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh private directory in the system's temp dir (mode 0700, as mkdtemp makes it), removed after the test. */
export function tempDir(prefix = 'beamish-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}
