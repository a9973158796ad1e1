import { afterEach, describe, expect, it } from 'vitest';
import {
  AlreadyStartedError,
  BadReturnValueError,
  CallExitError,
  CallTimeoutError,
  configureDefaultNode,
  createRegistry,
  defaultNode,
  DownMessage,
  ExitMessage,
  From,
  GenServer,
  InitExitedError,
  InitFailedError,
  InitTimeoutError,
  reply,
  sys,
  TIMEOUT,
  type BeamishNode,
  type GenServerSpec,
  type LogLevel,
  type Pid,
  type ProcessContext,
  type Report,
  type ServerName,
  type ServerRef,
  type StartResult,
} from '../../src/index.js';
import { idle, reportsOf, testNode } from '../helpers.js';

// Callbacks are typed loosely here: the tests feed them every shape, good and bad.
type AnySpec = GenServerSpec<any, any, any, any, any>;

/** The error of a failed start result; fails the test for any other result. */
function errorOf<E = unknown>(result: StartResult | undefined): E {
  if (result === undefined || result.ok || result.ignored) throw new Error(`expected a failed start, got ${JSON.stringify(result)}`);
  return result.error as E;
}

function pidOf(result: StartResult): Pid {
  if (!result.ok) throw new Error(`expected a started server, got ${JSON.stringify(result)}`);
  return result.pid;
}

/** The error `fn` throws or rejects with; fails the test if it succeeds. */
async function failure(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((settle) => (resolve = settle));
  return { promise, resolve };
}

/** Resolves with the next report of `kind` the node logs (it is still logged as usual). */
function nextReport(node: BeamishNode, kind: string): Promise<{ level: LogLevel; report: Report & Record<string, any> }> {
  const previous = node.logger;
  return new Promise((resolve) => {
    node.logger = {
      log(level, report) {
        previous.log(level, report);
        if (report.kind === kind) {
          node.logger = previous;
          resolve({ level, report: report as Report & Record<string, any> });
        }
      },
    };
  });
}

/** A server that answers every call with the request and keeps a list of what happened. */
function echo(events: unknown[] = []): AnySpec {
  return {
    init: (state) => ({ state }),
    handleCall: (request, _from, state) => ({ reply: request, state }),
    handleCast: (request, state) => {
      events.push({ cast: request });
      return { state };
    },
    handleInfo: (message, state) => {
      events.push({ info: message });
      return { state };
    },
    terminate: (reason) => {
      events.push({ terminate: reason });
    },
  };
}

/**
 * The callback module of OTP's gen_server_SUITE, in Beamish terms: init by argument, and calls,
 * casts and infos by request, so the suite's cases read the same here.
 */
function suiteServer(events: unknown[] = [], onTimeout: () => void = () => {}): AnySpec {
  return {
    init(arg) {
      if (arg === 'ignore') return { ignore: true };
      if (arg === 'stop') return { stop: 'stopped' };
      if (arg === 'sleep') return new Promise(() => {});
      if (typeof arg === 'object' && arg !== null && 'state' in arg) return { state: arg.state };
      return { state: [] };
    },
    handleCall(request, from, state, ctx) {
      switch (request) {
        case 'started_p':
          return { reply: 'ok', state };
        case 'stop':
          return { stop: 'stopped', reply: 'ok', state };
        case 'crash':
          throw new Error('crashed');
        case 'badreturn':
          return 'badreturn' as never;
        case 'shutdown_reason':
          return ctx.exit({ shutdown: 'reason' });
        case 'stop_shutdown_reason':
          return { stop: { shutdown: 'stop_reason' }, state };
        case 'exit_shutdown':
          return ctx.exit('shutdown');
        case 'stop_shutdown':
          return { stop: 'shutdown', state };
        case 'delayed_answer':
          // Answered when the 'answer' cast arrives: the answer comes from a later message.
          return { noreply: true, state: { replyTo: from } };
        case 'next_call':
          return { reply: state === 'call_within' ? 'ok' : false, state: [] };
        default:
          if (typeof request === 'object' && request !== null && 'callWithin' in request) {
            return { reply: 'ok', state: 'call_within', timeout: request.callWithin };
          }
          return { reply: request, state };
      }
    },
    handleCast(request, state, ctx) {
      if (request === 'answer') {
        reply(state.replyTo, 'delayed');
        return { state: [] };
      }
      if (request.do === 'handle_cast') ctx.send(request.from, { from: ctx.self, message: 'handled_cast' });
      if (request.do === 'delayed_cast') ctx.sendAfter(1, request.from, { from: ctx.self, message: 'delayed' });
      if (request.do === 'stop') return { stop: 'normal', state: { notify: request.from } };
      return { state };
    },
    handleInfo(message, state, ctx) {
      if (message === TIMEOUT) {
        events.push('timeout');
        onTimeout();
        return { state: state === 'call_within' ? [] : state };
      }
      const request = message as { do: string; from: Pid };
      if (request.do === 'handle_info') ctx.send(request.from, { from: ctx.self, message: 'handled_info' });
      if (request.do === 'delayed_info') ctx.sendAfter(1, request.from, { from: ctx.self, message: 'delayed_info' });
      if (request.do === 'stop') return { stop: 'normal', state: { notifyInfo: request.from } };
      return { state };
    },
    terminate(reason, state, ctx) {
      events.push({ terminate: reason });
      if (state?.notify !== undefined) ctx.send(state.notify, { from: ctx.self, message: 'stopped' });
      if (state?.notifyInfo !== undefined) ctx.send(state.notifyInfo, { from: ctx.self, message: 'stopped_info' });
      if (state === 'crash_terminate') throw new Error('crash in terminate');
    },
    formatStatus(status) {
      return { state: { formatted: status.state } };
    },
  };
}

/** A matcher for the `{ from, message }` notes the suite server sends. */
const note = (from: Pid, message: string) => (m: unknown) =>
  (m as { from?: Pid; message?: string }).from === from && (m as { message?: string }).message === message;

describe('GenServer.start - synchronous start as a value', () => {
  it('resolves only once init has finished, with { ok: true, pid }', async () => {
    const { node } = testNode();
    const began = deferred();
    const release = deferred();
    let settled = false;
    const starting = GenServer.start(
      {
        async init() {
          began.resolve();
          await release.promise;
          return { state: 'ready' };
        },
      },
      null,
      { node },
    ).then((result) => {
      settled = true;
      return result;
    });
    await began.promise;
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    release.resolve();
    const pid = pidOf(await starting);
    expect(node.isAlive(pid)).toBe(true);
    expect(await sys.getState(pid)).toBe('ready');
  });

  it('init returning { stop } gives InitFailedError and the process exits with that reason', async () => {
    const { node } = testNode();
    let self: Pid | undefined;
    const result = await GenServer.start(
      {
        init(_arg, ctx) {
          self = ctx.self;
          return { stop: 'no_config' };
        },
      },
      null,
      { node },
    );
    expect(result).toMatchObject({ ok: false, ignored: false });
    const error = errorOf<InitFailedError>(result);
    expect(error).toBeInstanceOf(InitFailedError);
    expect(error.code).toBe('init_failed');
    expect(error.reason).toBe('no_config');
    expect(node.isAlive(self!)).toBe(false);
  });

  it('init throwing gives InitExitedError carrying the error', async () => {
    const { node, reports } = testNode();
    const boom = new Error('boom');
    const result = await GenServer.start(
      {
        init() {
          throw boom;
        },
      },
      null,
      { node },
    );
    const error = errorOf<InitExitedError>(result);
    expect(error).toBeInstanceOf(InitExitedError);
    expect(error.code).toBe('init_exited');
    expect(error.reason).toBe(boom);
    expect(error.cause).toBe(boom);
    expect(reportsOf(reports, 'crash_report')).toHaveLength(1);
  });

  it('init calling ctx.exit gives InitExitedError with that reason', async () => {
    const { node } = testNode();
    const result = await GenServer.start({ init: (_arg, ctx) => ctx.exit({ shutdown: 'early' }) }, null, { node });
    expect(errorOf<InitExitedError>(result)).toBeInstanceOf(InitExitedError);
    expect(errorOf<InitExitedError>(result).reason).toEqual({ shutdown: 'early' });
  });

  it('init taking longer than options.timeout gives InitTimeoutError, and the process is gone', async () => {
    const { node } = testNode();
    const self = deferred<Pid>();
    const result = await GenServer.start(
      {
        init(_arg, ctx) {
          self.resolve(ctx.self);
          return new Promise(() => {});
        },
      },
      null,
      { node, timeout: 20, name: 'slow' },
    );
    const error = errorOf<InitTimeoutError>(result);
    expect(error).toBeInstanceOf(InitTimeoutError);
    expect(error.timeout).toBe(20);
    expect(error.code).toBe('init_timeout');
    expect(node.isAlive(await self.promise)).toBe(false);
    expect(node.whereis('slow')).toBeUndefined();
  });

  it('init returning { ignore: true } gives { ok: false, ignored: true } and the process exits normal', async () => {
    const { node } = testNode();
    const self = deferred<Pid>();
    const result = await GenServer.start(
      {
        init(_arg, ctx) {
          self.resolve(ctx.self);
          return { ignore: true };
        },
      },
      null,
      { node },
    );
    expect(result).toEqual({ ok: false, ignored: true });
    expect(node.isAlive(await self.promise)).toBe(false);
  });

  it('init returning something else gives InitFailedError(BadReturnValueError)', async () => {
    const { node } = testNode();
    for (const bad of [42, null, { stat: 1 }, { state: 1, timeout: -5 }]) {
      const result = await GenServer.start({ init: () => bad as never }, null, { node });
      const error = errorOf<InitFailedError>(result);
      expect(error).toBeInstanceOf(InitFailedError);
      expect(error.reason).toBeInstanceOf(BadReturnValueError);
      expect((error.reason as BadReturnValueError).callback).toBe('init');
    }
  });

  it('a name held by another process gives AlreadyStartedError with the holder', async () => {
    const { node } = testNode();
    const holder = node.spawn(idle, { name: 'taken' });
    let initRan = false;
    const result = await GenServer.start(
      {
        init() {
          initRan = true;
          return { state: null };
        },
      },
      null,
      { node, name: 'taken' },
    );
    const error = errorOf<AlreadyStartedError>(result);
    expect(error).toBeInstanceOf(AlreadyStartedError);
    expect(error.code).toBe('already_started');
    expect(error.pid).toBe(holder);
    expect(initRan).toBe(false);
  });

  it('startLink - a failed start kills a caller that does not trap exits, with the reason', async () => {
    const { node } = testNode();
    const caller = node.spawn(async (ctx) => {
      await GenServer.startLink(ctx, { init: () => ({ stop: 'no_database' }) }, null);
      await ctx.receive();
    });
    expect(await node.awaitExit(caller)).toBe('no_database');
  });

  it('startLink - ignore and a normal failure leave a non-trapping caller alive', async () => {
    const { node } = testNode();
    const results = await node.run(async (ctx) => [
      await GenServer.startLink(ctx, { init: () => ({ ignore: true }) }, null),
      await GenServer.startLink(ctx, { init: () => ({ stop: 'normal' }) }, null),
    ]);
    expect(results[0]).toEqual({ ok: false, ignored: true });
    expect(errorOf<InitFailedError>(results[1]).reason).toBe('normal');
  });

  it('startLink - a trapping caller gets every failure as a value and no EXIT in its mailbox', async () => {
    const { node } = testNode();
    const registry = createRegistry<string>(node);
    const holder = node.spawn(idle);
    registry.registerName('held', holder);
    const outcome = await node.run(async (ctx) => {
      ctx.trapExit(true);
      const results = [
        await GenServer.startLink(ctx, { init: () => ({ stop: 'failed' }) }, null),
        await GenServer.startLink(
          ctx,
          {
            init() {
              throw new Error('thrown');
            },
          },
          null,
        ),
        await GenServer.startLink(ctx, { init: () => ({ ignore: true }) }, null),
        await GenServer.startLink(ctx, { init: () => new Promise(() => {}) }, null, { timeout: 5 }),
        await GenServer.startLink(ctx, { init: () => ({ state: 1 }) }, null, { name: { via: registry, name: 'held' } }),
      ];
      return { results, leftover: ctx.tryReceive() };
    });
    const [failed, thrown, ignored, timedOut, taken] = outcome.results;
    expect(errorOf<unknown>(failed)).toBeInstanceOf(InitFailedError);
    expect(errorOf<unknown>(thrown)).toBeInstanceOf(InitExitedError);
    expect(ignored).toEqual({ ok: false, ignored: true });
    expect(errorOf<unknown>(timedOut)).toBeInstanceOf(InitTimeoutError);
    expect(errorOf<AlreadyStartedError>(taken).pid).toBe(holder);
    expect(outcome.leftover).toBe(TIMEOUT);
  });

  it('startLink - a caller that dies while init runs past its timeout is no trouble: the server is killed at the timeout', async () => {
    const { node } = testNode();
    const server = deferred<Pid>();
    const caller = node.spawn(async (ctx) => {
      await GenServer.startLink(
        ctx,
        {
          init(_arg, serverCtx) {
            // Traps exits, so the caller's death does not end it while init hangs.
            serverCtx.trapExit(true);
            server.resolve(serverCtx.self);
            return new Promise(() => {});
          },
        },
        null,
        { timeout: 100 },
      );
    });
    const pid = await server.promise;
    node.exit(caller, 'kill');
    expect(node.isAlive(pid)).toBe(true);
    expect(await node.awaitExit(pid)).toBe('killed');
  });

  it('startLink - the server knows its parent: sys.getStatus shows it', async () => {
    const { node } = testNode();
    const { parent, status } = await node.run(async (ctx) => {
      const pid = pidOf(await GenServer.startLink(ctx, echo(), null));
      return { parent: ctx.self, status: await sys.getStatus(pid) };
    });
    expect(status.parent).toBe(parent);
  });

  it("start - an unlinked server's parent is its node, whose exit signal terminates it when trapping", async () => {
    const { node } = testNode();
    const events: unknown[] = [];
    const pid = pidOf(await GenServer.start({ ...echo(events), init: (_a, c) => (c.trapExit(true), { state: null }) }, null, { node }));
    expect((await sys.getStatus(pid)).parent).toBe(node.pid);
    const exited = node.awaitExit(pid);
    node.exit(pid, 'shutdown');
    expect(await exited).toBe('shutdown');
    expect(events).toEqual([{ terminate: 'shutdown' }]);
  });
});

describe('GenServer.call - replies', () => {
  it('handleCall - { reply } answers at once, with the state carried to the next message', async () => {
    const { node } = testNode();
    const counter: AnySpec = {
      init: (n: number) => ({ state: n }),
      handleCall: (request: number, _from, state: number) => ({ reply: state + request, state: state + request }),
    };
    const pid = pidOf(await GenServer.start(counter, 10, { node }));
    expect(await GenServer.call(pid, 1)).toBe(11);
    expect(await GenServer.call(pid, 5)).toBe(16);
  });

  it('handleCall - { noreply } and reply(from) later, from another process', async () => {
    const { node } = testNode();
    const spec: AnySpec = {
      init: () => ({ state: 0 }),
      handleCall(request: number, from, state, ctx) {
        ctx.spawn(async (helper) => {
          await helper.yield();
          reply(from, request * 2);
        });
        return { noreply: true, state };
      },
    };
    const pid = pidOf(await GenServer.start(spec, null, { node }));
    expect(await GenServer.call(pid, 21)).toBe(42);
  });

  it('handleCall - the From names the caller when the caller names itself', async () => {
    const { node } = testNode();
    const spec: AnySpec = { init: () => ({ state: null }), handleCall: (_r, from: From) => ({ reply: from.pid, state: null }) };
    const pid = pidOf(await GenServer.start(spec, null, { node }));
    const { self, seen } = await node.run(async (ctx) => ({ self: ctx.self, seen: await GenServer.call(pid, 'who', { caller: ctx }) }));
    expect(seen).toBe(self);
    expect(await GenServer.call(pid, 'who')).toBeUndefined();
  });

  it('handleCall - { stop, reply } sends the reply after terminate ran', async () => {
    const { node } = testNode();
    const events: string[] = [];
    const spec: AnySpec = {
      init: () => ({ state: null }),
      handleCall: (_request, _from, state) => ({ stop: 'normal', reply: 'bye', state }),
      async terminate(_reason, _state, ctx) {
        for (let i = 0; i < 5; i++) await ctx.yield();
        events.push('terminate');
      },
    };
    const pid = pidOf(await GenServer.start(spec, null, { node }));
    const exited = node.awaitExit(pid);
    const answer = await GenServer.call(pid, 'stop').then((value) => {
      events.push('reply');
      return value;
    });
    expect(answer).toBe('bye');
    expect(events).toEqual(['terminate', 'reply']);
    expect(await exited).toBe('normal');
  });

  it('handleCall - { stop } without a reply fails the call with the stop reason', async () => {
    const { node } = testNode();
    const spec: AnySpec = { init: () => ({ state: null }), handleCall: (_r, _f, state) => ({ stop: { shutdown: 'asked' }, state }) };
    const pid = pidOf(await GenServer.start(spec, null, { node }));
    const error = (await failure(() => GenServer.call(pid, 'stop'))) as CallExitError;
    expect(error).toBeInstanceOf(CallExitError);
    expect(error.reason).toEqual({ shutdown: 'asked' });
    expect(error.server).toBe(pid);
    expect(error.request).toBe('stop');
  });

  it('handleCall - replying twice, or after the caller gave up, does nothing', async () => {
    const { node } = testNode();
    const spec: AnySpec = {
      init: () => ({ state: null }),
      handleCall(_request, from) {
        reply(from, 'first');
        reply(from, 'second');
        expect(from.pending).toBe(false);
        return { reply: 'third', state: null };
      },
    };
    const pid = pidOf(await GenServer.start(spec, null, { node }));
    expect(await GenServer.call(pid, 'x')).toBe('first');
  });
});

describe('GenServer.call - failures', () => {
  it("a dead pid or an unknown name fails with CallExitError reason 'noproc'", async () => {
    const { node } = testNode();
    const dead = node.spawn(() => undefined);
    await node.awaitExit(dead);
    const registry = createRegistry<string>(node);
    for (const server of [dead, { name: 'nobody', node }, { via: registry, name: 'nobody' }]) {
      const error = (await failure(() => GenServer.call(server, 'hello'))) as CallExitError;
      expect(error).toBeInstanceOf(CallExitError);
      expect(error.code).toBe('call_exit');
      expect(error.reason).toBe('noproc');
      expect(error.server).toBe(server);
      expect(error.request).toBe('hello');
    }
  });

  it('a server that dies during the call fails it with its exit reason', async () => {
    const { node } = testNode();
    const spec: AnySpec = { init: () => ({ state: null }), handleCall: () => ({ noreply: true, state: null }) };
    const pid = pidOf(await GenServer.start(spec, null, { node }));
    const calling = failure(() => GenServer.call(pid, 'hang', Infinity));
    await node.run((ctx) => ctx.yield());
    node.exit(pid, 'disk_full');
    const error = (await calling) as CallExitError;
    expect(error).toBeInstanceOf(CallExitError);
    expect(error.reason).toBe('disk_full');
  });

  it('a handleCall that throws fails the call with the error, which is its cause', async () => {
    const { node } = testNode();
    const pid = pidOf(await GenServer.start(suiteServer(), null, { node }));
    const error = (await failure(() => GenServer.call(pid, 'crash'))) as CallExitError;
    expect((error.reason as Error).message).toBe('crashed');
    expect(error.cause).toBe(error.reason);
  });

  it('timeout - CallTimeoutError carries server, request and timeout; the late reply is dropped', async () => {
    const { node } = testNode();
    const held: From[] = [];
    const spec: AnySpec = {
      init: () => ({ state: null }),
      handleCall(request, from) {
        if (request === 'slow') {
          held.push(from);
          return { noreply: true, state: null };
        }
        return { reply: request, state: null };
      },
      handleCast() {
        for (const from of held) reply(from, 'late');
        return { state: null };
      },
    };
    const pid = pidOf(await GenServer.start(spec, null, { node }));
    const outcome = await node.run(async (ctx) => {
      const error = await failure(() => GenServer.call(pid, 'slow', { timeout: 10, caller: ctx }));
      GenServer.cast(pid, 'reply now');
      // A later call is answered with its own reply, not the stale one.
      const next = await GenServer.call(pid, 'fresh', { caller: ctx });
      return { error, next, leftover: ctx.tryReceive() };
    });
    const error = outcome.error as CallTimeoutError;
    expect(error).toBeInstanceOf(CallTimeoutError);
    expect(error.code).toBe('call_timeout');
    expect(error.server).toBe(pid);
    expect(error.request).toBe('slow');
    expect(error.timeout).toBe(10);
    expect(outcome.next).toBe('fresh');
    expect(outcome.leftover).toBe(TIMEOUT);
    expect(held[0]!.pending).toBe(false);
    expect(node.isAlive(pid)).toBe(true);
  });

  it('timeout - a call from plain code times out the same way', async () => {
    const { node } = testNode();
    const spec: AnySpec = { init: () => ({ state: null }), handleCall: () => ({ noreply: true, state: null }) };
    const pid = pidOf(await GenServer.start(spec, null, { node }));
    const error = (await failure(() => GenServer.call(pid, 'x', 5))) as CallTimeoutError;
    expect(error).toBeInstanceOf(CallTimeoutError);
    expect(error.message).toContain('5 ms');
  });

  it('a handleCall returning a bad value crashes the server with BadReturnValueError', async () => {
    const { node, reports } = testNode();
    const pid = pidOf(await GenServer.start(suiteServer(), null, { node }));
    const error = (await failure(() => GenServer.call(pid, 'badreturn'))) as CallExitError;
    expect(error.reason).toBeInstanceOf(BadReturnValueError);
    expect((error.reason as BadReturnValueError).value).toBe('badreturn');
    expect((error.reason as BadReturnValueError).callback).toBe('handleCall');
    expect(reportsOf(reports, 'server_terminated')).toHaveLength(1);
  });

  it('a call to a server on a node that has stopped fails with noproc', async () => {
    const { node } = testNode();
    const pid = pidOf(await GenServer.start(echo(), null, { node, name: 'gone' }));
    await node.stop();
    for (const server of [pid, { name: 'gone', node }]) {
      expect(((await failure(() => GenServer.call(server, 'x'))) as CallExitError).reason).toBe('noproc');
    }
  });
});

describe('GenServer.cast, handleInfo, handleContinue and idle timeouts', () => {
  it('handleCast - handles casts in order, and a cast to nobody does nothing', async () => {
    const { node } = testNode();
    const events: unknown[] = [];
    const pid = pidOf(await GenServer.start(echo(events), null, { node }));
    GenServer.cast(pid, 1);
    GenServer.cast(pid, 2);
    await GenServer.call(pid, 'sync');
    expect(events).toEqual([{ cast: 1 }, { cast: 2 }]);
    const dead = node.spawn(() => undefined);
    await node.awaitExit(dead);
    expect(GenServer.cast(dead, 'x')).toBeUndefined();
    expect(GenServer.cast({ name: 'nobody', node }, 'x')).toBeUndefined();
    expect(GenServer.cast({ via: createRegistry(node), name: 'nobody' }, 'x')).toBeUndefined();
  });

  it('handleInfo - gets plain messages, monitors’ DOWNs and trapped EXITs of non-parents', async () => {
    const { node } = testNode();
    const events: unknown[] = [];
    const watched = node.spawn(idle);
    const spec: AnySpec = {
      init(_arg, ctx) {
        ctx.trapExit(true);
        ctx.monitor(watched);
        const linked = ctx.spawnLink(async (child) => {
          await child.receive();
          child.exit('linked_done');
        });
        return { state: linked };
      },
      handleCall: (_r, _f, state) => ({ reply: state, state }),
      handleInfo(message, state) {
        events.push(message);
        return { state };
      },
    };
    const pid = pidOf(await GenServer.start(spec, null, { node }));
    const linked = (await GenServer.call(pid, 'linked')) as Pid;
    node.send(pid, 'plain');
    node.exit(watched, 'watched_done');
    node.send(linked, 'go');
    await node.awaitExit(linked);
    await GenServer.call(pid, 'sync');
    expect(events[0]).toBe('plain');
    expect(events[1]).toBeInstanceOf(DownMessage);
    expect(events[1]).toMatchObject({ pid: watched, reason: 'watched_done' });
    expect(events[2]).toBeInstanceOf(ExitMessage);
    expect(events[2]).toMatchObject({ from: linked, reason: 'linked_done' });
  });

  it("handleInfo - without it, a stray message is logged as 'unexpected_message' (warning) and dropped", async () => {
    const { node, reports } = testNode();
    const pid = pidOf(await GenServer.start({ name: 'quiet', init: () => ({ state: 1 }), handleCall: (_r, _f, s) => ({ reply: s, state: s }) }, null, { node }));
    node.send(pid, { stray: true });
    expect(await GenServer.call(pid, 'still alive')).toBe(1);
    const [entry] = reports.filter((r) => r.report.kind === 'unexpected_message');
    expect(entry?.level).toBe('warning');
    expect(entry?.report).toMatchObject({ behaviour: 'GenServer', pid, name: pid, message: { stray: true } });
  });

  it('handleContinue - runs before the next message, after init and after a callback (gen_server_SUITE:continue)', async () => {
    const { node } = testNode();
    const events: unknown[] = [];
    const spec: AnySpec = {
      init: () => ({ state: null, continue: 'from init' }),
      handleCast(request, state) {
        events.push(request);
        return request === 'a' ? { state, continue: 'after a' } : { state };
      },
      handleContinue(arg, state) {
        events.push({ continue: arg });
        return { state };
      },
      handleCall: (_r, _f, state) => ({ reply: 'ok', state }),
    };
    // Both casts are queued before the server runs at all.
    const pid = pidOf(await GenServer.start(spec, null, { node }));
    GenServer.cast(pid, 'a');
    GenServer.cast(pid, 'b');
    await GenServer.call(pid, 'sync');
    expect(events).toEqual([{ continue: 'from init' }, 'a', { continue: 'after a' }, 'b']);
  });

  it('handleContinue - may chain another continue, and its absence crashes the server', async () => {
    const { node } = testNode();
    const chain: AnySpec = {
      init: () => ({ state: 0, continue: 3 }),
      handleContinue: (n: number, state: number) => (n > 0 ? { state: state + 1, continue: n - 1 } : { state }),
      handleCall: (_r, _f, state) => ({ reply: state, state }),
    };
    expect(await GenServer.call(pidOf(await GenServer.start(chain, null, { node })), 'count')).toBe(3);
    const missing = pidOf(await GenServer.start({ init: () => ({ state: 0, continue: 'x' }) }, null, { node }));
    expect(((await node.awaitExit(missing)) as Error).message).toContain('handleContinue');
  });

  it('idle timeout - handleInfo gets TIMEOUT when nothing arrives in time', async () => {
    const { node } = testNode();
    const timedOut = deferred<unknown>();
    const spec: AnySpec = {
      init: () => ({ state: 'waiting', timeout: 5 }),
      handleInfo(message) {
        timedOut.resolve(message);
        return { state: 'timed out' };
      },
      handleCall: (_r, _f, state) => ({ reply: state, state }),
    };
    const pid = pidOf(await GenServer.start(spec, null, { node }));
    expect(await timedOut.promise).toBe(TIMEOUT);
    expect(await GenServer.call(pid, 'state')).toBe('timed out');
  });

  it('idle timeout 0 - TIMEOUT at once when nothing is queued, without starving the event loop', async () => {
    const { node } = testNode();
    let count = 0;
    const spec: AnySpec = {
      init: () => ({ state: null, timeout: 0 }),
      handleInfo(message, state) {
        expect(message).toBe(TIMEOUT);
        count++;
        return count < 100_000 ? { state, timeout: 0 } : { state };
      },
      handleCall: (_request, _from, state) => ({ reply: count, state }),
    };
    const pid = pidOf(await GenServer.start(spec, null, { node }));
    const seenByTimer = await new Promise<number>((resolve) => setTimeout(() => resolve(count), 0));
    expect(seenByTimer).toBeLessThan(100_000);
    // A queued message is taken instead of TIMEOUT; the call's result has no timeout, so the chain ends.
    const atCall = (await GenServer.call(pid, 'count')) as number;
    expect(atCall).toBeGreaterThanOrEqual(seenByTimer);
    expect(await GenServer.call(pid, 'count')).toBe(atCall);
  });

  it('idle timeout - holds for one wait only: a result without timeout clears it', async () => {
    const { node } = testNode();
    const spec: AnySpec = {
      init: () => ({ state: null, timeout: 60_000 }),
      handleCall: (request, _f, state) => (request === 'arm' ? { reply: 'ok', state, timeout: 30_000 } : { reply: 'ok', state }),
    };
    const pid = pidOf(await GenServer.start(spec, null, { node }));
    expect((await sys.getStatus(pid)).details).toEqual({ idleTimeout: 60_000 });
    await GenServer.call(pid, 'plain');
    expect((await sys.getStatus(pid)).details).toEqual({ idleTimeout: Infinity });
    await GenServer.call(pid, 'arm');
    expect((await sys.getStatus(pid)).details).toEqual({ idleTimeout: 30_000 });
  });

  it('idle timeout - without handleInfo, TIMEOUT is reported once and the timeout is cleared', async () => {
    const { node } = testNode();
    const warned = nextReport(node, 'unexpected_message');
    const pid = pidOf(await GenServer.start({ init: () => ({ state: null, timeout: 1 }), handleCall: (_r, _f, s) => ({ reply: s, state: s }) }, null, { node }));
    expect((await warned).report.message).toBe(TIMEOUT);
    expect((await sys.getStatus(pid)).details).toEqual({ idleTimeout: Infinity });
  });

  it('async callbacks run one at a time; messages queue meanwhile and are handled in order', async () => {
    const { node } = testNode();
    const events: string[] = [];
    const gate = deferred();
    const entered = deferred();
    const spec: AnySpec = {
      init: () => ({ state: null }),
      async handleCast(request: string, state) {
        events.push(`start ${request}`);
        if (request === 'slow') {
          entered.resolve();
          await gate.promise;
        }
        events.push(`end ${request}`);
        return { state };
      },
      async handleCall(request: string, _from, state) {
        events.push(`call ${request}`);
        return { reply: request, state };
      },
      handleInfo(message: string, state) {
        events.push(`info ${message}`);
        return { state };
      },
    };
    const pid = pidOf(await GenServer.start(spec, null, { node }));
    GenServer.cast(pid, 'slow');
    await entered.promise;
    GenServer.cast(pid, 'second');
    node.send(pid, 'third');
    const answer = GenServer.call(pid, 'fourth');
    expect(node.processInfo(pid)?.messageQueueLength).toBe(3);
    expect(events).toEqual(['start slow']);
    gate.resolve();
    expect(await answer).toBe('fourth');
    expect(events).toEqual(['start slow', 'end slow', 'start second', 'end second', 'info third', 'call fourth']);
  });
});

describe('GenServer terminate', () => {
  function terminating(events: unknown[], trap = false): AnySpec {
    return {
      init(_arg, ctx) {
        if (trap) ctx.trapExit(true);
        return { state: 'the state' };
      },
      handleCall(request, _from, state) {
        if (request === 'throw') throw new Error('callback failed');
        return { stop: request, state };
      },
      handleCast: (request, state) => ({ stop: request, state }),
      handleInfo: (message, state) => ({ stop: message, state }),
      terminate(reason, state) {
        events.push({ reason, state });
      },
    };
  }

  it('runs on stop results from handleCall, handleCast and handleInfo, with the reason and state', async () => {
    const { node } = testNode();
    const events: unknown[] = [];
    for (const send of [
      (pid: Pid) => void GenServer.call(pid, 'by_call').catch(() => {}),
      (pid: Pid) => GenServer.cast(pid, 'by_cast'),
      (pid: Pid) => node.send(pid, 'by_info'),
    ]) {
      const pid = pidOf(await GenServer.start(terminating(events), null, { node }));
      send(pid);
      await node.awaitExit(pid);
    }
    expect(events).toEqual([
      { reason: 'by_call', state: 'the state' },
      { reason: 'by_cast', state: 'the state' },
      { reason: 'by_info', state: 'the state' },
    ]);
  });

  it('runs on GenServer.stop, which resolves once the server is gone', async () => {
    const { node } = testNode();
    const events: unknown[] = [];
    const pid = pidOf(await GenServer.start(terminating(events), null, { node }));
    await GenServer.stop(pid, { shutdown: 'asked' });
    expect(node.isAlive(pid)).toBe(false);
    expect(events).toEqual([{ reason: { shutdown: 'asked' }, state: 'the state' }]);
  });

  it('runs when a callback throws, and the server exits with the error and a server_terminated report', async () => {
    const { node, reports } = testNode();
    const events: unknown[] = [];
    const pid = pidOf(await GenServer.start(terminating(events), null, { node }));
    const exited = node.awaitExit(pid);
    await failure(() => GenServer.call(pid, 'throw'));
    const reason = (await exited) as Error;
    expect(reason.message).toBe('callback failed');
    expect(events).toEqual([{ reason, state: 'the state' }]);
    const [report] = reportsOf(reports, 'server_terminated');
    expect(report).toMatchObject({ behaviour: 'GenServer', pid, reason, state: 'the state' });
    expect(reports.find((r) => r.report.kind === 'server_terminated')?.level).toBe('error');
  });

  it("runs on the parent's exit when trapping exits, with the parent's reason", async () => {
    const { node } = testNode();
    const events: unknown[] = [];
    const started = deferred<Pid>();
    const parent = node.spawn(async (ctx) => {
      started.resolve(pidOf(await GenServer.startLink(ctx, terminating(events, true), null)));
      await ctx.receive();
      ctx.exit('parent_gone');
    });
    const pid = await started.promise;
    const exited = node.awaitExit(pid);
    node.send(parent, 'go');
    expect(await exited).toBe('parent_gone');
    expect(events).toEqual([{ reason: 'parent_gone', state: 'the state' }]);
  });

  it("does not run on the parent's exit when not trapping, nor on kill", async () => {
    const { node } = testNode();
    const events: unknown[] = [];
    const started = deferred<Pid>();
    const parent = node.spawn(async (ctx) => {
      started.resolve(pidOf(await GenServer.startLink(ctx, terminating(events), null)));
      await ctx.receive();
      ctx.exit('parent_gone');
    });
    const linked = await started.promise;
    node.send(parent, 'go');
    expect(await node.awaitExit(linked)).toBe('parent_gone');
    const trapping = pidOf(await GenServer.start(terminating(events, true), null, { node }));
    const killed = node.awaitExit(trapping);
    node.exit(trapping, 'kill');
    expect(await killed).toBe('killed');
    expect(events).toEqual([]);
  });

  it('an exit signal from a non-parent reaches a trapping server as handleInfo, not terminate', async () => {
    const { node } = testNode();
    const events: unknown[] = [];
    const pid = pidOf(await GenServer.start(echo(events), null, { node }));
    await node.run(async (ctx) => {
      // The echo server does not trap exits: this one does.
      const trapping = pidOf(await GenServer.start({ ...echo(events), init: (_a, c) => (c.trapExit(true), { state: null }) }, null, { node }));
      ctx.exit(trapping, 'not_from_parent');
      await GenServer.call(trapping, 'sync');
    });
    expect(events).toEqual([{ info: expect.any(ExitMessage) }]);
    expect((events[0] as { info: ExitMessage }).info.reason).toBe('not_from_parent');
    expect(node.isAlive(pid)).toBe(true);
  });

  it('terminate that throws makes that error the exit reason', async () => {
    const { node } = testNode();
    const broken = new Error('terminate failed');
    const spec: AnySpec = {
      init: () => ({ state: null }),
      terminate() {
        throw broken;
      },
    };
    const pid = pidOf(await GenServer.start(spec, null, { node }));
    expect(((await failure(() => GenServer.stop(pid))) as CallExitError).reason).toBe(broken);
  });

  it('normal and shutdown reasons are not reported; others are', async () => {
    const { node, reports } = testNode();
    for (const reason of ['normal', 'shutdown', { shutdown: 'x' }, 'abnormal']) {
      const pid = pidOf(await GenServer.start(terminating([]), null, { node }));
      GenServer.cast(pid, reason);
      await node.awaitExit(pid);
    }
    const terminated = reportsOf(reports, 'server_terminated');
    expect(terminated.map((r) => r.reason)).toEqual(['abnormal']);
  });

  it('a bad timeout in a result is a bad return value: terminate runs and the server reports it', async () => {
    const { node, reports } = testNode();
    const events: unknown[] = [];
    const spec: AnySpec = {
      init: () => ({ state: 'kept' }),
      handleCast: (_r, state) => ({ state, timeout: -1 }),
      terminate(reason) {
        events.push(reason);
      },
    };
    const pid = pidOf(await GenServer.start(spec, null, { node }));
    GenServer.cast(pid, 'x');
    const reason = await node.awaitExit(pid);
    expect(reason).toBeInstanceOf(BadReturnValueError);
    expect(events).toEqual([reason]);
    expect(reportsOf(reports, 'server_terminated')).toHaveLength(1);
    expect(reportsOf(reports, 'crash_report')).toHaveLength(0);
  });
});

describe('GenServer.stop', () => {
  it('with a timeout: CallTimeoutError while terminate is still running, and the server is left to finish', async () => {
    const { node } = testNode();
    const gate = deferred();
    const spec: AnySpec = {
      init: () => ({ state: null }),
      async terminate() {
        await gate.promise;
      },
    };
    const pid = pidOf(await GenServer.start(spec, null, { node }));
    const error = (await failure(() => GenServer.stop(pid, 'normal', 10))) as CallTimeoutError;
    expect(error).toBeInstanceOf(CallTimeoutError);
    expect(error.timeout).toBe(10);
    expect(error.request).toEqual({ stop: 'normal' });
    expect(node.isAlive(pid)).toBe(true);
    const exited = node.awaitExit(pid);
    gate.resolve();
    expect(await exited).toBe('normal');
  });

  it("rejects with CallExitError 'noproc' when nobody is there", async () => {
    const { node } = testNode();
    const error = (await failure(() => GenServer.stop({ name: 'nobody', node }))) as CallExitError;
    expect(error).toBeInstanceOf(CallExitError);
    expect(error.reason).toBe('noproc');
  });

  it('works on a suspended server (sys requests are still handled)', async () => {
    const { node } = testNode();
    const events: unknown[] = [];
    const pid = pidOf(await GenServer.start(echo(events), null, { node }));
    await sys.suspend(pid);
    await GenServer.stop(pid, 'shutdown');
    expect(events).toEqual([{ terminate: 'shutdown' }]);
  });
});

describe('GenServer names', () => {
  it('{ name, node } - registers on that node; call, cast, whereis and stop by it', async () => {
    const { node } = testNode();
    const events: unknown[] = [];
    const pid = pidOf(await GenServer.start(echo(events), null, { node, name: 'named' }));
    const ref = { name: 'named', node };
    expect(node.whereis('named')).toBe(pid);
    expect(GenServer.whereis(ref)).toBe(pid);
    expect(await GenServer.call(ref, 'hi')).toBe('hi');
    GenServer.cast(ref, 'c');
    await GenServer.stop(ref);
    expect(events).toEqual([{ cast: 'c' }, { terminate: 'normal' }]);
    expect(GenServer.whereis(ref)).toBeUndefined();
    expect(node.whereis('named')).toBeUndefined();
  });

  it('{ via, name } - registers in a createRegistry registry, which releases the name on exit', async () => {
    const { node } = testNode();
    const registry = createRegistry<{ room: string } | string>(node);
    const ref = { via: registry, name: 'lobby' };
    const pid = pidOf(await GenServer.start(echo(), null, { node, name: ref }));
    expect(registry.whereisName('lobby')).toBe(pid);
    expect(GenServer.whereis(ref)).toBe(pid);
    expect(await GenServer.call(ref, 'hi')).toBe('hi');
    const again = await GenServer.start(echo(), null, { node, name: ref });
    expect(errorOf<AlreadyStartedError>(again).pid).toBe(pid);
    node.exit(pid, 'kill');
    expect(registry.whereisName('lobby')).toBeUndefined();
    expect(registry.keys()).toEqual([]);
    const next = pidOf(await GenServer.start(echo(), null, { node, name: ref }));
    expect(registry.whereisName('lobby')).toBe(next);
  });

  it('createRegistry - serves processes of any node, releasing their names when they exit', async () => {
    const { node } = testNode();
    const { node: other } = testNode();
    const registry = createRegistry<string>(node);
    const pid = pidOf(await GenServer.start(echo(), null, { node: other, name: { via: registry, name: 'elsewhere' } }));
    await GenServer.call(pid, 'sync');
    expect(registry.whereisName('elsewhere')).toBe(pid);
    expect(await GenServer.call({ via: registry, name: 'elsewhere' }, 'hi')).toBe('hi');
    registry.unregisterName('elsewhere');
    expect(registry.registerName('again', pid)).toBe(true);
    await GenServer.stop(pid);
    expect(registry.keys()).toEqual([]);
  });

  it('a server is named in reports by its name, or by its pid when it has none', async () => {
    const { node, reports } = testNode();
    const crashing: AnySpec = {
      init: () => ({ state: null }),
      handleCast() {
        throw new Error('x');
      },
    };
    const named = pidOf(await GenServer.start(crashing, null, { node, name: 'crasher' }));
    const anonymous = pidOf(await GenServer.start(crashing, null, { node }));
    for (const pid of [named, anonymous]) {
      GenServer.cast(pid, 'crash');
      await node.awaitExit(pid);
    }
    expect(reportsOf(reports, 'server_terminated').map((r) => r.name)).toEqual(['crasher', anonymous]);
  });
});

describe('GenServer on the default node', () => {
  afterEach(async () => {
    await defaultNode().stop({ timeout: 500 });
  });

  it('a string name addresses the default node: call, cast, whereis, stop (gen_server_SUITE:stop4)', async () => {
    await defaultNode().stop();
    configureDefaultNode({ handleSignals: false, logger: { log() {} } });
    const events: unknown[] = [];
    const pid = pidOf(await GenServer.start(echo(events), null, { name: 'to_stop' }));
    expect(GenServer.whereis('to_stop')).toBe(pid);
    expect(await GenServer.call('to_stop', 'hi')).toBe('hi');
    GenServer.cast('to_stop', 'c');
    await GenServer.stop('to_stop');
    expect(defaultNode().isAlive(pid)).toBe(false);
    expect(events).toEqual([{ cast: 'c' }, { terminate: 'normal' }]);
    expect(((await failure(() => GenServer.stop('to_stop'))) as CallExitError).reason).toBe('noproc');
  });
});

describe('formatStatus', () => {
  const secretive: AnySpec = {
    init: () => ({ state: { user: 'ann', password: 'hunter2' } }),
    handleCast() {
      throw new Error('crash');
    },
    formatStatus: (status) => ({ state: { ...status.state, password: '***' }, message: '<redacted>' }),
  };

  it('redacts the state and last message in the server_terminated report', async () => {
    const { node, reports } = testNode();
    const pid = pidOf(await GenServer.start(secretive, null, { node }));
    GenServer.cast(pid, { card: '4111' });
    await node.awaitExit(pid);
    const [report] = reportsOf(reports, 'server_terminated');
    expect(report?.state).toEqual({ user: 'ann', password: '***' });
    expect(report?.lastMessage).toBe('<redacted>');
  });

  it('redacts the state in sys.getStatus, while sys.getState shows it as it is', async () => {
    const { node } = testNode();
    const pid = pidOf(await GenServer.start(secretive, null, { node }));
    expect((await sys.getStatus(pid)).state).toEqual({ user: 'ann', password: '***' });
    expect(await sys.getState(pid)).toEqual({ user: 'ann', password: 'hunter2' });
  });

  it('a formatStatus that throws shows nothing of the state', async () => {
    const { node, reports } = testNode();
    const pid = pidOf(
      await GenServer.start(
        {
          ...secretive,
          formatStatus() {
            throw new Error('format failed');
          },
        },
        null,
        { node },
      ),
    );
    expect(JSON.stringify((await sys.getStatus(pid)).state)).not.toContain('hunter2');
    GenServer.cast(pid, 'crash');
    await node.awaitExit(pid);
    const [report] = reportsOf(reports, 'server_terminated');
    expect(JSON.stringify([report?.state, report?.lastMessage])).not.toContain('hunter2');
  });
});

describe('sys on a GenServer', () => {
  it('getState and replaceState; a replace function that throws leaves the state and throws to the caller', async () => {
    const { node } = testNode();
    const pid = pidOf(await GenServer.start(echo(), { count: 1 }, { node }));
    expect(await sys.getState(pid)).toEqual({ count: 1 });
    expect(await sys.replaceState<{ count: number }>(pid, (s) => ({ count: s.count + 1 }))).toEqual({ count: 2 });
    const oops = new Error('replace failed');
    const error = await failure(() =>
      sys.replaceState(pid, () => {
        throw oops;
      }),
    );
    expect(error).toBe(oops);
    expect(await sys.getState(pid)).toEqual({ count: 2 });
  });

  it('getStatus - behaviour, name, status, parent, formatted state, details and log', async () => {
    const { node } = testNode();
    const pid = pidOf(await GenServer.start(echo(), 's', { node, name: 'st' }));
    expect(await sys.getStatus(pid)).toEqual({
      pid,
      behaviour: 'GenServer',
      name: 'st',
      status: 'running',
      parent: node.pid,
      state: 's',
      details: { idleTimeout: Infinity },
      log: [],
    });
  });

  it('suspend - messages queue and calls time out; resume handles them in order', async () => {
    const { node } = testNode();
    const events: unknown[] = [];
    const pid = pidOf(await GenServer.start(echo(events), null, { node }));
    await sys.suspend(pid);
    expect((await sys.getStatus(pid)).status).toBe('suspended');
    GenServer.cast(pid, 'while suspended');
    node.send(pid, 'info while suspended');
    const error = await failure(() => GenServer.call(pid, 'times out', 10));
    expect(error).toBeInstanceOf(CallTimeoutError);
    expect(events).toEqual([]);
    expect(await sys.getState(pid)).toBeNull();
    await sys.resume(pid);
    expect(await GenServer.call(pid, 'after')).toBe('after');
    expect(events).toEqual([{ cast: 'while suspended' }, { info: 'info while suspended' }]);
    expect((await sys.getStatus(pid)).status).toBe('running');
  });

  it("suspend - the parent's EXIT still terminates a suspended trapping server", async () => {
    const { node } = testNode();
    const events: unknown[] = [];
    const started = deferred<Pid>();
    const parent = node.spawn(async (ctx) => {
      const pid = pidOf(await GenServer.startLink(ctx, { ...echo(events), init: (_a, c) => (c.trapExit(true), { state: null }) }, null));
      await sys.suspend(pid);
      started.resolve(pid);
      await ctx.receive();
      ctx.exit('parent_gone');
    });
    const pid = await started.promise;
    node.send(parent, 'go');
    expect(await node.awaitExit(pid)).toBe('parent_gone');
    expect(events).toEqual([{ terminate: 'parent_gone' }]);
  });

  it('statistics - counts messages in and replies out while on', async () => {
    const { node } = testNode();
    const pid = pidOf(await GenServer.start(echo(), null, { node }));
    expect(await sys.statistics(pid, 'get')).toBeUndefined();
    expect(await sys.statistics(pid, true)).toBe(true);
    await GenServer.call(pid, 'a');
    await GenServer.call(pid, 'b');
    GenServer.cast(pid, 'c');
    node.send(pid, 'd');
    const stats = await sys.statistics(pid, 'get');
    expect(stats).toMatchObject({ messagesIn: 4, messagesOut: 2 });
    expect(stats!.currentTime).toBeGreaterThanOrEqual(stats!.startTime);
    await sys.statistics(pid, false);
    expect(await sys.statistics(pid, 'get')).toBeUndefined();
  });

  it('log - keeps the last N events in a ring buffer, oldest first', async () => {
    const { node } = testNode();
    const pid = pidOf(await GenServer.start(echo(), null, { node }));
    expect(await sys.log(pid, 'get')).toEqual([]);
    await sys.log(pid, 3);
    for (const n of [1, 2, 3]) GenServer.cast(pid, n);
    await GenServer.call(pid, 'x');
    const events = await sys.log(pid, 'get');
    // Each cast logs 'in' and 'noreply'; the call logs 'in' and 'out'.
    expect(events.map((e) => e.kind)).toEqual(['noreply', 'in', 'out']);
    expect(events[1]).toMatchObject({ kind: 'in', message: 'x' });
    expect(events[2]).toMatchObject({ kind: 'out', reply: 'x' });
    expect((await sys.getStatus(pid)).log).toHaveLength(3);
    await sys.log(pid, true);
    for (const n of [1, 2, 3, 4, 5, 6]) GenServer.cast(pid, n);
    expect(await sys.log(pid, 'get')).toHaveLength(10);
    await sys.log(pid, false);
    expect(await sys.log(pid, 'get')).toEqual([]);
  });

  it("sys calls to nobody fail with CallExitError 'noproc'", async () => {
    const { node } = testNode();
    const error = (await failure(() => sys.getState({ name: 'nobody', node }))) as CallExitError;
    expect(error.reason).toBe('noproc');
  });
});

describe('bad arguments throw TypeError', () => {
  it('start and startLink', async () => {
    const { node } = testNode();
    for (const spec of [null, undefined, {}, { init: 'no' }]) {
      expect(await failure(() => GenServer.start(spec as never, null, { node }))).toBeInstanceOf(TypeError);
    }
    for (const options of [{ name: 42 }, { name: { via: {} } }, { timeout: -1 }, { timeout: 1.5 }, { timeout: 'soon' }]) {
      const error = (await failure(() => GenServer.start(echo(), null, { node, ...(options as object) } as never))) as TypeError;
      expect(error).toBeInstanceOf(TypeError);
      expect(error.message).toMatch(/^Expected `/);
    }
    expect(await failure(() => GenServer.start(echo(), null, 5 as never))).toBeInstanceOf(TypeError);
  });

  it('call, cast, stop, whereis and reply', async () => {
    const { node } = testNode();
    const pid = pidOf(await GenServer.start(echo(), null, { node }));
    for (const timeout of [-1, 1.5, NaN, 'x', null]) {
      const error = (await failure(() => GenServer.call(pid, 'x', timeout as never))) as TypeError;
      expect(error).toBeInstanceOf(TypeError);
      expect(error.message).toMatch(/^Expected `(options\.)?timeout` to be/);
    }
    expect(await failure(() => GenServer.call(pid, 'x', { timeout: -1 }))).toBeInstanceOf(TypeError);
    for (const server of [42, null, {}, { name: 1 }]) {
      expect(await failure(() => GenServer.call(server as never, 'x'))).toBeInstanceOf(TypeError);
      expect(await failure(() => GenServer.cast(server as never, 'x'))).toBeInstanceOf(TypeError);
      expect(await failure(() => GenServer.whereis(server as never))).toBeInstanceOf(TypeError);
    }
    expect(await failure(() => GenServer.stop(pid, 'normal', -5))).toBeInstanceOf(TypeError);
    expect(await failure(() => reply({} as never, 1))).toBeInstanceOf(TypeError);
    expect(node.isAlive(pid)).toBe(true);
  });

  it('sys functions', async () => {
    const { node } = testNode();
    const pid = pidOf(await GenServer.start(echo(), null, { node }));
    expect(await failure(() => sys.replaceState(pid, 'not a function' as never))).toBeInstanceOf(TypeError);
    expect(await failure(() => sys.statistics(pid, 'yes' as never))).toBeInstanceOf(TypeError);
    for (const flag of [0, -1, 2.5, 'all']) expect(await failure(() => sys.log(pid, flag as never))).toBeInstanceOf(TypeError);
    expect(await failure(() => sys.getState(pid, -1))).toBeInstanceOf(TypeError);
    expect(await sys.getState(pid)).toBeNull();
  });
});

describe('gen_server_SUITE', () => {
  it('start, anonymous and named, linked and not (gen_server_SUITE:start)', async () => {
    const { node } = testNode();
    const registry = createRegistry<string>(node);
    const spec = suiteServer();
    // anonymous
    const pid0 = pidOf(await GenServer.start(spec, [], { node }));
    expect(await GenServer.call(pid0, 'started_p')).toBe('ok');
    expect(await GenServer.call(pid0, 'stop')).toBe('ok');
    await node.awaitExit(pid0);
    expect(((await failure(() => GenServer.call(pid0, 'started_p', 1))) as CallExitError).reason).toBe('noproc');
    // anonymous with timeout
    const pid00 = pidOf(await GenServer.start(spec, [], { node, timeout: 1000 }));
    expect(await GenServer.call(pid00, 'started_p')).toBe('ok');
    expect(errorOf<unknown>(await GenServer.start(spec, 'sleep', { node, timeout: 10 }))).toBeInstanceOf(InitTimeoutError);
    // ignore and stop
    expect(await GenServer.start(spec, 'ignore', { node })).toEqual({ ok: false, ignored: true });
    expect(errorOf<InitFailedError>((await GenServer.start(spec, 'stop', { node }))).reason).toBe('stopped');
    await node.run(async (ctx) => {
      ctx.trapExit(true);
      // anonymous linked
      const pid1 = pidOf(await GenServer.startLink(ctx, spec, []));
      expect(await GenServer.call(pid1, 'stop')).toBe('ok');
      expect((await ctx.receive((m) => m instanceof ExitMessage && m.from === pid1)) as ExitMessage).toMatchObject({ reason: 'stopped' });
      // local register, linked and not; via register, linked and not
      const refs: [ServerName, ServerRef][] = [
        ['my_test_name', { name: 'my_test_name', node }],
        [{ via: registry, name: 'my_test_name' }, { via: registry, name: 'my_test_name' }],
      ];
      for (const [serverName, name] of refs) {
        for (const linked of [false, true]) {
          const options = { node, name: serverName };
          const pid = pidOf(linked ? await GenServer.startLink(ctx, spec, [], options) : await GenServer.start(spec, [], options));
          expect(await GenServer.call(name, 'started_p')).toBe('ok');
          expect(errorOf<AlreadyStartedError>((await GenServer.start(spec, [], options))).pid).toBe(pid);
          const exited = node.awaitExit(pid);
          expect(await GenServer.call(name, 'stop')).toBe('ok');
          expect(await exited).toBe('stopped');
          if (linked) expect(((await ctx.receive()) as ExitMessage).reason).toBe('stopped');
          expect(((await failure(() => GenServer.call(pid, 'started_p', 10))) as CallExitError).reason).toBe('noproc');
        }
      }
      expect(ctx.tryReceive()).toBe(TIMEOUT);
    });
  });

  it("stop - anonymous with 'normal', another reason, an invalid timeout (gen_server_SUITE:stop1, stop2, stop3)", async () => {
    const { node } = testNode();
    const pid = pidOf(await GenServer.start(suiteServer(), [], { node }));
    await GenServer.stop(pid);
    expect(node.isAlive(pid)).toBe(false);
    expect(((await failure(() => GenServer.stop(pid))) as CallExitError).reason).toBe('noproc');
    const pid2 = pidOf(await GenServer.start(suiteServer(), [], { node }));
    await GenServer.stop(pid2, 'other_reason', Infinity);
    expect(node.isAlive(pid2)).toBe(false);
    const pid3 = pidOf(await GenServer.start(suiteServer(), [], { node }));
    expect(await failure(() => GenServer.stop(pid3, 'other_reason', 'invalid_timeout' as never))).toBeInstanceOf(TypeError);
    expect(node.isAlive(pid3)).toBe(true);
    await GenServer.stop(pid3);
    expect(node.isAlive(pid3)).toBe(false);
  });

  it('stop - by { name, node } and by via name (gen_server_SUITE:stop5, stop7)', async () => {
    const { node } = testNode();
    const registry = createRegistry<string>(node);
    for (const [name, ref] of [
      ['to_stop', { name: 'to_stop', node }],
      [{ via: registry, name: 'to_stop' }, { via: registry, name: 'to_stop' }],
    ] as const) {
      const pid = pidOf(await GenServer.start(suiteServer(), [], { node, name }));
      await GenServer.stop(ref);
      expect(node.isAlive(pid)).toBe(false);
      expect(((await failure(() => GenServer.stop(ref))) as CallExitError).reason).toBe('noproc');
    }
  });

  it('crash - shutdown reasons are not reported; a crash is, with the formatted state (gen_server_SUITE:crash)', async () => {
    const { node, reports } = testNode();
    const spec = suiteServer();
    await node.run(async (ctx) => {
      ctx.trapExit(true);
      for (const [request, reason] of [
        ['shutdown_reason', { shutdown: 'reason' }],
        ['stop_shutdown_reason', { shutdown: 'stop_reason' }],
        ['exit_shutdown', 'shutdown'],
        ['stop_shutdown', 'shutdown'],
      ] as const) {
        const pid = pidOf(await GenServer.startLink(ctx, spec, { state: 'state1' }));
        expect(((await failure(() => GenServer.call(pid, request))) as CallExitError).reason).toEqual(reason);
        expect(((await ctx.receive()) as ExitMessage).reason).toEqual(reason);
      }
    });
    expect(reports.filter((r) => r.level === 'error')).toEqual([]);
    const pid4 = pidOf(await GenServer.start(spec, { state: 'state4' }, { node }));
    expect((((await failure(() => GenServer.call(pid4, 'crash'))) as CallExitError).reason as Error).message).toBe('crashed');
    const [report] = reportsOf(reports, 'server_terminated');
    expect(report).toMatchObject({ pid: pid4, state: { formatted: 'state4' } });
    expect((report?.reason as Error).message).toBe('crashed');
  });

  it('call - delayed answers, idle timeouts, call timeouts and bad returns (gen_server_SUITE:call)', async () => {
    const { node } = testNode();
    const timedOut = deferred();
    const pid = pidOf(await GenServer.start(suiteServer([], timedOut.resolve), [], { node, name: 'my_test_name' }));
    const server = { name: 'my_test_name', node };
    expect(await GenServer.call(server, 'started_p')).toBe('ok');
    const delayed = GenServer.call(server, 'delayed_answer');
    GenServer.cast(server, 'answer');
    expect(await delayed).toBe('delayed');
    // Two requests within the idle timeout: the second sees the state the first left.
    expect(await GenServer.call(server, { callWithin: 60_000 })).toBe('ok');
    expect(await GenServer.call(server, 'next_call')).toBe('ok');
    // Past the idle timeout, handleInfo(TIMEOUT) resets the state first.
    expect(await GenServer.call(server, { callWithin: 1 })).toBe('ok');
    await timedOut.promise;
    expect(await GenServer.call(server, 'next_call')).toBe(false);
    // A call that is not answered in time.
    expect(await failure(() => GenServer.call(server, 'delayed_answer', 1))).toBeInstanceOf(CallTimeoutError);
    GenServer.cast(server, 'answer');
    // A bad return value from handleCall.
    const error = (await failure(() => GenServer.call(server, 'badreturn'))) as CallExitError;
    expect((error.reason as BadReturnValueError).value).toBe('badreturn');
    expect(node.isAlive(pid)).toBe(false);
  });

  it('calls to a server that was killed fail with noproc, by via name, pid or { name, node } (gen_server_SUITE:call_remote1, call_remote2, call_remote3)', async () => {
    const { node } = testNode();
    const registry = createRegistry<string>(node);
    for (const name of [{ via: registry, name: 'hubba' }, 'piller'] as const) {
      const pid = pidOf(await GenServer.start(suiteServer(), [], { node, name }));
      const ref = typeof name === 'string' ? { name, node } : name;
      expect(await GenServer.call(ref, 'started_p', Infinity)).toBe('ok');
      node.exit(pid, 'boom');
      for (const server of [ref, pid]) expect(((await failure(() => GenServer.call(server, 'started_p', Infinity))) as CallExitError).reason).toBe('noproc');
    }
  });

  it("calls to a server whose node has stopped fail with noproc (gen_server_SUITE:call_remote_n1, call_remote_n2, call_remote_n3 — OTP says {nodedown, Node} for the last two)", async () => {
    const { node } = testNode();
    const registry = createRegistry<string>(node);
    const pid = pidOf(await GenServer.start(suiteServer(), [], { node, name: { via: registry, name: 'hubba' } }));
    const local = pidOf(await GenServer.start(suiteServer(), [], { node, name: 'piller' }));
    await node.stop();
    for (const server of [{ via: registry, name: 'hubba' }, pid, { name: 'piller', node }, local]) {
      expect(((await failure(() => GenServer.call(server, 'started_p', Infinity))) as CallExitError).reason).toBe('noproc');
    }
  });

  it('cast - handled, delayed and stopping casts (gen_server_SUITE:cast)', async () => {
    const { node } = testNode();
    const pid = pidOf(await GenServer.start(suiteServer(), [], { node, name: 'my_test_name' }));
    const server = { name: 'my_test_name', node };
    expect(await GenServer.call(server, 'started_p')).toBe('ok');
    await node.run(async (ctx) => {
      GenServer.cast(server, { do: 'handle_cast', from: ctx.self });
      await ctx.receive(note(pid, 'handled_cast'));
      GenServer.cast(server, { do: 'delayed_cast', from: ctx.self });
      await ctx.receive(note(pid, 'delayed'));
      GenServer.cast(server, { do: 'stop', from: ctx.self });
      await ctx.receive(note(pid, 'stopped'));
    });
  });

  it('info - handled, delayed and stopping infos (gen_server_SUITE:info)', async () => {
    const { node } = testNode();
    const pid = pidOf(await GenServer.start(suiteServer(), [], { node, name: 'my_test_name' }));
    expect(await GenServer.call({ name: 'my_test_name', node }, 'started_p')).toBe('ok');
    await node.run(async (ctx) => {
      ctx.send(pid, { do: 'handle_info', from: ctx.self });
      await ctx.receive(note(pid, 'handled_info'));
      ctx.send(pid, { do: 'delayed_info', from: ctx.self });
      await ctx.receive(note(pid, 'delayed_info'));
      ctx.send(pid, { do: 'stop', from: ctx.self });
      await ctx.receive(note(pid, 'stopped_info'));
    });
  });

  it('hibernate, without hibernation: calls, casts and infos, sys suspend and resume (gen_server_SUITE:hibernate)', async () => {
    const { node } = testNode();
    await node.run(async (ctx) => {
      ctx.trapExit(true);
      const pid = pidOf(await GenServer.startLink(ctx, suiteServer(), [], { name: 'my_test_name_hibernate' }));
      expect(await GenServer.call(pid, 'started_p')).toBe('ok');
      GenServer.cast(pid, { do: 'handle_cast', from: ctx.self });
      await ctx.receive(note(pid, 'handled_cast'));
      await sys.suspend(pid);
      await sys.resume(pid);
      expect(await GenServer.call(pid, 'started_p')).toBe('ok');
      expect(await GenServer.call(pid, 'stop')).toBe('ok');
      expect(((await ctx.receive()) as ExitMessage).reason).toBe('stopped');
    });
  });

  it('the name is free once start returns after ignore or stop (gen_server_SUITE:otp_7669)', async () => {
    const { node } = testNode();
    const registry = createRegistry<string>(node);
    for (let i = 0; i < 20; i++) {
      expect(await GenServer.start(suiteServer(), 'ignore', { node, name: 'gen_server_SUITE' })).toEqual({ ok: false, ignored: true });
      expect(node.whereis('gen_server_SUITE')).toBeUndefined();
      expect(await node.run((ctx) => GenServer.startLink(ctx, suiteServer(), 'ignore', { name: 'gen_server_SUITE' }))).toEqual({ ok: false, ignored: true });
      expect(node.whereis('gen_server_SUITE')).toBeUndefined();
      expect(await GenServer.start(suiteServer(), 'ignore', { node, name: { via: registry, name: 'gen_server_SUITE' } })).toEqual({ ok: false, ignored: true });
      expect(registry.whereisName('gen_server_SUITE')).toBeUndefined();
      expect(errorOf<InitFailedError>((await GenServer.start(suiteServer(), 'stop', { node, name: 'gen_server_SUITE' }))).reason).toBe('stopped');
      expect(node.whereis('gen_server_SUITE')).toBeUndefined();
    }
  });

  it('failed starts leave nothing behind: the name is free for the next attempt (gen_server_SUITE:loop_start_fail)', async () => {
    const { node } = testNode();
    const inits: [string, (ctx: ProcessContext) => unknown, (result: StartResult) => void][] = [
      ['stop', () => ({ stop: 'failed_to_start' }), (r) => expect(errorOf<InitFailedError>(r).reason).toBe('failed_to_start')],
      ['ignore', () => ({ ignore: true }), (r) => expect(r).toEqual({ ok: false, ignored: true })],
      ['bad return', () => 4711, (r) => expect((errorOf<InitFailedError>(r).reason as BadReturnValueError).value).toBe(4711)],
      [
        'error',
        () => {
          throw new Error('bailout');
        },
        (r) => expect((errorOf<InitExitedError>(r).reason as Error).message).toBe('bailout'),
      ],
      ['exit', (ctx) => ctx.exit('bailout'), (r) => expect(errorOf<InitExitedError>(r).reason).toBe('bailout')],
      ['wait', () => new Promise(() => {}), (r) => expect(errorOf(r)).toBeInstanceOf(InitTimeoutError)],
    ];
    const outcome = await node.run(async (ctx) => {
      ctx.trapExit(true);
      for (const [what, init, validate] of inits) {
        for (let attempt = 0; attempt < 5; attempt++) {
          const spec: AnySpec = { init: (_arg, serverCtx) => init(serverCtx) as never };
          const options = { node, name: 'gen_server_SUITE', timeout: what === 'wait' ? 20 : Infinity };
          validate(await GenServer.start(spec, null, options));
          validate(await GenServer.startLink(ctx, spec, null, options));
        }
      }
      return ctx.tryReceive();
    });
    expect(outcome).toBe(TIMEOUT);
    expect(node.whereis('gen_server_SUITE')).toBeUndefined();
  });

  it('a server calling itself waits for its own timeout (gen_server_SUITE:calling_self — OTP exits with calling_self at once)', async () => {
    const { node } = testNode();
    const spec: AnySpec = {
      init: () => ({ state: null }),
      async handleCall(request, _from, state, ctx) {
        if (request !== 'call_self') return { reply: request, state };
        const error = await GenServer.call(ctx.self, 'inner', 10).catch((e: unknown) => e);
        return { reply: (error as CallTimeoutError).code, state };
      },
    };
    const pid = pidOf(await GenServer.start(spec, null, { node }));
    expect(await GenServer.call(pid, 'call_self')).toBe('call_timeout');
    expect(await GenServer.call(pid, 'after')).toBe('after');
  });

  it('sys.getStatus goes through formatStatus for a named and an anonymous server (gen_server_SUITE:call_format_status)', async () => {
    const { node } = testNode();
    const named = pidOf(await GenServer.start(suiteServer(), { state: 's' }, { node, name: 'call_format_status' }));
    const anonymous = pidOf(await GenServer.start(suiteServer(), { state: 's' }, { node }));
    for (const [server, pid] of [[{ name: 'call_format_status', node }, named], [anonymous, anonymous]] as const) {
      const status = await sys.getStatus(server);
      expect(status).toMatchObject({ pid, status: 'running', state: { formatted: 's' } });
    }
  });

  it('a crash report goes through formatStatus (gen_server_SUITE:error_format_status)', async () => {
    const { node, reports } = testNode();
    const pid = pidOf(await GenServer.start(suiteServer(), { state: 'called format_status' }, { node }));
    await failure(() => GenServer.call(pid, 'crash'));
    expect(reportsOf(reports, 'server_terminated')[0]?.state).toEqual({ formatted: 'called format_status' });
  });

  it('a terminate that crashes is reported with the formatted state and its own error (gen_server_SUITE:terminate_crash_format)', async () => {
    const { node, reports } = testNode();
    const pid = pidOf(await GenServer.start(suiteServer(), { state: 'crash_terminate' }, { node }));
    const exited = node.awaitExit(pid);
    expect(await GenServer.call(pid, 'stop')).toBe('ok');
    const reason = (await exited) as Error;
    expect(reason.message).toBe('crash in terminate');
    const [report] = reportsOf(reports, 'server_terminated');
    expect(report).toMatchObject({ reason, state: { formatted: 'crash_terminate' } });
  });

  it('sys.getState returns the state, also while suspended (gen_server_SUITE:get_state)', async () => {
    const { node } = testNode();
    const state = { it: 'is' };
    const pid = pidOf(await GenServer.start(suiteServer(), { state }, { node, name: 'get_state' }));
    expect(await sys.getState({ name: 'get_state', node })).toBe(state);
    expect(await sys.getState(pid, 5000)).toBe(state);
    await sys.suspend(pid);
    expect(await sys.getState(pid)).toBe(state);
    await sys.resume(pid);
  });

  it('sys.replaceState, also while suspended, and not when the function throws (gen_server_SUITE:replace_state)', async () => {
    const { node } = testNode();
    const pid = pidOf(await GenServer.start(suiteServer(), { state: 'state' }, { node }));
    expect(await sys.replaceState(pid, () => 'replaced')).toBe('replaced');
    expect(await sys.replaceState<string>(pid, (s) => `${s} again`, 5000)).toBe('replaced again');
    await failure(() =>
      sys.replaceState(pid, () => {
        throw new Error('fail');
      }),
    );
    expect(await sys.getState(pid)).toBe('replaced again');
    await sys.suspend(pid);
    expect(await sys.replaceState<string>(pid, (s) => `${s} and again`)).toBe('replaced again and again');
    await sys.resume(pid);
    expect(await sys.getState(pid)).toBe('replaced again and again');
  });

  it("a caller with a huge mailbox is unaffected: replies never go through the caller's mailbox (gen_server_SUITE:call_with_huge_message_queue)", async () => {
    const { node } = testNode();
    const pid = pidOf(await GenServer.start(echo(), null, { node }));
    const left = await node.run(async (ctx) => {
      for (let n = 0; n < 50_000; n++) ctx.send(ctx.self, { msg: n });
      for (let n = 0; n < 100; n++) expect(await GenServer.call(pid, { ultimate_answer: 42 }, { caller: ctx })).toEqual({ ultimate_answer: 42 });
      return ctx.node.processInfo(ctx.self)?.messageQueueLength;
    });
    expect(left).toBe(50_000);
  });

  it('without handleCall, a call crashes the server (gen_server_SUITE:undef_handle_call)', async () => {
    const { node } = testNode();
    const pid = pidOf(await GenServer.start({ init: () => ({ state: null }) }, null, { node }));
    const error = (await failure(() => GenServer.call(pid, 'call_msg'))) as CallExitError;
    expect((error.reason as Error).message).toContain('no handleCall');
  });

  it('without handleCast, a cast crashes the server (gen_server_SUITE:undef_handle_cast)', async () => {
    const { node } = testNode();
    const pid = pidOf(await GenServer.start({ init: () => ({ state: null }) }, null, { node }));
    GenServer.cast(pid, 'cast_msg');
    expect(((await node.awaitExit(pid)) as Error).message).toContain('handleCast');
  });

  it('without handleInfo, a message is logged and the server lives on (gen_server_SUITE:undef_handle_info)', async () => {
    const { node } = testNode();
    const warned = nextReport(node, 'unexpected_message');
    const pid = pidOf(await GenServer.start({ init: () => ({ state: null }) }, null, { node }));
    node.send(pid, 'hej');
    const { level, report } = await warned;
    expect(level).toBe('warning');
    expect(report.message).toBe('hej');
    expect(node.isAlive(pid)).toBe(true);
  });

  it('without init, start throws TypeError (gen_server_SUITE:undef_init — OTP returns {error, undef})', async () => {
    const { node } = testNode();
    const error = (await failure(() => GenServer.start({} as never, null, { node }))) as TypeError;
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toContain('init');
  });

  it('without terminate, stop still ends the server with the reason (gen_server_SUITE:undef_terminate1, undef_terminate2)', async () => {
    const { node } = testNode();
    for (const reason of ['normal', { error: 'test' }]) {
      const pid = pidOf(await GenServer.start({ init: () => ({ state: null }) }, null, { node }));
      const exited = node.awaitExit(pid);
      await GenServer.stop(pid, reason);
      expect(await exited).toEqual(reason);
    }
  });

  it('an error inside terminate is the stop error (gen_server_SUITE:undef_in_terminate)', async () => {
    const { node } = testNode();
    const pid = pidOf(await GenServer.start(suiteServer(), { state: 'crash_terminate' }, { node }));
    const error = (await failure(() => GenServer.stop(pid))) as CallExitError;
    expect((error.reason as Error).message).toBe('crash in terminate');
  });
});
