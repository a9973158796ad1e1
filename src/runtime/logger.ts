import { formatTerm } from './reasons.js';
import type { Pid } from './pid.js';
import type { ExitReason } from './reasons.js';

/** Severity of a report, as OTP's logger levels (the ones the runtime uses). */
export type LogLevel = 'error' | 'warning' | 'notice' | 'info' | 'debug';

/** Anything the runtime (and, later, the behaviours) reports: a `kind` and structured fields. */
export interface Report {
  readonly kind: string;
}

/** Written when a process ends by throwing: who it was, what it was doing, and the error. */
export interface CrashReport extends Report {
  readonly kind: 'crash_report';
  readonly node: string;
  readonly pid: Pid;
  readonly registeredName: string | undefined;
  readonly label: string | undefined;
  readonly initialCall: string;
  readonly parent: Pid | undefined;
  readonly reason: ExitReason;
  readonly messageQueueLength: number;
  readonly reductions: number;
  readonly links: readonly Pid[];
}

/** Written when a process's mailbox passed its limit (OTP's `max_heap_size` report). */
export interface MailboxLimitReport extends Report {
  readonly kind: 'mailbox_limit';
  readonly node: string;
  readonly pid: Pid;
  readonly registeredName: string | undefined;
  readonly label: string | undefined;
  readonly limit: number;
  readonly messageQueueLength: number;
  /** Whether the process was killed for it (the limit's `kill` option). */
  readonly killed: boolean;
}

/** Written when the node starts or finishes stopping, and why. */
export interface NodeReport extends Report {
  readonly kind: 'node_stopping' | 'node_stopped';
  readonly node: string;
  readonly detail: string;
}

/** Written when code the runtime calls on someone's behalf (a logger, a monitor callback) threw. */
export interface CallbackFailedReport extends Report {
  readonly kind: 'callback_failed';
  readonly callback: string;
  readonly error: unknown;
}

/**
 * Where reports go. Give a node your own (`createNode({ logger })`) to route them to pino, a test
 * collector or anywhere; it is called synchronously, so it must be quick. If it throws, the report
 * is written to stderr instead and the node goes on.
 */
export interface Logger {
  log(level: LogLevel, report: Report): void;
}

/** The most characters one formatted report may take. */
export const REPORT_LIMIT = 8192;

/** Formats a report as readable text in the spirit of OTP's `=CRASH REPORT====`, bounded in size. */
export function formatReport(level: LogLevel, report: Report): string {
  const header = `=${level.toUpperCase()} REPORT==== ${new Date().toISOString()} === ${report.kind}`;
  const lines = Object.entries(report)
    .filter(([key, value]) => key !== 'kind' && value !== undefined)
    .map(([key, value]) => `    ${key}: ${formatField(value)}`);
  return formatTerm([header, ...lines].join('\n'), REPORT_LIMIT);
}

function formatField(value: unknown): string {
  if (Array.isArray(value) && value.length === 0) return '[]';
  return formatTerm(value, 2048).replace(/\n/g, '\n      ');
}

const SEVERITY: Record<LogLevel, number> = { error: 3, warning: 4, notice: 5, info: 6, debug: 7 };

/** A logger that writes formatted reports of `level` and more severe to stderr. */
export function createStderrLogger(level: LogLevel = 'notice'): Logger {
  const threshold = SEVERITY[level];
  if (threshold === undefined) throw new TypeError(`Expected \`level\` to be a log level, got \`${String(level)}\``);
  return {
    log(reportLevel, report) {
      if (SEVERITY[reportLevel] <= threshold) process.stderr.write(`${formatReport(reportLevel, report)}\n`);
    },
  };
}

/** The default logger: reports of level notice and more severe, formatted, on stderr (OTP's default level). */
export const stderrLogger: Logger = createStderrLogger('notice');

/** A logger that drops everything (for programs that report in their own way). */
export const silentLogger: Logger = {
  log() {},
};

/** @internal Calls the logger; a logger that throws never takes the caller down. */
export function logSafely(logger: Logger, level: LogLevel, report: Report): void {
  try {
    logger.log(level, report);
  } catch (error) {
    try {
      const failure: CallbackFailedReport = { kind: 'callback_failed', callback: 'logger', error };
      stderrLogger.log('error', failure);
      stderrLogger.log(level, report);
    } catch {
      // stderr itself failed: nothing else can be done without risking the node.
    }
  }
}
