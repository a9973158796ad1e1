import type { Socket } from 'node:net';
import { AttachProtocolError } from './errors.js';

/** Frame kind of terminal bytes (see protocol.ts). */
export const DATA = 1;
/** Frame kind of one JSON object (see protocol.ts). */
export const CONTROL = 2;

/** Largest frame payload either side sends or accepts. */
export const MAX_FRAME = 64 * 1024;

const HEADER = 5;

/** What a channel delivers once it reads frames. */
export interface FrameHandlers {
  data(bytes: Buffer): void;
  control(message: Record<string, unknown>): void;
}

/**
 * One attach connection as the protocol sees it: first bounded lines (the handshake), then frames
 * of `[kind u8][length u32 big-endian][payload]`. Anything over its size limit or malformed
 * destroys the connection with an `AttachProtocolError`; `closed` resolves once the socket is gone.
 */
export class AttachChannel {
  readonly socket: Socket;
  /** Resolves with the error that ended the connection, or undefined when it simply closed. */
  readonly closed: Promise<Error | undefined>;
  #buffer: Buffer = Buffer.alloc(0);
  #lineWaiter: (() => void) | undefined;
  #handlers: FrameHandlers | undefined;
  #error: Error | undefined;
  #ended = false;

  constructor(socket: Socket) {
    this.socket = socket;
    // Keystrokes and echoes are small frames: send each at once rather than wait to batch them.
    socket.setNoDelay(true);
    this.closed = new Promise((resolve) => socket.once('close', () => resolve(this.#error)));
    socket.on('data', (chunk: Buffer) => this.#receive(chunk));
    socket.on('error', (error) => {
      this.#error ??= error;
    });
    socket.once('close', () => {
      this.#ended = true;
      this.#lineWaiter?.();
    });
  }

  /** Ends the connection with `error` (recorded as the reason `closed` resolves with). */
  fail(error: Error): void {
    this.#error ??= error;
    this.socket.destroy();
  }

  /** Ends the connection once what was written is flushed. */
  end(): void {
    this.socket.end();
  }

  /**
   * The next line, without its `\n`. Rejects with `AttachProtocolError` (and closes) when `maxBytes`
   * pass without a line break, or when the connection closes first.
   */
  async readLine(maxBytes: number): Promise<string> {
    for (;;) {
      const end = this.#buffer.indexOf(10);
      if (end >= 0 && end <= maxBytes) {
        const line = this.#buffer.toString('utf8', 0, end);
        this.#buffer = this.#buffer.subarray(end + 1);
        return line;
      }
      if (end > maxBytes || this.#buffer.length > maxBytes) {
        const error = new AttachProtocolError(`A handshake line was longer than ${maxBytes} bytes`);
        this.fail(error);
        throw error;
      }
      if (this.#ended) throw this.#error instanceof AttachProtocolError ? this.#error : new AttachProtocolError('The connection closed during the handshake', { cause: this.#error });
      await new Promise<void>((resolve) => (this.#lineWaiter = resolve));
      this.#lineWaiter = undefined;
    }
  }

  /** Writes one handshake line. */
  writeLine(line: string): void {
    if (!this.socket.destroyed) this.socket.write(`${line}\n`);
  }

  /** Switches to frames: bytes already buffered and all that follow go to `handlers`. */
  readFrames(handlers: FrameHandlers): void {
    this.#handlers = handlers;
    this.#drainFrames();
  }

  /** Sends bytes as DATA frames, split at `MAX_FRAME`. Returns false when the socket buffer is full. */
  writeData(bytes: Buffer): boolean {
    let flushed = true;
    for (let offset = 0; offset < bytes.length; offset += MAX_FRAME) flushed = this.#writeFrame(DATA, bytes.subarray(offset, offset + MAX_FRAME));
    return flushed;
  }

  /** Sends one CONTROL frame holding `message` as JSON; throws `RangeError` past `MAX_FRAME` bytes. */
  writeControl(message: Record<string, unknown>): boolean {
    const payload = Buffer.from(JSON.stringify(message));
    if (payload.length > MAX_FRAME) throw new RangeError(`A control message of ${payload.length} bytes is over the ${MAX_FRAME}-byte frame limit`);
    return this.#writeFrame(CONTROL, payload);
  }

  #writeFrame(kind: number, payload: Buffer): boolean {
    if (this.socket.destroyed || this.socket.writableEnded) return false;
    const header = Buffer.allocUnsafe(HEADER);
    header.writeUInt8(kind, 0);
    header.writeUInt32BE(payload.length, 1);
    this.socket.cork();
    this.socket.write(header);
    const flushed = this.socket.write(payload);
    this.socket.uncork();
    return flushed;
  }

  #receive(chunk: Buffer): void {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    if (this.#handlers === undefined) this.#lineWaiter?.();
    else this.#drainFrames();
  }

  #drainFrames(): void {
    const handlers = this.#handlers as FrameHandlers;
    while (this.#buffer.length >= HEADER && !this.socket.destroyed) {
      const kind = this.#buffer.readUInt8(0);
      const length = this.#buffer.readUInt32BE(1);
      if ((kind !== DATA && kind !== CONTROL) || length > MAX_FRAME) {
        this.fail(new AttachProtocolError(kind !== DATA && kind !== CONTROL ? `Unknown frame kind ${kind}` : `A frame of ${length} bytes is over the ${MAX_FRAME}-byte limit`));
        return;
      }
      if (this.#buffer.length < HEADER + length) return;
      const payload = this.#buffer.subarray(HEADER, HEADER + length);
      this.#buffer = this.#buffer.subarray(HEADER + length);
      if (kind === DATA) handlers.data(payload);
      else {
        const message = parseControl(payload);
        if (message === undefined) {
          this.fail(new AttachProtocolError('A control frame did not hold a JSON object'));
          return;
        }
        handlers.control(message);
      }
    }
  }
}

function parseControl(payload: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(payload.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
