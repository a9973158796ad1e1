import type { Writable } from 'node:stream';

/** Input held for a piped session at most; past it the connection stops being read until the REPL catches up. */
const MAX_QUEUED = 1024 * 1024;

/**
 * Feeds piped (non-terminal) input to a REPL one line at a time, each once the REPL has finished
 * the one before and prompted again. Node's REPL queues input during an `await` only in terminal
 * mode; without this, a script piped in (`echo … | beamish attach`) would run its next line before
 * the previous `await` settled.
 */
export class LineFeeder {
  readonly #input: Writable;
  readonly #pause: (paused: boolean) => void;
  #partial = '';
  readonly #lines: string[] = [];
  #queued = 0;
  #busy = false;
  #ended = false;

  /** `pause(true)` stops reading the connection while too much input is queued; `pause(false)` resumes. */
  constructor(input: Writable, pause: (paused: boolean) => void) {
    this.#input = input;
    this.#pause = pause;
  }

  /** Takes bytes as they came from the client. */
  push(bytes: Buffer): void {
    const parts = (this.#partial + bytes.toString('utf8')).split('\n');
    this.#partial = parts.pop() ?? '';
    for (const line of parts) {
      this.#lines.push(line);
      this.#queued += line.length + 1;
    }
    if (this.#queued + this.#partial.length > MAX_QUEUED) this.#pause(true);
    this.#feed();
  }

  /** The client's input has ended: once the queue is fed, so is the REPL's input. */
  end(): void {
    if (this.#partial !== '') this.#lines.push(this.#partial);
    this.#partial = '';
    this.#ended = true;
    this.#feed();
  }

  /** The REPL has prompted: it is ready for the next line. */
  ready(): void {
    this.#busy = false;
    queueMicrotask(() => this.#feed());
  }

  #feed(): void {
    if (this.#busy) return;
    const line = this.#lines.shift();
    if (line === undefined) {
      if (this.#ended && !this.#input.writableEnded) this.#input.end();
      return;
    }
    this.#busy = true;
    this.#queued -= line.length + 1;
    if (this.#queued <= MAX_QUEUED / 2) this.#pause(false);
    this.#input.write(`${line}\n`);
  }
}
