import { SocketError } from '../errors.js';
import type { Active, AnySocket } from '../types.js';
import { invalid } from '../../ports/internal/port-validate.js';

const MIN_COUNT = -32768;
const MAX_COUNT = 32767;

/** Checks an `active` option: true, false, 'once' or a whole number from -32768 to 32767. */
export function expectActive(name: string, value: unknown): Active {
  if (typeof value === 'boolean' || value === 'once') return value;
  if (typeof value === 'number' && Number.isInteger(value) && value >= MIN_COUNT && value <= MAX_COUNT) return value;
  throw invalid(name, "true, false, 'once' or a whole number from -32768 to 32767", value);
}

/**
 * A socket's delivery mode, with inet's rules for counts: a number given to `set` is added to the
 * messages still allowed (from 0 when the socket was not counting); reaching 0, by delivery or by
 * `set`, makes the socket passive and asks for a passive message.
 */
export class ActiveMode {
  #mode: true | false | 'once' | 'count' = false;
  #count = 0;

  /** The mode as `getopts` reports it: for a count, the messages still allowed. */
  get value(): Active {
    return this.#mode === 'count' ? this.#count : this.#mode;
  }

  /** Whether a data message may be delivered now. */
  get wants(): boolean {
    return this.#mode !== false;
  }

  /**
   * Changes the mode; returns true when a count reached 0 (send the passive message). Throws
   * `SocketError` `einval` when a count would pass 32767, as inet does.
   */
  set(active: Active, socket: AnySocket): boolean {
    if (typeof active !== 'number') {
      this.#mode = active;
      this.#count = 0;
      return false;
    }
    const count = (this.#mode === 'count' ? this.#count : 0) + active;
    if (count > MAX_COUNT) throw new SocketError('einval', `active count ${count} is over ${MAX_COUNT} on ${socket}`, socket);
    if (count <= 0) {
      this.#mode = false;
      this.#count = 0;
      return true;
    }
    this.#mode = 'count';
    this.#count = count;
    return false;
  }

  /** A data message was delivered; returns true when that used up a count (send the passive message). */
  consume(): boolean {
    if (this.#mode === 'once') this.#mode = false;
    else if (this.#mode === 'count' && --this.#count === 0) {
      this.#mode = false;
      return true;
    }
    return false;
  }
}
