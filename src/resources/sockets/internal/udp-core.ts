import { createSocket, type RemoteInfo, type Socket, type SocketOptions } from 'node:dgram';
import type { BeamishNode, Pid } from '../../../runtime/index.js';
import { SocketClosedError, SocketError, SocketTimeoutError } from '../errors.js';
import { UdpSocket } from '../handles.js';
import { UdpData, UdpError, UdpPassive } from '../messages.js';
import type { Active, SocketAddress, SocketInfo, SocketStats, UdpDatagram, UdpSocketOptions } from '../types.js';
import { ActiveMode } from './active.js';
import { addressOf, handleGone } from './addresses.js';
import type { SocketCore } from './core.js';
import { Ownership } from './owner.js';
import { Counters } from './stats.js';
import { reasonOf, socketErrorOf } from './system-errors.js';
import type { SocketTable } from './table.js';
import { WaitQueue } from './wait-queue.js';

/** Where and how to bind. */
export interface UdpPlace {
  readonly port: number;
  readonly ip: string | undefined;
  readonly family: 'inet' | 'inet6';
  readonly reuseAddress: boolean;
  readonly lookup: SocketOptions['lookup'] | undefined;
}

const ignore = (): void => {};

/**
 * The state of a UDP socket. Node cannot pause a UDP socket's reading, so a socket that delivers
 * nothing for now (passive, or an exhausted `once`/N) keeps datagrams up to `maxQueuedBytes`
 * and drops the rest, counting them: what a full kernel buffer would do.
 */
export class UdpCore implements SocketCore {
  readonly kind = 'udp' as const;
  readonly node: BeamishNode;
  readonly handle: UdpSocket;
  readonly ownership: Ownership;
  readonly released: Promise<void>;
  readonly #socket: Socket;
  readonly #table: SocketTable;
  readonly #stats = new Counters();
  readonly #active = new ActiveMode();
  #maxQueued: number;
  #queue: UdpDatagram[] = [];
  #queuedBytes = 0;
  readonly #receivers = new WaitQueue<UdpDatagram>();
  #inFlight = 0;
  #state: 'binding' | 'open' | 'closed' = 'binding';

  private constructor(node: BeamishNode, table: SocketTable, owner: Pid, socket: Socket, maxQueued: number) {
    this.node = node;
    this.#table = table;
    this.#socket = socket;
    this.#maxQueued = maxQueued;
    this.handle = new UdpSocket(node.identity, table.nextId(), this);
    this.released = new Promise((resolve) => socket.once('close', () => resolve(handleGone())));
    socket.on('message', (data: Buffer, from: RemoteInfo) => this.#arrived({ address: from.address, port: from.port, data }));
    table.open.add(this);
    this.ownership = new Ownership(node, owner, () => this.close(), () => this.released);
  }

  /** Binds a socket for `owner`; settles with the handle, or the system's refusal. */
  static open(node: BeamishNode, table: SocketTable, owner: Pid, place: UdpPlace, options: UdpSocketOptions): Promise<UdpSocket> {
    table.checkRoom();
    const socket = createSocket({
      type: place.family === 'inet6' ? 'udp6' : 'udp4',
      reuseAddr: place.reuseAddress,
      ...(place.lookup === undefined ? {} : { lookup: place.lookup }),
    });
    const core = new UdpCore(node, table, owner, socket, options.maxQueuedBytes);
    const opened = new Promise<UdpSocket>((resolve, reject) => {
      const settle = (error: Error | undefined): void => {
        socket.off('listening', onListening).off('error', onError).off('close', onClose);
        socket.on('error', (failure) => core.#failed(failure));
        if (error === undefined && core.#state === 'binding') {
          core.#state = 'open';
          if (core.#active.set(options.active, core.handle)) core.ownership.tell(new UdpPassive(core.handle));
          resolve(core.handle);
        } else {
          reject(error ?? new SocketClosedError(core.handle));
          core.close();
        }
      };
      const onListening = (): void => settle(undefined);
      const onError = (error: Error): void => settle(socketErrorOf(error, `open UDP port ${place.port}`));
      // The owner exited while binding: its socket was closed.
      const onClose = (): void => settle(undefined);
      socket.once('listening', onListening).once('error', onError).once('close', onClose);
      socket.bind({ port: place.port, ...(place.ip === undefined ? {} : { address: place.ip }) });
    });
    opened.catch(ignore);
    return opened;
  }

  get isOpen(): boolean {
    return this.#state !== 'closed';
  }

  /** See `Udp.send`: resolves once the system took the datagram. */
  send(host: string, port: number, data: Uint8Array): Promise<void> {
    if (this.#state !== 'open') throw new SocketClosedError(this.handle);
    const size = data.length;
    this.#inFlight += size;
    const sent = new Promise<void>((resolve, reject) => {
      this.#socket.send(data, port, host, (error) => {
        this.#inFlight -= size;
        if (error == null) {
          this.#stats.sent(size);
          resolve();
        } else reject(socketErrorOf(error, `send to ${host}:${port}`, this.handle));
      });
    });
    sent.catch(ignore);
    return sent;
  }

  /** See `Udp.recv`. */
  recv(timeout: number): Promise<UdpDatagram> {
    if (this.#state !== 'open') throw new SocketClosedError(this.handle);
    if (this.#active.wants) throw new SocketError('einval', `recv on ${this.handle}, which is active`, this.handle);
    const timedOut = () => new SocketTimeoutError('recv', timeout, this.handle);
    return this.#receivers.wait(undefined, timeout, timedOut, () => this.#pump());
  }

  getopts(): UdpSocketOptions {
    return { active: this.#active.value, maxQueuedBytes: this.#maxQueued };
  }

  /** Changes the options; `active` only when given (a count adds to what is left). */
  setopts(active: Active | undefined, maxQueuedBytes: number | undefined): void {
    if (this.#state !== 'open') throw new SocketClosedError(this.handle);
    if (maxQueuedBytes !== undefined) this.#maxQueued = maxQueuedBytes;
    if (active !== undefined && this.#active.set(active, this.handle)) this.ownership.tell(new UdpPassive(this.handle));
    this.#pump();
  }

  /** Closes the socket: waiting receivers fail with `closed`, held datagrams are dropped. */
  close(): boolean {
    if (this.#state === 'closed') return false;
    this.#state = 'closed';
    this.#table.open.delete(this);
    this.ownership.release();
    this.#receivers.rejectAll(() => new SocketClosedError(this.handle));
    this.#queue = [];
    this.#queuedBytes = 0;
    this.#socket.close();
    return true;
  }

  stats(): SocketStats {
    return this.#stats.snapshot(this.#inFlight);
  }

  sockname(): SocketAddress {
    const address = this.#state === 'open' ? addressOf(this.#socket.address()) : undefined;
    if (address === undefined) throw new SocketClosedError(this.handle);
    return address;
  }

  info(): SocketInfo {
    return {
      socket: this.handle,
      kind: this.kind,
      owner: this.ownership.pid,
      local: this.#state === 'open' ? addressOf(this.#socket.address()) : undefined,
      peer: undefined,
      active: this.#active.value,
      recvOct: this.#stats.recvOct,
      sendOct: this.#stats.sendOct,
      sendPend: this.#inFlight,
    };
  }

  #arrived(datagram: UdpDatagram): void {
    this.#stats.read(datagram.data.length);
    if (this.#state !== 'open') return;
    if (this.#queuedBytes + datagram.data.length > this.#maxQueued && !this.#active.wants && this.#receivers.size === 0) {
      this.#stats.recvDropped++;
      return;
    }
    this.#queue.push(datagram);
    this.#queuedBytes += datagram.data.length;
    this.#pump();
  }

  #pump(): void {
    while (this.#queue.length > 0 && (this.#active.wants || this.#receivers.size > 0)) {
      const datagram = this.#queue.shift() as UdpDatagram;
      this.#queuedBytes -= datagram.data.length;
      this.#stats.received(datagram.data.length);
      if (this.#active.wants) {
        this.ownership.tell(new UdpData(this.handle, datagram.address, datagram.port, datagram.data));
        if (this.#active.consume()) this.ownership.tell(new UdpPassive(this.handle));
      } else this.#receivers.resolveFirst(datagram);
    }
  }

  /** An error the system reported on the open socket: told to an active owner, or to a waiting `recv`. */
  #failed(error: Error): void {
    if (this.#state !== 'open') return;
    const reason = reasonOf(error);
    if (this.#active.wants) this.ownership.tell(new UdpError(this.handle, reason));
    else this.#receivers.rejectFirst(socketErrorOf(error, `${this.handle}`, this.handle));
  }

}
