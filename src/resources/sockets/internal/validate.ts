import type { Pid, ProcessContext } from '../../../runtime/index.js';
import { invalid } from '../../ports/internal/port-validate.js';
import type { Packet, TcpSocketOptions } from '../types.js';
import { expectActive } from './active.js';

export { invalid };

/** The caller's context, checked, and its pid (a dead caller stops here, as at any other operation). */
export function callerOf(ctx: unknown): { ctx: ProcessContext; self: Pid } {
  const candidate = ctx as Partial<ProcessContext> | null | undefined;
  if (typeof candidate?.send !== 'function' || candidate.self === undefined || candidate.node === undefined) {
    throw invalid('ctx', 'the context of a process', ctx);
  }
  const checked = ctx as ProcessContext;
  checked.ensureAlive();
  return { ctx: checked, self: checked.self };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function expectOptions(name: string, value: unknown): Record<string, unknown> {
  if (value === undefined) return {};
  if (!isRecord(value)) throw invalid(name, 'an object', value);
  return value;
}

/** A port number: 0 (any free one) to 65535, or 1 to 65535 for a destination. */
export function expectPort(name: string, value: unknown, min: 0 | 1): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > 65535) {
    throw invalid(name, `a whole number from ${min} to 65535`, value);
  }
  return value;
}

/** A timeout in milliseconds: 0 (only look) up to 2147483647, or Infinity (wait for ever). */
export function expectTimeout(value: unknown): number {
  if (value === Infinity) return Infinity;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 2 ** 31 - 1) {
    throw invalid('timeout', 'a whole number of milliseconds from 0 to 2147483647, or Infinity', value);
  }
  return value;
}

export function expectHost(name: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.includes('\0')) throw invalid(name, 'a host name or IP address', value);
  return value;
}

export function optionalHost(name: string, value: unknown): string | undefined {
  return value === undefined ? undefined : expectHost(name, value);
}

export function optionalBoolean(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw invalid(name, 'a boolean', value);
  return value;
}

export function optionalCount(name: string, value: unknown, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) throw invalid(name, `a whole number from ${min} up`, value);
  return value;
}

function expectPacket(value: unknown): Packet {
  if (value === 0 || value === 1 || value === 2 || value === 4 || value === 'line') return value;
  throw invalid('options.packet', "0, 1, 2, 4 or 'line'", value);
}

/** The TCP socket options given, checked, over `base` (the defaults, or a listen socket's). */
export function tcpOptionsOf(given: Record<string, unknown>, base: TcpSocketOptions): TcpSocketOptions {
  return {
    active: given['active'] === undefined ? base.active : expectActive('options.active', given['active']),
    packet: given['packet'] === undefined ? base.packet : expectPacket(given['packet']),
    packetSize: optionalCount('options.packetSize', given['packetSize'], base.packetSize, 0),
    exitOnClose: optionalBoolean('options.exitOnClose', given['exitOnClose'], base.exitOnClose),
    noDelay: optionalBoolean('options.noDelay', given['noDelay'], base.noDelay),
    keepAlive: optionalBoolean('options.keepAlive', given['keepAlive'], base.keepAlive),
  };
}

/** inet's defaults. */
export const TCP_DEFAULTS: TcpSocketOptions = {
  active: true,
  packet: 0,
  packetSize: 0,
  exitOnClose: true,
  noDelay: false,
  keepAlive: false,
};

/** Rejects option names a call does not know, so a typo is not silently ignored. */
export function onlyKnown(name: string, given: Record<string, unknown>, known: readonly string[]): void {
  for (const key of Object.keys(given)) {
    if (!known.includes(key)) throw invalid(name, `an object with only ${known.join(', ')}`, key);
  }
}
