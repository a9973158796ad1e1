import type { Pid } from './pid.js';

/**
 * What the runtime tells a system watcher (see `BeamishNode.watchSystem`), as the messages of
 * `erlang:system_monitor/2`:
 *
 * - `long_schedule`: a process ran `timeMs` without handing control back to the runtime: from the
 *   moment it was resumed (or last called the runtime) until its next call, minus the time the
 *   event loop sat idle meanwhile (so awaiting a fetch is not counted). `location` is where it
 *   was when it came back: the runtime call that ended the stretch.
 * - `long_message_queue`: a mailbox reached the `enable` length (`long: true`), or, after that,
 *   came down to the `disable` length (`long: false`): OTP 27's hysteresis.
 * - `busy_port`: a process was made to wait because a port or socket it wrote to was busy.
 */
export type SystemWatchEvent =
  | { readonly kind: 'long_schedule'; readonly pid: Pid; readonly timeMs: number; readonly location: string }
  | { readonly kind: 'long_message_queue'; readonly pid: Pid; readonly long: boolean; readonly queueLength: number }
  | { readonly kind: 'busy_port'; readonly pid: Pid; readonly port: unknown; readonly description: string };

/** What a node watches for, and where it tells it. */
export interface SystemWatch {
  /** Report stretches of at least this many ms. Watching costs two clock reads per runtime call. */
  readonly longScheduleMs?: number;
  /** Report mailboxes reaching `enable` messages, and again when they come down to `disable`. */
  readonly longMessageQueue?: { readonly disable: number; readonly enable: number };
  /** Report processes suspended on busy ports and sockets. */
  readonly busyPort?: boolean;
  /**
   * Called synchronously where the event happens (inside a send, a receive, a write): it must be
   * quick and must not throw (a throw is swallowed). Queue the event, do not act on it there.
   */
  readonly onEvent: (event: SystemWatchEvent) => void;
}
