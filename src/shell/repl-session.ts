import { EventEmitter } from 'node:events';
import { Console } from 'node:console';
import type { REPLServer, ReplOptions } from 'node:repl';
import { PassThrough } from 'node:stream';
import { types } from 'node:util';
import { formatTerm, isShutdown, type ProcessContext } from '../runtime/index.js';
import { formatBounded, type OutputLimits } from './bounded-output.js';
import type { AttachChannel } from './channel.js';
import { channelOutput } from './channel-output.js';
import type { MedicFactory } from './medic.js';
import { clampNumber, grant, refuse, type ReplRequest } from './protocol.js';
import { sessionScope } from './session-scope.js';
import type { OperatorSession } from './session.js';
import { LineFeeder } from './line-feeder.js';

/** What a REPL session needs from the server that accepted it. */
export interface ReplSessionOptions {
  readonly channel: AttachChannel;
  readonly request: ReplRequest;
  readonly createMedic: MedicFactory;
  readonly limits: OutputLimits;
  /** Who is attached, for the process label: `unix` or the TCP peer's address. */
  readonly peer: string;
}

/**
 * Node's REPL errors go to a domain, and creating a real one switches on an async hook for the
 * whole Node.js process that makes every `await` of the node several times slower, for good. This
 * stand-in has what the REPL uses of it (`bind`, `on`, `emit`): errors of evaluated code are still
 * printed, and attaching costs the node nothing once the session is over.
 */
function replErrorSink(): EventEmitter & { bind<F>(fn: F): F } {
  return Object.assign(new EventEmitter(), { bind: <F>(fn: F): F => fn });
}

/**
 * Starts an operator's REPL session in a new process linked to `owner` (the access server's
 * process). The process owns the session: the session's medic stops with its signal, what the
 * operator links to it ends with it, and it exits `'shutdown'` when the operator leaves (Ctrl-D,
 * `.exit`, the connection dropping) or the server ends the session. If it exits any other way
 * (killed, a linked crash, `exit(reason)` typed in the shell), the session ends and says why.
 */
export function startReplSession(owner: ProcessContext, options: ReplSessionOptions): OperatorSession {
  const { channel } = options;
  let note = 'detached';
  let leave!: (reason: unknown) => void;
  const leaving = new Promise<unknown>((resolve) => (leave = resolve));
  let ended!: () => void;
  const endedPromise = new Promise<void>((resolve) => (ended = resolve));

  const pid = owner.spawnLink(
    async function operatorShell(ctx: ProcessContext) {
      let repl: ReturnType<typeof openRepl> | undefined;
      ctx.signal.addEventListener('abort', () => {
        const reason = (ctx.signal.reason as { reason?: unknown }).reason;
        if (repl === undefined) refuse(channel, `the session could not start: ${formatTerm(reason, 512)}`);
        else {
          if (!repl.exited) repl.close();
          channel.writeControl({ type: 'end', reason: isShutdown(reason) ? note : `the shell's process ${ctx.self} exited: ${formatTerm(reason, 512)}` });
          channel.end();
        }
        ended();
      });
      channel.closed.then(() => leave('shutdown'), () => leave('shutdown'));
      // Loaded on the first session, not with the package: importing node:repl loads node:domain,
      // which wraps EventEmitter.prototype.emit for the rest of the process (about 15 ns an emit).
      const { start } = await import('node:repl');
      if (ctx.signal.aborted) return;
      repl = openRepl(start, ctx, options, leave);
      ctx.exit(await leaving);
    },
    { label: `operator shell (${options.peer})` },
  );
  return {
    pid,
    end: (why) => {
      note = why;
      leave('shutdown');
    },
    ended: endedPromise,
  };
}

/**
 * The error classes of this realm, put in each session's context: code typed in the shell runs in
 * a context of its own, whose `Error` is not the node's, so `throw new Error()` in a process the
 * shell spawned would not count as an Error to the runtime (nor `instanceof Error` hold the other
 * way). Errors the engine raises itself (`null.x`) still come from the context's realm.
 */
const REALM_ERRORS = { Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError, AggregateError };

function openRepl(
  startRepl: (options: ReplOptions) => REPLServer,
  ctx: ProcessContext,
  options: ReplSessionOptions,
  leave: (reason: unknown) => void,
): REPLServer & { exited?: boolean } {
  const { channel, request, limits } = options;
  const output = channelOutput(channel, { isTTY: request.terminal, columns: request.columns, rows: request.rows });
  const input = new PassThrough();
  const prompt = `${ctx.node.name}> `;
  const print = (text: string): void => void output.write(`${text}\n`);
  const medic = options.createMedic(ctx.node, { signal: ctx.signal });
  const scope = sessionScope(ctx, medic, { print, exitShell: leave });
  const writer = (value: unknown): string => {
    // An un-awaited call that fails later must not become the node's unhandled rejection.
    if (types.isPromise(value)) value.then(undefined, (reason: unknown) => notify(`Uncaught (in promise) ${formatBounded(reason, limits, { colors: request.terminal })}`));
    return formatBounded(value, limits, { colors: request.terminal, columns: output.columns });
  };
  const boundedConsole = new Console({
    stdout: output,
    stderr: output,
    colorMode: request.terminal,
    inspectOptions: { depth: limits.depth, maxArrayLength: limits.arrayLength, maxStringLength: limits.stringLength },
  });
  const install = (context: Record<string, unknown>): void => void Object.assign(context, REALM_ERRORS, scope, { console: boundedConsole });

  grant(channel, { node: ctx.node.name, pid: String(ctx.self) });
  output.write(banner(ctx, medic));
  const replOptions: ReplOptions & { domain: unknown } = {
    prompt,
    input,
    output,
    terminal: request.terminal,
    useColors: request.terminal,
    preview: false,
    ignoreUndefined: false,
    writer,
    domain: replErrorSink(),
  };
  const repl = startRepl(replOptions) as REPLServer & { exited?: boolean };
  install(repl.context);
  repl.on('reset', install);
  repl.on('exit', () => {
    repl.exited = true;
    leave('shutdown');
  });
  /** Prints something that happened between evaluations, then the prompt again (and the line being typed). */
  function notify(text: string): void {
    if (repl.exited) return;
    if (request.terminal) {
      output.write(`\r\x1b[K${text}\n`);
      repl.displayPrompt(true);
    } else output.write(`${text}\n${prompt}`);
  }

  const feeder = request.terminal ? undefined : new LineFeeder(input, (paused) => (paused ? channel.socket.pause() : channel.socket.resume()));
  if (feeder !== undefined) {
    const displayPrompt = repl.displayPrompt.bind(repl);
    repl.displayPrompt = (preserveCursor?: boolean) => {
      displayPrompt(preserveCursor);
      feeder.ready();
    };
  }
  channel.readFrames({
    data: (bytes) => {
      if (feeder !== undefined) return feeder.push(bytes);
      // A paste bigger than the REPL takes in at once waits in the client's socket, not in the node.
      if (!input.write(bytes)) {
        channel.socket.pause();
        input.once('drain', () => channel.socket.resume());
      }
    },
    control: (message) => {
      // The client's input ended (a pipe): the REPL evaluates what it has, then exits.
      if (message.type === 'eof') feeder === undefined ? input.end() : feeder.end();
      if (message.type !== 'resize') return;
      output.columns = clampNumber(message.columns, 20, 1000, output.columns);
      output.rows = clampNumber(message.rows, 5, 1000, output.rows);
      output.emit('resize');
    },
  });
  return repl;
}

function banner(ctx: ProcessContext, medic: object): string {
  const medicNames = Object.keys(medic).filter((name) => typeof (medic as Record<string, unknown>)[name] === 'function');
  const shown = medicNames.slice(0, 12).join(', ') + (medicNames.length > 12 ? ', …' : '');
  return [
    `Beamish shell on node ${ctx.node.name}, as process ${ctx.self}.`,
    `In scope: the runtime (spawn, send, receive, processInfo, …), OTP (GenServer, Supervisor, …), resources (Tcp, Table, …)`,
    `and the medic${shown === '' ? '' : ` (${shown})`}. flush() prints the shell's messages.`,
    `Ctrl-D or .exit detaches; the node keeps running. What you link to this shell ends with it.`,
    '',
  ].join('\n');
}
