import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { downOf, ExitSignal, formatReport, isExitSignal, ProcessExitedError, UncaughtThrowError, type CrashReport } from '../../src/index.js';
import { reportsOf, testNode } from '../helpers.js';

describe('failures stay inside the process', () => {
  it('a throw ends the process with the Error (stack included) and a crash report', async () => {
    const { node, reports } = testNode();
    const pid = node.spawn(
      function failing() {
        throw new Error('sync failure');
      },
      { label: 'the failing one' },
    );
    const reason = (await node.awaitExit(pid)) as Error;
    expect(reason).toBeInstanceOf(Error);
    expect(reason.message).toBe('sync failure');
    expect(reason.stack).toContain('failing');
    const [report] = reportsOf(reports, 'crash_report') as unknown as CrashReport[];
    expect(report).toMatchObject({ pid, initialCall: 'failing', label: 'the failing one', reason });
    expect(reports[0]?.level).toBe('error');
  });

  it('a rejected promise ends the process the same way', async () => {
    const { node, reports } = testNode();
    const pid = node.spawn(async (ctx) => {
      await ctx.yield();
      await Promise.reject(new TypeError('async failure'));
    });
    expect(((await node.awaitExit(pid)) as Error).message).toBe('async failure');
    expect(reportsOf(reports, 'crash_report')).toHaveLength(1);
  });

  it('a non-Error throw becomes an UncaughtThrowError carrying the value', async () => {
    const { node } = testNode();
    const pid = node.spawn(() => {
      throw 'just a string';
    });
    const reason = await node.awaitExit(pid);
    expect(reason).toBeInstanceOf(UncaughtThrowError);
    expect((reason as UncaughtThrowError).value).toBe('just a string');
    expect((reason as UncaughtThrowError).code).toBe('nocatch');
  });

  it('an Error made in another realm (a vm context, an attached shell) stays the reason as it is', async () => {
    const { node } = testNode();
    const foreign = runInNewContext('new TypeError("from another realm")') as Error;
    expect(foreign instanceof Error).toBe(false);
    const pid = node.spawn(() => {
      throw foreign;
    });
    expect(await node.awaitExit(pid)).toBe(foreign);
  });

  it('exit(reason) is not a crash: no report, and catch-all code can tell it apart', async () => {
    const { node, reports } = testNode();
    const pid = node.spawn((ctx) => {
      try {
        ctx.exit('chosen');
      } catch (error) {
        if (isExitSignal(error)) throw error;
      }
    });
    expect(await node.awaitExit(pid)).toBe('chosen');
    expect(reportsOf(reports, 'crash_report')).toHaveLength(0);
  });

  it('a crash never reaches other processes unless they are linked', async () => {
    const { node } = testNode();
    const result = await node.run(async (ctx) => {
      const { ref } = ctx.spawnMonitor(() => {
        throw new Error('alone');
      });
      const down = await ctx.receive(downOf(ref));
      return { reason: (down.reason as Error).message, alive: ctx.isAlive(ctx.self) };
    });
    expect(result).toEqual({ reason: 'alone', alive: true });
  });

  it('a logger that throws does not take the node down; the report still goes to stderr', async () => {
    const { node } = testNode({
      logger: {
        log() {
          throw new Error('logger broke');
        },
      },
    });
    const writes: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => (writes.push(String(chunk)), true)) as typeof process.stderr.write;
    try {
      const pid = node.spawn(() => {
        throw new Error('reported anyway');
      });
      expect(((await node.awaitExit(pid)) as Error).message).toBe('reported anyway');
      await node.stop();
    } finally {
      process.stderr.write = write;
    }
    const text = writes.join('');
    expect(text).toContain('callback_failed');
    expect(text).toContain('reported anyway');
  });

  it('run - rejects with ProcessExitedError carrying the reason', async () => {
    const { node } = testNode();
    const error = await node.run(() => {
      throw new Error('inside');
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProcessExitedError);
    expect(((error as ProcessExitedError).reason as Error).message).toBe('inside');
    expect((error as ProcessExitedError).cause).toBe((error as ProcessExitedError).reason);
  });

  it('formatReport - readable and bounded however large the reason', async () => {
    const { node, reports } = testNode();
    const huge = 'x'.repeat(100_000);
    const pid = node.spawn(() => {
      throw new Error(huge);
    });
    await node.awaitExit(pid);
    const text = formatReport('error', reports[0]!.report);
    expect(text).toMatch(/^=ERROR REPORT==== .* crash_report/);
    expect(text).toContain(`pid: ${pid}`);
    expect(text.length).toBeLessThanOrEqual(8192 + 60);
  });

  it('ExitSignal is exported for catch-all handlers', () => {
    expect(new ExitSignal('x').reason).toBe('x');
  });
});
