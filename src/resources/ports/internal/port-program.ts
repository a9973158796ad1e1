import { readdirSync, readFileSync } from 'node:fs';
import { constants } from 'node:os';
import type { Readable, Writable } from 'node:stream';
import { reaper } from './port-reaper.js';
import { startProgram, type ProgramSpec } from './port-spawn.js';

/** What a running program tells its port. */
export interface ProgramEvents {
  stdout(chunk: Buffer): void;
  /** The program closed its output: standard output, and standard error when that is piped too. */
  outputEnd(): void;
  stderr(chunk: Buffer): void;
  /** The program itself exited: its code, or 128 plus the signal number. */
  exit(status: number): void;
  /** Writing to it or reading from it failed (`'epipe'` when it closed its input). */
  failed(code: string): void;
  /** Its input pipe has room again. */
  drain(): void;
}

/** How long termination waits at each step, in milliseconds. */
export interface TerminationTimes {
  /** After closing its input, before SIGTERM to the process group. */
  readonly termAfter: number;
  /** After SIGTERM, before SIGKILL. */
  readonly killAfter: number;
}

/** Signals a whole process group; true unless the group is gone. */
function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether a process group has a member that still runs. A dead member stays in its group as a
 * zombie until someone reaps it, and where PID 1 does not reap (some containers) that is never, so
 * on Linux the members are looked up in /proc when the group seems to exist. O(processes), and
 * only when a group outlives its leader.
 */
function groupRuns(pgid: number): boolean {
  if (!signalGroup(pgid, 0)) return false;
  if (process.platform !== 'linux') return true;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return true;
  }
  for (const entry of entries) {
    const code = entry.charCodeAt(0);
    if (code < 48 || code > 57) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
    } catch {
      continue; // exited meanwhile
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ', 3);
    if (Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X') return true;
  }
  return false;
}

/** How often a group that outlived its leader is looked at. */
const GROUP_POLL_MS = 100;
const IDLE_GROUP_POLL_MS = 1000;
/** After SIGKILL: how often, and how long at most, to look for the group to be gone. */
const KILLED_POLL_MS = 5;
const KILLED_WAIT_MS = 1000;

/**
 * One OS program behind a port: its pipes, its exit, and its termination. Closing escalates:
 * the input pipe is closed (a well-behaved program ends at EOF), then after `termAfter` its whole
 * process group gets SIGTERM, then after `killAfter` SIGKILL, so what it started dies too. It is
 * released (every handle closed, the group gone) once all of that is over.
 */
export class PortProgram {
  readonly pid: number;
  bytesIn = 0;
  bytesOut = 0;
  readonly released: Promise<void>;
  readonly #stdin: Writable;
  readonly #stdout: Readable;
  readonly #stderr: Readable | null;
  readonly #events: ProgramEvents;
  #times: TerminationTimes | undefined;
  #exited = false;
  #closedPipes = false;
  #groupGone = false;
  #termSent = false;
  #killAt = 0;
  #killSent = false;
  #timer: NodeJS.Timeout | undefined;
  #release!: () => void;

  /** Starts the program; throws `PortOpenError` if it cannot be started. */
  constructor(spec: ProgramSpec, events: ProgramEvents) {
    const { child, stdin, stdout, stderr } = startProgram(spec, (chunk) => {
      this.bytesIn += chunk.length;
      events.stdout(chunk);
    });
    this.pid = child.pid;
    reaper.add(this.pid);
    this.released = new Promise((resolve) => (this.#release = resolve));
    this.#events = events;
    this.#stdin = stdin;
    this.#stdout = stdout;
    this.#stderr = stderr;
    this.#stdin.on('error', (error: NodeJS.ErrnoException) => this.#fail(error));
    this.#stdin.on('drain', () => events.drain());
    this.#stdout.on('error', (error: NodeJS.ErrnoException) => this.#fail(error));
    // Standard error is read to its end too, so nothing it said is cut off by the port closing.
    let openOutputs = this.#stderr === null ? 1 : 2;
    const outputEnded = (): void => {
      if (--openOutputs === 0) events.outputEnd();
    };
    this.#stdout.on('end', outputEnded);
    this.#stderr?.on('error', () => {});
    this.#stderr?.on('data', (chunk: Buffer) => events.stderr(chunk));
    this.#stderr?.on('end', outputEnded);
    child.on('error', (error: NodeJS.ErrnoException) => this.#fail(error));
    child.on('exit', (code, signal) => this.#onExit(code, signal));
    // Released once the child is done with the streams Node gave it and ours are closed too.
    let open = 3;
    const closed = (): void => {
      if (--open > 0) return;
      this.#closedPipes = true;
      this.#settle();
    };
    child.on('close', closed);
    this.#stdin.on('close', closed);
    this.#stdout.on('close', closed);
  }

  /** Whether the input pipe is full: Node holds a pipe-buffer's worth the program has not read. */
  get busy(): boolean {
    return this.#stdin.writableNeedDrain;
  }

  /** Bytes accepted but not yet written into the pipe. */
  get queued(): number {
    return this.#stdin.writableLength;
  }

  /** Whether the program itself has exited (what it started may still run). */
  get exited(): boolean {
    return this.#exited;
  }

  /** Hands bytes to the input pipe; false when it is now full (wait for `drain`). */
  write(bytes: Uint8Array): boolean {
    this.bytesOut += bytes.length;
    return this.#stdin.write(bytes);
  }

  /** Starts termination (see the class); idempotent. */
  close(times: TerminationTimes): void {
    if (this.#times !== undefined) return;
    this.#times = times;
    this.#stdout.destroy();
    this.#stderr?.destroy();
    this.#stdin.end();
    if (this.#exited) this.#endGroup();
    else this.#arm(times.termAfter, () => this.#terminate());
    this.#settle();
  }

  #fail(error: NodeJS.ErrnoException): void {
    if (this.#times !== undefined) return;
    this.#events.failed(typeof error.code === 'string' ? error.code.toLowerCase() : 'eio');
  }

  #onExit(code: number | null, signal: NodeJS.Signals | null): void {
    this.#exited = true;
    this.#events.exit(code ?? 128 + (signal === null ? 0 : (constants.signals[signal] ?? 0)));
    if (this.#times !== undefined) this.#endGroup();
    else this.#watchGroup();
  }

  /** SIGTERM to the group (the program outlived the grace period, or left members behind), then SIGKILL. */
  #terminate(): void {
    this.#stdin.destroy();
    if (this.#exited && !groupRuns(this.pid)) return this.#groupEnded();
    signalGroup(this.pid, 'SIGTERM');
    this.#termSent = true;
    this.#killAt = Date.now() + (this.#times as TerminationTimes).killAfter;
    this.#awaitGroupEnd();
  }

  /**
   * Watches the group after SIGTERM: released as soon as no member runs; SIGKILL at the deadline,
   * then released once the group is gone (or, for a member stuck in the kernel, a second later).
   */
  #awaitGroupEnd(): void {
    if (this.#exited && !groupRuns(this.pid)) return this.#groupEnded();
    const now = Date.now();
    if (!this.#killSent && now >= this.#killAt) {
      signalGroup(this.pid, 'SIGKILL');
      this.#killSent = true;
    }
    if (this.#killSent && now >= this.#killAt + KILLED_WAIT_MS) return this.#groupEnded();
    this.#arm(this.#killSent ? KILLED_POLL_MS : Math.min(GROUP_POLL_MS, this.#killAt - now), () => this.#awaitGroupEnd());
  }

  /** The leader is gone while the port closes: what it left in its group is terminated too. */
  #endGroup(): void {
    if (this.#groupGone || this.#termSent) return; // after SIGTERM, #awaitGroupEnd watches
    clearTimeout(this.#timer);
    this.#terminate();
  }

  /**
   * The leader exited while the port stays open (its output is still held by a child, or `eof`
   * keeps the port): watch for the group to empty, so its number is never signalled once it could
   * belong to someone else.
   */
  #watchGroup(): void {
    if (this.#groupGone || this.#times !== undefined) return;
    if (!groupRuns(this.pid)) return this.#groupEnded();
    this.#arm(IDLE_GROUP_POLL_MS, () => this.#watchGroup()).unref();
  }

  #groupEnded(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#groupGone = true;
    reaper.remove(this.pid);
    this.#settle();
  }

  #arm(ms: number, fn: () => void): NodeJS.Timeout {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(fn, ms);
    return this.#timer;
  }

  #settle(): void {
    if (this.#groupGone && this.#closedPipes && this.#times !== undefined) this.#release();
  }
}
