import { spawnSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readdirSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findExecutable, isRunning } from './port-death-signal.js';

/**
 * The two pipes of a port program: its standard input and output. The program's ends are
 * blocking, as a program expects its standard streams; this process's ends are non-blocking,
 * for Node's event loop. Every descriptor is close-on-exec, so no other child inherits one.
 */
export interface ProgramPipes {
  /** The read end of the input pipe: the program's fd 0. */
  readonly childIn: number;
  /** The write end of the output pipe: the program's fd 1. */
  readonly childOut: number;
  /** This process's write end of the input pipe. */
  readonly toProgram: number;
  /** This process's read end of the output pipe. */
  readonly fromProgram: number;
}

const { O_RDONLY, O_WRONLY, O_RDWR, O_NONBLOCK } = constants;
/** FIFO names made per `mkfifo` run: two per port. */
const BATCH = 32;
const DIR_PREFIX = 'beamish-pipes-';

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

/**
 * Real pipes for port programs, made without a native addon: Node.js has no `pipe(2)`, and the
 * socket pairs its `child_process` uses cost more per message. A FIFO opened at both ends is a
 * pipe; its name is unlinked as soon as both ends are open, so nothing can join it later, and a
 * name is never made twice. Names are made in batches by one `mkfifo` run, in a private (0700)
 * directory removed when this process exits; directories left by a process that was killed are
 * removed by the next one that starts a pool. Linux only; `BEAMISH_MKFIFO` names another
 * `mkfifo`, or, set to the empty string, turns pipes off (ports then use Node's socket pairs).
 */
class FifoPool {
  #mkfifo: string | null | undefined;
  #dir: string | undefined;
  #free: string[] = [];
  #made = 0;

  /** A fresh pair of pipes, or undefined when pipes cannot be made here (use Node's default stdio). */
  open(): ProgramPipes | undefined {
    const input = this.#take();
    if (input === undefined) return undefined;
    const output = this.#take();
    if (output === undefined) {
      unlinkQuietly(input);
      return undefined;
    }
    let inputEnds: [number, number] | undefined;
    try {
      inputEnds = openInputPipe(input);
      const [fromProgram, childOut] = openOutputPipe(output);
      return { childIn: inputEnds[0], childOut, toProgram: inputEnds[1], fromProgram };
    } catch (error) {
      // Out of descriptors, most likely: the port falls back to Node's stdio, which will say so.
      if (inputEnds !== undefined) for (const fd of inputEnds) closeQuietly(fd);
      unlinkQuietly(input);
      unlinkQuietly(output);
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EMFILE' && code !== 'ENFILE') this.#disable();
      return undefined;
    }
  }

  #take(): string | undefined {
    if (this.#free.length === 0) this.#refill();
    return this.#free.pop();
  }

  #refill(): void {
    const mkfifo = this.#findMkfifo();
    if (mkfifo === undefined) return;
    const dir = (this.#dir ??= this.#makeDir());
    if (dir === undefined) return;
    const names: string[] = [];
    for (let i = 0; i < BATCH; i++) names.push(join(dir, `p${this.#made++}`));
    const result = spawnSync(mkfifo, ['-m', '600', '--', ...names], { stdio: 'ignore', timeout: 5000 });
    if (result.status !== 0) {
      for (const name of names) unlinkQuietly(name);
      return this.#disable();
    }
    this.#free = names.reverse();
  }

  #findMkfifo(): string | undefined {
    if (this.#mkfifo === undefined) {
      const configured = process.env['BEAMISH_MKFIFO'];
      const usable = process.platform === 'linux' && configured !== '';
      this.#mkfifo = (usable ? (configured ?? findExecutable('mkfifo')) : undefined) ?? null;
    }
    return this.#mkfifo ?? undefined;
  }

  #makeDir(): string | undefined {
    removeStaleDirs();
    let dir: string;
    try {
      dir = mkdtempSync(join(tmpdir(), `${DIR_PREFIX}${process.pid}-`));
    } catch {
      this.#disable();
      return undefined;
    }
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    return dir;
  }

  /** From now on, ports of this process get Node's socket pairs. */
  #disable(): void {
    this.#mkfifo = null;
  }
}

/**
 * The input pipe's ends: the program's read end, blocking, and this process's write end. The
 * FIFO is first held open for both reading and writing (Linux allows that), so neither open waits
 * for the other side; the program then is the only reader, so it sees EOF when this side closes.
 */
function openInputPipe(path: string): [childIn: number, toProgram: number] {
  const holder = openSync(path, O_RDWR);
  let childIn: number | undefined;
  try {
    childIn = openSync(path, O_RDONLY);
    return [childIn, openSync(path, O_WRONLY | O_NONBLOCK)];
  } catch (error) {
    if (childIn !== undefined) closeQuietly(childIn);
    throw error;
  } finally {
    unlinkQuietly(path);
    closeSync(holder);
  }
}

/** The output pipe's ends: this process's read end (which opens at once), then the program's write end. */
function openOutputPipe(path: string): [fromProgram: number, childOut: number] {
  try {
    const fromProgram = openSync(path, O_RDONLY | O_NONBLOCK);
    try {
      return [fromProgram, openSync(path, O_WRONLY)];
    } catch (error) {
      closeQuietly(fromProgram);
      throw error;
    }
  } finally {
    unlinkQuietly(path);
  }
}

/** Removes the FIFO directories of processes of this user that died without cleaning up. */
function removeStaleDirs(): void {
  const root = tmpdir();
  let entries: string[];
  try {
    entries = readdirSync(root);
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!entry.startsWith(DIR_PREFIX)) continue;
    const pid = Number(entry.slice(DIR_PREFIX.length, entry.indexOf('-', DIR_PREFIX.length)));
    if (!(pid > 0) || pid === process.pid || isRunning(pid)) continue;
    const dir = join(root, entry);
    try {
      if (statSync(dir).uid === process.getuid?.()) rmSync(dir, { recursive: true, force: true });
    } catch {
      // removed meanwhile, or not ours to remove
    }
  }
}

const pool = new FifoPool();

/** Pipes for the next program, or undefined to use Node's default stdio (see `FifoPool`). */
export function openProgramPipes(): ProgramPipes | undefined {
  return pool.open();
}

/** Closes descriptors of `openProgramPipes`, ignoring those already closed. */
export function closeDescriptors(...fds: readonly number[]): void {
  for (const fd of fds) closeQuietly(fd);
}
