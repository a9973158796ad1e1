import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { PortOpenError } from '../port-errors.js';
import { parentDeathSignal } from './port-death-signal.js';

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

/**
 * Starts the program in a new session and process group of its own (so the whole group can be
 * signalled), under `setpriv --pdeathsig SIGKILL` where that works, so it dies with this Node.js
 * process even when that is killed outright. No shell is involved. Throws `PortOpenError` when the
 * system refuses to start it (out of processes or file descriptors, say).
 */
export function startProgram(spec: ProgramSpec): ChildProcess & { pid: number } {
  const { setpriv } = parentDeathSignal();
  const [file, args] =
    setpriv === undefined ? [spec.file, spec.args] : [setpriv, ['--pdeathsig', 'SIGKILL', '--', spec.file, ...spec.args]];
  const stderr = spec.stderr === 'message' ? 'pipe' : spec.stderr === 'inherit' ? 'inherit' : 'ignore';
  let child: ChildProcess;
  try {
    child = spawn(file, args, {
      cwd: spec.cwd,
      env: spec.env,
      detached: true,
      stdio: ['pipe', 'pipe', stderr],
    });
  } catch (error) {
    throw new PortOpenError(codeOf(error), spec.name, (error as Error).message, { cause: error });
  }
  if (child.pid === undefined) {
    // Node reports why only on the next tick; the executable and directory were checked, so this
    // is the system refusing a process or file descriptors.
    child.on('error', () => {});
    throw new PortOpenError('spawn_failed', spec.name, 'the system refused to start it (too many processes or open files?)');
  }
  return child as ChildProcess & { pid: number };
}
