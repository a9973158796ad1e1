import { describe, expect, it } from 'vitest';
import { DownMessage, ExitMessage, exitFrom, NoProcError, type Pid, type ProcessContext } from '../../src/index.js';
import { idle, testNode } from '../helpers.js';

/** A process that waits forever (until a signal ends it). */
/** A process that forwards its next `count` messages to `to`. */
function forwarder(to: Pid, count: number) {
  return async function forward(ctx: ProcessContext): Promise<void> {
    for (let i = 0; i < count; i++) ctx.send(to, await ctx.receive());
  };
}

describe('links and exit signals', () => {
  it('exit(pid, reason) - kills a process that does not trap exits, and its links carry the reason', async () => {
    const { node } = testNode();
    const { parent, child } = await node.run(async (ctx) => {
      const parent = ctx.spawn(async (p) => {
        ctx.send(ctx.self, p.spawnLink(idle));
        await p.receive(() => false);
      });
      return { parent, child: (await ctx.receive()) as Pid };
    });
    const parentExit = node.awaitExit(parent);
    node.exit(child, 'crash');
    expect(node.isAlive(child)).toBe(false);
    expect(await parentExit).toBe('crash');
  });

  it("exit(pid, 'normal') - ignored by a process that does not trap exits", async () => {
    const { node } = testNode();
    const pid = node.spawn(idle);
    node.exit(pid, 'normal');
    expect(node.isAlive(pid)).toBe(true);
  });

  it("exit(self, 'normal') - ends the calling process when it does not trap exits", async () => {
    const { node } = testNode();
    const pid = node.spawn((ctx) => {
      ctx.exit(ctx.self, 'normal');
      throw new Error('not reached');
    });
    expect(await node.awaitExit(pid)).toBe('normal');
  });

  it("exit(self, 'normal') - arrives as a message when trapping exits", async () => {
    const { node } = testNode();
    const message = await node.run(async (ctx) => {
      ctx.trapExit(true);
      ctx.exit(ctx.self, 'normal');
      return ctx.receive();
    });
    expect(message).toBeInstanceOf(ExitMessage);
    expect((message as ExitMessage).reason).toBe('normal');
  });

  it("a normal exit does not kill linked processes that don't trap exits", async () => {
    const { node } = testNode();
    const survivor = await node.run(async (ctx) => {
      const parent = ctx.spawn(async (p) => {
        p.spawnLink(idle);
        const child = p.spawnLink(idle);
        ctx.send(ctx.self, child);
      });
      const child = (await ctx.receive()) as Pid;
      expect(await node.awaitExit(parent)).toBe('normal');
      return child;
    });
    expect(node.isAlive(survivor)).toBe(true);
  });

  it('a trapping process receives exit signals as ExitMessages, normal included', async () => {
    const { node } = testNode();
    const messages = await node.run(async (ctx) => {
      ctx.trapExit(true);
      const quiet = ctx.spawnLink(() => undefined);
      const loud = ctx.spawnLink(() => {
        throw new Error('loud');
      });
      const first = await ctx.receive(exitFrom(quiet));
      const second = await ctx.receive(exitFrom(loud));
      return [first.reason, (second.reason as Error).message];
    });
    expect(messages).toEqual(['normal', 'loud']);
  });

  it("exit(pid, 'kill') - cannot be trapped; the target dies with 'killed'", async () => {
    const { node } = testNode();
    const pid = node.spawn(async (ctx) => {
      ctx.trapExit(true);
      for (;;) await ctx.receive();
    });
    await node.run(async (ctx) => ctx.yield()); // let it set trapExit
    node.exit(pid, 'kill');
    expect(node.isAlive(pid)).toBe(false);
    expect(await node.awaitExit(pid)).toBe('noproc');
  });

  it("'killed' travels over links to processes that don't trap exits, and to trapping ones as a message", async () => {
    const { node } = testNode();
    const result = await node.run(async (ctx) => {
      ctx.trapExit(true);
      const victim = ctx.spawnLink(idle);
      const bystander = ctx.spawn(async (b) => {
        b.link(victim);
        ctx.send(ctx.self, 'linked');
        await b.receive(() => false);
      });
      const watch = ctx.monitor(bystander);
      await ctx.receive((m) => m === 'linked');
      ctx.exit(victim, 'kill');
      const trapped = await ctx.receive(exitFrom(victim));
      const down = await ctx.receive((m): m is DownMessage => m instanceof DownMessage && m.ref === watch);
      return { trapped: trapped.reason, bystander: down.reason };
    });
    expect(result).toEqual({ trapped: 'killed', bystander: 'killed' });
  });

  it("a process that exits with reason 'kill' sends a trappable 'kill' over its links (as OTP)", async () => {
    const { node } = testNode();
    const result = await node.run(async (ctx) => {
      ctx.trapExit(true);
      const suicidal = ctx.spawnLink(async (s) => {
        await s.receive();
        s.exit('kill');
      });
      const bystander = ctx.spawn(async (b) => {
        b.link(suicidal);
        ctx.send(ctx.self, 'linked');
        await b.receive(() => false);
      });
      await ctx.receive((m) => m === 'linked');
      const watch = ctx.monitor(bystander);
      ctx.send(suicidal, 'go');
      const trapped = await ctx.receive(exitFrom(suicidal));
      const down = (await ctx.receive((m) => m instanceof DownMessage && m.ref === watch)) as DownMessage;
      return { trapped: trapped.reason, bystander: down.reason, alive: ctx.isAlive(ctx.self) };
    });
    expect(result).toEqual({ trapped: 'kill', bystander: 'kill', alive: true });
  });

  it('exit propagates down a long chain of links without recursion', async () => {
    const { node } = testNode();
    const length = 50_000;
    const chain = await node.run(async (ctx) => {
      const pids: Pid[] = [];
      for (let i = 0; i < length; i++) {
        const previous = pids[i - 1];
        pids.push(
          ctx.spawn(async (link) => {
            if (previous !== undefined) link.link(previous);
            await link.receive(() => false);
          }),
        );
      }
      await ctx.yield(); // every link is made once they have all started
      return pids;
    });
    const last = node.awaitExit(chain[length - 1] as Pid);
    node.exit(chain[0] as Pid, 'cascade');
    expect(await last).toBe('cascade');
    expect(node.processCount).toBe(0);
  });

  it('link to a dead pid - throws NoProcError when not trapping exits', async () => {
    const { node } = testNode();
    const dead = node.spawn(() => undefined);
    await node.awaitExit(dead);
    const error = await node.run((ctx) => {
      try {
        ctx.link(dead);
      } catch (caught) {
        return caught;
      }
      return undefined;
    });
    expect(error).toBeInstanceOf(NoProcError);
    expect((error as NoProcError).code).toBe('noproc');
  });

  it("link to a dead pid - delivers ExitMessage(pid, 'noproc') when trapping exits", async () => {
    const { node } = testNode();
    const dead = node.spawn(() => undefined);
    await node.awaitExit(dead);
    const message = await node.run(async (ctx) => {
      ctx.trapExit(true);
      ctx.link(dead);
      return ctx.receive(0);
    });
    expect(message).toEqual(new ExitMessage(dead, 'noproc'));
  });

  it('link to itself and linking twice do nothing; unlink removes the link both ways', async () => {
    const { node } = testNode();
    await node.run(async (ctx) => {
      ctx.link(ctx.self);
      const other = ctx.spawn(idle);
      ctx.link(other);
      ctx.link(other);
      expect(node.processInfo(ctx.self)?.links).toEqual([other]);
      expect(node.processInfo(other)?.links).toEqual([ctx.self]);
      ctx.unlink(other);
      expect(node.processInfo(ctx.self)?.links).toEqual([]);
      expect(node.processInfo(other)?.links).toEqual([]);
      ctx.exit(other, 'bye');
      expect(ctx.isAlive(ctx.self)).toBe(true);
    });
  });

  it('unlink of a dead pid does nothing', async () => {
    const { node } = testNode();
    const dead = node.spawn(() => undefined);
    await node.awaitExit(dead);
    await node.run((ctx) => ctx.unlink(dead));
  });

  it('exit/1 - ends the process with exactly the reason given, any value', async () => {
    const { node } = testNode();
    const reasons = [{ shutdown: 'by-request' }, 42, ['odd', 'reason'], undefined, null];
    for (const reason of reasons) {
      const pid = node.spawn((ctx) => ctx.exit(reason));
      expect(await node.awaitExit(pid)).toEqual(reason);
    }
  });

  it('exit/2 to a dead pid does nothing', async () => {
    const { node } = testNode();
    const dead = node.spawn(() => undefined);
    await node.awaitExit(dead);
    await node.run((ctx) => ctx.exit(dead, 'kill'));
  });

  it('trapExit returns the previous setting', async () => {
    const { node } = testNode();
    await node.run((ctx) => {
      expect(ctx.trapExit(true)).toBe(false);
      expect(ctx.trapExit(false)).toBe(true);
      expect(() => ctx.trapExit('yes' as never)).toThrow(TypeError);
    });
  });

  it('a process killed by its own link cascade stops at its next operation', async () => {
    const { node } = testNode();
    const { parentReason, after } = await node.run(async (ctx) => {
      const log: string[] = [];
      const parent = ctx.spawn(async (p) => {
        const child = p.spawnLink(idle);
        p.exit(child, 'boom'); // kills child, whose link kills p itself
        log.push('not reached');
      });
      const reason = await node.awaitExit(parent);
      return { parentReason: reason, after: log };
    });
    expect(parentReason).toBe('boom');
    expect(after).toEqual([]);
  });

  it('forwarding trapped exits keeps them in order', async () => {
    const { node } = testNode();
    const got = await node.run(async (ctx) => {
      const fwd = ctx.spawn(forwarder(ctx.self, 3), { trapExit: true });
      for (const reason of ['a', 'b', 'c']) ctx.exit(fwd, reason);
      const seen = [];
      for (let i = 0; i < 3; i++) seen.push(((await ctx.receive()) as ExitMessage).reason);
      return seen;
    });
    expect(got).toEqual(['a', 'b', 'c']);
  });
});
