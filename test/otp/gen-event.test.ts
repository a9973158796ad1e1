/**
 * GenEvent, with the scenarios of OTP's lib/stdlib/test/gen_event_SUITE.erl ported case by case
 * (each test names the case it comes from). The handlers `dummy` and `dummy1` play the parts of
 * the suite's dummy_h and dummy1_h: they report what they see to the test process.
 */
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  AlreadyStartedError,
  BadReturnValueError,
  CallExitError,
  CallTimeoutError,
  createRegistry,
  ExitMessage,
  exitFrom,
  GenEvent,
  HandlerCrashedError,
  HandlerInitError,
  HandlerNotInstalledError,
  NotRegisteredError,
  sys,
  TIMEOUT,
  type BeamishNode,
  type Pid,
  type ProcessContext,
} from '../../src/index.js';
import { reportsOf, testNode } from '../helpers.js';

type Handler = GenEvent.EventHandler<unknown, Pid>;

const isSwap = (value: unknown): value is { swap: GenEvent.HandlerRef } => typeof value === 'object' && value !== null && 'swap' in value;
const isCrash = (value: unknown): value is { error: unknown } => typeof value === 'object' && value !== null && 'error' in value;

/** The suite's dummy_h: reports events and infos to its parent, swaps, crashes and misbehaves on request. */
const dummy: Handler = {
  name: 'dummy',
  init(arg) {
    if (arg === 'make_error') return { error: 'my_error' };
    if (arg === 'throw') throw new Error('init threw');
    if (arg === 'bad') return 'not a result' as never;
    return { state: arg as Pid };
  },
  handleEvent(event, parent, ctx) {
    if (isSwap(event)) return { swapHandler: event.swap, terminateArg: 'swap', initArg: 'swap', state: parent };
    if (event === 'error_event') return { faulty: true } as never;
    if (event === 'do_crash') throw new Error('crashed on purpose');
    if (event === 'async_crash') return Promise.reject(new Error('rejected on purpose'));
    if (event === 'exit_event') ctx.exit('handler exit');
    ctx.send(parent, { from: 'dummy', got: event });
    return { state: parent };
  },
  async handleCall(request, parent) {
    if (request === 'hejsan') return { reply: 'hejhopp', state: parent };
    if (isSwap(request)) return { reply: 'swapped', swapHandler: request.swap, terminateArg: 'swap', initArg: 'swap', state: parent };
    if (request === 'error_call') return { faulty: true } as never;
    if (request === 'exit_call') throw new Error('crashed on purpose');
    if (typeof request === 'object' && request !== null && 'wait' in request) await (request as { wait: Promise<void> }).wait;
    return { reply: 'ok', state: parent };
  },
  handleInfo(info, parent, ctx) {
    if (isSwap(info)) return { swapHandler: info.swap, terminateArg: 'swap', initArg: 'swap', state: parent };
    if (info === 'error_info') return { faulty: true } as never;
    if (info === 'do_crash') throw new Error('crashed on purpose');
    ctx.send(parent, { from: 'dummy', got: info });
    return { state: parent };
  },
  terminate(reason, parent, ctx) {
    if (reason === 'return_hej') return 'return_hej';
    if (reason === 'swap') return { parent };
    if (isCrash(reason) && reason.error instanceof BadReturnValueError) ctx.send(parent, { from: 'dummy', got: 'returned_error' });
    return undefined;
  },
  formatStatus: (status) => ({ ...status, state: 'dummy handler state' }),
};

/** The suite's dummy1_h: takes over from dummy in swaps, removes itself on request. */
const dummy1: Handler = {
  name: 'dummy1',
  init(arg) {
    if (arg instanceof GenEvent.Handover) {
      if (arg.error !== undefined) return { error: 'non_existing' };
      return { state: (arg.state as { parent: Pid }).parent };
    }
    return { state: arg as Pid };
  },
  handleEvent(event, parent, ctx) {
    if (event === 'delete_event') return { removeHandler: true };
    if (event === 'do_crash') throw new Error('crashed on purpose');
    ctx.send(parent, { from: 'dummy1', got: event });
    return { state: parent };
  },
  handleCall(request, parent) {
    if (request === 'delete_call') return { reply: 'ok', removeHandler: true };
    return { reply: 'ok', state: parent };
  },
  handleInfo(info, parent, ctx) {
    if (info === 'delete_info') return { removeHandler: true };
    if (info === 'do_crash') throw new Error('crashed on purpose');
    ctx.send(parent, { from: 'dummy1', got: info });
    return { state: parent };
  },
  terminate(reason, parent, ctx) {
    if (reason === 'return_hej') return 'return_hej';
    if (reason === 'remove_handler') ctx.send(parent, { from: 'dummy1', got: 'removed' });
    return undefined;
  },
  formatStatus: (status) => ({ ...status, state: 'dummy1 handler state' }),
};

/** Takes the message deeply equal to `expected`, failing after a second without it. */
async function expectMessage(ctx: ProcessContext, expected: unknown): Promise<void> {
  const got = await ctx.receive((message) => isDeepStrictEqual(message, expected), 1000);
  expect(got, `waiting for ${JSON.stringify(expected)}`).not.toBe(TIMEOUT);
}

/** Takes the `HandlerExit` for `handler`, failing after a second without it. */
async function handlerExit(ctx: ProcessContext, handler: GenEvent.HandlerRef): Promise<GenEvent.HandlerExit> {
  const got = await ctx.receive((m): m is GenEvent.HandlerExit => m instanceof GenEvent.HandlerExit && isDeepStrictEqual(m.handler, handler), 1000);
  if (got === TIMEOUT) throw new Error('no HandlerExit arrived');
  return got;
}

/** Starts an unnamed manager on `node`. */
async function manager(node: BeamishNode): Promise<Pid> {
  const started = await GenEvent.start({ node });
  if (!started.ok) throw new Error('the manager did not start');
  return started.pid;
}

describe('GenEvent.start and stop', () => {
  it('start - managers start anonymous or named, linked or not, and refuse a taken name (OTP start, start_opt)', async () => {
    const { node } = testNode();
    await node.run(async (ctx) => {
      ctx.trapExit(true);
      const anonymous = await GenEvent.start({ node });
      expect(anonymous.ok).toBe(true);
      if (!anonymous.ok) return;
      expect(await GenEvent.whichHandlers(anonymous.pid)).toEqual([]);
      await GenEvent.stop(anonymous.pid);

      const linked = await GenEvent.startLink(ctx, { label: 'events' });
      if (!linked.ok) throw new Error('not started');
      expect(node.processInfo(linked.pid)?.label).toBe('events');
      await GenEvent.stop(linked.pid);
      expect(await ctx.receive(exitFrom(linked.pid))).toEqual(new ExitMessage(linked.pid, 'normal'));

      const named = await GenEvent.startLink(ctx, { name: 'my_dummy_name' });
      const ref = { name: 'my_dummy_name', node };
      expect(await GenEvent.whichHandlers(ref)).toEqual([]);
      const again = await GenEvent.start({ name: 'my_dummy_name', node });
      expect(!again.ok && !again.ignored && again.error).toBeInstanceOf(AlreadyStartedError);
      const againLinked = await GenEvent.startLink(ctx, { name: 'my_dummy_name' });
      expect(!againLinked.ok && !againLinked.ignored && againLinked.error).toBeInstanceOf(AlreadyStartedError);
      await GenEvent.stop(ref, 'shutdown', 10_000);
      if (!named.ok) throw new Error('not started');
      expect(await ctx.receive(exitFrom(named.pid))).toEqual(new ExitMessage(named.pid, 'shutdown'));

      const registry = createRegistry(node);
      const via = { via: registry, name: 'my_dummy_name' };
      const viaStarted = await GenEvent.startLink(ctx, { name: via });
      if (!viaStarted.ok) throw new Error('not started');
      expect(await GenEvent.whichHandlers(via)).toEqual([]);
      const viaAgain = await GenEvent.start({ name: via, node });
      expect(!viaAgain.ok && !viaAgain.ignored && viaAgain.error).toBeInstanceOf(AlreadyStartedError);
      // An exit signal from the parent stops the manager with that reason.
      ctx.exit(viaStarted.pid, 'shutdown');
      expect(await ctx.receive(exitFrom(viaStarted.pid))).toEqual(new ExitMessage(viaStarted.pid, 'shutdown'));
    });
  });

  it('stop - every handler terminates with stop, newest first, then the manager exits', async () => {
    const { node, reports } = testNode();
    const order: unknown[] = [];
    const recorder = (name: string): GenEvent.EventHandler => ({
      name,
      init: () => ({ state: name }),
      handleEvent: (_event, state) => ({ state }),
      terminate: (reason, state) => void order.push([state, reason]),
    });
    const first = recorder('first');
    const second = recorder('second');
    const pid = await manager(node);
    await GenEvent.addHandler(pid, first, null);
    await GenEvent.addHandler(pid, second, null);
    await GenEvent.stop(pid);
    expect(order).toEqual([
      ['second', 'stop'],
      ['first', 'stop'],
    ]);
    expect(node.isAlive(pid)).toBe(false);
    expect(reportsOf(reports, 'server_terminated')).toEqual([]);
    await expect(GenEvent.stop(pid)).rejects.toBeInstanceOf(CallExitError);
  });

  it('stop - an abnormal reason is reported with the handlers it had', async () => {
    const { node, reports } = testNode();
    const pid = await manager(node);
    await GenEvent.addHandler(pid, dummy, node.pid);
    await GenEvent.stop(pid, 'disk full');
    const [report] = reportsOf(reports, 'server_terminated');
    expect(report).toMatchObject({ behaviour: 'GenEvent', pid, reason: 'disk full' });
    expect(report?.state).toEqual([{ handler: 'dummy', owner: undefined, state: 'dummy handler state' }]);
  });

  it('startLink - the parent exiting stops the manager, and its handlers terminate with stop', async () => {
    const { node } = testNode();
    const terminated: unknown[] = [];
    const watcher: GenEvent.EventHandler = {
      init: () => ({ state: null }),
      handleEvent: (_event, state) => ({ state }),
      terminate: (reason) => void terminated.push(reason),
    };
    let pid: Pid | undefined;
    const parent = node.spawn(async (ctx) => {
      const started = await GenEvent.startLink(ctx);
      if (!started.ok) return;
      pid = started.pid;
      await GenEvent.addHandler(started.pid, watcher, null);
      ctx.exit('parent gone');
    });
    expect(await node.awaitExit(parent)).toBe('parent gone');
    expect(await node.awaitExit(pid!)).toBe('parent gone');
    expect(terminated).toEqual(['stop']);
  });

  it('node.stop - an unlinked manager stops with the node, terminating its handlers', async () => {
    const { node } = testNode();
    const terminated: unknown[] = [];
    const pid = await manager(node);
    await GenEvent.addHandler(pid, { init: () => ({ state: 0 }), handleEvent: (_e, s) => ({ state: s }), terminate: (r) => void terminated.push(r) }, null);
    await node.stop({ timeout: 60_000 });
    expect(terminated).toEqual(['stop']);
  });
});

describe('GenEvent.addHandler, deleteHandler, swapHandler', () => {
  it('addHandler - init can refuse; handlers with ids are told apart, newest first (OTP add_handler)', async () => {
    const { node } = testNode();
    await node.run(async (ctx) => {
      const pid = await manager(node);
      const refused = await GenEvent.addHandler(pid, dummy, 'make_error');
      expect(refused.ok).toBe(false);
      if (refused.ok) return;
      expect(refused.error).toBeInstanceOf(HandlerInitError);
      expect(refused.error).toMatchObject({ code: 'handler_init_failed', reason: 'my_error', threw: false, handler: dummy });
      expect(await GenEvent.whichHandlers(pid)).toEqual([]);
      expect(await GenEvent.addHandler(pid, dummy, ctx.self)).toEqual({ ok: true });
      expect(await GenEvent.whichHandlers(pid)).toEqual([dummy]);

      const withId = { handler: dummy, id: 'mine' };
      expect((await GenEvent.addHandler(pid, withId, 'make_error')).ok).toBe(false);
      expect(await GenEvent.whichHandlers(pid)).toEqual([dummy]);
      expect(await GenEvent.addHandler(pid, withId, ctx.self)).toEqual({ ok: true });
      expect(await GenEvent.whichHandlers(pid)).toEqual([withId, dummy]);
      await GenEvent.stop(pid);
    });
  });

  it('addHandler - an init that throws or returns a bad value is refused; a spec without init is a TypeError (OTP undef_init)', async () => {
    const { node } = testNode();
    const pid = await manager(node);
    const threw = await GenEvent.addHandler(pid, dummy, 'throw');
    expect(!threw.ok && threw.error).toMatchObject({ threw: true, reason: new Error('init threw') });
    const bad = await GenEvent.addHandler(pid, dummy, 'bad');
    expect(!bad.ok && bad.error.reason).toBeInstanceOf(BadReturnValueError);
    expect(await GenEvent.whichHandlers(pid)).toEqual([]);
    expect(() => GenEvent.addHandler(pid, { handleEvent: () => ({ state: 0 }) } as never, null)).toThrow(TypeError);
    expect(() => GenEvent.addHandler(pid, dummy, null, -1)).toThrow(TypeError);
  });

  it('addHandler - the same spec may be installed twice; deleteHandler takes the newest', async () => {
    const { node } = testNode();
    const pid = await manager(node);
    await GenEvent.addHandler(pid, dummy, 'a' as never);
    await GenEvent.addHandler(pid, dummy, 'b' as never);
    expect(await GenEvent.whichHandlers(pid)).toEqual([dummy, dummy]);
    await GenEvent.deleteHandler(pid, dummy, null);
    expect(await sys.getState(pid)).toEqual([{ handler: dummy, state: 'a' }]);
  });

  it('deleteHandler - resolves with what terminate returned, rejects for a handler not installed (OTP delete_handler)', async () => {
    const { node } = testNode();
    await node.run(async (ctx) => {
      const pid = await manager(node);
      const other: Handler = { ...dummy, name: 'duuuuuuuuumy' };
      await GenEvent.addHandler(pid, dummy, ctx.self);
      await expect(GenEvent.deleteHandler(pid, other, null)).rejects.toBeInstanceOf(HandlerNotInstalledError);
      expect(await GenEvent.deleteHandler(pid, dummy, 'return_hej')).toBe('return_hej');
      expect(await GenEvent.whichHandlers(pid)).toEqual([]);
      await GenEvent.addHandler(pid, dummy, ctx.self);
      expect(await GenEvent.deleteHandler(pid, dummy, null)).toBeUndefined();
      expect(await GenEvent.whichHandlers(pid)).toEqual([]);

      await GenEvent.addHandler(pid, { handler: dummy, id: 1 }, ctx.self);
      await GenEvent.addHandler(pid, { handler: dummy, id: 2 }, ctx.self);
      const error = await GenEvent.deleteHandler(pid, { handler: other, id: 1 }, null).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'handler_not_installed', handler: { handler: other, id: 1 } });
      // A bare spec does not name a copy installed with an id.
      await expect(GenEvent.deleteHandler(pid, dummy, null)).rejects.toBeInstanceOf(HandlerNotInstalledError);
      expect(await GenEvent.deleteHandler(pid, { handler: dummy, id: 1 }, 'return_hej')).toBe('return_hej');
      expect(await GenEvent.deleteHandler(pid, { handler: dummy, id: 2 }, 'return_hej')).toBe('return_hej');
      expect(await GenEvent.whichHandlers(pid)).toEqual([]);
    });
  });

  it('deleteHandler - a handler without terminate is removed; one whose terminate throws too, with the error (OTP undef_terminate, undef_in_terminate)', async () => {
    const { node } = testNode();
    const pid = await manager(node);
    const bare: GenEvent.EventHandler = { init: () => ({ state: 0 }), handleEvent: (_e, s) => ({ state: s }) };
    await GenEvent.addHandler(pid, bare, null);
    expect(await GenEvent.deleteHandler(pid, bare, null)).toBeUndefined();
    const failing: GenEvent.EventHandler = {
      ...bare,
      terminate: () => {
        throw new Error('terminate broke');
      },
    };
    await GenEvent.addHandler(pid, failing, null);
    const error = await GenEvent.deleteHandler(pid, failing, null).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HandlerCrashedError);
    expect(error).toMatchObject({ callback: 'terminate', reason: new Error('terminate broke') });
    expect(await GenEvent.whichHandlers(pid)).toEqual([]);
  });

  it('swapHandler - terminate of the old handler hands its state to init of the new one (OTP swap_handler)', async () => {
    const { node } = testNode();
    await node.run(async (ctx) => {
      const pid = await manager(node);
      const faulty: Handler = { ...dummy, name: 'faulty' };
      await GenEvent.addHandler(pid, dummy, ctx.self);
      const missing = await GenEvent.swapHandler(pid, [faulty, 'swap'], [dummy1, []]);
      expect(!missing.ok && missing.error).toMatchObject({ reason: 'non_existing' });
      expect(await GenEvent.swapHandler(pid, [dummy, 'swap'], [dummy1, 'swap'])).toEqual({ ok: true });
      expect(await GenEvent.whichHandlers(pid)).toEqual([dummy1]);
      // dummy1's state came over from dummy's terminate: it still reports to this process.
      await GenEvent.syncNotify(pid, 'hello');
      await expectMessage(ctx, { from: 'dummy1', got: 'hello' });
      await GenEvent.deleteHandler(pid, dummy1, null);

      await GenEvent.addHandler(pid, { handler: dummy, id: 3 }, ctx.self);
      expect((await GenEvent.swapHandler(pid, [faulty, 'swap'], [dummy1, []])).ok).toBe(false);
      expect(await GenEvent.swapHandler(pid, [{ handler: dummy, id: 3 }, 'swap'], [{ handler: dummy1, id: 4 }, 'swap'])).toEqual({ ok: true });
      expect(await GenEvent.whichHandlers(pid)).toEqual([{ handler: dummy1, id: 4 }]);
      await GenEvent.deleteHandler(pid, { handler: dummy1, id: 4 }, null);
      await GenEvent.stop(pid);
    });
  });

  it('swapHandler - the Handover names the old handler and why nothing was handed over', async () => {
    const { node } = testNode();
    const received: GenEvent.Handover[] = [];
    const taker: GenEvent.EventHandler = {
      init: (arg) => {
        if (arg instanceof GenEvent.Handover) received.push(arg);
        return { state: arg };
      },
      handleEvent: (_e, s) => ({ state: s }),
    };
    const pid = await manager(node);
    await GenEvent.swapHandler(pid, [dummy, 'swap'], [taker, 'first']);
    expect(received[0]).toMatchObject({ arg: 'first', state: undefined, from: dummy });
    expect(received[0]?.error).toBeInstanceOf(HandlerNotInstalledError);
    const breaking: GenEvent.EventHandler = {
      init: () => ({ state: 0 }),
      handleEvent: (_e, s) => ({ state: s }),
      terminate: () => {
        throw new Error('no handover');
      },
    };
    await GenEvent.addHandler(pid, breaking, null);
    await GenEvent.swapHandler(pid, [breaking, null], [{ handler: taker, id: 2 }, 'second']);
    expect(received[1]?.error).toBeInstanceOf(HandlerCrashedError);
    expect(await GenEvent.whichHandlers(pid)).toEqual([{ handler: taker, id: 2 }, taker]);
  });
});

describe('GenEvent arguments', () => {
  it('bad arguments - throw TypeError at once, before anything is sent', async () => {
    const { node } = testNode();
    const pid = await manager(node);
    expect(() => GenEvent.addHandler(pid, { handler: {}, id: 1 } as never, null)).toThrow(/Expected `handler` to be an event handler/);
    expect(() => GenEvent.swapHandler(pid, dummy as never, [dummy1, null])).toThrow(TypeError);
    expect(() => GenEvent.swapHandler(pid, [dummy, null], [null as never, null])).toThrow(/`next\[0\]`/);
    expect(() => GenEvent.addSupervisedHandler({} as never, pid, dummy, null)).toThrow(/`ctx`/);
    expect(() => GenEvent.call(pid, dummy, 'x', Number.NaN)).toThrow(TypeError);
    expect(() => GenEvent.notify(42 as never, 'x')).toThrow(TypeError);
    expect(await GenEvent.whichHandlers(pid)).toEqual([]);
  });

  it('whereis - the live pid of a manager reference, or undefined', async () => {
    const { node } = testNode();
    const started = await GenEvent.start({ node, name: 'events' });
    if (!started.ok) throw new Error('not started');
    expect(GenEvent.whereis({ name: 'events', node })).toBe(started.pid);
    await GenEvent.stop(started.pid);
    expect(GenEvent.whereis(started.pid)).toBeUndefined();
  });
});

describe('GenEvent supervised handlers', () => {
  it('addSupervisedHandler - the owner dying removes its handler; the manager stopping tells the owner shutdown (OTP add_sup_handler)', async () => {
    const { node } = testNode();
    const terminated: unknown[] = [];
    const watched: Handler = { ...dummy, terminate: (reason) => void terminated.push(reason) };
    const pid = await manager(node);
    const refused = await node.run((ctx) => GenEvent.addSupervisedHandler(ctx, pid, dummy, 'make_error'));
    expect(!refused.ok && refused.error.reason).toBe('my_error');
    expect(await GenEvent.whichHandlers(pid)).toEqual([]);

    const owner = node.spawn(async (ctx) => {
      await GenEvent.addSupervisedHandler(ctx, pid, watched, ctx.self);
      ctx.exit('sup_died');
    });
    expect(await node.awaitExit(owner)).toBe('sup_died');
    expect(await GenEvent.whichHandlers(pid)).toEqual([]);
    expect(terminated).toEqual([{ stop: 'sup_died' }]);
    expect(node.isAlive(pid)).toBe(true);

    await node.run(async (ctx) => {
      expect(await GenEvent.addSupervisedHandler(ctx, pid, dummy, ctx.self)).toEqual({ ok: true });
      expect((await GenEvent.addHandler(pid, { handler: dummy, id: ctx.self }, 'make_error')).ok).toBe(false);
      expect(await GenEvent.addSupervisedHandler(ctx, pid, { handler: dummy, id: ctx.self }, ctx.self)).toEqual({ ok: true });
      expect(await GenEvent.whichHandlers(pid)).toEqual([{ handler: dummy, id: ctx.self }, dummy]);
      await GenEvent.stop(pid);
      expect((await handlerExit(ctx, dummy)).reason).toBe('shutdown');
      expect(await handlerExit(ctx, { handler: dummy, id: ctx.self })).toMatchObject({ manager: pid, reason: 'shutdown' });
      // Stopped normally, the manager unlinked its owners: this process was not sent its exit.
      expect(node.processInfo(ctx.self)?.links).toEqual([]);
    });
  });

  it('addSupervisedHandler - other handlers see the dead owner’s ExitMessage in handleInfo', async () => {
    const { node } = testNode();
    await node.run(async (ctx) => {
      const pid = await manager(node);
      await GenEvent.addHandler(pid, dummy, ctx.self);
      const owner = node.spawn(async (o) => {
        await GenEvent.addSupervisedHandler(o, pid, dummy1, o.self);
        o.exit('sup_died');
      });
      await node.awaitExit(owner);
      await expectMessage(ctx, { from: 'dummy', got: new ExitMessage(owner, 'sup_died') });
      expect(await GenEvent.whichHandlers(pid)).toEqual([dummy]);
    });
  });

  it('swapHandler - a supervised handler swapped keeps its owner; swapSupervisedHandler takes the caller as owner (OTP swap_sup_handler)', async () => {
    const { node } = testNode();
    await node.run(async (ctx) => {
      const pid = await manager(node);
      const faulty: Handler = { ...dummy, name: 'faulty' };
      await GenEvent.addSupervisedHandler(ctx, pid, dummy, ctx.self);
      expect((await GenEvent.swapHandler(pid, [faulty, 'swap'], [dummy1, []])).ok).toBe(false);
      expect(await GenEvent.swapHandler(pid, [dummy, 'swap'], [dummy1, 'swap'])).toEqual({ ok: true });
      expect((await handlerExit(ctx, dummy)).reason).toEqual({ swapped: dummy1, owner: ctx.self });
      expect(await GenEvent.whichHandlers(pid)).toEqual([dummy1]);
      await GenEvent.deleteHandler(pid, dummy1, null);
      expect((await handlerExit(ctx, dummy1)).reason).toBe('normal');

      await GenEvent.addSupervisedHandler(ctx, pid, { handler: dummy, id: 3 }, ctx.self);
      expect((await GenEvent.swapSupervisedHandler(ctx, pid, [faulty, 'swap'], [dummy1, []])).ok).toBe(false);
      expect(await GenEvent.swapSupervisedHandler(ctx, pid, [{ handler: dummy, id: 3 }, 'swap'], [{ handler: dummy1, id: 4 }, 'swap'])).toEqual({ ok: true });
      expect(await GenEvent.whichHandlers(pid)).toEqual([{ handler: dummy1, id: 4 }]);
      await GenEvent.deleteHandler(pid, { handler: dummy1, id: 4 }, null);
      expect((await handlerExit(ctx, { handler: dummy1, id: 4 })).reason).toBe('normal');
      await GenEvent.stop(pid);
    });
  });

  it('swap - a handler swapped in from a callback that refuses to start is reported, and its owner told', async () => {
    const { node, reports } = testNode();
    const refuser: GenEvent.EventHandler = { name: 'refuser', init: () => ({ error: 'no thanks' }), handleEvent: (_e, s) => ({ state: s }) };
    await node.run(async (ctx) => {
      const pid = await manager(node);
      await GenEvent.addSupervisedHandler(ctx, pid, dummy, ctx.self);
      await GenEvent.syncNotify(pid, { swap: refuser });
      expect((await handlerExit(ctx, dummy)).reason).toEqual({ swapped: refuser, owner: ctx.self });
      const refused = await handlerExit(ctx, refuser);
      expect(refused.reason).toBeInstanceOf(HandlerInitError);
      expect(await GenEvent.whichHandlers(pid)).toEqual([]);
      expect(reportsOf(reports, 'handler_crashed')).toMatchObject([{ handler: 'refuser', callback: 'init', lastMessage: { swap: refuser } }]);
    });
  });

  it('handlerExitOf - matches the HandlerExit of one manager only', async () => {
    const { node } = testNode();
    await node.run(async (ctx) => {
      const first = await manager(node);
      const second = await manager(node);
      await GenEvent.addSupervisedHandler(ctx, first, dummy, ctx.self);
      await GenEvent.addSupervisedHandler(ctx, second, dummy, ctx.self);
      await GenEvent.deleteHandler(second, dummy, null);
      expect(ctx.tryReceive(GenEvent.handlerExitOf(first))).toBe(TIMEOUT);
      expect(ctx.tryReceive(GenEvent.handlerExitOf(second))).toMatchObject({ manager: second, handler: dummy, reason: 'normal' });
    });
  });

  it('addSupervisedHandler - a handler not supervised sends no HandlerExit', async () => {
    const { node } = testNode();
    await node.run(async (ctx) => {
      const pid = await manager(node);
      await GenEvent.addHandler(pid, dummy1, ctx.self);
      await GenEvent.syncNotify(pid, 'do_crash');
      await GenEvent.stop(pid);
      expect(ctx.tryReceive(GenEvent.handlerExitOf())).toBe(TIMEOUT);
    });
  });
});

/** The suite's notify and sync_notify cases, run through either function. */
async function notifyScenario(node: BeamishNode, send: (pid: Pid, event: unknown) => unknown): Promise<void> {
  await node.run(async (ctx) => {
    const pid = await manager(node);
    await GenEvent.addHandler(pid, dummy, ctx.self);
    const event = { event: 'x' };
    await send(pid, event);
    await expectMessage(ctx, { from: 'dummy', got: event });
    await send(pid, { swap: dummy1 });
    expect(await GenEvent.whichHandlers(pid)).toEqual([dummy1]);
    await send(pid, event);
    await expectMessage(ctx, { from: 'dummy1', got: event });
    await send(pid, 'delete_event');
    await expectMessage(ctx, { from: 'dummy1', got: 'removed' });
    expect(await GenEvent.whichHandlers(pid)).toEqual([]);
    await GenEvent.addHandler(pid, dummy, ctx.self);
    await send(pid, 'error_event');
    await expectMessage(ctx, { from: 'dummy', got: 'returned_error' });
    expect(await GenEvent.whichHandlers(pid)).toEqual([]);

    // With ids.
    await GenEvent.addHandler(pid, { handler: dummy, id: 5 }, ctx.self);
    await send(pid, event);
    await expectMessage(ctx, { from: 'dummy', got: event });
    await send(pid, { swap: { handler: dummy1, id: 9 } });
    expect(await GenEvent.whichHandlers(pid)).toEqual([{ handler: dummy1, id: 9 }]);
    await send(pid, 'delete_event');
    await expectMessage(ctx, { from: 'dummy1', got: 'removed' });
    expect(await GenEvent.whichHandlers(pid)).toEqual([]);

    // Supervised: the owner is told of each removal, and why.
    await GenEvent.addSupervisedHandler(ctx, pid, dummy, ctx.self);
    await send(pid, 'do_crash');
    expect((await handlerExit(ctx, dummy)).reason).toEqual(new Error('crashed on purpose'));
    await GenEvent.addSupervisedHandler(ctx, pid, dummy, ctx.self);
    await send(pid, { swap: dummy1 });
    expect(await GenEvent.whichHandlers(pid)).toEqual([dummy1]);
    await send(pid, 'do_crash');
    expect((await handlerExit(ctx, dummy1)).reason).toEqual(new Error('crashed on purpose'));
    await GenEvent.addSupervisedHandler(ctx, pid, dummy, ctx.self);
    await send(pid, { swap: dummy1 });
    await send(pid, 'delete_event');
    await expectMessage(ctx, { from: 'dummy1', got: 'removed' });
    expect((await handlerExit(ctx, dummy1)).reason).toBe('normal');
    expect(await GenEvent.whichHandlers(pid)).toEqual([]);
    await GenEvent.stop(pid);
  });
}

describe('GenEvent.notify and syncNotify', () => {
  it('notify - events reach handleEvent; swaps, removals and bad returns act as in OTP (OTP notify)', async () => {
    const { node } = testNode();
    await notifyScenario(node, (pid, event) => GenEvent.notify(pid, event));
  });

  it('syncNotify - the same, resolving once every handler ran (OTP sync_notify)', async () => {
    const { node } = testNode();
    await notifyScenario(node, (pid, event) => GenEvent.syncNotify(pid, event));
  });

  it('syncNotify - resolves only after every handler handled the event', async () => {
    const { node } = testNode();
    await node.run(async (ctx) => {
      const pid = await manager(node);
      await GenEvent.addHandler(pid, dummy, ctx.self);
      await GenEvent.addHandler(pid, dummy1, ctx.self);
      await GenEvent.syncNotify(pid, 'now');
      // Both messages are already here: look without waiting.
      expect(ctx.tryReceive((m) => isDeepStrictEqual(m, { from: 'dummy1', got: 'now' }))).not.toBe(TIMEOUT);
      expect(ctx.tryReceive((m) => isDeepStrictEqual(m, { from: 'dummy', got: 'now' }))).not.toBe(TIMEOUT);
    });
  });

  it('notify - to a name nobody holds throws NotRegisteredError; to a dead pid does nothing', async () => {
    const { node } = testNode();
    const pid = await manager(node);
    await GenEvent.stop(pid);
    expect(() => GenEvent.notify(pid, 'lost')).not.toThrow();
    expect(() => GenEvent.notify('nobody_here', 'lost')).toThrow(NotRegisteredError);
    await expect(GenEvent.syncNotify(pid, 'lost')).rejects.toMatchObject({ reason: 'noproc' });
  });

  it('notify - crashing handlers are removed and reported; the others and the manager go on', async () => {
    const { node, reports } = testNode();
    const failing = (name: string, fail: (ctx: ProcessContext) => unknown): GenEvent.EventHandler => ({
      name,
      init: () => ({ state: `${name} state` }),
      handleEvent: (_event, _state, ctx) => fail(ctx) as never,
    });
    const thrower = failing('thrower', () => {
      throw new Error('crashed on purpose');
    });
    const rejecter = failing('rejecter', () => Promise.reject(new Error('rejected on purpose')));
    const exiter = failing('exiter', (ctx) => ctx.exit('handler exit'));
    const liar = failing('liar', () => 'not a result');
    await node.run(async (ctx) => {
      const pid = await manager(node);
      await GenEvent.addHandler(pid, dummy1, ctx.self);
      for (const handler of [thrower, rejecter, exiter, liar]) await GenEvent.addHandler(pid, handler, null);
      GenEvent.notify(pid, 'boom');
      await GenEvent.syncNotify(pid, 'after');
      await expectMessage(ctx, { from: 'dummy1', got: 'boom' });
      await expectMessage(ctx, { from: 'dummy1', got: 'after' });
      expect(await GenEvent.whichHandlers(pid)).toEqual([dummy1]);
      const crashes = reportsOf(reports, 'handler_crashed');
      expect(crashes.map((r) => [r.handler, r.callback, r.state, r.lastMessage])).toEqual([
        ['liar', 'handleEvent', 'liar state', 'boom'],
        ['exiter', 'handleEvent', 'exiter state', 'boom'],
        ['rejecter', 'handleEvent', 'rejecter state', 'boom'],
        ['thrower', 'handleEvent', 'thrower state', 'boom'],
      ]);
      expect(crashes.map((r) => r.reason)).toEqual([
        new BadReturnValueError('handleEvent', 'not a result'),
        'handler exit',
        new Error('rejected on purpose'),
        new Error('crashed on purpose'),
      ]);
      expect(crashes[0]).toMatchObject({ manager: pid, name: pid });
      expect(node.isAlive(pid)).toBe(true);
    });
  });

  it('notify - a handler without handleEvent is removed by its first event (OTP undef_handle_event)', async () => {
    const { node, reports } = testNode();
    const pid = await manager(node);
    await GenEvent.addHandler(pid, { init: () => ({ state: 0 }) } as never, null);
    await GenEvent.syncNotify(pid, 'event_msg');
    expect(await GenEvent.whichHandlers(pid)).toEqual([]);
    expect(reportsOf(reports, 'handler_crashed')).toHaveLength(1);
  });
});

describe('GenEvent.call', () => {
  it('call - replies, swaps, removals and crashes, and a handler not installed (OTP call)', async () => {
    const { node } = testNode();
    await node.run(async (ctx) => {
      const pid = await manager(node);
      const bad: Handler = { ...dummy, name: 'bad' };
      await GenEvent.addHandler(pid, dummy, ctx.self);
      await GenEvent.addHandler(pid, { handler: dummy, id: 1 }, ctx.self);
      expect(await GenEvent.whichHandlers(pid)).toEqual([{ handler: dummy, id: 1 }, dummy]);
      await expect(GenEvent.call({ name: 'non_exist', node }, dummy, 'hejsan')).rejects.toMatchObject({ code: 'call_exit', reason: 'noproc' });
      await expect(GenEvent.call(pid, bad, 'hejsan')).rejects.toBeInstanceOf(HandlerNotInstalledError);
      expect(await GenEvent.call(pid, dummy, 'hejsan')).toBe('hejhopp');
      expect(await GenEvent.call(pid, { handler: dummy, id: 1 }, 'hejsan')).toBe('hejhopp');
      expect(await GenEvent.call(pid, dummy, 'hejsan', 10_000)).toBe('hejhopp');
      await GenEvent.deleteHandler(pid, { handler: dummy, id: 1 }, null);
      expect(await GenEvent.call(pid, dummy, { swap: dummy1 })).toBe('swapped');
      expect(await GenEvent.whichHandlers(pid)).toEqual([dummy1]);
      await expect(GenEvent.call(pid, dummy, 'hejsan')).rejects.toBeInstanceOf(HandlerNotInstalledError);
      expect(await GenEvent.call(pid, dummy1, 'delete_call')).toBe('ok');
      await expectMessage(ctx, { from: 'dummy1', got: 'removed' });
      expect(await GenEvent.whichHandlers(pid)).toEqual([]);

      await GenEvent.addHandler(pid, dummy, ctx.self);
      const faulty = await GenEvent.call(pid, dummy, 'error_call').catch((e: unknown) => e);
      expect(faulty).toBeInstanceOf(HandlerCrashedError);
      expect((faulty as HandlerCrashedError).reason).toBeInstanceOf(BadReturnValueError);
      await expectMessage(ctx, { from: 'dummy', got: 'returned_error' });
      expect(await GenEvent.whichHandlers(pid)).toEqual([]);
      await GenEvent.addHandler(pid, dummy, ctx.self);
      await expect(GenEvent.call(pid, dummy, 'exit_call')).rejects.toMatchObject({ code: 'handler_crashed', callback: 'handleCall' });
      expect(await GenEvent.whichHandlers(pid)).toEqual([]);

      // Supervised: the owner hears of the removal before the reply arrives.
      await GenEvent.addSupervisedHandler(ctx, pid, dummy, ctx.self);
      expect(await GenEvent.call(pid, dummy, { swap: dummy1 })).toBe('swapped');
      expect((await handlerExit(ctx, dummy)).reason).toEqual({ swapped: dummy1, owner: ctx.self });
      expect(await GenEvent.call(pid, dummy1, 'delete_call')).toBe('ok');
      expect((await handlerExit(ctx, dummy1)).reason).toBe('normal');
      await GenEvent.addSupervisedHandler(ctx, pid, dummy, ctx.self);
      await expect(GenEvent.call(pid, dummy, 'error_call')).rejects.toBeInstanceOf(HandlerCrashedError);
      expect((await handlerExit(ctx, dummy)).reason).toBeInstanceOf(BadReturnValueError);
      await GenEvent.addSupervisedHandler(ctx, pid, dummy, ctx.self);
      await expect(GenEvent.call(pid, dummy, 'exit_call')).rejects.toBeInstanceOf(HandlerCrashedError);
      expect((await handlerExit(ctx, dummy)).reason).toEqual(new Error('crashed on purpose'));
      expect(await GenEvent.whichHandlers(pid)).toEqual([]);
      await GenEvent.stop(pid);
    });
  });

  it('call - times out with CallTimeoutError while the handler is busy; the late reply is dropped', async () => {
    const { node } = testNode();
    const pid = await manager(node);
    await GenEvent.addHandler(pid, dummy, node.pid);
    let release!: () => void;
    const wait = new Promise<void>((resolve) => (release = resolve));
    const error = await GenEvent.call(pid, dummy, { wait }, 20).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CallTimeoutError);
    expect(error).toMatchObject({ timeout: 20, request: { wait } });
    release();
    expect(await GenEvent.call(pid, dummy, 'hejsan')).toBe('hejhopp');
  });

  it('call - rejects with CallExitError when the manager dies before replying, or is not there', async () => {
    const { node } = testNode();
    const stuck: GenEvent.EventHandler<Pid, Pid> = {
      init: (parent) => ({ state: parent as Pid }),
      handleEvent: (_event, parent) => ({ state: parent }),
      handleCall: (_request, parent, ctx) => {
        ctx.send(parent, 'entered');
        return new Promise(() => {});
      },
    };
    await node.run(async (ctx) => {
      const pid = await manager(node);
      await GenEvent.addHandler(pid, stuck, ctx.self);
      const pending = GenEvent.call(pid, stuck, 'never answered', Infinity);
      await expectMessage(ctx, 'entered');
      ctx.exit(pid, 'kill');
      await expect(pending).rejects.toMatchObject({ code: 'call_exit', reason: 'killed', request: 'never answered' });
      await expect(GenEvent.call(pid, stuck, 'hejsan')).rejects.toMatchObject({ code: 'call_exit', reason: 'noproc' });
    });
  });

  it('call - a handler without handleCall is removed by a call (OTP undef_handle_call)', async () => {
    const { node } = testNode();
    const pid = await manager(node);
    const silent: GenEvent.EventHandler = { init: () => ({ state: 0 }), handleEvent: (_e, s) => ({ state: s }) };
    await GenEvent.addHandler(pid, silent, null);
    await expect(GenEvent.call(pid, silent, 'call_msg')).rejects.toBeInstanceOf(HandlerCrashedError);
    expect(await GenEvent.whichHandlers(pid)).toEqual([]);
  });
});

describe('GenEvent info', () => {
  it('info - other messages reach handleInfo, with swaps, removals and crashes (OTP info)', async () => {
    const { node } = testNode();
    await node.run(async (ctx) => {
      const pid = await manager(node);
      await GenEvent.addHandler(pid, dummy, ctx.self);
      const info = { info: 'x' };
      ctx.send(pid, info);
      await expectMessage(ctx, { from: 'dummy', got: info });
      ctx.send(pid, { swap: dummy1 });
      expect(await GenEvent.whichHandlers(pid)).toEqual([dummy1]);
      ctx.send(pid, info);
      await expectMessage(ctx, { from: 'dummy1', got: info });
      ctx.send(pid, 'delete_info');
      await expectMessage(ctx, { from: 'dummy1', got: 'removed' });
      expect(await GenEvent.whichHandlers(pid)).toEqual([]);
      await GenEvent.addHandler(pid, dummy, ctx.self);
      ctx.send(pid, 'error_info');
      await expectMessage(ctx, { from: 'dummy', got: 'returned_error' });
      expect(await GenEvent.whichHandlers(pid)).toEqual([]);

      await GenEvent.addHandler(pid, { handler: dummy, id: 1 }, ctx.self);
      ctx.send(pid, { swap: { handler: dummy1, id: 2 } });
      expect(await GenEvent.whichHandlers(pid)).toEqual([{ handler: dummy1, id: 2 }]);
      ctx.send(pid, 'delete_info');
      await expectMessage(ctx, { from: 'dummy1', got: 'removed' });

      await GenEvent.addSupervisedHandler(ctx, pid, dummy, ctx.self);
      ctx.send(pid, { swap: dummy1 });
      expect((await handlerExit(ctx, dummy)).reason).toEqual({ swapped: dummy1, owner: ctx.self });
      ctx.send(pid, 'delete_info');
      await expectMessage(ctx, { from: 'dummy1', got: 'removed' });
      expect((await handlerExit(ctx, dummy1)).reason).toBe('normal');
      await GenEvent.addSupervisedHandler(ctx, pid, dummy, ctx.self);
      ctx.send(pid, 'error_info');
      await expectMessage(ctx, { from: 'dummy', got: 'returned_error' });
      expect((await handlerExit(ctx, dummy)).reason).toBeInstanceOf(BadReturnValueError);
      await GenEvent.addSupervisedHandler(ctx, pid, dummy, ctx.self);
      ctx.send(pid, 'do_crash');
      expect((await handlerExit(ctx, dummy)).reason).toEqual(new Error('crashed on purpose'));
      expect(await GenEvent.whichHandlers(pid)).toEqual([]);
      await GenEvent.stop(pid);
    });
  });

  it('info - a handler without handleInfo keeps its place and the message is logged (OTP undef_handle_info)', async () => {
    const { node, reports } = testNode();
    const pid = await manager(node);
    const plain: GenEvent.EventHandler = { name: 'plain', init: () => ({ state: 0 }), handleEvent: (_e, s) => ({ state: s }) };
    await GenEvent.addHandler(pid, plain, null);
    node.send(pid, 'hej');
    expect(await GenEvent.whichHandlers(pid)).toEqual([plain]);
    expect(reportsOf(reports, 'unexpected_message')).toEqual([
      { kind: 'unexpected_message', behaviour: 'GenEvent', pid, name: pid, handler: 'plain', message: 'hej' },
    ]);
  });
});

describe('GenEvent and sys', () => {
  it('sys.getStatus - shows each handler’s state through formatStatus (OTP call_format_status, call_format_status_anon)', async () => {
    const { node } = testNode();
    const pid = await manager(node);
    await GenEvent.addHandler(pid, dummy1, node.pid);
    const status = await sys.getStatus(pid);
    expect(status).toMatchObject({ pid, behaviour: 'GenEvent', name: pid, status: 'running', details: { handlers: 1 } });
    expect(status.state).toEqual([{ handler: 'dummy1', owner: undefined, state: 'dummy1 handler state' }]);
  });

  it('handler_crashed - the report shows the state through formatStatus and the last event (OTP error_format_status)', async () => {
    const { node, reports } = testNode();
    await node.run(async (ctx) => {
      const started = await GenEvent.start({ node, name: 'my_dummy_handler' });
      if (!started.ok) throw new Error('not started');
      await GenEvent.addSupervisedHandler(ctx, started.pid, dummy1, ctx.self);
      GenEvent.notify({ name: 'my_dummy_handler', node }, 'do_crash');
      await handlerExit(ctx, dummy1);
      expect(reportsOf(reports, 'handler_crashed')).toEqual([
        {
          kind: 'handler_crashed',
          manager: started.pid,
          name: 'my_dummy_handler',
          handler: 'dummy1',
          callback: 'handleEvent',
          lastMessage: 'do_crash',
          state: 'dummy1 handler state',
          reason: new Error('crashed on purpose'),
        },
      ]);
    });
  });

  it('sys.getState - lists the handlers and their states, suspended or not (OTP get_state)', async () => {
    const { node } = testNode();
    const pid = await manager(node);
    await GenEvent.addHandler(pid, dummy1, 'one' as never);
    expect(await sys.getState(pid)).toEqual([{ handler: dummy1, state: 'one' }]);
    await GenEvent.addHandler(pid, { handler: dummy1, id: 'id' }, 'two' as never);
    expect(await sys.getState(pid)).toEqual([
      { handler: { handler: dummy1, id: 'id' }, state: 'two' },
      { handler: dummy1, state: 'one' },
    ]);
    await sys.suspend(pid);
    expect(await sys.getState(pid)).toHaveLength(2);
    await sys.resume(pid);
    await GenEvent.stop(pid);
  });

  it('sys.replaceState - replaces handler states, not if the function throws, and while suspended (OTP replace_state)', async () => {
    const { node } = testNode();
    type Entry = { handler: GenEvent.HandlerRef; state: unknown };
    const pid = await manager(node);
    await GenEvent.addHandler(pid, dummy1, 'one' as never);
    const replaceWith = (state: string) => (entries: Entry[]) => entries.map((entry) => ({ ...entry, state }));
    expect(await sys.replaceState(pid, replaceWith('replaced'))).toEqual([{ handler: dummy1, state: 'replaced' }]);
    expect(await sys.getState(pid)).toEqual([{ handler: dummy1, state: 'replaced' }]);
    await expect(
      sys.replaceState(pid, () => {
        throw new Error('fail');
      }),
    ).rejects.toThrow('fail');
    expect(await sys.getState(pid)).toEqual([{ handler: dummy1, state: 'replaced' }]);
    await sys.suspend(pid);
    await sys.replaceState(pid, replaceWith('replaced again'));
    await sys.resume(pid);
    expect(await sys.getState(pid)).toEqual([{ handler: dummy1, state: 'replaced again' }]);
  });

  it('sys.log - records the events and requests the manager handled', async () => {
    const { node } = testNode();
    const pid = await manager(node);
    await sys.log(pid, true);
    await sys.statistics(pid, true);
    GenEvent.notify(pid, 'logged');
    await GenEvent.whichHandlers(pid);
    const events = await sys.log(pid, 'get');
    expect(events.map((e) => [e.kind, e.event ?? e.request ?? e.reply])).toEqual([
      ['in', 'logged'],
      ['in', 'which'],
      ['out', []],
    ]);
    expect(await sys.statistics(pid, 'get')).toMatchObject({ messagesIn: 2, messagesOut: 1 });
  });

  it('sys.suspend - a suspended manager queues events until resumed', async () => {
    const { node } = testNode();
    await node.run(async (ctx) => {
      const pid = await manager(node);
      await GenEvent.addHandler(pid, dummy, ctx.self);
      await sys.suspend(pid);
      GenEvent.notify(pid, 'queued');
      await sys.getStatus(pid); // a round trip: the event was not handled meanwhile
      expect(ctx.tryReceive()).toBe(TIMEOUT);
      await sys.resume(pid);
      await expectMessage(ctx, { from: 'dummy', got: 'queued' });
    });
  });
});
