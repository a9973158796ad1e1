import { describe, expect, it } from 'vitest';
import { ExitMessage, Port, PortData, PortEof, type ProcessContext } from '../../src/index.js';
import { idle, inTrappingProcess, testNode } from '../helpers.js';
import { childrenOf, eventually, isRunning, nextFrom, portHandles, stillRunningAfter } from './port-helpers.js';

const NEVER = 600_000; // a step that must not be needed for the test to pass

/** Opens a shell port whose first output line is the pid of a background child; returns both pids. */
async function withGrandchild(ctx: ProcessContext, script: string, options: Parameters<typeof Port.open>[2]) {
  const port = Port.open(ctx, { shell: script }, options);
  const first = await nextFrom(ctx, port);
  const grandchild = Number((first as PortData).data.toString().trim());
  expect(grandchild).toBeGreaterThan(0);
  return { port, program: Port.info(port)!.osPid, grandchild };
}

describe('Port termination', () => {
  it('closing first closes the input: a program that ends at EOF is released without any signal', async () => {
    await inTrappingProcess(async (ctx) => {
      const port = Port.open(ctx, { spawn: 'cat' }, { termAfter: NEVER, killAfter: NEVER });
      const { osPid } = Port.info(port)!;
      Port.close(port);
      await Port.released(port);
      expect(isRunning(osPid)).toBe(false);
    });
  });

  it('then SIGTERM goes to the whole process group after termAfter: the program and what it started end', async () => {
    await inTrappingProcess(async (ctx) => {
      const { port, program, grandchild } = await withGrandchild(ctx, 'sleep 1000 & echo $!; wait', { termAfter: 0, killAfter: NEVER });
      Port.close(port);
      await Port.released(port);
      expect([isRunning(program), isRunning(grandchild)]).toEqual([false, false]);
    });
  });

  it('then SIGKILL after killAfter, for a group that ignores SIGTERM', async () => {
    await inTrappingProcess(async (ctx) => {
      const script = 'trap "" TERM; sleep 1000 & echo $!; wait';
      const { port, program, grandchild } = await withGrandchild(ctx, script, { termAfter: 0, killAfter: 50 });
      Port.close(port);
      await Port.released(port);
      expect([isRunning(program), isRunning(grandchild)]).toEqual([false, false]);
    });
  });

  it('what a program leaves in its group when it ends at EOF is terminated when the port closes', async () => {
    await inTrappingProcess(async (ctx) => {
      const script = 'sleep 1000 >/dev/null 2>&1 & echo $!; read x';
      const { port, grandchild } = await withGrandchild(ctx, script, { termAfter: NEVER, killAfter: NEVER });
      Port.close(port);
      await Port.released(port);
      expect(isRunning(grandchild)).toBe(false);
    });
  });

  it('with eof, a program that exited leaving a child keeps the port; closing it ends the child', async () => {
    await inTrappingProcess(async (ctx) => {
      const { port, program, grandchild } = await withGrandchild(ctx, 'sleep 1000 >/dev/null 2>&1 & echo $!', {
        eof: true,
        termAfter: NEVER,
        killAfter: NEVER,
      });
      expect(await nextFrom(ctx, port)).toBeInstanceOf(PortEof);
      expect(await stillRunningAfter([program], 3000)).toEqual([]);
      expect(isRunning(grandchild)).toBe(true);
      Port.close(port);
      await Port.released(port);
      expect(isRunning(grandchild)).toBe(false);
    });
  });

  it('node stop leaves no child process and no handle behind', async () => {
    const before = portHandles();
    const { node } = testNode();
    const ports: Port[] = [];
    const pids: number[] = [];
    node.spawn(async (ctx) => {
      ports.push(Port.open(ctx, { spawn: 'cat' }, { packet: 4 }));
      ports.push(Port.open(ctx, { spawn: 'sleep', args: ['1000'] }, { termAfter: 0 }));
      const { port, grandchild, program } = await withGrandchild(ctx, 'sleep 1000 & echo $!; wait', { termAfter: 0 });
      ports.push(port);
      pids.push(grandchild, program);
      await idle(ctx);
    });
    node.spawn(async (ctx) => {
      ctx.trapExit(true); // a trapping owner gets 'shutdown' and exits: its ports go with it
      ports.push(Port.open(ctx, { spawn: 'cat' }, { line: 100, termAfter: 0 }));
      const shutdown = await ctx.receive((m): m is ExitMessage => m instanceof ExitMessage && m.from.equals(ctx.node.pid));
      ctx.exit(shutdown.reason);
    });
    expect(await eventually(() => ports.length === 4 && pids.length === 2)).toBe(true);
    pids.push(...ports.map((port) => Port.info(port)!.osPid));
    await node.stop();
    expect(Port.list(node)).toEqual([]);
    // The node waited for the programs its processes' exits began to end (node.trackRelease).
    expect(pids.filter(isRunning)).toEqual([]);
    await Promise.all(ports.map((port) => Port.released(port)));
    // The group reaper, the one helper process, ends with the last program.
    expect(await eventually(() => childrenOf(process.pid).length === 0)).toBe(true);
    const after = portHandles();
    expect(after.processes).toBeLessThanOrEqual(before.processes);
    expect(after.pipes).toBeLessThanOrEqual(before.pipes);
    expect(after.timers).toBeLessThanOrEqual(before.timers);
  });

  it('killing the owner leaves no child process and no handle behind', async () => {
    const before = portHandles();
    const { node } = testNode();
    let port: Port | undefined;
    const owner = node.spawn(async (ctx) => {
      port = Port.open(ctx, { shell: 'sleep 1000 & wait' }, { termAfter: 0 });
      await idle(ctx);
    });
    await node.run((ctx) => ctx.yield());
    const { osPid } = Port.info(port!)!;
    node.exit(owner, 'kill');
    expect(Port.info(port!)).toBeUndefined();
    await Port.released(port!);
    expect(isRunning(osPid)).toBe(false);
    expect(await eventually(() => childrenOf(process.pid).length === 0)).toBe(true);
    const after = portHandles();
    expect(after.processes).toBeLessThanOrEqual(before.processes);
    expect(after.pipes).toBeLessThanOrEqual(before.pipes);
    expect(after.timers).toBeLessThanOrEqual(before.timers);
  });
});
