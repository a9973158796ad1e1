import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_PROCESSES, SystemLimitError, TIMEOUT, type MailboxLimitReport } from '../../src/index.js';
import { captureError, idle, reportsOf, testNode } from '../helpers.js';

describe('limits', () => {
  it("maxProcesses - defaults to Erlang's +P of 1,048,576", () => {
    const { node } = testNode();
    expect(node.maxProcesses).toBe(DEFAULT_MAX_PROCESSES);
    expect(DEFAULT_MAX_PROCESSES).toBe(1_048_576);
  });

  it('maxProcesses - spawning past it throws SystemLimitError and changes nothing', async () => {
    const { node } = testNode({ maxProcesses: 3 });
    const pids = [node.spawn(idle), node.spawn(idle), node.spawn(idle)];
    const error = captureError(() => node.spawn(idle));
    expect(error).toBeInstanceOf(SystemLimitError);
    expect(error).toMatchObject({ code: 'system_limit', limit: 'processes', max: 3 });
    expect(node.processCount).toBe(3);
    node.exit(pids[0]!, 'kill');
    expect(() => node.spawn(idle)).not.toThrow();
  });

  it('maxMailbox - a mailbox past its limit kills the process with killed and a report', async () => {
    const { node, reports } = testNode();
    const pid = node.spawn(idle, { maxMailbox: 10, label: 'bounded' });
    const exit = node.awaitExit(pid);
    for (let i = 0; i < 10; i++) node.send(pid, i);
    expect(node.isAlive(pid)).toBe(true);
    node.send(pid, 'one too many');
    expect(await exit).toBe('killed');
    const [report] = reportsOf(reports, 'mailbox_limit') as unknown as MailboxLimitReport[];
    expect(report).toMatchObject({ pid, label: 'bounded', limit: 10, messageQueueLength: 11, killed: true });
  });

  it('maxMailbox - with kill: false the process lives and each crossing is reported once', async () => {
    const { node, reports } = testNode();
    await node.run(async (ctx) => {
      const me = ctx.self;
      const pid = ctx.spawn(
        async (bounded) => {
          for (;;) {
            await bounded.receive((m) => m === 'drain');
            while (bounded.tryReceive() !== TIMEOUT);
            bounded.send(me, 'drained');
          }
        },
        { maxMailbox: { size: 3, kill: false } },
      );
      for (let i = 0; i < 10; i++) ctx.send(pid, i);
      expect(ctx.isAlive(pid)).toBe(true);
      expect(reportsOf(reports, 'mailbox_limit')).toHaveLength(1);
      ctx.send(pid, 'drain');
      await ctx.receive((m) => m === 'drained');
      for (let i = 0; i < 10; i++) ctx.send(pid, i);
      expect(reportsOf(reports, 'mailbox_limit')).toHaveLength(2);
      expect(reportsOf(reports, 'mailbox_limit')[1]).toMatchObject({ killed: false, limit: 3, messageQueueLength: 4 });
    });
  });

  it('maxMailbox - bad limits are TypeErrors', () => {
    const { node } = testNode();
    for (const maxMailbox of [0, -1, 1.5, 'ten', { size: 0 }, { size: 2, kill: 'yes' }]) {
      expect(() => node.spawn(idle, { maxMailbox: maxMailbox as never })).toThrow(TypeError);
    }
    expect(node.processCount).toBe(0);
  });

  it('maxMailbox - the limit shows in processInfo', () => {
    const { node } = testNode();
    const pid = node.spawn(idle, { maxMailbox: 1000 });
    expect(node.processInfo(pid)?.mailboxLimit).toBe(1000);
  });
});
