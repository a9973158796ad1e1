import { SocketError } from '../errors.js';
import type { AnySocket } from '../types.js';

/**
 * Erlang's name for a system error: the lower-case POSIX name (`ECONNREFUSED` → `'econnrefused'`),
 * `'nxdomain'` for a name that does not resolve, `'closed'` when Node says the socket is gone.
 */
export function reasonOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') {
    // Node reports a failed connect to every address of a name as an AggregateError.
    const first = (error as { errors?: unknown[] } | null)?.errors?.[0];
    return first === undefined ? 'einval' : reasonOf(first);
  }
  switch (code) {
    case 'ENOTFOUND':
    case 'ENODATA':
      return 'nxdomain';
    case 'ERR_SOCKET_CLOSED':
    case 'ERR_STREAM_DESTROYED':
    case 'ERR_STREAM_WRITE_AFTER_END':
    case 'EPIPE':
      return 'closed';
    default:
      return code.startsWith('ERR_') ? 'einval' : code.toLowerCase();
  }
}

/** A `SocketError` for a system error, keeping it as the cause. */
export function socketErrorOf(error: unknown, what: string, socket?: AnySocket): SocketError {
  const reason = reasonOf(error);
  const detail = error instanceof Error ? error.message : String(error);
  return new SocketError(reason, `${what}: ${reason} (${detail})`, socket, { cause: error });
}
