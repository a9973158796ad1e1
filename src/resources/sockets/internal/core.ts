import type { BeamishNode } from '../../../runtime/index.js';
import type { SocketAddress, SocketInfo, SocketStats } from '../types.js';
import type { Ownership } from './owner.js';

/** What every kind of socket state offers the shared operations (ownership, stats, listing). */
export interface SocketCore {
  readonly kind: 'tcp' | 'tcp_listen' | 'udp';
  readonly node: BeamishNode;
  /** Open from the API's point of view: not closed by anyone, its owner alive. */
  readonly isOpen: boolean;
  readonly ownership: Ownership;
  /** Settles when the system handle is closed (never for an open socket). */
  readonly released: Promise<void>;
  /** Closes the socket; false if it was already closed. */
  close(): boolean;
  info(): SocketInfo;
  stats(): SocketStats;
  sockname(): SocketAddress;
}
