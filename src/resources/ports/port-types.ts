import type { Pid } from '../../runtime/index.js';
import type { Port } from './port.js';

/** Where the program runs and what it sees, for both kinds of command. */
interface ProgramPlace {
  /** Working directory; default: this Node.js process's. Checked at open (`enoent` if missing). */
  readonly cwd?: string;
  /**
   * Changes to the environment, as Erlang's `{env, …}`: the program gets this Node.js process's
   * environment with these variables set, and those given `false` removed.
   */
  readonly env?: Readonly<Record<string, string | false>>;
}

/**
 * An executable run directly, with its arguments passed as they are: no shell sees them, so
 * spaces, quotes and `$` need no escaping (Erlang's `{spawn_executable, File}` with `{args, …}`).
 * A name without a slash is looked up in PATH; one with a slash is relative to `cwd`.
 */
export interface SpawnCommand extends ProgramPlace {
  readonly spawn: string;
  readonly args?: readonly string[];
}

/** A command line run by `/bin/sh -c` (Erlang's `{spawn, Command}`): only when a shell is wanted. */
export interface ShellCommand extends ProgramPlace {
  readonly shell: string;
}

/** What a port runs. */
export type PortCommand = SpawnCommand | ShellCommand;

/** Options of `Port.open`. */
export interface PortOptions {
  /**
   * Packet framing (`{packet, N}`): every command is sent with an N-byte big-endian length in
   * front, and the program's output is read as such packets, each one `PortData` message.
   */
  readonly packet?: 1 | 2 | 4;
  /**
   * Line framing (`{line, Max}`): output arrives as `PortLine` messages, complete lines marked
   * `eol`, lines longer than this many bytes cut into parts. Commands are sent as they are.
   * Without `packet` or `line`, output arrives as raw `PortData` chunks (stream mode).
   */
  readonly line?: number;
  /** Send the owner `PortExitStatus` when the program exits (`exit_status`). Default false. */
  readonly exitStatus?: boolean;
  /**
   * Keep the port open when the program closes its output, and send the owner `PortEof` instead
   * (`eof`); the owner then closes the port itself. Default false: the port closes at end of output.
   */
  readonly eof?: boolean;
  /**
   * The program's standard error: `'inherit'` (default, as Erlang) shares this process's stderr,
   * `'discard'` drops it, `'message'` delivers it to the owner as `PortStderr` messages.
   */
  readonly stderr?: 'inherit' | 'discard' | 'message';
  /** Milliseconds between closing the program's input and SIGTERM to its process group. Default 1000. */
  readonly termAfter?: number;
  /** Milliseconds between SIGTERM and SIGKILL. Default 2000. */
  readonly killAfter?: number;
}

/** A bounded snapshot of a port, as `erlang:port_info/1`. */
export interface PortInfo {
  readonly port: Port;
  /** The executable as given, or the shell command. */
  readonly name: string;
  /** The program's process id (also its process group id). */
  readonly osPid: number;
  /** The owner: the process that receives the port's messages and whose exit closes it. */
  readonly connected: Pid;
  /** The processes linked to the port: its owner. */
  readonly links: readonly Pid[];
  /** Bytes read from the program's output (framing included). */
  readonly input: number;
  /** Bytes written to the program's input (framing included). */
  readonly output: number;
  /** Bytes accepted by `command` but not yet taken by the program's input pipe. */
  readonly queueSize: number;
  /** Whether the port is busy: senders with `command` wait, `commandNosuspend` returns false. */
  readonly busy: boolean;
  /** `'stream'`, `{ packet: n }` or `{ line: max }`. */
  readonly framing: 'stream' | { readonly packet: 1 | 2 | 4 } | { readonly line: number };
  /** Whether the program itself has exited while the port stays open (with `eof`, say). */
  readonly programExited: boolean;
}

/**
 * How this Node.js process makes port programs die with it even when it is killed outright
 * (SIGKILL, a crash), and why a mechanism is missing when one is.
 */
export interface OrphanProtection {
  /** Each program runs under `setpriv --pdeathsig SIGKILL` (Linux); the path of `setpriv`, or undefined. */
  readonly parentDeathSignal: string | undefined;
  /** A helper kills the programs' whole process groups (what they started) when this process dies. */
  readonly groupReaper: boolean;
  /** Why a mechanism is not in use, for each missing one. */
  readonly notes: readonly string[];
}
