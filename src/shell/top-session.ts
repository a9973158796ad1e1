import { formatTerm, isShutdown, TIMEOUT, type ProcessContext } from '../runtime/index.js';
import type { AttachChannel } from './channel.js';
import type { TopFrame, TopFrameSource, TopSourceFactory } from './medic.js';
import { clampNumber, grant, refuse, TOP_LIMITS, TOP_SORTS, type TopRequest } from './protocol.js';
import type { OperatorSession } from './session.js';
import type { WireTopFrame } from './top-wire.js';

/** Longest name and location a row carries over the wire, so that a frame always fits in one. */
const MAX_NAME = 80;
const MAX_LOCATION = 160;
/** A client with this much unread output gets no new frame until it catches up. */
const MAX_UNREAD = 1024 * 1024;

/** Asks the top process to leave. */
const LEAVE = Symbol('leave top');

/** New settings from the client, as a message to the top process. */
class TopSettings {
  constructor(readonly changes: Record<string, unknown>) {}
}

const isTopMessage = (message: unknown): boolean => message === LEAVE || message instanceof TopSettings;

/** What a top session needs from the server that accepted it. */
export interface TopSessionOptions {
  readonly channel: AttachChannel;
  readonly request: TopRequest;
  readonly topSource: TopSourceFactory;
  readonly peer: string;
}

/**
 * Starts an operator's top session: a process linked to `owner` that sends a frame every interval
 * (and at once when the settings change) while the operator watches, and exits `'shutdown'` when
 * the operator quits or the connection drops. It works only while someone watches, as ergo's
 * diagnostic processes do.
 */
export function startTopSession(owner: ProcessContext, options: TopSessionOptions): OperatorSession {
  const { channel, request } = options;
  let note = 'detached';
  let ended!: () => void;
  const endedPromise = new Promise<void>((resolve) => (ended = resolve));

  const pid = owner.spawnLink(
    async function operatorTop(ctx: ProcessContext) {
      let granted = false;
      let source: TopFrameSource | undefined;
      ctx.signal.addEventListener('abort', () => {
        source?.close?.();
        const reason = (ctx.signal.reason as { reason?: unknown }).reason;
        if (!granted) refuse(channel, `the session could not start: ${formatTerm(reason, 512)}`);
        else {
          channel.writeControl({ type: 'end', reason: isShutdown(reason) ? note : `top's process ${ctx.self} exited: ${formatTerm(reason, 512)}` });
          channel.end();
        }
        ended();
      });
      source = options.topSource(ctx.node);
      const frames = source;
      const settings = { sort: request.sort, lines: request.lines, intervalMs: request.intervalMs };
      grant(channel, { node: ctx.node.name, pid: String(ctx.self) });
      granted = true;
      channel.readFrames({
        data: () => undefined,
        control: (message) => {
          if (message.type === 'settings') ctx.node.send(ctx.self, new TopSettings(message));
        },
      });
      channel.closed.then(() => ctx.node.send(ctx.self, LEAVE), () => ctx.node.send(ctx.self, LEAVE));
      for (;;) {
        if (channel.socket.writableLength <= MAX_UNREAD) {
          const frame = toWire(frames.frame({ sort: settings.sort, lines: settings.lines }));
          channel.writeControl({ type: 'frame', frame, settings });
        }
        const message = await ctx.receive(isTopMessage, settings.intervalMs);
        if (message === LEAVE) ctx.exit('shutdown');
        if (message !== TIMEOUT) applySettings(settings, (message as TopSettings).changes);
      }
    },
    { label: `operator top (${options.peer})` },
  );
  return {
    pid,
    end: (why) => {
      note = why;
      owner.node.send(pid, LEAVE);
    },
    ended: endedPromise,
  };
}

function applySettings(settings: { sort: TopRequest['sort']; lines: number; intervalMs: number }, changes: Record<string, unknown>): void {
  if (TOP_SORTS.includes(changes.sort as TopRequest['sort'])) settings.sort = changes.sort as TopRequest['sort'];
  settings.lines = clampNumber(changes.lines, TOP_LIMITS.minLines, TOP_LIMITS.maxLines, settings.lines);
  settings.intervalMs = clampNumber(changes.intervalMs, TOP_LIMITS.minIntervalMs, TOP_LIMITS.maxIntervalMs, settings.intervalMs);
}

const cut = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/** A frame as JSON carries it: pids as their text, strings cut to fit one frame. */
function toWire(frame: TopFrame): WireTopFrame {
  return {
    ...frame,
    rows: frame.rows.map((row) => ({ ...row, pid: String(row.pid), name: cut(row.name, MAX_NAME), currentLocation: cut(row.currentLocation, MAX_LOCATION) })),
  };
}
