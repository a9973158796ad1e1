import type { FileData } from '../file-id.js';
import type { FileCore } from './core.js';
import { sequenceLength, wholeCharacters } from './utf8.js';

/** Reads below this size share Node's buffer pool; larger ones get a buffer of their own. */
const POOLED = 8192;
/** How much `readLine` reads at a time while looking for the end of a line. */
const LINE_CHUNK = 8192;
const LF = 0x0a;
const CR = 0x0d;

function allocate(size: number): Buffer {
  return size <= POOLED ? Buffer.allocUnsafe(size) : Buffer.allocUnsafeSlow(size);
}

/** Bytes as the handle returns them: the Buffer itself in binary mode, UTF-8 text otherwise. */
export function decode(core: FileCore, bytes: Buffer): FileData {
  return core.mode.binary ? bytes : bytes.toString('utf8');
}

/** The empty read, for a size of 0. */
export function empty(core: FileCore): FileData {
  return core.mode.binary ? Buffer.alloc(0) : '';
}

/**
 * Reads up to `size` bytes at `at` with one system call: fewer only at the end of the file (or,
 * for pipes and devices, what was there). In text mode the result never ends inside a character.
 */
export async function readAt(core: FileCore, at: number, size: number): Promise<Buffer> {
  const buffer = allocate(size);
  const { bytesRead } = await core.handle.read(buffer, 0, size, at);
  // A short read of a large buffer: copy, rather than keep the whole allocation alive.
  const bytes = size > POOLED && bytesRead < size / 2 ? Buffer.from(buffer.subarray(0, bytesRead)) : buffer.subarray(0, bytesRead);
  return core.mode.binary || bytesRead === 0 ? bytes : wholeCharactersAt(core, bytes, at);
}

async function wholeCharactersAt(core: FileCore, bytes: Buffer, at: number): Promise<Buffer> {
  const whole = wholeCharacters(bytes);
  if (whole === bytes.length) return bytes;
  if (whole > 0) return bytes.subarray(0, whole);
  // Fewer bytes asked for than the one character there: read the rest of it.
  const rest = Buffer.allocUnsafe(sequenceLength(bytes[0] as number) - bytes.length);
  const { bytesRead } = await core.handle.read(rest, 0, rest.length, at + bytes.length);
  return Buffer.concat([bytes, rest.subarray(0, bytesRead)]);
}

/** Writes all of `bytes` at `at`, or where the system puts it (`null`: the end, in append mode). */
export async function writeAll(core: FileCore, bytes: Uint8Array, at: number | null): Promise<void> {
  let written = 0;
  while (written < bytes.length) {
    const { bytesWritten } = await core.handle.write(bytes, written, bytes.length - written, at === null ? null : at + written);
    written += bytesWritten;
  }
}

/**
 * The line that starts at `at`, through its LF (CR LF read as LF, as `file:read_line/1` does), or
 * up to the end of the file; undefined at the end. `consumed` counts the bytes in the file.
 */
export async function readLineAt(core: FileCore, at: number): Promise<{ line: Buffer; consumed: number } | undefined> {
  const parts: Buffer[] = [];
  let consumed = 0;
  let ended = false;
  while (!ended) {
    const chunk = Buffer.allocUnsafe(LINE_CHUNK);
    const { bytesRead } = await core.handle.read(chunk, 0, LINE_CHUNK, at + consumed);
    if (bytesRead === 0) break;
    const lf = chunk.subarray(0, bytesRead).indexOf(LF);
    ended = lf !== -1;
    const taken = ended ? lf + 1 : bytesRead;
    parts.push(chunk.subarray(0, taken));
    consumed += taken;
  }
  if (consumed === 0) return undefined;
  // One copy of exactly the line, so a kept line does not keep the chunks it was read with.
  let line = Buffer.concat(parts, consumed);
  if (ended && consumed >= 2 && line[consumed - 2] === CR) {
    line[consumed - 2] = LF;
    line = line.subarray(0, consumed - 1);
  }
  return { line, consumed };
}
