/** How a port cuts the program's byte stream into messages, and frames what it sends. */
export type Framing =
  | { readonly kind: 'stream' }
  | { readonly kind: 'packet'; readonly size: 1 | 2 | 4 }
  | { readonly kind: 'line'; readonly max: number };

/** Where a decoder hands what it cut: a chunk or packet, or a line with whether it was complete. */
export interface FrameSink {
  data(bytes: Buffer): void;
  line(bytes: Buffer, eol: boolean): void;
}

/** Cuts incoming bytes into messages; `end` flushes what is left when the output ends. */
export interface Decoder {
  push(chunk: Buffer): void;
  end(): void;
}

const NEWLINE = 0x0a;

/** The largest payload a length header of `size` bytes can describe. */
export function maxPacket(size: 1 | 2 | 4): number {
  return size === 4 ? 0xffff_ffff : size === 2 ? 0xffff : 0xff;
}

/** `data` with its big-endian length header in front (packet framing), as one buffer for one write. */
export function withHeader(data: Uint8Array, size: 1 | 2 | 4): Buffer {
  const length = data.length;
  const framed = Buffer.allocUnsafe(size + length);
  // The caller has checked that the length fits the header.
  if (size === 4) {
    framed[0] = length >>> 24;
    framed[1] = (length >>> 16) & 0xff;
  }
  if (size !== 1) framed[size - 2] = (length >>> 8) & 0xff;
  framed[size - 1] = length & 0xff;
  framed.set(data, size);
  return framed;
}

/** A decoder for the framing, delivering to `sink`. */
export function decoderFor(framing: Framing, sink: FrameSink): Decoder {
  switch (framing.kind) {
    case 'stream':
      return { push: (chunk) => sink.data(chunk), end() {} };
    case 'packet':
      return new PacketDecoder(framing.size, sink);
    case 'line':
      return new LineDecoder(framing.max, sink);
  }
}

/** The big-endian length in the `size` bytes of `bytes` from `offset`; the caller has checked they are there. */
function headerAt(bytes: Buffer, offset: number, size: 1 | 2 | 4): number {
  const first = bytes[offset] as number;
  if (size === 1) return first;
  if (size === 2) return (first << 8) | (bytes[offset + 1] as number);
  return first * 0x100_0000 + (((bytes[offset + 1] as number) << 16) | ((bytes[offset + 2] as number) << 8) | (bytes[offset + 3] as number));
}

/**
 * Reassembles length-prefixed packets. The packets a read brings whole are delivered as views of
 * it, with no copy and no bookkeeping (the usual case: a program answers a packet at a time). What
 * is left over is kept as it came and joined once a whole packet is there, so a large packet
 * arriving in many reads is copied once, not once per read.
 */
class PacketDecoder implements Decoder {
  readonly #size: 1 | 2 | 4;
  readonly #sink: FrameSink;
  #chunks: Buffer[] = [];
  #buffered = 0;
  /** The payload length of the packet being assembled, once its header is complete. */
  #needed = -1;

  constructor(size: 1 | 2 | 4, sink: FrameSink) {
    this.#size = size;
    this.#sink = sink;
  }

  push(chunk: Buffer): void {
    if (this.#buffered === 0 && this.#needed < 0) {
      const offset = this.#deliverWhole(chunk);
      if (offset === chunk.length) return;
      chunk = offset === 0 ? chunk : chunk.subarray(offset);
    }
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
    for (;;) {
      if (this.#needed < 0) {
        if (this.#buffered < this.#size) return;
        this.#needed = headerAt(this.#take(this.#size), 0, this.#size);
      }
      if (this.#buffered < this.#needed) return;
      const payload = this.#take(this.#needed);
      this.#needed = -1;
      this.#sink.data(payload);
    }
  }

  /** Delivers the whole packets at the start of `chunk` (nothing is buffered); returns where they end. */
  #deliverWhole(chunk: Buffer): number {
    const size = this.#size;
    const end = chunk.length;
    let offset = 0;
    while (end - offset >= size) {
      const start = offset + size;
      const stop = start + headerAt(chunk, offset, size);
      if (stop > end) break;
      this.#sink.data(chunk.subarray(start, stop));
      offset = stop;
    }
    return offset;
  }

  /** An incomplete packet at the end of the output is dropped, as Erlang's spawn driver does. */
  end(): void {
    this.#chunks = [];
    this.#buffered = 0;
    this.#needed = -1;
  }

  /** The first `length` buffered bytes; the caller has checked they are there. */
  #take(length: number): Buffer {
    const chunks = this.#chunks;
    const first = chunks[0];
    let taken: Buffer;
    if (first !== undefined && first.length >= length) {
      taken = first.subarray(0, length);
      if (first.length === length) chunks.shift();
      else chunks[0] = first.subarray(length);
    } else {
      const all = Buffer.concat(chunks, this.#buffered);
      taken = all.subarray(0, length);
      this.#chunks = all.length === length ? [] : [all.subarray(length)];
    }
    this.#buffered -= length;
    return taken;
  }
}

/**
 * Cuts output into lines of at most `max` bytes, as Erlang's `{line, Max}`: a line that fits
 * (newline removed, a lone CR kept) is complete (`eol`); a longer one comes as parts of `max`
 * bytes (`noeol`) followed by its complete tail. What is left unterminated at the end is a part.
 */
class LineDecoder implements Decoder {
  readonly #max: number;
  readonly #sink: FrameSink;
  /** The start of the current line: fewer than `max` bytes without a newline, or empty. */
  #pending: Buffer = Buffer.alloc(0);

  constructor(max: number, sink: FrameSink) {
    this.#max = max;
    this.#sink = sink;
  }

  push(chunk: Buffer): void {
    let bytes = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    const max = this.#max;
    let newline = bytes.indexOf(NEWLINE);
    for (;;) {
      if (newline !== -1 && newline <= max) {
        this.#sink.line(bytes.subarray(0, newline), true);
        bytes = bytes.subarray(newline + 1);
        newline = bytes.indexOf(NEWLINE);
      } else if (bytes.length > max) {
        this.#sink.line(bytes.subarray(0, max), false);
        bytes = bytes.subarray(max);
        if (newline !== -1) newline -= max;
      } else break;
    }
    // Keep a copy, not a view, so a small remainder does not pin a large read buffer.
    this.#pending = bytes.length === 0 ? Buffer.alloc(0) : Buffer.from(bytes);
  }

  end(): void {
    if (this.#pending.length > 0) this.#sink.line(this.#pending, false);
    this.#pending = Buffer.alloc(0);
  }
}
