import { createServer, type Server, type Socket } from 'node:net';
import { SystemLimitError, type BeamishNode, type Pid, type Ref } from '../../../runtime/index.js';
import { SocketClosedError, SocketTimeoutError } from '../errors.js';
import { TcpListenSocket, type TcpSocket } from '../handles.js';
import type { SocketAddress, SocketInfo, SocketStats, TcpSocketOptions } from '../types.js';
import { addressOf, handleGone } from './addresses.js';
import type { SocketCore } from './core.js';
import { Ownership } from './owner.js';
import { Counters } from './stats.js';
import { socketErrorOf } from './system-errors.js';
import type { SocketTable } from './table.js';
import { TcpConn } from './tcp-conn.js';

/** A process waiting in `accept`. */
interface Acceptor {
  readonly pid: Pid;
  readonly resolve: (socket: TcpSocket) => void;
  readonly reject: (error: Error) => void;
  timer: NodeJS.Timeout | undefined;
  watch: Ref | undefined;
}

/** Where and how to listen. */
export interface ListenPlace {
  readonly port: number;
  readonly ip: string | undefined;
  readonly backlog: number;
  readonly ipv6Only: boolean;
}

const ignore = (): void => {};

/**
 * The state of a listen socket. Node accepts connections from the system as they come; they
 * wait here, paused (nothing is read), up to `backlog` of them, until an `accept` takes one.
 * Acceptors are served in the order they called; each accepted socket is owned by its acceptor
 * and starts with the listen socket's options.
 */
export class TcpListener implements SocketCore {
  readonly kind = 'tcp_listen' as const;
  readonly node: BeamishNode;
  readonly handle: TcpListenSocket;
  readonly ownership: Ownership;
  readonly released: Promise<void>;
  readonly #server: Server;
  readonly #table: SocketTable;
  readonly #backlog: number;
  #options: TcpSocketOptions;
  #pending: Socket[] = [];
  #acceptors: Acceptor[] = [];
  #open = true;

  private constructor(node: BeamishNode, table: SocketTable, owner: Pid, server: Server, backlog: number, options: TcpSocketOptions) {
    this.node = node;
    this.#table = table;
    this.#server = server;
    this.#backlog = backlog;
    this.#options = options;
    this.handle = new TcpListenSocket(node.identity, table.nextId(), this);
    this.released = new Promise((resolve) => server.once('close', () => resolve(handleGone())));
    server.on('connection', (socket: Socket) => this.#arrived(socket));
    table.open.add(this);
    this.ownership = new Ownership(node, owner, () => this.close(), () => this.released);
  }

  /** Starts listening for `owner`; settles with the handle, or the system's refusal. */
  static listen(node: BeamishNode, table: SocketTable, owner: Pid, place: ListenPlace, options: TcpSocketOptions): Promise<TcpListenSocket> {
    table.checkRoom();
    const server = createServer({ allowHalfOpen: true, pauseOnConnect: true });
    const listener = new TcpListener(node, table, owner, server, place.backlog, options);
    const listening = new Promise<TcpListenSocket>((resolve, reject) => {
      const settle = (error: Error | undefined): void => {
        server.off('listening', onListening).off('error', onError).off('close', onClose);
        // Failures to accept one connection (EMFILE, say) are Node's to retry, not the owner's.
        server.on('error', ignore);
        if (error === undefined && listener.#open) resolve(listener.handle);
        else {
          reject(error ?? new SocketClosedError(listener.handle));
          // Closed while listening began (its owner exited): the handle may have come after.
          if (!listener.close()) server.close();
        }
      };
      const onListening = (): void => settle(undefined);
      const onError = (error: Error): void => settle(socketErrorOf(error, `listen on port ${place.port}`));
      const onClose = (): void => settle(undefined);
      server.once('listening', onListening).once('error', onError).once('close', onClose);
      server.listen({ port: place.port, host: place.ip, backlog: place.backlog, ipv6Only: place.ipv6Only });
    });
    listening.catch(ignore);
    return listening;
  }

  get isOpen(): boolean {
    return this.#open;
  }

  /** See `Tcp.accept`: serves `acceptor` with a waiting connection, or the next to arrive. */
  accept(acceptor: Pid, timeout: number): Promise<TcpSocket> {
    if (!this.#open) throw new SocketClosedError(this.handle);
    const accepted = new Promise<TcpSocket>((resolve, reject) => {
      const entry: Acceptor = { pid: acceptor, resolve, reject, timer: undefined, watch: undefined };
      this.#acceptors.push(entry);
      this.#serve();
      if (!this.#acceptors.includes(entry)) return;
      if (timeout === 0) return this.#expire(entry, timeout);
      if (timeout !== Infinity) entry.timer = setTimeout(() => this.#expire(entry, timeout), timeout);
      // An acceptor that dies while waiting stops waiting (and takes no connection with it).
      entry.watch = this.node.monitor(acceptor, () => this.#remove(entry));
    });
    accepted.catch(ignore);
    return accepted;
  }

  getopts(): TcpSocketOptions {
    return this.#options;
  }

  /** Changes the options the next accepted sockets start with. */
  setopts(options: TcpSocketOptions): void {
    if (!this.#open) throw new SocketClosedError(this.handle);
    this.#options = options;
  }

  /**
   * Stops listening: waiting acceptors fail with `closed`, connections not yet accepted are
   * closed. False if it was already closed.
   */
  close(): boolean {
    if (!this.#open) return false;
    this.#open = false;
    this.#table.open.delete(this);
    this.ownership.release();
    for (const acceptor of this.#acceptors.splice(0)) {
      this.#forget(acceptor);
      acceptor.reject(new SocketClosedError(this.handle));
    }
    for (const socket of this.#pending.splice(0)) socket.destroy();
    this.#server.close();
    return true;
  }

  stats(): SocketStats {
    return new Counters().snapshot(0);
  }

  sockname(): SocketAddress {
    const address = this.#open ? addressOf(this.#server.address()) : undefined;
    if (address === undefined) throw new SocketClosedError(this.handle);
    return address;
  }

  info(): SocketInfo {
    return {
      socket: this.handle,
      kind: this.kind,
      owner: this.ownership.pid,
      local: addressOf(this.#server.address()),
      peer: undefined,
      active: this.#options.active,
      recvOct: 0,
      sendOct: 0,
      sendPend: 0,
    };
  }

  #arrived(socket: Socket): void {
    // Until an owner takes it, an error (a reset) just ends it; the next accept skips it.
    socket.on('error', ignore);
    if (!this.#open || this.#pending.length >= this.#backlog) {
      socket.destroy();
      return;
    }
    this.#pending.push(socket);
    this.#serve();
  }

  #serve(): void {
    const pending = this.#pending;
    while (this.#acceptors.length > 0) {
      while (pending[0]?.destroyed === true) pending.shift();
      const socket = pending.shift();
      if (socket === undefined) return;
      const acceptor = this.#acceptors.shift() as Acceptor;
      this.#forget(acceptor);
      const table = this.#table;
      if (table.open.size >= table.maxSockets) {
        socket.destroy();
        acceptor.reject(new SystemLimitError('sockets', table.maxSockets));
        continue;
      }
      acceptor.resolve(new TcpConn(this.node, table, acceptor.pid, socket, this.#options, false).handle);
    }
  }

  #expire(acceptor: Acceptor, timeout: number): void {
    if (!this.#remove(acceptor)) return;
    acceptor.reject(new SocketTimeoutError('accept', timeout, this.handle));
  }

  #remove(acceptor: Acceptor): boolean {
    const index = this.#acceptors.indexOf(acceptor);
    if (index === -1) return false;
    this.#acceptors.splice(index, 1);
    this.#forget(acceptor);
    return true;
  }

  #forget(acceptor: Acceptor): void {
    clearTimeout(acceptor.timer);
    if (acceptor.watch !== undefined) this.node.demonitor(acceptor.watch);
  }
}
