/**
 * GenStatem, with the scenarios of OTP's lib/stdlib/test/gen_statem_SUITE.erl rewritten for
 * Beamish (each test names the OTP case it comes from, or says it is Beamish's own). Timing is
 * checked by order, never by sleeping: a later timer (a "sentinel") shows that an earlier one did
 * not fire, and a `sys` request or a call is a barrier, since the machine only receives once its
 * queued events and zero time-outs are handled.
 */
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  AlreadyStartedError,
  BadActionError,
  BadReturnValueError,
  CallExitError,
  CallTimeoutError,
  createRegistry,
  ExitMessage,
  GenStatem,
  InitFailedError,
  InitTimeoutError,
  Pid,
  sys,
  TIMEOUT,
  TimeoutMessage,
  UnknownStateError,
  type BeamishNode,
  type From,
  type ProcessContext,
  type ServerRef,
  type StartResult,
  type StateResult,
  type StatemEvent,
} from '../../src/index.js';
import { reportsOf, testNode } from '../helpers.js';

type Result = StateResult<any, any>;
type StateFn = (event: StatemEvent<any>, data: any, ctx: ProcessContext) => Result | Promise<Result>;
type Mode = GenStatem.CallbackMode;

function pidOf(result: StartResult): Pid {
  if (!result.ok) throw new Error(`start failed: ${result.ignored ? 'ignored' : result.error.message}`);
  return result.pid;
}

const isObject = (value: unknown): value is Record<string, any> => typeof value === 'object' && value !== null;

/** Waits for a message equal to `expected` (the suite's `wfor/1`). */
async function wfor(ctx: ProcessContext, expected: unknown): Promise<void> {
  const got = await ctx.receive((message) => isDeepStrictEqual(message, expected), 5000);
  expect(got).toEqual(expected);
}

/** Machines built from a map of state functions, as the suite's `map_statem`, in either mode. */
function machine(
  mode: Mode,
  init: (ctx: ProcessContext) => GenStatem.InitResult<any, any>,
  states: Record<string, StateFn>,
  extra: { stateEnter?: boolean; terminate?: (...args: any[]) => unknown; formatStatus?: (status: any) => any } = {},
): GenStatem.GenStatemSpec<unknown, any, any> {
  if (mode === 'state_functions') return { callbackMode: mode, init: (_arg, ctx) => init(ctx), states, ...extra };
  return {
    callbackMode: mode,
    init: (_arg, ctx) => init(ctx),
    handleEvent(event, content, state, data, ctx) {
      expect(content).toBe(event.content);
      const fn = states[state as string];
      if (fn === undefined) throw new UnknownStateError(state);
      return fn(event, data, ctx);
    },
    ...extra,
  };
}

function startMachine(node: BeamishNode, spec: GenStatem.GenStatemSpec<unknown, any, any>, options: GenStatem.GenStatemOptions = {}) {
  return GenStatem.start(spec as GenStatem.HandleEventFunctionSpec<unknown, unknown, unknown>, undefined, { node, ...options });
}

// ---------------------------------------------------------------------------------------------
// The suite's own state machine (idle / wfor_conf / connected / next_events / timeout states).

function common(event: StatemEvent<any>, state: unknown, data: unknown, ctx: ProcessContext): Result | undefined {
  const content = event.content as any;
  if (event.type === 'call') {
    if (content === 'get') return { keepState: true, actions: { reply: { state, data }, to: event.from } };
    if (content === 'stop') return { stop: 'normal', replies: [{ reply: 'stopped', to: event.from }] };
    if (content === 'alive?') return { keepState: true, actions: [{ reply: 'yes', to: event.from }] };
    if (isObject(content) && 'stop' in content) return { stop: content.stop, replies: { reply: 'stopped', to: event.from } };
  }
  if (event.type === 'cast') {
    if (content === 'stop') return { stop: 'normal' };
    if (isObject(content) && content.alive instanceof Pid) {
      ctx.send(content.alive, 'yes');
      return { keepState: true };
    }
  }
  return undefined;
}

const suiteStates: Record<string, StateFn> = {
  idle(event, data, ctx) {
    const content = event.content as any;
    if (event.type === 'cast' && isObject(content) && content.connect instanceof Pid) {
      ctx.send(content.connect, 'accept');
      return { nextState: 'wfor_conf', actions: { timeout: Infinity } }; // a no-op time-out, to exercise the API
    }
    if (event.type === 'call') {
      if (content === 'connect') {
        GenStatem.reply(event.from, 'accept');
        return { nextState: 'wfor_conf', actions: { timeout: 'cancel' } };
      }
      if (content === 'badreturn') return 'badreturn' as unknown as Result;
      if (content === 'badaction') return { keepState: true, actions: ['badaction' as unknown as GenStatem.Action] };
      if (isObject(content) && 'badtimeout' in content) return { keepState: true, actions: content.badtimeout };
      if (isObject(content) && 'delayedAnswer' in content) {
        return { keepState: true, actions: { genericTimeout: content.delayedAnswer, name: 'delayed', content: event.from } };
      }
      if (isObject(content) && 'timeout' in content) {
        return { nextState: 'timeout', data: { from: event.from, time: content.timeout }, actions: { timeout: Date.now() + content.timeout, content: 'idle', abs: true } };
      }
    }
    if (event.type === 'generic_timeout' && event.name === 'delayed') {
      GenStatem.reply(event.content as From<unknown>, 'delayed');
      return { keepState: true };
    }
    if (event.type === 'cast' && content === 'next_event') {
      return {
        nextState: 'next_events',
        data: ['a', 'b', 'c'],
        actions: [
          { nextEvent: 'internal', content: 'a' },
          { nextEvent: 'internal', content: 'b' },
          { nextEvent: 'internal', content: 'c' },
        ],
      };
    }
    const result = common(event, 'idle', data, ctx);
    if (result !== undefined) return result;
    if (event.type === 'call') return { keepState: true, actions: { reply: 'eh?', to: event.from } };
    return { stop: { unexpected: ['idle', event.type, event.content] } };
  },
  timeout(event, data, ctx) {
    if (event.type === 'timeout' && event.content === 'idle') {
      const timer = ctx.startTimer(data.time, ctx.self, 'ok');
      return { keepState: true, data: { from: data.from, timer }, actions: { timeout: 0, content: 0 } }; // immediate time-out
    }
    // Postponing a time-out event; the retried event then cancels the new 1 ms event time-out.
    if (event.type === 'timeout' && event.content === 0) return { nextState: 'timeout2', actions: [{ timeout: 1, content: 'should_be_cancelled' }, 'postpone'] };
    return { keepState: true };
  },
  timeout2(event, data) {
    if (event.type === 'timeout' && event.content === 0) return { keepState: true };
    if (event.type === 'timeout') return { stop: event.content };
    if (event.type === 'info' && event.content instanceof TimeoutMessage && event.content.ref === data.timer) {
      GenStatem.reply(data.from, event.content.message);
      return { nextState: 'idle', data: 'state' };
    }
    return { keepState: true };
  },
  wfor_conf(event, data, ctx) {
    const content = event.content as any;
    if (event.type === 'call' && content === 'confirm') return { nextState: 'connected', actions: { reply: 'yes', to: event.from } };
    if (event.type === 'cast' && isObject(content) && 'ping' in content) return { keepState: true, actions: ['postpone'] };
    if (event.type === 'cast' && content === 'confirm') return { nextState: 'connected' };
    const result = common(event, 'wfor_conf', data, ctx);
    if (result !== undefined) return result;
    if (event.type === 'call') return { nextState: 'idle', actions: [{ reply: 'eh?', to: event.from }] };
    return { keepState: true };
  },
  connected(event, data, ctx) {
    const content = event.content as any;
    if (event.type === 'call' && isObject(content) && 'msg' in content) return { keepState: true, actions: { reply: { ack: content.msg }, to: event.from } };
    if (event.type === 'cast' && isObject(content) && 'msg' in content) {
      ctx.send(content.from, { ack: content.msg });
      return { keepState: true };
    }
    if (event.type === 'call' && content === 'disconnect') return { nextState: 'idle', actions: [{ reply: 'yes', to: event.from }] };
    if (event.type === 'cast' && content === 'disconnect') return { nextState: 'idle' };
    if (event.type === 'cast' && isObject(content) && 'ping' in content) {
      ctx.send(content.ping, { pong: content.tag });
      return { keepState: true };
    }
    const result = common(event, 'connected', data, ctx);
    if (result !== undefined) return result;
    if (event.type === 'call') return { keepState: true, actions: [{ reply: 'eh?', to: event.from }] };
    return { keepState: true };
  },
  next_events(event, data, ctx) {
    if (event.type === 'internal' && Array.isArray(data) && data[0] === event.content) return { keepState: true, data: data.slice(1) };
    return common(event, 'next_events', data, ctx) ?? { keepState: true };
  },
};

/** The suite machine: in handle_event_function mode its states after the first are wrapped in an array, to exercise states that are not strings. */
function suiteMachine(mode: Mode, init: GenStatem.InitResult<any, any> = { state: 'idle', data: 'data' }): GenStatem.GenStatemSpec<unknown, any, any> {
  if (mode === 'state_functions') return { callbackMode: mode, init: () => init, states: suiteStates };
  return {
    callbackMode: mode,
    init: () => init,
    handleEvent(event, _content, state, data, ctx) {
      const name = Array.isArray(state) ? (state[0] as string) : (state as string);
      const result = suiteStates[name]!(event, data, ctx) as Result;
      return isObject(result) && 'nextState' in result ? { ...result, nextState: [result.nextState] } : result;
    },
  };
}

async function checkState(server: ServerRef, state: string): Promise<void> {
  const got = await GenStatem.call<{ state: unknown }>(server, 'get', 5000);
  expect(got.state).toBe(state);
}

/** The suite's do_func_test: casts, a postponed ping retried after the state change, messages. */
async function doFuncTest(ctx: ProcessContext, server: ServerRef): Promise<void> {
  GenStatem.cast(server, { alive: ctx.self });
  await wfor(ctx, 'yes');
  await checkState(server, 'idle');
  GenStatem.cast(server, { connect: ctx.self });
  await wfor(ctx, 'accept');
  await checkState(server, 'wfor_conf');
  GenStatem.cast(server, { ping: ctx.self, tag: 'tag-1' }); // postponed in wfor_conf
  GenStatem.cast(server, 'confirm');
  await wfor(ctx, { pong: 'tag-1' });
  await checkState(server, 'connected');
  for (const msg of [1, 2, 3]) {
    GenStatem.cast(server, { msg, from: ctx.self });
    await wfor(ctx, { ack: msg });
  }
  GenStatem.cast(server, 'disconnect');
  await checkState(server, 'idle');
}

/** The suite's do_sync_func_test: the same through calls, and the event time-out dance. */
async function doSyncFuncTest(ctx: ProcessContext, server: ServerRef): Promise<void> {
  expect(await GenStatem.call(server, 'alive?')).toBe('yes');
  await checkState(server, 'idle');
  expect(await GenStatem.call(server, 'connect')).toBe('accept');
  await checkState(server, 'wfor_conf');
  GenStatem.cast(server, { ping: ctx.self, tag: 'tag-2' });
  expect(await GenStatem.call(server, 'confirm')).toBe('yes');
  await wfor(ctx, { pong: 'tag-2' });
  for (const msg of [1, 2, 3]) expect(await GenStatem.call(server, { msg })).toEqual({ ack: msg });
  expect(await GenStatem.call(server, 'disconnect')).toBe('yes');
  expect(await GenStatem.call(server, { timeout: 20 })).toBe('ok');
  expect(await GenStatem.call(server, 'alive?')).toBe('yes');
  await checkState(server, 'idle');
}

/** The suite's stop_it: stop through a call, then a call finds nobody. */
async function stopIt(server: ServerRef): Promise<void> {
  expect(await GenStatem.call(server, 'stop')).toBe('stopped');
  const error = await GenStatem.call(server, 'there_you_are').catch((e: unknown) => e);
  expect(error).toBeInstanceOf(CallExitError);
}

describe.each<Mode>(['state_functions', 'handle_event_function'])('GenStatem (%s)', (mode) => {
  it('.startLink() - runs the machine linked to its parent and stops through a call (OTP start1, start6)', async () => {
    const { node } = testNode();
    await node.run(async (ctx) => {
      const pid = pidOf(await GenStatem.startLink(ctx, suiteMachine(mode) as never, undefined));
      await doFuncTest(ctx, pid);
      await doSyncFuncTest(ctx, pid);
      await stopIt(pid);
      expect(ctx.tryReceive()).toBe(TIMEOUT);
    });
  });

  it('.start() - an unlinked machine stopped with reason shutdown (OTP start2)', async () => {
    const { node, reports } = testNode();
    await node.run(async (ctx) => {
      const pid = pidOf(await startMachine(node, suiteMachine(mode)));
      await doFuncTest(ctx, pid);
      await doSyncFuncTest(ctx, pid);
      expect(await GenStatem.call(pid, { stop: 'shutdown' })).toBe('stopped');
      expect(await node.awaitExit(pid)).toBe('shutdown');
    });
    expect(reportsOf(reports, 'server_terminated')).toEqual([]);
  });

  it('.start() - an init that outlives the start timeout fails the start (OTP start3)', async () => {
    const { node } = testNode();
    const pid = pidOf(await startMachine(node, suiteMachine(mode), { timeout: 1000 }));
    await stopIt(pid);
    const slow = machine(mode, () => new Promise<never>(() => {}) as never, {});
    const result = await startMachine(node, slow, { timeout: 5 });
    expect(result.ok).toBe(false);
    expect(!result.ok && !result.ignored && result.error).toBeInstanceOf(InitTimeoutError);
  });

  it('.start() - init returning ignore or stop (OTP start4, start5)', async () => {
    const { node } = testNode();
    expect(await startMachine(node, suiteMachine(mode, { ignore: true }))).toEqual({ ok: false, ignored: true });
    const stopped = await startMachine(node, suiteMachine(mode, { stop: 'stopped' }));
    expect(!stopped.ok && !stopped.ignored && stopped.error).toBeInstanceOf(InitFailedError);
    expect(!stopped.ok && !stopped.ignored && (stopped.error as InitFailedError).reason).toBe('stopped');
  });

  it('.start() - a registered name is used once; calls and casts reach it by name (OTP start8, start9, start11)', async () => {
    const { node } = testNode();
    await node.run(async (ctx) => {
      const name = { name: 'my_stm', node };
      const pid = pidOf(await GenStatem.startLink(ctx, suiteMachine(mode) as never, undefined, { name: 'my_stm' }));
      const again = await startMachine(node, suiteMachine(mode), { name: 'my_stm' });
      expect(!again.ok && !again.ignored && again.error).toBeInstanceOf(AlreadyStartedError);
      expect(!again.ok && !again.ignored && (again.error as AlreadyStartedError).pid).toBe(pid);
      await doFuncTest(ctx, name);
      await doSyncFuncTest(ctx, name);
      await stopIt(name);
      // The name is free at once: a new machine can take it (start11).
      const second = pidOf(await startMachine(node, suiteMachine(mode), { name: 'my_stm' }));
      expect(GenStatem.whereis(name)).toBe(second);
      await stopIt(second);
    });
  });

  it('.start() - a via name (OTP start12)', async () => {
    const { node } = testNode();
    const registry = createRegistry(node);
    const via = { via: registry, name: 'my_stm' };
    await node.run(async (ctx) => {
      const pid = pidOf(await GenStatem.startLink(ctx, suiteMachine(mode) as never, undefined, { name: via }));
      const again = await startMachine(node, suiteMachine(mode), { name: via });
      expect(!again.ok && !again.ignored && (again.error as AlreadyStartedError).pid).toBe(pid);
      await doFuncTest(ctx, via);
      await doSyncFuncTest(ctx, via);
      await stopIt(via);
    });
  });

  it('nextEvent - inserted events are handled in the order given, before anything else (OTP next_events)', async () => {
    const { node } = testNode();
    const pid = pidOf(await startMachine(node, suiteMachine(mode)));
    GenStatem.cast(pid, 'next_event');
    expect(await GenStatem.call(pid, 'get')).toEqual({ state: 'next_events', data: [] });
    await GenStatem.stop(pid);
    expect(node.isAlive(pid)).toBe(false);
    await expect(GenStatem.stop(pid)).rejects.toBeInstanceOf(CallExitError);
  });

  it('.stop() - by pid, by name, by { name, node } and by via, with any reason (OTP stop1, stop2, stop4, stop5, stop7)', async () => {
    const { node } = testNode();
    const registry = createRegistry(node);
    const byPid = pidOf(await startMachine(node, suiteMachine(mode)));
    await GenStatem.stop(byPid);
    expect(node.isAlive(byPid)).toBe(false);
    const noproc = await GenStatem.stop(byPid).catch((e: unknown) => e);
    expect(noproc).toBeInstanceOf(CallExitError);
    expect((noproc as CallExitError).reason).toBe('noproc');

    const other = pidOf(await startMachine(node, suiteMachine(mode)));
    await GenStatem.stop(other, 'other_reason', Infinity);
    expect(node.isAlive(other)).toBe(false);

    const named = pidOf(await startMachine(node, suiteMachine(mode), { name: 'to_stop' }));
    await GenStatem.stop({ name: 'to_stop', node });
    expect(node.isAlive(named)).toBe(false);
    await expect(GenStatem.stop({ name: 'to_stop', node })).rejects.toBeInstanceOf(CallExitError);

    const via = { via: registry, name: 'to_stop' };
    const viaPid = pidOf(await startMachine(node, suiteMachine(mode), { name: via }));
    await GenStatem.stop(via);
    expect(node.isAlive(viaPid)).toBe(false);
    await expect(GenStatem.stop(via)).rejects.toBeInstanceOf(CallExitError);
  });

  it('.stop() - an invalid timeout throws and leaves the machine running (OTP stop3)', async () => {
    const { node } = testNode();
    const pid = pidOf(await startMachine(node, suiteMachine(mode)));
    expect(() => GenStatem.stop(pid, 'other_reason', -1)).toThrow(TypeError);
    expect(node.isAlive(pid)).toBe(true);
    await GenStatem.stop(pid);
    expect(node.isAlive(pid)).toBe(false);
  });

  it('.call() - answers within its timeout, else CallTimeoutError; a late reply is dropped (OTP abnormal1)', async () => {
    const { node } = testNode();
    const pid = pidOf(await startMachine(node, suiteMachine(mode), { name: 'abnormal1' }));
    const name = { name: 'abnormal1', node };
    expect(await GenStatem.call(name, { delayedAnswer: 1 }, 1000)).toBe('delayed');
    const error = await GenStatem.call(name, { delayedAnswer: 100 }, 10).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CallTimeoutError);
    expect((error as CallTimeoutError).timeout).toBe(10);
    // The late reply lands nowhere, and the machine goes on.
    expect(await GenStatem.call(name, { delayedAnswer: 1 }, { timeout: 1000 })).toBe('delayed');
    await GenStatem.stop(name);
    expect(node.isAlive(pid)).toBe(false);
  });

  it('a bad return value stops the machine; the caller and the linked parent see why (OTP abnormal2)', async () => {
    const { node, reports } = testNode();
    await node.run(async (ctx) => {
      ctx.trapExit(true);
      const pid = pidOf(await GenStatem.startLink(ctx, suiteMachine(mode) as never, undefined));
      const error = await GenStatem.call(pid, 'badreturn').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CallExitError);
      expect((error as CallExitError).reason).toBeInstanceOf(BadReturnValueError);
      const exit = (await ctx.receive((m) => m instanceof ExitMessage)) as ExitMessage;
      expect(exit.reason).toBe((error as CallExitError).reason);
    });
    const [report] = reportsOf(reports, 'server_terminated');
    expect(report?.behaviour).toBe('GenStatem');
  });

  it('a bad action or a bad time-out stops the machine with BadActionError (OTP abnormal3, abnormal4)', async () => {
    const { node } = testNode();
    await node.run(async (ctx) => {
      ctx.trapExit(true);
      for (const request of ['badaction', { badtimeout: { stateTimeout: 'soon', content: 'ouch' } }, { badtimeout: { timeout: -5 } }]) {
        const pid = pidOf(await GenStatem.startLink(ctx, suiteMachine(mode) as never, undefined));
        const error = await GenStatem.call(pid, request).catch((e: unknown) => e);
        expect((error as CallExitError).reason).toBeInstanceOf(BadActionError);
        const exit = (await ctx.receive((m) => m instanceof ExitMessage)) as ExitMessage;
        expect((exit.reason as BadActionError).code).toBe('bad_action');
      }
    });
  });

  it('stop with { shutdown } ends the machine quietly; later calls find no process (OTP shutdown)', async () => {
    const { node, reports } = testNode();
    await node.run(async (ctx) => {
      ctx.trapExit(true);
      const pid = pidOf(await GenStatem.startLink(ctx, suiteMachine(mode) as never, undefined));
      await doFuncTest(ctx, pid);
      await doSyncFuncTest(ctx, pid);
      expect(await GenStatem.call(pid, { stop: { shutdown: 'reason' } })).toBe('stopped');
      const exit = (await ctx.receive((m) => m instanceof ExitMessage)) as ExitMessage;
      expect(exit.reason).toEqual({ shutdown: 'reason' });
      const error = await GenStatem.call(pid, 'hej').catch((e: unknown) => e);
      expect((error as CallExitError).reason).toBe('noproc');
      expect(ctx.tryReceive()).toBe(TIMEOUT);
    });
    expect(reportsOf(reports, 'server_terminated')).toEqual([]);
  });

  it('stop with replies sends every reply before terminate runs (OTP stop_and_reply)', async () => {
    const { node } = testNode();
    const seenByTerminate: boolean[] = [];
    const spec = machine(
      mode,
      () => ({ state: 'start', data: undefined }),
      {
        // The first call is answered only when the machine stops, from a reply action kept in the data.
        start: (event) => (event.type === 'call' ? { nextState: 'wait', data: { reply: 'reply1', to: event.from } } : { keepState: true }),
        wait: (event, r1) => (event.type === 'call' ? { stop: 'reason', replies: [r1, { reply: 'reply2', to: event.from }] } : { keepState: true }),
      },
      {
        terminate: (_reason: unknown, _state: unknown, data: { to: From<unknown> }) => {
          seenByTerminate.push(data.to.pending);
        },
      },
    );
    await node.run(async (ctx) => {
      ctx.trapExit(true);
      const pid = pidOf(await GenStatem.startLink(ctx, spec as never, undefined));
      const first = GenStatem.call(pid, 'echo');
      const second = GenStatem.call(pid, 'stop_and_reply');
      expect(await Promise.all([first, second])).toEqual(['reply1', 'reply2']);
      const exit = (await ctx.receive((m) => m instanceof ExitMessage)) as ExitMessage;
      expect(exit.reason).toBe('reason');
      await expect(GenStatem.call(pid, 'hej')).rejects.toBeInstanceOf(CallExitError);
    });
    expect(seenByTerminate).toEqual([false]);
  });

  it('stateEnter - enter calls on every state change, repeatState repeats them, with their actions (OTP state_enter)', async () => {
    const { node } = testNode();
    const log: unknown[] = [];
    let stopped: unknown;
    const spec = machine(
      mode,
      () => ({ state: 'start', data: 1 }),
      {
        start(event, n) {
          if (event.type === 'enter') {
            log.push([n, 'enter', 'start', event.oldState]);
            return { keepState: true, data: n + 1 };
          }
          if (event.type === 'internal') {
            log.push([n, 'internal', 'start', event.content]);
            return { keepState: true, data: n + 1 };
          }
          if (event.type === 'call' && event.content === 'repeat') return { repeatState: true, data: n + 1, actions: [{ reply: [n, 'repeat', 'start'], to: event.from }] };
          if (event.type === 'call' && event.content === 'echo') {
            return { nextState: 'wait', data: n + 1, actions: [{ reply: [n, 'echo', 'start'], to: event.from }, { timeout: 0, content: n }] };
          }
          if (event.type === 'call') return { stop: event.content, data: n + 1, replies: [{ reply: [n, 'stop'], to: event.from }] };
          return { stop: 'unexpected' };
        },
        wait(event, n) {
          if (event.type === 'enter' && n < 5) {
            log.push([n, { enter: event.oldState }]);
            return { repeatState: true, data: n + 1, actions: [{ timeout: 0, content: n }, { stateTimeout: 0, content: n }] };
          }
          if (event.type === 'enter') {
            log.push([n, 'enter', 'wait', event.oldState]);
            return { keepState: true, data: n + 1, actions: [{ timeout: 0, content: n }, { stateTimeout: 0, content: n }] };
          }
          if (event.type === 'timeout' || event.type === 'state_timeout') {
            log.push([n, { [event.type]: event.content }]);
            return { keepState: true, data: n + 1 };
          }
          if (event.type === 'call' && event.content === 'repeat') {
            return { repeatState: true, actions: [{ reply: [n, 'repeat', 'wait'], to: event.from }, { timeout: 0, content: n }] };
          }
          if (event.type === 'call' && event.content === 'echo') {
            return { nextState: 'start', data: n + 1, actions: [{ nextEvent: 'internal', content: 'wait' }, { reply: [n, 'echo', 'wait'], to: event.from }] };
          }
          return { stop: 'unexpected' };
        },
      },
      { stateEnter: true, terminate: (reason: unknown) => (stopped = reason) },
    );
    const pid = pidOf(await startMachine(node, spec));
    const flush = async () => {
      await sys.getState(pid); // a barrier: handled only once queued events and zero time-outs are done
      return log.splice(0);
    };
    expect(await flush()).toEqual([[1, 'enter', 'start', 'start']]);
    expect(await GenStatem.call(pid, 'echo')).toEqual([2, 'echo', 'start']);
    expect(await flush()).toEqual([[3, { enter: 'start' }], [4, { enter: 'start' }], [5, 'enter', 'wait', 'start'], [6, { timeout: 5 }], [7, { state_timeout: 5 }]]);
    expect(await sys.getState(pid)).toEqual({ state: 'wait', data: 8 });
    expect(await GenStatem.call(pid, 'repeat')).toEqual([8, 'repeat', 'wait']);
    expect(await flush()).toEqual([[8, 'enter', 'wait', 'wait'], [9, { timeout: 8 }], [10, { state_timeout: 8 }]]);
    expect(await GenStatem.call(pid, 'echo')).toEqual([11, 'echo', 'wait']);
    expect(await flush()).toEqual([[12, 'enter', 'start', 'wait'], [13, 'internal', 'start', 'wait']]);
    expect(await GenStatem.call(pid, 'repeat')).toEqual([14, 'repeat', 'start']);
    expect(await flush()).toEqual([[15, 'enter', 'start', 'start']]);
    expect(await GenStatem.call(pid, 'bye')).toEqual([16, 'stop']);
    expect(await node.awaitExit(pid)).toBe('bye');
    expect(stopped).toBe('bye');
  });

  it('postpone, nextEvent and a zero event time-out: inserted events first, then the postponed, and the time-out cancelled (OTP event_order)', async () => {
    const { node } = testNode();
    const seen: unknown[] = [];
    const spec = machine(mode, () => ({ state: 'start', data: undefined }), {
      start(event) {
        if (event.type === 'cast') return { keepState: true, actions: 'postpone' }; // handled in buffer
        if (event.type === 'call') {
          return {
            nextState: 'buffer',
            data: [],
            actions: [
              { nextEvent: 'internal', content: 'ok3' },
              { nextEvent: 'internal', content: 'ok4' },
              // Never fires: the inserted and the postponed events cancel it.
              { timeout: 0, content: 'ok5' },
              { reply: 'ok', to: event.from },
            ],
          };
        }
        return { stop: 'unexpected' };
      },
      buffer(event, replies: unknown[]) {
        if (event.type === 'internal' || event.type === 'timeout' || event.type === 'cast') return { keepState: true, data: [...replies, event.content] };
        if (event.type === 'call') {
          seen.push(...replies);
          return { nextState: 'stop', data: undefined, actions: [{ reply: 'ok', to: event.from }, { nextEvent: 'internal', content: { stop: event.content } }] };
        }
        return { stop: 'unexpected' };
      },
      stop: (event) => event.content as Result, // the inserted event is the result
    });
    await node.run(async (ctx) => {
      ctx.trapExit(true);
      const pid = pidOf(await GenStatem.startLink(ctx, spec as never, undefined));
      GenStatem.cast(pid, 'ok1');
      GenStatem.cast(pid, 'ok2');
      expect(await GenStatem.call(pid, 'buffer')).toBe('ok');
      expect(await GenStatem.call(pid, 'reason')).toBe('ok');
      const exit = (await ctx.receive((m) => m instanceof ExitMessage)) as ExitMessage;
      expect(exit.reason).toBe('reason');
    });
    expect(seen).toEqual(['ok3', 'ok4', 'ok1', 'ok2']);
  });
});

const unexpected = (event: StatemEvent<any>): Result => ({ stop: { unexpected: [event.type, event.content] } });

describe('GenStatem time-outs', () => {
  it('zero time-outs come after inserted events, one per kind; a state change cancels the state time-out (OTP state_timeout)', async () => {
    const { node } = testNode();
    const spec = machine('state_functions', () => ({ state: 'start', data: 0 }), {
      start(event, _data, ctx) {
        if (event.type === 'call' && isObject(event.content) && 'go' in event.content) {
          ctx.send(ctx.self, 'message_to_self');
          const time = event.content.go as number;
          // Internal events go before external ones; the state change below cancels both time-outs.
          return {
            nextState: 'state1',
            data: { time, from: event.from },
            actions: [{ timeout: time, content: 1 }, { stateTimeout: time, content: 1 }, { nextEvent: 'internal', content: 1 }],
          };
        }
        return unexpected(event);
      },
      state1(event) {
        if (event.type === 'internal' && event.content === 1) {
          return { nextState: 'state2', actions: [{ timeout: 0, content: 2 }, { stateTimeout: 0, content: 2 }, { nextEvent: 'internal', content: 2 }] };
        }
        return unexpected(event);
      },
      state2(event, data) {
        // The zero state time-out comes after the inserted event, and the zero event time-out 3
        // is cancelled by the state time-out event queued before it.
        if (event.type === 'internal' && event.content === 2) return { keepState: true, data: { ok: 2, data }, actions: { timeout: 0, content: 3 } };
        if (event.type === 'state_timeout' && event.content === 2 && data.ok === 2) {
          return { keepState: true, data: { ok: 3, data: data.data }, actions: [{ timeout: 0, content: 4 }, { stateTimeout: 0, content: 5 }] };
        }
        // Zero time-outs are served in order. Setting the state time-out again while its zero
        // time-out waits replaces it (5 never comes: OTP 25 does the same), and 7 is cancelled by it.
        if (event.type === 'timeout' && event.content === 4 && data.ok === 3) {
          return { keepState: true, data: { ok: 4, data: data.data }, actions: [{ stateTimeout: 0, content: 6 }, { timeout: 0, content: 7 }] };
        }
        if (event.type === 'state_timeout' && event.content === 6 && data.ok === 4) {
          return { nextState: 'state3', data: 6, actions: [{ reply: 'ok', to: data.data.from }, { stateTimeout: data.data.time, content: 8 }] };
        }
        return unexpected(event);
      },
      state3(event, data) {
        if (event.type === 'info' && event.content === 'message_to_self' && data === 6) return { keepState: true, data: 7 };
        if (event.type === 'call' && event.content === 'check' && data === 7) return { keepState: true, data: event.from };
        if (event.type === 'state_timeout' && event.content === 8) return { stop: 'normal', replies: { reply: 'ok', to: data } };
        return unexpected(event);
      },
    });
    await node.run(async (ctx) => {
      ctx.trapExit(true);
      const pid = pidOf(await GenStatem.startLink(ctx, spec as never, undefined));
      expect(await GenStatem.call(pid, { go: 30 })).toBe('ok');
      expect(await GenStatem.call(pid, 'check')).toBe('ok');
      const exit = (await ctx.receive((m) => m instanceof ExitMessage)) as ExitMessage;
      expect(exit.reason).toBe('normal');
    });
  });

  it("'cancel' and 'update' time-out actions (OTP timeout_cancel_and_update)", async () => {
    const { node } = testNode();
    const spec = machine('handle_event_function', () => ({ state: 'start', data: 0 }), {
      start(event, _data, ctx) {
        if (event.type === 'call' && event.content === 'test') {
          ctx.send(ctx.self, 'message_to_self');
          return { nextState: 'state1', data: event.from, actions: [{ stateTimeout: 17, content: 1 }, { nextEvent: 'internal', content: 1 }] };
        }
        return unexpected(event);
      },
      state1(event) {
        if (event.type === 'internal' && event.content === 1) return { keepState: true, actions: [{ stateTimeout: 'cancel' }, { genericTimeout: 17, name: 'a', content: 1 }] };
        if (event.type === 'info' && event.content === 'message_to_self') return { keepState: true, actions: [{ genericTimeout: 'update', name: 'a', content: 'a' }] };
        if (event.type === 'generic_timeout' && event.name === 'a' && event.content === 'a') {
          return { nextState: 'state2', actions: [{ stateTimeout: 17, content: 2 }, { nextEvent: 'internal', content: 2 }] };
        }
        return unexpected(event);
      },
      async state2(event, from) {
        if (event.type === 'internal' && event.content === 2) {
          // Outlive the 17 ms state time-out: it fires meanwhile (an earlier timer fires first), so
          // its message waits in the mailbox, and the update changes what it carries.
          await new Promise((resolve) => setTimeout(resolve, 50));
          return { keepState: true, actions: [{ stateTimeout: 'update', content: 'b' }, { timeout: 17, content: 2 }] };
        }
        if (event.type === 'state_timeout' && event.content === 'b') {
          // The event time-out 17 was cancelled by this event; a long one is left running.
          return { nextState: 'state3', data: 3, actions: [{ reply: 'ok', to: from }, { timeout: 17000, content: 17000 }] };
        }
        return unexpected(event);
      },
      state3(event, data) {
        if (event.type === 'call' && event.content === 'stop' && data === 3) return { stop: 'normal', replies: [{ reply: 'ok', to: event.from }] };
        return unexpected(event);
      },
    });
    await node.run(async (ctx) => {
      ctx.trapExit(true);
      const pid = pidOf(await GenStatem.startLink(ctx, spec as never, undefined));
      expect(await GenStatem.call(pid, 'test')).toBe('ok');
      const status = await sys.getStatus(pid);
      expect(status.details.timeouts).toEqual([{ type: 'timeout' }]);
      expect(status.details.timeoutCount).toBe(1);
      expect(await GenStatem.call(pid, 'stop')).toBe('ok');
      const exit = (await ctx.receive((m) => m instanceof ExitMessage)) as ExitMessage;
      expect(exit.reason).toBe('normal');
    });
  });

  it('nextEvent - every event type can be inserted, a call included (OTP event_types)', async () => {
    const { node } = testNode();
    const step = (type: string, content: unknown, next: string): StateFn => (event) =>
      event.type === type && isDeepStrictEqual(event.content, content) ? { nextState: next } : unexpected(event);
    const spec = machine('state_functions', () => ({ state: 'start1', data: undefined, actions: [{ nextEvent: 'internal', content: 0 }] }), {
      start1: step('internal', 0, 'start2'),
      start2(event) {
        if (event.type !== 'call') return unexpected(event);
        return {
          nextState: 'state1',
          actions: [
            { nextEvent: 'internal', content: 1 },
            { nextEvent: 'state_timeout', content: 2 },
            { nextEvent: 'timeout', content: 3 },
            { nextEvent: 'info', content: 4 },
            { nextEvent: 'cast', content: 5 },
            { nextEvent: 'generic_timeout', name: 6, content: 6 },
            { nextEvent: 'call', from: event.from, content: event.content },
          ],
        };
      },
      state1: step('internal', 1, 'state2'),
      state2: step('state_timeout', 2, 'state3'),
      state3: step('timeout', 3, 'state4'),
      state4: step('info', 4, 'state5'),
      state5: step('cast', 5, 'state6'),
      state6: (event) => (event.type === 'generic_timeout' && event.name === 6 && event.content === 6 ? { nextState: 'state7' } : unexpected(event)),
      state7: (event) => (event.type === 'call' && event.content === 'stop' ? { stop: 'shutdown', replies: [{ reply: 'stopped', to: event.from }] } : unexpected(event)),
    });
    await node.run(async (ctx) => {
      ctx.trapExit(true);
      const pid = pidOf(await GenStatem.startLink(ctx, spec as never, undefined));
      expect(await GenStatem.call(pid, 'stop')).toBe('stopped');
      const exit = (await ctx.receive((m) => m instanceof ExitMessage)) as ExitMessage;
      expect(exit.reason).toBe('shutdown');
      await expect(GenStatem.call(pid, 'hej')).rejects.toBeInstanceOf(CallExitError);
    });
  });

  it('genericTimeout - named time-outs, relative or absolute, restarted or cancelled with Infinity (OTP generic_timers)', async () => {
    const { node } = testNode();
    const spec = machine('handle_event_function', () => ({ state: 'start', data: undefined }), {
      start(event) {
        if (event.type !== 'call') return unexpected(event);
        return {
          nextState: 'state1',
          actions: [
            { genericTimeout: 150, name: 'a', content: 1 },
            { stateTimeout: 150, content: 1 },
            { genericTimeout: 100, name: 'b', content: 1 },
            { nextEvent: 'call', from: event.from, content: event.content },
          ],
        };
      },
      state1(event) {
        if (event.type !== 'call') return unexpected(event);
        return {
          nextState: 'state2',
          actions: [
            { genericTimeout: Date.now() + 50, name: 'c', content: 2, abs: true },
            { genericTimeout: 0, name: 'd', content: 2, abs: false },
            { timeout: 0, content: 2 },
            { genericTimeout: Infinity, name: 'b', content: 2 },
            { genericTimeout: 100, name: 'a', content: { from: event.from, request: event.content } },
          ],
        };
      },
      state2: (event) => (event.type === 'generic_timeout' && event.name === 'd' && event.content === 2 ? { nextState: 'state3' } : unexpected(event)),
      state3: (event) => (event.type === 'generic_timeout' && event.name === 'c' && event.content === 2 ? { nextState: 'state4' } : unexpected(event)),
      state4(event) {
        const content = event.content as { from: From<unknown>; request: unknown };
        if (event.type === 'generic_timeout' && event.name === 'a' && content.request === 'stop') return { stop: 'shutdown', replies: [{ reply: 'stopped', to: content.from }] };
        return unexpected(event);
      },
    });
    await node.run(async (ctx) => {
      ctx.trapExit(true);
      const pid = pidOf(await GenStatem.startLink(ctx, spec as never, undefined));
      expect(await GenStatem.call(pid, 'stop')).toBe('stopped');
      const exit = (await ctx.receive((m) => m instanceof ExitMessage)) as ExitMessage;
      expect(exit.reason).toBe('shutdown');
    });
  });

  /** A machine that reports to `watcher` what happens to it, for the time-out tests below. */
  function watched(watcher: Pid, mode: Mode = 'handle_event_function') {
    const report: StateFn = (event, _data, ctx) => {
      if (event.type === 'call') {
        const actions = event.content as GenStatem.Action[];
        return { keepState: true, actions: [...actions, { reply: 'armed', to: event.from }] };
      }
      if (event.type === 'cast' && isObject(event.content) && 'go' in event.content) return { nextState: event.content.go };
      ctx.send(watcher, event.type === 'generic_timeout' ? [event.type, event.name, event.content] : [event.type, event.content]);
      return { keepState: true };
    };
    return machine(mode, () => ({ state: 'a', data: undefined }), { a: report, b: report });
  }

  it('timeout - the event time-out fires when no event comes first, and any event cancels it (Beamish)', async () => {
    const { node } = testNode();
    await node.run(async (ctx) => {
      const pid = pidOf(await startMachine(node, watched(ctx.self)));
      await GenStatem.call(pid, [{ timeout: 10, content: 'idle' }]);
      expect(await ctx.receive()).toEqual(['timeout', 'idle']);
      // A cast comes first: the event time-out never fires, so the later sentinel is next.
      await GenStatem.call(pid, [{ timeout: 10, content: 'idle' }, { genericTimeout: 40, name: 'sentinel' }]);
      GenStatem.cast(pid, 'poke');
      expect(await ctx.receive()).toEqual(['cast', 'poke']);
      expect(await ctx.receive()).toEqual(['generic_timeout', 'sentinel', undefined]);
      expect(ctx.tryReceive()).toBe(TIMEOUT);
    });
  });

  it('stateTimeout - kept across events in the same state, cancelled by a state change (Beamish)', async () => {
    const { node } = testNode();
    await node.run(async (ctx) => {
      const pid = pidOf(await startMachine(node, watched(ctx.self, 'state_functions')));
      await GenStatem.call(pid, [{ stateTimeout: 10, content: 'in a' }, { genericTimeout: 40, name: 'sentinel' }]);
      GenStatem.cast(pid, 'poke');
      expect(await ctx.receive()).toEqual(['cast', 'poke']);
      expect(await ctx.receive()).toEqual(['state_timeout', 'in a']);
      expect(await ctx.receive()).toEqual(['generic_timeout', 'sentinel', undefined]);

      await GenStatem.call(pid, [{ stateTimeout: 10, content: 'in a' }, { genericTimeout: 40, name: 'sentinel' }]);
      GenStatem.cast(pid, { go: 'b' });
      expect(await ctx.receive()).toEqual(['generic_timeout', 'sentinel', undefined]);
      expect(ctx.tryReceive()).toBe(TIMEOUT);
    });
  });

  it("genericTimeout - survives state changes; 'cancel' and 'update' act on one name only (Beamish)", async () => {
    const { node } = testNode();
    await node.run(async (ctx) => {
      const pid = pidOf(await startMachine(node, watched(ctx.self)));
      await GenStatem.call(pid, [
        { genericTimeout: 10, name: 'g1', content: 1 },
        { genericTimeout: 15, name: 'g2', content: 2 },
        { genericTimeout: 20, name: 'g3', content: 3 },
        { genericTimeout: 40, name: 'sentinel' },
      ]);
      GenStatem.cast(pid, { go: 'b' });
      await GenStatem.call(pid, [{ genericTimeout: 'cancel', name: 'g2' }, { genericTimeout: 'update', name: 'g3', content: 'updated' }]);
      expect(await ctx.receive()).toEqual(['generic_timeout', 'g1', 1]);
      expect(await ctx.receive()).toEqual(['generic_timeout', 'g3', 'updated']);
      expect(await ctx.receive()).toEqual(['generic_timeout', 'sentinel', undefined]);
      // 'update' of a time-out that is not running fires it at once.
      await GenStatem.call(pid, [{ stateTimeout: 'update', content: 'now' }]);
      expect(await ctx.receive()).toEqual(['state_timeout', 'now']);
      expect(ctx.tryReceive()).toBe(TIMEOUT);
    });
  });

  it('zero time-outs are handled before messages already waiting in the mailbox (Beamish)', async () => {
    const { node } = testNode();
    await node.run(async (ctx) => {
      const pid = pidOf(await startMachine(node, watched(ctx.self)));
      // The cast is in the mailbox before the call is handled; the zero time-out the call sets still goes first.
      const both = GenStatem.call(pid, [{ genericTimeout: 0, name: 'zero' }]);
      GenStatem.cast(pid, 'second');
      await both;
      expect(await ctx.receive()).toEqual(['generic_timeout', 'zero', undefined]);
      expect(await ctx.receive()).toEqual(['cast', 'second']);
    });
  });
});

describe('GenStatem postpone and state changes', () => {
  it('postpone - postponed events are retried in order after a state change, not after keepState or repeatState (Beamish)', async () => {
    const { node } = testNode();
    const spec = machine('state_functions', () => ({ state: 'closed', data: [] as string[] }), {
      closed(event) {
        if (event.type === 'call' && event.content === 'keep') return { keepState: true, actions: { reply: 'kept', to: event.from } };
        if (event.type === 'call' && event.content === 'repeat') return { repeatState: true, actions: { reply: 'repeated', to: event.from } };
        if (event.type === 'call' && event.content === 'open') return { nextState: 'opened', actions: { reply: 'opening', to: event.from } };
        return { keepState: true, actions: 'postpone' }; // casts and other calls wait for 'opened'
      },
      opened(event, log: string[]) {
        if (event.type === 'cast') return { keepState: true, data: [...log, event.content as string] };
        if (event.type === 'call' && event.content === 'log') return { keepState: true, actions: { reply: log, to: event.from } };
        if (event.type === 'call') return { keepState: true, actions: { reply: `${String(event.content)} from opened`, to: event.from } };
        return unexpected(event);
      },
    });
    const pid = pidOf(await startMachine(node, spec));
    for (const content of ['a', 'b', 'c']) GenStatem.cast(pid, content);
    const hello = GenStatem.call(pid, 'hello');
    expect(await GenStatem.call(pid, 'keep')).toBe('kept');
    expect(await GenStatem.call(pid, 'repeat')).toBe('repeated');
    const status = await sys.getStatus(pid);
    expect(status.details).toMatchObject({ state: 'closed', postponed: 4 });
    expect(await GenStatem.call(pid, 'open')).toBe('opening');
    GenStatem.cast(pid, 'd');
    expect(await hello).toBe('hello from opened');
    expect(await GenStatem.call(pid, 'log')).toEqual(['a', 'b', 'c', 'd']);
    expect((await sys.getStatus(pid)).details).toMatchObject({ state: 'opened', postponed: 0 });
  });

  it('handle_event_function - states are compared by value: an equal state is no state change (Beamish)', async () => {
    const { node } = testNode();
    const entered: unknown[] = [];
    const spec: GenStatem.HandleEventFunctionSpec<void, { floor: number }, string[]> = {
      callbackMode: 'handle_event_function',
      stateEnter: true,
      init: () => ({ state: { floor: 0 }, data: [] }),
      handleEvent(event, content, state, data) {
        if (event.type === 'enter') {
          entered.push([event.oldState, state]);
          return { keepState: true };
        }
        if (event.type === 'cast' && state.floor === 0) return { keepState: true, actions: 'postpone' };
        if (event.type === 'cast') return { keepState: true, data: [...data, `${String(content)}@${state.floor}`] };
        if (event.type === 'call' && content === 'same') return { nextState: { floor: state.floor }, actions: { reply: 'same', to: event.from } };
        if (event.type === 'call' && content === 'up') return { nextState: { floor: state.floor + 1 }, actions: { reply: 'up', to: event.from } };
        if (event.type === 'call') return { keepState: true, actions: { reply: data, to: event.from } };
        return { keepState: true };
      },
    };
    const pid = pidOf(await GenStatem.start(spec, undefined, { node }));
    GenStatem.cast(pid, 'x');
    expect(await GenStatem.call(pid, 'same')).toBe('same');
    expect((await sys.getStatus(pid)).details).toMatchObject({ postponed: 1 });
    expect(await GenStatem.call(pid, 'up')).toBe('up');
    expect(await GenStatem.call(pid, 'data')).toEqual(['x@1']);
    expect(entered).toEqual([
      [{ floor: 0 }, { floor: 0 }],
      [{ floor: 0 }, { floor: 1 }],
    ]);
  });

  it('stateEnter - postpone, nextEvent or a state change from an enter call stop the machine (Beamish, per the OTP rules for state enter calls)', async () => {
    const { node } = testNode();
    const cases: [Result, new (...args: any[]) => Error][] = [
      [{ keepState: true, actions: 'postpone' }, BadActionError],
      [{ keepState: true, actions: { postpone: true } }, BadActionError],
      [{ keepState: true, actions: { nextEvent: 'internal', content: 1 } }, BadActionError],
      [{ nextState: 'c' }, BadReturnValueError],
    ];
    for (const [enterResult, errorClass] of cases) {
      const spec = machine(
        'state_functions',
        () => ({ state: 'a', data: undefined }),
        {
          a: (event) => (event.type === 'call' ? { nextState: 'b' } : { keepState: true }),
          b: (event) => (event.type === 'enter' ? enterResult : { keepState: true }),
          c: () => ({ keepState: true }),
        },
        { stateEnter: true },
      );
      const pid = pidOf(await startMachine(node, spec));
      const error = await GenStatem.call(pid, 'go').catch((e: unknown) => e);
      expect((error as CallExitError).reason).toBeInstanceOf(errorClass);
    }
    // Staying in the state entered, with enter actions, is fine.
    const fine = machine(
      'state_functions',
      () => ({ state: 'a', data: undefined }),
      {
        a: (event) => (event.type === 'enter' ? { nextState: 'a', data: 'entered', actions: [{ postpone: false }, 'hibernate'] } : { keepState: true, actions: { reply: 'ok', to: (event as { from: From<unknown> }).from } }),
      },
      { stateEnter: true },
    );
    const pid = pidOf(await startMachine(node, fine));
    expect(await GenStatem.call(pid, 'go')).toBe('ok');
    expect(await sys.getState(pid)).toEqual({ state: 'a', data: 'entered' });
  });

  it('init - its actions run as the first state is entered; postpone from init is ignored (Beamish, per the OTP init_result type)', async () => {
    const { node } = testNode();
    await node.run(async (ctx) => {
      const report: StateFn = (event) => {
        ctx.send(ctx.self, [event.type, event.content]);
        return { keepState: true };
      };
      const spec = machine('state_functions', () => ({
        state: 'a',
        data: undefined,
        actions: ['postpone', { stateTimeout: 0, content: 'zero' }, { nextEvent: 'internal', content: 'boot' }],
      }), { a: report });
      const pid = pidOf(await startMachine(node, spec));
      GenStatem.cast(pid, 'hello');
      expect(await ctx.receive()).toEqual(['internal', 'boot']);
      expect(await ctx.receive()).toEqual(['state_timeout', 'zero']);
      expect(await ctx.receive()).toEqual(['cast', 'hello']);
    });
  });

  it('UnknownStateError - an event in a state without a function stops the machine (Beamish; OTP exits with undef)', async () => {
    const { node } = testNode();
    const spec = machine('state_functions', () => ({ state: 'a', data: undefined }), {
      a: (event) => (event.type === 'call' ? { nextState: 'nowhere', actions: { reply: 'going', to: event.from } } : { keepState: true }),
    });
    const pid = pidOf(await startMachine(node, spec));
    expect(await GenStatem.call(pid, 'go')).toBe('going');
    const error = await GenStatem.call(pid, 'again').catch((e: unknown) => e);
    expect((error as CallExitError).reason).toBeInstanceOf(UnknownStateError);
    expect(((error as CallExitError).reason as UnknownStateError).state).toBe('nowhere');
  });

  it("hibernate - 'hibernate' and { hibernate } are accepted and ignored (OTP hibernate)", async () => {
    const { node } = testNode();
    const spec = machine('state_functions', () => ({ state: 'idle', data: 0, actions: 'hibernate' }), {
      idle: (event, n) =>
        event.type === 'call' ? { keepState: true, data: n + 1, actions: ['hibernate', { hibernate: true }, { reply: n + 1, to: event.from }] } : { keepState: true },
    });
    const pid = pidOf(await startMachine(node, spec));
    expect(await GenStatem.call(pid, 'hibernate_sync')).toBe(1);
    expect(await GenStatem.call(pid, 'wakeup_sync')).toBe(2);
  });
});

describe('GenStatem calls and replies', () => {
  it('reply - several replies in one result, a deferred reply, and one from another process (Beamish)', async () => {
    const { node } = testNode();
    const spec = machine('state_functions', () => ({ state: 'idle', data: undefined as From<unknown> | undefined }), {
      idle(event, kept, ctx) {
        if (event.type !== 'call') return unexpected(event);
        if (event.content === 'first') return { keepState: true, data: event.from };
        if (event.content === 'second') return { keepState: true, data: undefined, actions: [{ reply: 'one', to: kept! }, { reply: 'two', to: event.from }] };
        if (event.content === 'who') return { keepState: true, actions: { reply: event.from.pid, to: event.from } };
        const from = event.from;
        ctx.spawn(async () => {
          GenStatem.reply(from, 'from another process');
          GenStatem.reply(from, 'twice: ignored');
        });
        return { keepState: true };
      },
    });
    const pid = pidOf(await startMachine(node, spec));
    const first = GenStatem.call(pid, 'first');
    expect(await GenStatem.call(pid, 'second')).toBe('two');
    expect(await first).toBe('one');
    expect(await GenStatem.call(pid, 'later')).toBe('from another process');
    await node.run(async (ctx) => {
      expect(await GenStatem.call(pid, 'who', { caller: ctx })).toBe(ctx.self);
    });
    expect(await GenStatem.call(pid, 'who')).toBeUndefined();
  });

  it('.call() - a machine that exits before replying fails the call with its reason; nobody there is noproc (Beamish)', async () => {
    const { node } = testNode();
    const spec = machine('state_functions', () => ({ state: 'idle', data: undefined }), {
      idle: (event) => (event.type === 'call' ? { stop: 'crashed' } : { keepState: true }),
    });
    const pid = pidOf(await startMachine(node, spec));
    const error = await GenStatem.call(pid, 'die').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CallExitError);
    expect((error as CallExitError).reason).toBe('crashed');
    const noproc = await GenStatem.call(pid, 'again').catch((e: unknown) => e);
    expect((noproc as CallExitError).reason).toBe('noproc');
    const unnamed = await GenStatem.call({ name: 'nobody', node }, 'hello').catch((e: unknown) => e);
    expect((unnamed as CallExitError).reason).toBe('noproc');
    GenStatem.cast({ name: 'nobody', node }, 'dropped'); // a cast to nobody does nothing
  });
});

describe('GenStatem terminate and reports', () => {
  const formatted = {
    formatStatus: (status: any) => ({ state: ['formatted', status.state], data: 'redacted', event: status.event?.type }),
  };

  it('terminate - runs after a callback throws, with the state and data before the event; the report goes through formatStatus (OTP error_format_status)', async () => {
    const { node, reports } = testNode();
    const terminated: unknown[] = [];
    const boom = new Error('boom');
    const spec = machine(
      'state_functions',
      () => ({ state: 'idle', data: 'secret' }),
      {
        idle(event) {
          if (event.type === 'cast') throw boom;
          return { keepState: true, data: 'other secret' };
        },
      },
      { ...formatted, terminate: (reason: unknown, state: unknown, data: unknown) => terminated.push(reason, state, data) },
    );
    const pid = pidOf(await startMachine(node, spec, { name: 'crasher' }));
    GenStatem.cast(pid, 'crash');
    expect(await node.awaitExit(pid)).toBe(boom);
    expect(terminated).toEqual([boom, 'idle', 'secret']);
    const [report] = reportsOf(reports, 'server_terminated');
    expect(report).toMatchObject({
      behaviour: 'GenStatem',
      pid,
      name: 'crasher',
      lastMessage: 'cast',
      state: { state: ['formatted', 'idle'], data: 'redacted' },
      reason: boom,
      callbackMode: 'state_functions',
      stateEnter: false,
      queued: 0,
      postponed: 0,
    });
  });

  it('terminate - what it throws becomes the exit reason, and is reported (OTP terminate_crash_format, undef_in_terminate)', async () => {
    const { node, reports } = testNode();
    const crash = new Error('crash in terminate');
    const spec = machine('state_functions', () => ({ state: 'idle', data: 'crash_terminate' }), { idle: () => ({ keepState: true }) }, {
      terminate: () => {
        throw crash;
      },
    });
    const pid = pidOf(await startMachine(node, spec));
    const error = await GenStatem.stop(pid).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CallExitError);
    expect((error as CallExitError).reason).toBe(crash);
    expect(reportsOf(reports, 'server_terminated').map((report) => report.reason)).toEqual([crash]);
  });

  it("terminate - the parent's exit ends a trapping machine through terminate; a machine not trapping just dies (Beamish, per the OTP terminate on the parent EXIT)", async () => {
    for (const trap of [true, false]) {
      const { node, reports } = testNode();
      const terminated: unknown[] = [];
      const spec = machine(
        'state_functions',
        (ctx) => {
          ctx.trapExit(trap);
          return { state: 'idle', data: undefined };
        },
        { idle: () => ({ keepState: true }) },
        { terminate: (reason: unknown) => terminated.push(reason) },
      );
      let machinePid!: Pid;
      const parent = node.spawn(async (ctx) => {
        machinePid = pidOf(await GenStatem.startLink(ctx, spec as never, undefined));
        await ctx.receive();
      });
      await node.run(async (ctx) => {
        while (machinePid === undefined) await ctx.yield();
      });
      const exited = node.awaitExit(machinePid);
      node.exit(parent, 'shutdown');
      expect(await exited).toBe('shutdown');
      expect(terminated).toEqual(trap ? ['shutdown'] : []);
      expect(reportsOf(reports, 'server_terminated')).toEqual([]);
    }
  });

  it('info - other messages arrive as info events, EXITs of linked processes too when trapping (Beamish)', async () => {
    const { node } = testNode();
    const seen: unknown[] = [];
    const spec = machine(
      'state_functions',
      (ctx) => {
        ctx.trapExit(true);
        return { state: 'idle', data: undefined };
      },
      {
        idle(event, _data, ctx) {
          if (event.type === 'call') {
            ctx.spawnLink(async (child) => child.exit('child done'));
            return { keepState: true, actions: { reply: 'spawned', to: event.from } };
          }
          seen.push(event);
          return { keepState: true };
        },
      },
    );
    const pid = pidOf(await startMachine(node, spec));
    node.send(pid, 'plain message');
    expect(await GenStatem.call(pid, 'spawn')).toBe('spawned');
    await node.run(async (ctx) => {
      while (seen.length < 2) await ctx.yield();
    });
    expect(seen[0]).toEqual({ type: 'info', content: 'plain message' });
    expect(seen[1]).toMatchObject({ type: 'info', content: { reason: 'child done' } });
    expect((seen[1] as { content: unknown }).content).toBeInstanceOf(ExitMessage);
  });
});

describe('GenStatem and sys', () => {
  it('sys.getStatus - the behaviour, the state through formatStatus, and details with the current state (OTP sys1, call_format_status)', async () => {
    const { node } = testNode();
    const spec = machine(
      'handle_event_function',
      () => ({ state: 'idle', data: { password: 'hunter2' }, actions: { genericTimeout: 60_000, name: 'later' } }),
      { idle: () => ({ keepState: true }) },
      { stateEnter: true, formatStatus: () => ({ data: { password: '***' } }) },
    );
    const pid = pidOf(await startMachine(node, spec, { name: 'gstm' }));
    const status = await sys.getStatus({ name: 'gstm', node });
    expect(status).toMatchObject({
      pid,
      behaviour: 'GenStatem',
      name: 'gstm',
      status: 'running',
      state: { state: 'idle', data: { password: '***' } },
      details: { state: 'idle', callbackMode: 'handle_event_function', stateEnter: true, queued: 0, postponed: 0, timeouts: [{ type: 'generic_timeout', name: 'later' }], timeoutCount: 1 },
    });
  });

  it('sys.suspend - events wait while suspended, sys requests are still served (OTP sys1)', async () => {
    const { node } = testNode();
    const pid = pidOf(await startMachine(node, suiteMachine('state_functions')));
    await sys.suspend(pid);
    let answered = false;
    const call = GenStatem.call(pid, 'alive?').then((reply) => {
      answered = true;
      return reply;
    });
    expect(await sys.getState(pid)).toEqual({ state: 'idle', data: 'data' });
    expect((await sys.getStatus(pid)).status).toBe('suspended');
    expect(answered).toBe(false);
    expect(node.processInfo(pid)?.messageQueueLength).toBe(1);
    await sys.resume(pid);
    expect(await call).toBe('yes');
    await stopIt(pid);
  });

  it('sys.getState and sys.replaceState - work on { state, data }, when suspended too; a failing function changes nothing (OTP get_state, replace_state)', async () => {
    const { node } = testNode();
    const pid = pidOf(await startMachine(node, suiteMachine('state_functions')));
    expect(await sys.getState(pid)).toEqual({ state: 'idle', data: 'data' });
    expect(await sys.replaceState<{ state: string; data: unknown }>(pid, ({ state }) => ({ state, data: 'replaced' }))).toEqual({ state: 'idle', data: 'replaced' });
    expect(await sys.replaceState(pid, () => ({ state: 'connected', data: 'replaced again' }), 5000)).toEqual({ state: 'connected', data: 'replaced again' });
    await expect(sys.replaceState(pid, () => { throw new Error('fail'); })).rejects.toThrow('fail');
    await expect(sys.replaceState(pid, () => 'not a state and data' as never)).rejects.toBeInstanceOf(TypeError);
    expect(await sys.getState(pid)).toEqual({ state: 'connected', data: 'replaced again' });
    await sys.suspend(pid);
    expect(await sys.replaceState<{ state: string; data: string }>(pid, ({ state, data }) => ({ state, data: `${data} and again` }))).toEqual({ state: 'connected', data: 'replaced again and again' });
    await sys.resume(pid);
    // The replaced state is the machine's state now: its callback answers.
    expect(await GenStatem.call(pid, { msg: 1 })).toEqual({ ack: 1 });
    await stopIt(pid);
  });

  it('sys.log and sys.statistics - events in, replies out, transitions (Beamish)', async () => {
    const { node } = testNode();
    const pid = pidOf(await startMachine(node, suiteMachine('state_functions')));
    await sys.log(pid, true);
    await sys.statistics(pid, true);
    expect(await GenStatem.call(pid, 'connect')).toBe('accept');
    expect(await GenStatem.call(pid, 'confirm')).toBe('yes');
    const log = await sys.log(pid, 'get');
    expect(log.map((event) => event.kind)).toEqual(['in', 'consume', 'in', 'out', 'consume']);
    expect(log[1]).toMatchObject({ state: 'idle', nextState: 'wfor_conf' });
    expect(await sys.statistics(pid, 'get')).toMatchObject({ messagesIn: 2, messagesOut: 1 });
  });
});

describe('GenStatem arguments', () => {
  it('.start() - throws TypeError for specs that are not a state machine', () => {
    const bad = [
      undefined,
      { init: () => ({ state: 'a', data: 0 }) },
      { callbackMode: 'state_functions', init: () => ({ state: 'a', data: 0 }) },
      { callbackMode: 'handle_event_function', init: () => ({ state: 'a', data: 0 }) },
      { callbackMode: 'state_functions', states: {} },
    ];
    for (const spec of bad) expect(() => GenStatem.start(spec as never, undefined)).toThrow(TypeError);
  });

  it('init - a bad return value fails the start with BadReturnValueError', async () => {
    const { node } = testNode();
    const result = await startMachine(node, machine('state_functions', () => 'nonsense' as never, {}));
    expect(!result.ok && !result.ignored && (result.error as InitFailedError).reason).toBeInstanceOf(BadReturnValueError);
  });
});
