import type { SocketStats } from '../types.js';

/** The traffic counters behind `getstat`. O(1) per event. */
export class Counters {
  recvOct = 0;
  recvCnt = 0;
  recvMax = 0;
  #recvBytes = 0;
  sendOct = 0;
  sendCnt = 0;
  sendMax = 0;
  recvDropped = 0;

  /** Bytes read from the network. */
  read(bytes: number): void {
    this.recvOct += bytes;
  }

  /** A packet (chunk, datagram) handed to the owner. */
  received(size: number): void {
    this.recvCnt++;
    this.#recvBytes += size;
    if (size > this.recvMax) this.recvMax = size;
  }

  /** One send of `bytes` (framing included). */
  sent(bytes: number): void {
    this.sendCnt++;
    this.sendOct += bytes;
    if (bytes > this.sendMax) this.sendMax = bytes;
  }

  snapshot(sendPend: number): SocketStats {
    return {
      recvOct: this.recvOct,
      recvCnt: this.recvCnt,
      recvMax: this.recvMax,
      recvAvg: this.recvCnt === 0 ? 0 : Math.round(this.#recvBytes / this.recvCnt),
      sendOct: this.sendOct,
      sendCnt: this.sendCnt,
      sendMax: this.sendMax,
      sendAvg: this.sendCnt === 0 ? 0 : Math.round(this.sendOct / this.sendCnt),
      sendPend,
      recvDropped: this.recvDropped,
    };
  }
}
