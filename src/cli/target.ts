import { InvalidArgumentError } from 'commander';
import { defaultCookieFile, defaultRuntimeDir, listNodes, readCookieFile, type AttachTarget } from '../shell/index.js';

/** The connection options `attach` and `top` share. */
export interface ConnectionOptions {
  readonly tcp?: { readonly host: string; readonly port: number };
  readonly cookie?: string;
  readonly cookieFile?: string;
  readonly dir?: string;
}

/** A failure the CLI reports as one line and exit status 1. */
export class CliError extends Error {}

/** Parses `--tcp host:port` (`[::1]:4370` for IPv6). */
export function parseHostPort(value: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(value);
  const port = Number(match?.[3]);
  if (match === null || port < 1 || port > 65535) throw new InvalidArgumentError('Expected host:port, such as 127.0.0.1:4370.');
  return { host: (match[1] ?? match[2]) as string, port };
}

/** Parses a whole number within [min, max] for an option. */
export function wholeNumber(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`Expected a whole number from ${min} to ${max}.`);
    return n;
  };
}

/**
 * Where to connect: TCP with the cookie when `--tcp` is given; else the named node's socket; with
 * no name, the only live node in the runtime directory (several or none is an error naming them).
 */
export async function resolveTarget(node: string | undefined, options: ConnectionOptions): Promise<AttachTarget> {
  if (options.tcp !== undefined) {
    if (node !== undefined) throw new CliError('Give a node name or --tcp, not both');
    const cookie = options.cookie ?? readCookieFile(options.cookieFile ?? defaultCookieFile());
    return { ...options.tcp, cookie };
  }
  if (options.cookie !== undefined || options.cookieFile !== undefined) throw new CliError('--cookie and --cookie-file go with --tcp; the Unix socket needs no cookie');
  const dir = options.dir ?? defaultRuntimeDir();
  if (node !== undefined) return { node, dir };
  const live = (await listNodes(dir)).filter((listed) => listed.live);
  if (live.length === 1) return { node: (live[0] as { name: string }).name, dir };
  if (live.length === 0) throw new CliError(`No node listens for operators in ${dir}`);
  throw new CliError(`Several nodes listen for operators in ${dir}; name one: ${live.map((listed) => listed.name).join(', ')}`);
}
