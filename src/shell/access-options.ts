import { isIP } from 'node:net';
import { invalidArgument } from '../runtime/index.js';
import { DEFAULT_OUTPUT_LIMITS, type OutputLimits } from './bounded-output.js';
import { expectCookie, readCookieFile } from './cookie.js';
import type { MedicFactory, TopSourceFactory } from './medic.js';
import { defaultRuntimeDir } from './runtime-dir.js';

/** Options of `startOperatorAccess`. */
export interface OperatorAccessOptions {
  /**
   * Listen on a Unix socket named after the node, mode 0600, in `dir` (default:
   * `$XDG_RUNTIME_DIR/beamish`, else `<tmpdir>/beamish-<uid>`, created 0700). Default true.
   */
  readonly unix?: boolean | { readonly dir?: string };
  /**
   * Also listen on TCP, on a loopback address only (`host` default `127.0.0.1`; `port` default 0,
   * a free one). Every TCP client must pass the cookie challenge–response.
   */
  readonly tcp?: boolean | { readonly host?: string; readonly port?: number };
  /** The TCP cookie. Default: read from `cookieFile`. */
  readonly cookie?: string;
  /** Where the cookie is kept when `cookie` is not given; created 0400 if missing. Default `~/.beamish.cookie`. */
  readonly cookieFile?: string;
  /** Milliseconds a client has for the whole handshake. Default 5000. */
  readonly handshakeTimeout?: number;
  /** Most sessions at once; a client past it is told so and closed. Default 8. */
  readonly maxSessions?: number;
  /** Bounds on what a session prints for one result (see `OutputLimits`). */
  readonly output?: Partial<OutputLimits>;
  /** Makes each REPL session's medic. Default: the medic kit's `createMedic`. */
  readonly createMedic?: MedicFactory;
  /** Makes each top session's frame source. Default: the medic kit's `TopSampler`. */
  readonly topSource?: TopSourceFactory;
}

/** Options of `startOperatorAccess`, checked and with their defaults. */
export interface AccessSettings {
  readonly unixDir: string | undefined;
  readonly tcp: { readonly host: string; readonly port: number } | undefined;
  readonly cookie: string | undefined;
  readonly handshakeTimeout: number;
  readonly maxSessions: number;
  readonly limits: OutputLimits;
  readonly createMedic: MedicFactory | undefined;
  readonly topSource: TopSourceFactory | undefined;
}

/** Checks `options` (`TypeError` for anything wrong) and fills in the defaults; reads the cookie when TCP is on. */
export function readAccessOptions(options: OperatorAccessOptions): AccessSettings {
  if (typeof options !== 'object' || options === null) throw invalidArgument('options', 'an object', options);
  const unix = options.unix ?? true;
  if (typeof unix !== 'boolean' && (typeof unix !== 'object' || unix === null)) throw invalidArgument('options.unix', 'a boolean or { dir }', unix);
  const tcpOption = options.tcp ?? false;
  if (typeof tcpOption !== 'boolean' && (typeof tcpOption !== 'object' || tcpOption === null)) throw invalidArgument('options.tcp', 'a boolean or { host, port }', tcpOption);
  if (unix === false && tcpOption === false) throw invalidArgument('options', 'to enable `unix` or `tcp`', options);
  let tcp: AccessSettings['tcp'];
  if (tcpOption !== false) {
    const host = (tcpOption === true ? undefined : tcpOption.host) ?? '127.0.0.1';
    if (!isLoopback(host)) throw invalidArgument('options.tcp.host', 'a loopback address (127.0.0.1, ::1 or localhost)', host);
    const port = (tcpOption === true ? undefined : tcpOption.port) ?? 0;
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw invalidArgument('options.tcp.port', 'a port number from 0 to 65535', port);
    tcp = { host, port };
  }
  const cookie =
    tcp === undefined ? undefined : options.cookie !== undefined ? expectCookie('options.cookie', options.cookie) : readCookieFile(options.cookieFile, { create: true });
  return {
    unixDir: unix === false ? undefined : ((unix === true ? undefined : unix.dir) ?? defaultRuntimeDir()),
    tcp,
    cookie,
    handshakeTimeout: positiveInteger('options.handshakeTimeout', options.handshakeTimeout, 5000),
    maxSessions: positiveInteger('options.maxSessions', options.maxSessions, 8),
    limits: outputLimits(options.output),
    createMedic: optionalFunction('options.createMedic', options.createMedic),
    topSource: optionalFunction('options.topSource', options.topSource),
  };
}

function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

function positiveInteger(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || (value as number) < 1) throw invalidArgument(name, 'a whole number from 1 up', value);
  return value as number;
}

function optionalFunction<F>(name: string, value: F | undefined): F | undefined {
  if (value !== undefined && typeof value !== 'function') throw invalidArgument(name, 'a function', value);
  return value;
}

function outputLimits(given: Partial<OutputLimits> | undefined): OutputLimits {
  if (given === undefined) return DEFAULT_OUTPUT_LIMITS;
  if (typeof given !== 'object' || given === null) throw invalidArgument('options.output', 'an object of limits', given);
  const limits: Record<string, number> = { ...DEFAULT_OUTPUT_LIMITS };
  for (const key of Object.keys(DEFAULT_OUTPUT_LIMITS)) {
    const value = (given as Record<string, unknown>)[key];
    if (value !== undefined) limits[key] = positiveInteger(`options.output.${key}`, value, 1);
  }
  return limits as unknown as OutputLimits;
}
