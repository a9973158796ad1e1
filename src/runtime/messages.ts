import type { Pid } from './pid.js';
import type { Ref } from './ref.js';
import type { ExitReason } from './reasons.js';

/** What `receive` returns when its timeout passes with no matching message (Erlang's `after`). */
export const TIMEOUT: unique symbol = Symbol('beamish.timeout');
/** The type of `TIMEOUT`. */
export type Timeout = typeof TIMEOUT;

/**
 * An exit signal turned into a message, received by a process that traps exits
 * (`{'EXIT', From, Reason}` in Erlang).
 */
export class ExitMessage {
  constructor(
    /** The process the signal came from (the node's own pid `<n.0.0>` when the node sent it). */
    readonly from: Pid,
    readonly reason: ExitReason,
  ) {}
}

/**
 * The message a monitor delivers when its process exits (`{'DOWN', Ref, process, Pid, Reason}`).
 * For a monitor taken on a name, `name` is set and `pid` is undefined if no process had the name.
 */
export class DownMessage {
  constructor(
    readonly ref: Ref,
    readonly pid: Pid | undefined,
    readonly name: string | undefined,
    readonly reason: ExitReason,
  ) {}
}

/** The message a timer from `startTimer` delivers (`{timeout, TRef, Msg}`). */
export class TimeoutMessage {
  constructor(
    readonly ref: Ref,
    readonly message: unknown,
  ) {}
}

/** A matcher for the DOWN message of one monitor: `await ctx.receive(downOf(ref))`. */
export function downOf(ref: Ref): (message: unknown) => message is DownMessage {
  return (message): message is DownMessage => message instanceof DownMessage && message.ref === ref;
}

/** A matcher for the trapped exit signal from one process: `await ctx.receive(exitFrom(pid))`. */
export function exitFrom(pid: Pid): (message: unknown) => message is ExitMessage {
  return (message): message is ExitMessage => message instanceof ExitMessage && message.from.equals(pid);
}
