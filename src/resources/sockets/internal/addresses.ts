import type { SocketAddress } from '../types.js';

/** Node's address record as a `SocketAddress`, or undefined when the socket has none (yet). */
export function addressOf(address: { address?: string; port?: number; family?: string | number } | string | null | undefined): SocketAddress | undefined {
  if (typeof address !== 'object' || address === null || address.address === undefined || address.port === undefined) return undefined;
  const family = address.family === 'IPv6' || address.family === 6 ? 'inet6' : 'inet';
  return { address: address.address, port: address.port, family };
}

/** The bytes of a string (UTF-8) or byte array; undefined for anything else. */
export function bytesOf(data: unknown): Uint8Array | undefined {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (data instanceof Uint8Array) return data;
  return undefined;
}

/**
 * Resolves once a handle whose close was just asked for is gone: Node emits 'close' for servers
 * and UDP sockets before libuv has finished closing the handle, which happens in the close phase
 * of the loop; two turns of the check phase are always past it.
 */
export function handleGone(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}
