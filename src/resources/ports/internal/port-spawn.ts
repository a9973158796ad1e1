import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { Socket, type OnReadOpts, type SocketConstructorOpts } from 'node:net';
import { delimiter, join, resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { PortOpenError } from '../port-errors.js';
import { parentDeathSignal } from './port-death-signal.js';
import { closeDescriptors, openProgramPipes } from './port-pipes.js';

/** Where the program's standard error goes. */
export type StderrMode = 'discard' | 'inherit' | 'message';

/** A program ready to start: the executable found, its arguments, directory and environment. */
export interface ProgramSpec {
  /** What the port is called in `info`: the executable as given, or the shell command. */
  readonly name: string;
  /** The absolute path of the executable. */
  readonly file: string;
  readonly args: readonly string[];
  readonly cwd: string | undefined;
  readonly env: NodeJS.ProcessEnv;
  readonly stderr: StderrMode;
}

/** The error `code` for a failed `stat`/`access`: the system's name in lower case. */
function codeOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code.toLowerCase() : 'einval';
}

/** Checks the working directory exists, so a bad one is `enoent` now rather than a failed start. */
export function checkDirectory(cwd: string): void {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(cwd).isDirectory();
  } catch (error) {
    throw new PortOpenError(codeOf(error), cwd, 'the working directory does not exist', { cause: error });
  }
  if (!isDirectory) throw new PortOpenError('enotdir', cwd, 'the working directory is not a directory');
}

/** `file` is an executable regular file; otherwise the typed error saying why not. */
function checkExecutable(file: string, shown: string): PortOpenError | undefined {
  try {
    if (statSync(file).isDirectory()) return new PortOpenError('eacces', shown, 'it is a directory');
    accessSync(file, constants.X_OK);
    return undefined;
  } catch (error) {
    const code = codeOf(error);
    if (code === 'enoent' || code === 'enotdir') return new PortOpenError('enoent', shown, 'no such file', { cause: error });
    if (code === 'eacces') return new PortOpenError('eacces', shown, 'it is not executable', { cause: error });
    return new PortOpenError(code, shown, (error as Error).message, { cause: error });
  }
}

/**
 * The absolute path of the executable to run. A name with a slash is taken relative to the port's
 * working directory; a bare name is looked up in the program's PATH, as `execvp` does. Throws
 * `PortOpenError` `enoent` or `eacces`.
 */
export function findProgram(executable: string, cwd: string | undefined, path: string | undefined): string {
  if (executable.includes('/')) {
    const file = resolve(cwd ?? process.cwd(), executable);
    const problem = checkExecutable(file, executable);
    if (problem !== undefined) throw problem;
    return file;
  }
  let firstProblem: PortOpenError | undefined;
  for (const dir of (path ?? '').split(delimiter)) {
    if (dir === '') continue;
    const file = resolve(cwd ?? process.cwd(), join(dir, executable));
    const problem = checkExecutable(file, executable);
    if (problem === undefined) return file;
    if (problem.code !== 'enoent') firstProblem ??= problem;
  }
  throw firstProblem ?? new PortOpenError('enoent', executable, 'not found in PATH');
}

/** A started program and this process's ends of its standard streams. */
export interface StartedProgram {
  readonly child: ChildProcess & { pid: number };
  readonly stdin: Writable;
  readonly stdout: Readable;
  /** Its standard error, when that is piped (`stderr: 'message'`). */
  readonly stderr: Readable | null;
}

/**
 * One read buffer for every port of this thread: a read is handed on (copied) before the next one
 * can start, so it is never shared by two reads at once.
 */
let sharedReadBuffer: Buffer | undefined;

/**
 * Starts the program in a new session and process group of its own (so the whole group can be
 * signalled), under `setpriv --pdeathsig SIGKILL` where that works, so it dies with this Node.js
 * process even when that is killed outright. No shell is involved. Its standard input and output
 * are pipes (see port-pipes.ts), or Node's socket pairs where pipes cannot be made. `onOutput`
 * gets each chunk the program writes, a buffer of its own. Throws `PortOpenError` when the system
 * refuses to start it (out of processes or file descriptors, say).
 */
export function startProgram(spec: ProgramSpec, onOutput: (chunk: Buffer) => void): StartedProgram {
  const { setpriv } = parentDeathSignal();
  const [file, args] =
    setpriv === undefined ? [spec.file, spec.args] : [setpriv, ['--pdeathsig', 'SIGKILL', '--', spec.file, ...spec.args]];
  const stderr = spec.stderr === 'message' ? 'pipe' : spec.stderr === 'inherit' ? 'inherit' : 'ignore';
  const pipes = openProgramPipes();
  let child: ChildProcess;
  try {
    child = spawn(file, args, {
      cwd: spec.cwd,
      env: spec.env,
      detached: true,
      stdio: pipes === undefined ? ['pipe', 'pipe', stderr] : [pipes.childIn, pipes.childOut, stderr],
    });
  } catch (error) {
    if (pipes !== undefined) closeDescriptors(pipes.toProgram, pipes.fromProgram);
    throw new PortOpenError(codeOf(error), spec.name, (error as Error).message, { cause: error });
  } finally {
    // The program has its own copies now (or never will): ours would keep its pipes from ending.
    if (pipes !== undefined) closeDescriptors(pipes.childIn, pipes.childOut);
  }
  if (child.pid === undefined) {
    // Node reports why only on the next tick; the executable and directory were checked, so this
    // is the system refusing a process or file descriptors.
    child.on('error', () => {});
    if (pipes !== undefined) closeDescriptors(pipes.toProgram, pipes.fromProgram);
    throw new PortOpenError('spawn_failed', spec.name, 'the system refused to start it (too many processes or open files?)');
  }
  if (pipes === undefined) {
    const stdout = child.stdout as Readable;
    stdout.on('data', onOutput);
    return { child: child as ChildProcess & { pid: number }, stdin: child.stdin as Writable, stdout, stderr: child.stderr };
  }
  const buffer = (sharedReadBuffer ??= Buffer.allocUnsafeSlow(65_536));
  // Read into the shared buffer and copy out exactly what came: a small read costs a slice of
  // Node's buffer pool instead of a fresh 64 KiB allocation that is then shrunk.
  const onread: OnReadOpts = {
    buffer,
    callback(length) {
      const chunk = Buffer.allocUnsafe(length);
      buffer.copy(chunk, 0, 0, length);
      onOutput(chunk);
      return true;
    },
  };
  // `onread` is an option of the Socket constructor (Node.js documents it there); the
  // @types/node in use lists it only for connect().
  const readEnd: SocketConstructorOpts & { onread: OnReadOpts } = { fd: pipes.fromProgram, readable: true, writable: false, onread };
  return {
    child: child as ChildProcess & { pid: number },
    stdin: new Socket({ fd: pipes.toProgram, readable: false, writable: true }),
    stdout: new Socket(readEnd),
    stderr: child.stderr,
  };
}
