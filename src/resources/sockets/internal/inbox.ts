/**
 * Packets (or raw chunks) read from a socket and not yet handed to its owner: what a passive or
 * exhausted socket holds while reading is paused. Bounded by the reading that stops when nothing
 * is wanted: at most what one read brought in beyond what was asked.
 */
export class Inbox {
  #packets: Buffer[] = [];
  #bytes = 0;

  get isEmpty(): boolean {
    return this.#packets.length === 0;
  }

  get bytes(): number {
    return this.#bytes;
  }

  push(packet: Buffer): void {
    this.#packets.push(packet);
    this.#bytes += packet.length;
  }

  /** The oldest packet; the caller has checked there is one. */
  shift(): Buffer {
    const packet = this.#packets.shift() as Buffer;
    this.#bytes -= packet.length;
    return packet;
  }

  /**
   * What a `recv(length)` gets now, or undefined if it must wait: with framing, one packet; raw
   * with length 0, everything held; raw with a length, exactly that many bytes once there.
   */
  take(length: number, raw: boolean): Buffer | undefined {
    if (this.#packets.length === 0) return undefined;
    if (!raw) return this.shift();
    if (length === 0) return this.#takeBytes(this.#bytes);
    return this.#bytes < length ? undefined : this.#takeBytes(length);
  }

  /** Every packet held, oldest first, leaving none. */
  drain(): Buffer[] {
    const packets = this.#packets;
    this.clear();
    return packets;
  }

  clear(): void {
    this.#packets = [];
    this.#bytes = 0;
  }

  #takeBytes(length: number): Buffer {
    const first = this.#packets[0] as Buffer;
    if (first.length === length) return this.shift();
    if (first.length > length) {
      this.#packets[0] = first.subarray(length);
      this.#bytes -= length;
      return first.subarray(0, length);
    }
    const parts: Buffer[] = [];
    let got = 0;
    while (got < length) {
      const packet = this.#packets[0] as Buffer;
      const wanted = length - got;
      if (packet.length <= wanted) {
        parts.push(this.shift());
        got += packet.length;
      } else {
        parts.push(packet.subarray(0, wanted));
        this.#packets[0] = packet.subarray(wanted);
        this.#bytes -= wanted;
        got = length;
      }
    }
    return Buffer.concat(parts, length);
  }
}
