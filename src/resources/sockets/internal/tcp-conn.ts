import type { Socket } from 'node:net';
import type { BeamishNode, Pid } from '../../../runtime/index.js';
import { SocketClosedError, SocketError, SocketTimeoutError } from '../errors.js';
import { TcpSocket } from '../handles.js';
import { TcpClosed, TcpData, TcpError, TcpPassive } from '../messages.js';
import type { SocketAddress, SocketInfo, SocketStats, TcpSocketOptions } from '../types.js';
import { ActiveMode } from './active.js';
import { addressOf, bytesOf } from './addresses.js';
import type { SocketCore } from './core.js';
import { encode, PacketDecoder } from './framing.js';
import { Inbox } from './inbox.js';
import { Ownership } from './owner.js';
import { SendQueue } from './send-queue.js';
import { WaitQueue } from './wait-queue.js';
import { Counters } from './stats.js';
import { reasonOf } from './system-errors.js';
import type { SocketTable } from './table.js';
import { invalid } from './validate.js';

/** How long a closed socket may take to hand its last buffered bytes to the system. */
const LINGER_MS = 5000;

/**
 * The state of a connected TCP socket: its owner, delivery mode, framing, the packets it holds
 * and the senders waiting for room. Reading from the system is paused whenever nothing is wanted
 * (a passive socket nobody `recv`s from, an exhausted `once`/N), so TCP's flow control reaches
 * the peer. The end of the stream is reported once every packet before it was handed over.
 */
export class TcpConn implements SocketCore {
  readonly kind = 'tcp' as const;
  readonly node: BeamishNode;
  readonly handle: TcpSocket;
  readonly ownership: Ownership;
  readonly released: Promise<void>;
  readonly #socket: Socket;
  readonly #table: SocketTable;
  readonly #stats = new Counters();
  readonly #sends: SendQueue;
  readonly #active = new ActiveMode();
  readonly #inbox = new Inbox();
  #options: TcpSocketOptions;
  #decoder: PacketDecoder;
  readonly #receivers = new WaitQueue<Buffer, number>(() => this.#pump());
  #state: 'connecting' | 'open' | 'closed';
  /** How the stream ended, not yet told: `'eof'` (the peer closed) or an error's reason. */
  #ended: string | undefined;
  /** The end was told (with `exitOnClose: false` the socket stays open for sending). */
  #endTold = false;
  #readShut = false;
  #writeShut = false;
  #pumping = false;
  #pumpAgain = false;

  /** Takes over `socket` (accepted, or about to connect) for `owner`; `connecting` until `opened`. */
  constructor(node: BeamishNode, table: SocketTable, owner: Pid, socket: Socket, options: TcpSocketOptions, connecting: boolean) {
    this.node = node;
    this.#table = table;
    this.#socket = socket;
    this.#options = options;
    this.#state = connecting ? 'connecting' : 'open';
    this.handle = new TcpSocket(node.identity, table.nextId(), this);
    this.#decoder = this.#decoderFor(options);
    this.#sends = new SendQueue(
      (bytes) => {
        this.#stats.sent(bytes.length);
        socket.write(bytes);
      },
      () => socket.writableNeedDrain,
    );
    this.released = new Promise((resolve) => socket.once('close', () => resolve()));
    // Paused before a 'data' listener exists, so that adding it does not start the flow.
    socket.pause();
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('end', () => this.#onEnd('eof'));
    socket.on('error', (error) => this.#onEnd(reasonOf(error)));
    socket.on('close', () => this.#onEnd('eof'));
    socket.on('drain', () => this.#sends.flush());
    table.open.add(this);
    this.ownership = new Ownership(node, owner, () => this.close(), () => this.released);
    if (!connecting) this.opened();
  }

  get isOpen(): boolean {
    return this.#state !== 'closed';
  }

  /** The connection is up: apply the options and start delivering. */
  opened(): void {
    if (this.#state === 'closed') return;
    this.#state = 'open';
    this.#socket.setNoDelay(this.#options.noDelay);
    this.#socket.setKeepAlive(this.#options.keepAlive);
    if (this.#active.set(this.#options.active, this.handle)) this.ownership.tell(new TcpPassive(this.handle));
    this.#pump();
  }

  /** See `Tcp.send`. */
  send(data: unknown): Promise<void> {
    const bytes = bytesOf(data);
    if (bytes === undefined) throw invalid('data', 'a string, Buffer or Uint8Array', data);
    if (this.#state !== 'open' || this.#writeShut || this.#socket.destroyed || !this.#socket.writable) throw new SocketClosedError(this.handle);
    const framed = encode(bytes, this.#options.packet);
    if (framed === undefined) {
      throw new SocketError('emsgsize', `${bytes.length} bytes do not fit the header of packet ${this.#options.packet} on ${this.handle}`, this.handle);
    }
    if (this.#sends.busy) this.node.notifyBusyPort(this.ownership.pid, this.handle, `tcp send of ${framed.length} bytes waits for room`);
    return this.#sends.send(framed);
  }

  /** See `Tcp.recv`. */
  recv(length: number, timeout: number): Promise<Buffer> {
    if (this.#state !== 'open' || this.#endTold || this.#readShut) throw new SocketClosedError(this.handle);
    if (this.#active.wants) throw new SocketError('einval', `recv on ${this.handle}, which is active`, this.handle);
    if (this.#options.packet !== 0 && length !== 0) {
      throw new SocketError('einval', `recv of ${length} bytes on ${this.handle}, which has packet framing (use 0)`, this.handle);
    }
    const timedOut = () => new SocketTimeoutError('recv', timeout, this.handle);
    return this.#receivers.wait(length, timeout, timedOut, () => {
      // A zero timeout only looks: take what Node has already read, without waiting for more.
      if (timeout === 0 && this.#socket.readableLength > 0) this.#socket.read();
      this.#pump();
    });
  }

  /** See `Tcp.shutdown`. */
  shutdown(how: 'read' | 'write' | 'read_write'): void {
    if (this.#state !== 'open' || this.#socket.destroyed) throw new SocketClosedError(this.handle);
    if (how !== 'read' && !this.#writeShut) {
      this.#writeShut = true;
      // Data already accepted goes out before the end, as inet postpones the shutdown for it.
      this.#sends.flushAll();
      this.#socket.end();
    }
    if (how !== 'write' && !this.#readShut) {
      this.#readShut = true;
      this.#inbox.clear();
      this.#receivers.rejectAll(() => new SocketClosedError(this.handle));
      this.#pump();
    }
  }

  /** See `Tcp.getopts`. */
  getopts(): TcpSocketOptions {
    return { ...this.#options, active: this.#active.value };
  }

  /** See `Tcp.setopts`; `options` are checked and complete. */
  setopts(options: TcpSocketOptions, activeGiven: boolean): void {
    if (this.#state === 'closed') throw new SocketClosedError(this.handle);
    const old = this.#options;
    this.#options = options;
    if (options.noDelay !== old.noDelay) this.#socket.setNoDelay(options.noDelay);
    if (options.keepAlive !== old.keepAlive) this.#socket.setKeepAlive(options.keepAlive);
    if (options.packet !== old.packet || options.packetSize !== old.packetSize) this.#reframe(old);
    if (activeGiven && this.#active.set(options.active, this.handle)) this.ownership.tell(new TcpPassive(this.handle));
    this.#pump();
  }

  /**
   * Closes the socket: waiting senders and receivers fail with `closed`, held packets are
   * dropped, and the connection ends (Node's buffered bytes are still handed to the system, for
   * up to 5 s). False if it was already closed.
   */
  close(): boolean {
    if (this.#state === 'closed') return false;
    this.#state = 'closed';
    this.#table.open.delete(this);
    this.ownership.release();
    this.#sends.rejectAll(() => new SocketClosedError(this.handle));
    this.#receivers.rejectAll(() => new SocketClosedError(this.handle));
    this.#inbox.clear();
    this.#release();
    return true;
  }

  stats(): SocketStats {
    return this.#stats.snapshot(this.#socket.writableLength + this.#sends.waitingBytes);
  }

  sockname(): SocketAddress {
    const address = this.#state === 'closed' ? undefined : addressOf(this.#socket.address());
    if (address === undefined) throw new SocketClosedError(this.handle);
    return address;
  }

  peername(): SocketAddress {
    if (this.#state === 'closed') throw new SocketClosedError(this.handle);
    const socket = this.#socket;
    const address = addressOf({ address: socket.remoteAddress, port: socket.remotePort, family: socket.remoteFamily });
    if (address === undefined) throw new SocketError('enotconn', `${this.handle} is not connected`, this.handle);
    return address;
  }

  info(): SocketInfo {
    const socket = this.#socket;
    return {
      socket: this.handle,
      kind: this.kind,
      owner: this.ownership.pid,
      local: addressOf(socket.address()),
      peer: addressOf({ address: socket.remoteAddress, port: socket.remotePort, family: socket.remoteFamily }),
      active: this.#active.value,
      recvOct: this.#stats.recvOct,
      sendOct: this.#stats.sendOct,
      sendPend: socket.writableLength + this.#sends.waitingBytes,
    };
  }

  #decoderFor(options: TcpSocketOptions): PacketDecoder {
    return new PacketDecoder(options.packet, options.packetSize, {
      packet: (bytes) => this.#inbox.push(bytes),
      tooLarge: () => {
        this.#socket.destroy();
        this.#onEnd('emsgsize');
      },
    });
  }

  /**
   * Applies a new framing to everything not yet handed over, as inet cuts packets only when it
   * delivers them: held packets go back to their bytes (header or newline included) and are cut
   * again with what was not yet a whole packet.
   */
  #reframe(old: TcpSocketOptions): void {
    const held = this.#inbox.drain().map((packet) => encode(packet, old.packet) as Uint8Array);
    const rest = this.#decoder.rest();
    this.#decoder = this.#decoderFor(this.#options);
    for (const bytes of [...held, ...rest]) this.#decoder.push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
  }

  #onData(chunk: Buffer): void {
    this.#stats.read(chunk.length);
    if (this.#state !== 'open' || this.#readShut) return;
    this.#decoder.push(chunk);
    this.#pump();
  }

  /**
   * The stream ended (the first cause counts; a broken pipe is the peer having closed). Senders
   * waiting for room fail once the system socket is gone; after a mere end of the peer's
   * sending they wait on, since the peer may still read.
   */
  #onEnd(reason: string): void {
    if (this.#state === 'connecting') return;
    this.#ended ??= reason === 'closed' ? 'eof' : reason;
    if (this.#socket.destroyed) this.#sends.rejectAll(() => new SocketClosedError(this.handle));
    this.#pump();
  }

  /** Delivers what the mode allows, serves waiting receivers, tells the end, then reads or pauses. */
  #pump(): void {
    if (this.#pumping) {
      this.#pumpAgain = true;
      return;
    }
    this.#pumping = true;
    try {
      do {
        this.#pumpAgain = false;
        if (this.#state !== 'open') return;
        this.#deliver();
        if (this.#ended !== undefined && !this.#endTold) this.#tellEnd(this.#ended);
        if (this.#state === 'open') this.#flow();
      } while (this.#pumpAgain);
    } finally {
      this.#pumping = false;
    }
  }

  #deliver(): void {
    const inbox = this.#inbox;
    while (!inbox.isEmpty && this.#active.wants) {
      const data = inbox.shift();
      this.#stats.received(data.length);
      this.ownership.tell(new TcpData(this.handle, data));
      if (this.#active.consume()) this.ownership.tell(new TcpPassive(this.handle));
    }
    const raw = this.#options.packet === 0;
    while (this.#receivers.size > 0) {
      const data = inbox.take(this.#receivers.first as number, raw);
      if (data === undefined) return;
      this.#stats.received(data.length);
      this.#receivers.resolveFirst(data);
    }
  }

  /**
   * Tells the end once nothing before it is left for whoever reads: `TcpError` (unless the peer
   * simply closed) and `TcpClosed` to an active owner, or the failure of the waiting `recv`s. Then
   * the socket closes, unless the peer closed and `exitOnClose` is off.
   */
  #tellEnd(reason: string): void {
    if (this.#active.wants && this.#inbox.isEmpty) {
      if (reason !== 'eof') this.ownership.tell(new TcpError(this.handle, reason));
      this.ownership.tell(new TcpClosed(this.handle));
    } else if (this.#receivers.size > 0) {
      const first = reason === 'eof' ? new SocketClosedError(this.handle) : new SocketError(reason, `${this.handle}: ${reason}`, this.handle);
      this.#receivers.rejectAll((index) => (index === 0 ? first : new SocketClosedError(this.handle)));
    } else return;
    this.#endTold = true;
    this.#inbox.clear();
    if (reason !== 'eof' || this.#options.exitOnClose || this.#socket.destroyed) this.close();
  }

  /** Reads from the system only while something is wanted; a shut reading side reads to discard. */
  #flow(): void {
    const wanted = this.#readShut || (this.#active.wants && this.#inbox.isEmpty) || this.#receivers.size > 0;
    if (wanted && this.#ended === undefined) this.#socket.resume();
    else this.#socket.pause();
  }

  /** Lets go of the system socket: at once when Node holds nothing to send, else once it is sent. */
  #release(): void {
    const socket = this.#socket;
    socket.pause();
    if (socket.destroyed) return;
    if (socket.connecting || socket.writableLength === 0) {
      socket.destroy();
      return;
    }
    const timer = setTimeout(() => socket.destroy(), LINGER_MS).unref();
    socket.once('close', () => clearTimeout(timer));
    socket.once('finish', () => socket.destroy());
    if (!socket.writableEnded) socket.end();
  }
}
