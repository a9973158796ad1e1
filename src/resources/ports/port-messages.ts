import { ExitMessage } from '../../runtime/index.js';
import type { Port } from './port.js';

/** What every message a port sends its owner has: the port it comes from (Erlang's `{Port, …}`). */
export abstract class PortMessage {
  constructor(readonly port: Port) {}
}

/**
 * Output of the program (`{Port, {data, Data}}`): a chunk as read in stream mode, one whole
 * packet with `packet` framing (the length header removed).
 */
export class PortData extends PortMessage {
  constructor(
    port: Port,
    readonly data: Buffer,
  ) {
    super(port);
  }
}

/**
 * A line of output with `line` framing (`{Port, {data, {eol | noeol, Line}}}`), newline removed.
 * `eol` is true for a complete line; false for a part: the first `line` bytes of a longer line
 * (the rest follows), or what was left without a newline when the output ended.
 */
export class PortLine extends PortMessage {
  constructor(
    port: Port,
    readonly line: Buffer,
    readonly eol: boolean,
  ) {
    super(port);
  }
}

/** The program's standard error, with `stderr: 'message'`: chunks as read, never framed. */
export class PortStderr extends PortMessage {
  constructor(
    port: Port,
    readonly data: Buffer,
  ) {
    super(port);
  }
}

/** The program closed its output, with the `eof` option (`{Port, eof}`); the port stays open. */
export class PortEof extends PortMessage {}

/**
 * The program exited, with the `exitStatus` option (`{Port, {exit_status, Status}}`): its exit
 * code, or 128 plus the signal number when a signal killed it (143 for SIGTERM).
 */
export class PortExitStatus extends PortMessage {
  constructor(
    port: Port,
    readonly status: number,
  ) {
    super(port);
  }
}

/**
 * A matcher for every message from one port: its data, lines, stderr, eof, exit status, and the
 * exit signal it sends a trapping owner (`ExitMessage` whose `from` is the port).
 */
export function fromPort(port: Port): (message: unknown) => message is PortMessage | ExitMessage {
  return (message): message is PortMessage | ExitMessage =>
    (message instanceof PortMessage && message.port === port) ||
    (message instanceof ExitMessage && (message.from as unknown) === port);
}

/** A matcher for the exit signal a port sends its trapping owner: `await ctx.receive(portExit(port))`. */
export function portExit(port: Port): (message: unknown) => message is ExitMessage {
  return (message): message is ExitMessage => message instanceof ExitMessage && (message.from as unknown) === port;
}
