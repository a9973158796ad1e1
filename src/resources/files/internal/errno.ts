import { FileError } from '../errors.js';
import type { FileId } from '../file-id.js';

/**
 * A system error (`ENOENT`, …) as a `FileError` with the lower-case code and the error as cause.
 * Anything else (a `FileError` already, a `RangeError` for a buffer too large to allocate) is
 * returned as it is, so it is never disguised as an I/O error.
 */
export function fileErrorOf(error: unknown, operation: string, path: string, file?: FileId): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (error instanceof FileError || typeof code !== 'string' || !/^E[A-Z0-9]+$/.test(code)) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new FileError(code.toLowerCase(), operation, path, detail, file, { cause: error });
}
