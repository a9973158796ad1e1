import { invalidArgument } from '../../../runtime/index.js';
import type { PortCommand, PortOptions } from '../port-types.js';

/** The house shape of an argument error (see `invalidArgument`). */
export const invalid = invalidArgument;
import type { Framing } from './port-framing.js';
import type { TerminationTimes } from './port-program.js';
import { checkDirectory, findProgram, type ProgramSpec, type StderrMode } from './port-spawn.js';

/** How a port behaves, from its options. */
export interface PortSettings {
  readonly framing: Framing;
  readonly exitStatus: boolean;
  readonly eof: boolean;
  readonly times: TerminationTimes;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function expectString(name: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.includes('\0')) {
    throw invalid(name, 'a non-empty string without NUL characters', value);
  }
  return value;
}

function optionalBoolean(name: string, value: unknown): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw invalid(name, 'a boolean', value);
  return value;
}

function optionalDelay(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value >= 0) || value > 2 ** 31 - 1) {
    throw invalid(name, 'a number of milliseconds from 0 to 2147483647', value);
  }
  return value;
}

/** The environment the program gets: this process's, with the changes applied. */
function environmentOf(changes: unknown): NodeJS.ProcessEnv {
  if (changes === undefined) return process.env;
  if (!isRecord(changes)) throw invalid('command.env', 'an object of variable names to strings or false', changes);
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [key, value] of Object.entries(changes)) {
    if (key === '' || key.includes('=') || key.includes('\0')) throw invalid('command.env key', 'a name without = or NUL', key);
    if (value === false) delete env[key];
    else if (typeof value === 'string' && !value.includes('\0')) env[key] = value;
    else throw invalid(`command.env.${key}`, 'a string without NUL characters, or false', value);
  }
  return env;
}

/**
 * The program a command names, found and checked: throws `TypeError` for a malformed command and
 * `PortOpenError` (`enoent`, `eacces`) for a program or directory that cannot be used.
 */
export function programOf(command: PortCommand, stderr: StderrMode): ProgramSpec {
  if (!isRecord(command)) throw invalid('command', 'an object with `spawn` or `shell`', command);
  const cwd = command['cwd'] === undefined ? undefined : expectString('command.cwd', command['cwd']);
  const env = environmentOf(command['env']);
  if (cwd !== undefined) checkDirectory(cwd);
  if ('shell' in command && command['shell'] !== undefined) {
    if ('spawn' in command) throw invalid('command', 'either `spawn` or `shell`, not both', command);
    const line = expectString('command.shell', command['shell']);
    return { name: line, file: '/bin/sh', args: ['-c', line], cwd, env, stderr };
  }
  const executable = expectString('command.spawn', command['spawn']);
  const args = command['args'] ?? [];
  if (!Array.isArray(args) || !args.every((arg) => typeof arg === 'string' && !arg.includes('\0'))) {
    throw invalid('command.args', 'an array of strings without NUL characters', args);
  }
  return { name: executable, file: findProgram(executable, cwd, env['PATH']), args, cwd, env, stderr };
}

/** Where stderr goes, from the options. */
export function stderrOf(options: PortOptions): StderrMode {
  const stderr = options.stderr ?? 'inherit';
  if (stderr !== 'inherit' && stderr !== 'discard' && stderr !== 'message') {
    throw invalid('options.stderr', "'inherit', 'discard' or 'message'", stderr);
  }
  return stderr;
}

/** The settings the options describe; throws `TypeError` for bad ones. */
export function settingsOf(options: PortOptions): PortSettings {
  if (!isRecord(options)) throw invalid('options', 'an object', options);
  const { packet, line } = options;
  if (packet !== undefined && line !== undefined) throw invalid('options', 'either `packet` or `line`, not both', 'both');
  let framing: Framing = { kind: 'stream' };
  if (packet !== undefined) {
    if (packet !== 1 && packet !== 2 && packet !== 4) throw invalid('options.packet', '1, 2 or 4', packet);
    framing = { kind: 'packet', size: packet };
  } else if (line !== undefined) {
    if (typeof line !== 'number' || !Number.isInteger(line) || line < 1) throw invalid('options.line', 'a whole number from 1 up', line);
    framing = { kind: 'line', max: line };
  }
  return {
    framing,
    exitStatus: optionalBoolean('options.exitStatus', options.exitStatus),
    eof: optionalBoolean('options.eof', options.eof),
    times: {
      termAfter: optionalDelay('options.termAfter', options.termAfter, 1000),
      killAfter: optionalDelay('options.killAfter', options.killAfter, 2000),
    },
  };
}
