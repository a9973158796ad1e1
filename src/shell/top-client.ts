import { connectOperator, type AttachTarget } from './client.js';
import type { TopSort } from './medic.js';
import { TOP_LIMITS } from './protocol.js';
import { renderTop } from './top-render.js';
import type { TopSettingsView, WireTopFrame } from './top-wire.js';
import { isTerminal, rawInput, type ClientIO } from './terminal.js';

/** Options of `top`. */
export interface TopOptions {
  readonly sort?: TopSort;
  readonly lines?: number;
  readonly intervalMs?: number;
}

/** The intervals `+` and `-` step through. */
const INTERVALS = [250, 500, 1000, 2000, 5000, 10_000, 30_000, 60_000];
/** Rows `<` and `>` remove or add. */
const LINES_STEP = 5;

const SORT_KEYS: Record<string, TopSort> = { r: 'reductions', m: 'memory', M: 'messageQueueLength', t: 'runtime' };

/** The new settings a key asks for, `'quit'`, or undefined for a key top ignores. */
export function topKey(key: string, settings: TopSettingsView): Partial<TopSettingsView> | 'quit' | undefined {
  if (key === 'q' || key === '\x03' || key === '\x04') return 'quit';
  const sort = SORT_KEYS[key];
  if (sort !== undefined) return { sort };
  if (key === '+' || key === '-') {
    const next = key === '+' ? INTERVALS.find((ms) => ms > settings.intervalMs) : [...INTERVALS].reverse().find((ms) => ms < settings.intervalMs);
    return next === undefined ? undefined : { intervalMs: next };
  }
  if (key === '<' || key === '>') {
    const lines = Math.min(TOP_LIMITS.maxLines, Math.max(TOP_LIMITS.minLines, settings.lines + (key === '>' ? LINES_STEP : -LINES_STEP)));
    return lines === settings.lines ? undefined : { lines };
  }
  return undefined;
}

/**
 * `beamish top`: etop for a Beamish node. The node samples; this draws each frame fitted to the
 * terminal (on a terminal, in the alternate screen, redrawn in place; on a pipe, one frame after
 * another) and turns keys into new settings. Resolves with the exit status: 0 after `q` or when
 * the node ends the session, 1 when the connection was lost. The terminal is restored on every
 * way out.
 */
export async function top(target: AttachTarget, options: TopOptions, io: ClientIO): Promise<number> {
  const { channel } = await connectOperator(target, {
    mode: 'top',
    sort: options.sort ?? 'reductions',
    lines: options.lines ?? 20,
    intervalMs: options.intervalMs ?? 2000,
  });
  const terminal = isTerminal(io);
  let settings: TopSettingsView = { sort: options.sort ?? 'reductions', lines: options.lines ?? 20, intervalMs: options.intervalMs ?? 2000 };
  let endReason: string | undefined;
  let quit = false;
  const restore = rawInput(io);
  if (terminal) io.stdout.write('\x1b[?1049h\x1b[?25l');
  const onKey = (chunk: Buffer | string): void => {
    for (const key of String(chunk)) {
      const change = topKey(key, settings);
      if (change === 'quit') {
        quit = true;
        channel.end();
        return;
      }
      if (change !== undefined) {
        settings = { ...settings, ...change };
        channel.writeControl({ type: 'settings', ...change });
      }
    }
  };
  let last: WireTopFrame | undefined;
  const draw = (): void => {
    if (last === undefined) return;
    const lines = renderTop(last, settings, io.stdout.columns ?? 100);
    io.stdout.write(terminal ? `\x1b[H\x1b[2J${lines.join('\r\n')}` : `${lines.join('\n')}\n\n`);
  };
  io.stdin.on('data', onKey);
  io.stdout.on('resize', draw);
  channel.readFrames({
    data: () => undefined,
    control: (message) => {
      if (message.type === 'end') endReason = String(message.reason);
      if (message.type !== 'frame') return;
      settings = (message.settings as TopSettingsView | undefined) ?? settings;
      last = message.frame as WireTopFrame;
      draw();
    },
  });
  const error = await channel.closed;
  io.stdin.off('data', onKey);
  io.stdout.off('resize', draw);
  if (terminal) io.stdout.write('\x1b[?25h\x1b[?1049l');
  restore();
  if (quit) return 0;
  if (endReason === undefined) {
    io.stderr.write(`Connection to the node lost${error === undefined ? '' : `: ${error.message}`}\n`);
    return 1;
  }
  if (endReason !== 'detached') io.stderr.write(`Top ended: ${endReason}\n`);
  return 0;
}
