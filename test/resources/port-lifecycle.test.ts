import { describe, expect, it } from 'vitest';
import {
  ExitMessage,
  NotAliveError,
  NotOwnerError,
  Port,
  PortClosedError,
  PortData,
  PortExitStatus,
  PortStderr,
  portExit,
  TIMEOUT,
  type ProcessContext,
} from '../../src/index.js';
import { captureError, idle, inTrappingProcess, testNode } from '../helpers.js';
import { collectUntilExit, isRunning, nextFrom } from './port-helpers.js';

describe('Port lifecycle', () => {
  it('a program that dies at once closes its port; the trapping owner gets an exit signal from the port (dying_port)', async () => {
    const reasons = await inTrappingProcess(async (ctx) => {
      const ports = Array.from({ length: 5 }, () => Port.open(ctx, { spawn: 'true' }));
      // Big enough to block in the write, had the program lived.
      for (const port of [ports[0]!, ports[2]!, ports[4]!]) void Port.command(port, Buffer.alloc(16384, 'x'));
      const seen: unknown[] = [];
      for (const port of ports) {
        const exit = await ctx.receive(portExit(port));
        expect(exit.from).toBe(port);
        expect(Port.info(port)).toBeUndefined();
        seen.push(exit.reason);
      }
      return seen;
    });
    // The write may hit the closed pipe first: that is `epipe`, as in Erlang.
    for (const reason of reasons) expect(['normal', 'epipe']).toContain(reason);
  });

  it("a program's normal end does not kill an owner that does not trap exits", async () => {
    const { node } = testNode();
    let port: Port | undefined;
    const owner = node.spawn(async (ctx) => {
      port = Port.open(ctx, { spawn: 'true' });
      await idle(ctx);
    });
    await node.run((ctx) => ctx.yield());
    await Port.released(port!);
    expect(Port.info(port!)).toBeUndefined();
    expect(node.isAlive(owner)).toBe(true);
  });

  it('exitStatus - the owner is told the exit code, then the port closes normally (exit_status)', async () => {
    const seen = await inTrappingProcess(async (ctx) => collectUntilExit(ctx, Port.open(ctx, { shell: 'echo bye; exit 5' }, { exitStatus: true })));
    expect(seen).toEqual([{ data: 'bye\n' }, 'PortExitStatus', { exit: 'normal' }]);
    const status = await inTrappingProcess(async (ctx) => {
      const port = Port.open(ctx, { shell: 'exit 5' }, { exitStatus: true });
      return ((await ctx.receive((m) => m instanceof PortExitStatus && m.port === port)) as PortExitStatus).status;
    });
    expect(status).toBe(5);
  });

  it('exitStatus - a program killed by a signal reports 128 + the signal number', async () => {
    const statuses = await inTrappingProcess(async (ctx) => {
      const byItself = Port.open(ctx, { shell: 'kill -TERM $$' }, { exitStatus: true });
      const killed = Port.open(ctx, { spawn: 'sleep', args: ['1000'] }, { exitStatus: true });
      process.kill(Port.info(killed)!.osPid, 'SIGKILL');
      const statusOf = async (port: Port) =>
        ((await ctx.receive((m) => m instanceof PortExitStatus && m.port === port)) as PortExitStatus).status;
      return [await statusOf(byItself), await statusOf(killed)];
    });
    expect(statuses).toEqual([143, 137]);
  });

  it('eof - the port stays open at end of output and says so; the owner closes it (eof)', async () => {
    const seen = await inTrappingProcess(async (ctx) => {
      const port = Port.open(ctx, { spawn: 'echo', args: ['hi'] }, { eof: true, exitStatus: true });
      const messages = [await nextFrom(ctx, port), await nextFrom(ctx, port), await nextFrom(ctx, port)];
      // Erlang leaves the order of eof and exit_status open; Beamish tells the status after eof.
      expect(messages.map((m) => m.constructor.name)).toEqual(['PortData', 'PortEof', 'PortExitStatus']);
      expect(Port.info(port)).toMatchObject({ programExited: true });
      expect(ctx.tryReceive(portExit(port))).toBe(TIMEOUT); // no exit signal: the port is open
      expect(Port.close(port)).toBe(true);
      return (await ctx.receive(portExit(port))).reason;
    });
    expect(seen).toBe('normal');
  });

  it('Port.close - any process may close a port; the trapping owner gets normal; closing twice returns false', async () => {
    const { node } = testNode();
    const reason = await node.run(async (ctx) => {
      ctx.trapExit(true);
      const port = Port.open(ctx, { spawn: 'cat' });
      ctx.spawn(async (other) => other.send(ctx.self, Port.close(port)));
      expect(await ctx.receive((m) => m === true)).toBe(true);
      expect(Port.close(port)).toBe(false);
      return (await ctx.receive(portExit(port))).reason;
    });
    expect(reason).toBe('normal');
  });

  it('writes, transfers and info after close fail with PortClosedError (writes after close)', async () => {
    await inTrappingProcess(async (ctx) => {
      const port = Port.open(ctx, { spawn: 'cat' });
      Port.close(port);
      for (const attempt of [
        () => Port.command(port, 'late'),
        () => Port.commandNosuspend(port, 'late'),
        () => Port.connect(ctx, port, ctx.self),
      ]) {
        const error = captureError(attempt);
        expect(error).toBeInstanceOf(PortClosedError);
        expect(error).toMatchObject({ code: 'port_closed', port });
      }
      expect(Port.info(port)).toBeUndefined();
      expect(() => Port.command(port, 42 as never)).toThrow(PortClosedError);
    });
  });

  for (const [how, end] of [
    ['returns', (_ctx: ProcessContext) => undefined],
    ['crashes', () => Promise.reject(new Error('boom'))],
    ['is killed', (ctx: ProcessContext) => ctx.receive(() => false)],
  ] as const) {
    it(`the owner's exit closes its ports and ends their programs: owner ${how}`, async () => {
      const { node } = testNode();
      let ports: Port[] = [];
      const owner = node.spawn(async (ctx) => {
        ports = [Port.open(ctx, { spawn: 'cat' }), Port.open(ctx, { shell: 'exec cat' }, { packet: 2 })];
        await ctx.receive((m) => m === 'go');
        await end(ctx);
      });
      await node.run((ctx) => ctx.yield());
      const pids = ports.map((port) => Port.info(port)!.osPid);
      const exited = node.awaitExit(owner);
      if (how === 'is killed') node.exit(owner, 'kill');
      else node.send(owner, 'go');
      await exited;
      expect(ports.map((port) => Port.info(port))).toEqual([undefined, undefined]);
      await Promise.all(ports.map((port) => Port.released(port)));
      expect(pids.filter(isRunning)).toEqual([]);
    });
  }

  it('Port.connect - the owner hands the port over; messages and the link move to the new owner', async () => {
    const { node } = testNode();
    const result = await node.run(async (ctx) => {
      ctx.trapExit(true);
      const port = Port.open(ctx, { spawn: 'cat' }, { packet: 1 });
      const heir = ctx.spawn(async (h) => {
        h.trapExit(true);
        const data = (await h.receive((m) => m instanceof PortData)) as PortData;
        Port.close(port);
        const exit = (await h.receive(portExit(port))) as ExitMessage;
        h.send(ctx.self, { data: data.data.toString(), reason: exit.reason });
      });
      Port.connect(ctx, port, heir);
      expect(Port.info(port)).toMatchObject({ connected: heir, links: [heir] });
      await Port.command(port, 'for the heir');
      const reply = (await ctx.receive((m) => typeof m === 'object' && m !== null && 'data' in m)) as object;
      // The old owner no longer hears from the port.
      expect(ctx.tryReceive(portExit(port))).not.toBeInstanceOf(ExitMessage);
      return reply;
    });
    expect(result).toEqual({ data: 'for the heir', reason: 'normal' });
  });

  it("Port.connect - after a transfer the old owner's exit leaves the port open; the new owner's closes it", async () => {
    const { node } = testNode();
    const heir = node.spawn(idle);
    let port: Port | undefined;
    const first = node.spawn(async (ctx) => {
      port = Port.open(ctx, { spawn: 'cat' });
      Port.connect(ctx, port, heir);
    });
    await node.awaitExit(first);
    expect(Port.info(port!)).toMatchObject({ connected: heir });
    node.exit(heir, 'kill');
    expect(Port.info(port!)).toBeUndefined();
  });

  it('Port.connect - only the owner may transfer; the new owner must be a live local process (transfer by a non-owner)', async () => {
    await inTrappingProcess(async (ctx) => {
      const port = Port.open(ctx, { spawn: 'cat' });
      const intruder = ctx.spawn(async (other) => {
        const error = captureError(() => Port.connect(other, port, other.self));
        other.send(ctx.self, { error });
      });
      const { error } = (await ctx.receive((m) => typeof m === 'object' && m !== null && 'error' in m)) as { error: unknown };
      expect(error).toBeInstanceOf(NotOwnerError);
      expect(error).toMatchObject({ code: 'not_owner', caller: intruder, owner: ctx.self, port });
      expect(Port.info(port)!.connected).toBe(ctx.self);
      const dead = ctx.spawn(() => undefined);
      await ctx.node.awaitExit(dead);
      expect(captureError(() => Port.connect(ctx, port, dead))).toBeInstanceOf(NotAliveError);
      const elsewhere = testNode().node.spawn(idle);
      expect(captureError(() => Port.connect(ctx, port, elsewhere))).toBeInstanceOf(NotAliveError);
      expect(() => Port.connect(ctx, port, 'not a pid' as never)).toThrow('Expected `newOwner` to be a Pid');
      expect(Port.info(port)!.connected).toBe(ctx.self);
    });
  });

  it('a program that closes its input makes the next write fail: the port exits with epipe', async () => {
    const program = { shell: 'exec 0<&-; echo closed; exec sleep 1000' };
    const trapped = await inTrappingProcess(async (ctx) => {
      const port = Port.open(ctx, program, { termAfter: 0 });
      await nextFrom(ctx, port); // "closed"
      await Port.command(port, 'anyone there?');
      return (await ctx.receive(portExit(port))).reason;
    });
    expect(trapped).toBe('epipe');
    const { node } = testNode();
    const owner = node.spawn(async (ctx) => {
      const port = Port.open(ctx, program, { termAfter: 0 });
      await nextFrom(ctx, port);
      await Port.command(port, 'anyone there?');
      await idle(ctx);
    });
    expect(await node.awaitExit(owner)).toBe('epipe');
  });

  it("stderr - 'message' delivers it separately, 'discard' drops it", async () => {
    const script = 'echo out; echo err >&2';
    const [delivered, discarded] = await inTrappingProcess(async (ctx) => {
      const port = Port.open(ctx, { shell: script }, { stderr: 'message' });
      const messages = [await nextFrom(ctx, port), await nextFrom(ctx, port), await nextFrom(ctx, port)];
      const stderr = messages.find((m): m is PortStderr => m instanceof PortStderr);
      const other = await collectUntilExit(ctx, Port.open(ctx, { shell: script }, { stderr: 'discard' }));
      return [[stderr?.data.toString(), messages.filter((m) => m instanceof ExitMessage).length], other];
    });
    expect(delivered).toEqual(['err\n', 1]);
    expect(discarded).toEqual([{ data: 'out\n' }, { exit: 'normal' }]);
  });
});
