import type { TopSettingsView, WireTopFrame, WireTopRow } from './top-wire.js';

/** The keys top answers to while it runs, as its footer shows them. */
export const TOP_KEYS = 'r reds  m memory  M mailbox  t runtime  +/- interval  </> lines  q quit';

const SORT_LABEL = { reductions: 'reductions', memory: 'memory', messageQueueLength: 'mailbox', runtime: 'runtime' } as const;

/** Bytes as etop shows them: short, with a binary unit. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '?';
  const units = ['B', 'K', 'M', 'G', 'T'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value}B` : `${value < 10 ? value.toFixed(1) : Math.round(value)}${units[unit]}`;
}

/** `text` cut or padded to exactly `width` characters; a cut ends with `…`. */
function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  if (width <= 0) return '';
  const flat = text.replace(/[\r\n\t\x1b]/g, ' ');
  if (flat.length > width) return width === 1 ? '…' : `${flat.slice(0, width - 1)}…`;
  return align === 'left' ? flat.padEnd(width) : flat.padStart(width);
}

interface Column {
  readonly title: string;
  readonly width: number;
  readonly align: 'left' | 'right';
  readonly value: (row: WireTopRow) => string;
  readonly sort?: TopSettingsView['sort'];
}

/** The columns that fit in `width`: fixed ones first; name and location share what is left. */
function columnsFor(width: number): Column[] {
  const fixed: Column[] = [
    { title: 'Pid', width: 14, align: 'left', value: (row) => row.pid },
    { title: 'Reds', width: 10, align: 'right', value: (row) => String(row.reductions), sort: 'reductions' },
    { title: 'Memory', width: 8, align: 'right', value: (row) => formatBytes(row.memory), sort: 'memory' },
    { title: 'MsgQ', width: 7, align: 'right', value: (row) => String(row.messageQueueLength), sort: 'messageQueueLength' },
    { title: 'Runtime', width: 8, align: 'right', value: (row) => `${row.runtime}ms`, sort: 'runtime' },
  ];
  const gaps = fixed.length + 1;
  const rest = width - fixed.reduce((sum, column) => sum + column.width, 0) - gaps;
  const name: Column = { title: 'Name or initial call', width: 0, align: 'left', value: (row) => row.name };
  const location: Column = { title: 'Current location', width: 0, align: 'left', value: (row) => row.currentLocation };
  const [pid, ...counters] = fixed as [Column, ...Column[]];
  if (rest >= 40) {
    const nameWidth = Math.min(32, Math.floor(rest / 2));
    return [pid, { ...name, width: nameWidth }, ...counters, { ...location, width: rest - nameWidth }];
  }
  // Narrow terminal: no runtime or location; the name takes what is left (lines are cut to fit at the end).
  const narrow = [pid, ...counters.slice(0, 3)];
  const nameWidth = Math.max(6, width - narrow.reduce((sum, column) => sum + column.width, 0) - narrow.length);
  return [pid, { ...name, width: nameWidth }, ...counters.slice(0, 3)];
}

/**
 * One screen of top, each line at most `width` characters: the header (node, scheduler usage,
 * processes, run queue, memory), the column titles (the sort column marked), the rows and a
 * footer with the settings and keys.
 */
export function renderTop(frame: WireTopFrame, settings: TopSettingsView, width: number): string[] {
  const w = Math.max(40, width);
  const usage = frame.schedulerUsage.length === 0 ? 0 : frame.schedulerUsage.reduce((sum, u) => sum + u, 0) / frame.schedulerUsage.length;
  const memory = frame.memory;
  const time = new Date(frame.at).toISOString().slice(11, 19);
  const header = [
    `${frame.node}  ${time}  interval ${Math.round(frame.intervalMs)} ms`,
    `Load: schedulers ${(usage * 100).toFixed(1)}% (${frame.schedulerUsage.map((u) => `${Math.round(u * 100)}%`).join(' ')})  procs ${frame.processCount}  run queue ${frame.runQueueLength}`,
    `Memory: total ${formatBytes(memory.total)}  processes ${formatBytes(memory.processes)}  heap ${formatBytes(memory.heapUsed)}  external ${formatBytes(memory.external)}  rss ${formatBytes(memory.rss)}`,
    '',
  ];
  const columns = columnsFor(w);
  const titles = columns.map((column) => fit(column.sort === frame.sort ? `${column.title}*` : column.title, column.width, column.align)).join(' ');
  const rows = frame.rows.map((row) => columns.map((column) => fit(column.value(row), column.width, column.align)).join(' '));
  const footer = `sort: ${SORT_LABEL[frame.sort]}  interval: ${settings.intervalMs} ms  lines: ${settings.lines}   ${TOP_KEYS}`;
  return [...header, titles, ...rows, '', footer].map((line) => fit(line, w).trimEnd());
}
