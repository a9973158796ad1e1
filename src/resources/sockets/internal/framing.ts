import { maxPacket, withHeader } from '../../ports/internal/port-framing.js';
import type { Packet } from '../types.js';

const NEWLINE = 0x0a;

/** Where a decoder hands what it cut: whole packets, or the framing error that ends the stream. */
export interface PacketSink {
  packet(bytes: Buffer): void;
  tooLarge(): void;
}

/**
 * Cuts a TCP byte stream into packets, as inet's `{packet, …}` with `packet_size`: raw chunks as
 * they come, length-prefixed packets without their header, or lines with their newline. A packet
 * over `max` (when not 0) calls `tooLarge` and the decoder stops. Bytes of an incomplete packet
 * wait for more; `rest` gives them back when the framing changes.
 */
export class PacketDecoder {
  readonly #packet: Packet;
  readonly #max: number;
  readonly #sink: PacketSink;
  #chunks: Buffer[] = [];
  #buffered = 0;
  /** The payload length of the packet being assembled, once its header is complete. */
  #needed = -1;
  #failed = false;

  constructor(packet: Packet, max: number, sink: PacketSink) {
    this.#packet = packet;
    this.#max = max;
    this.#sink = sink;
  }

  push(chunk: Buffer): void {
    if (this.#failed) return;
    if (this.#packet === 0) {
      this.#sink.packet(chunk);
      return;
    }
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
    if (this.#packet === 'line') this.#lines();
    else this.#lengthPrefixed(this.#packet);
  }

  /** The bytes not yet part of a delivered packet (headers included), and forgets them. */
  rest(): Buffer[] {
    const chunks = this.#chunks;
    this.#chunks = [];
    this.#buffered = 0;
    this.#needed = -1;
    return chunks;
  }

  #lengthPrefixed(size: 1 | 2 | 4): void {
    for (;;) {
      if (this.#needed < 0) {
        if (this.#buffered < size) return;
        const head = this.#peek(size);
        const length = size === 1 ? head.readUInt8(0) : size === 2 ? head.readUInt16BE(0) : head.readUInt32BE(0);
        if (this.#max > 0 && length > this.#max) return this.#fail();
        this.#take(size);
        this.#needed = length;
      }
      if (this.#buffered < this.#needed) return;
      const payload = this.#take(this.#needed);
      this.#needed = -1;
      this.#sink.packet(payload);
      if (this.#failed) return;
    }
  }

  #lines(): void {
    const max = this.#max;
    for (;;) {
      const all = this.#joined();
      const newline = all.indexOf(NEWLINE);
      const length = newline === -1 ? all.length : newline + 1;
      if (max > 0 && length > max) return this.#fail();
      if (newline === -1) return;
      this.#sink.packet(this.#take(length));
      if (this.#failed || this.#buffered === 0) return;
    }
  }

  #fail(): void {
    this.#failed = true;
    this.#chunks = [];
    this.#buffered = 0;
    this.#sink.tooLarge();
  }

  /** The buffered bytes as one buffer (joining them once, then keeping the join). */
  #joined(): Buffer {
    const chunks = this.#chunks;
    if (chunks.length === 1) return chunks[0] as Buffer;
    const all = Buffer.concat(chunks, this.#buffered);
    this.#chunks = all.length === 0 ? [] : [all];
    return all;
  }

  #peek(length: number): Buffer {
    const first = this.#chunks[0] as Buffer;
    return first.length >= length ? first : this.#joined();
  }

  /** Removes and returns the first `length` buffered bytes; the caller has checked they are there. */
  #take(length: number): Buffer {
    const first = this.#chunks[0];
    let taken: Buffer;
    if (first !== undefined && first.length >= length) {
      taken = first.subarray(0, length);
      if (first.length === length) this.#chunks.shift();
      else this.#chunks[0] = first.subarray(length);
    } else {
      const all = this.#joined();
      taken = all.subarray(0, length);
      this.#chunks = all.length === length ? [] : [all.subarray(length)];
    }
    this.#buffered -= length;
    return taken;
  }
}

/**
 * The bytes to write for `data` with the framing: a header in front for `packet` 1, 2 or 4; as
 * they are otherwise. Returns undefined when `data` is too long for the header.
 */
export function encode(data: Uint8Array, packet: Packet): Uint8Array | undefined {
  if (packet === 0 || packet === 'line') return data;
  if (data.length > maxPacket(packet)) return undefined;
  return withHeader(data, packet);
}
