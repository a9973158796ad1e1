import { FileId, fileCoreOf } from '../file-id.js';
import type { FileCore } from './core.js';
import { invalid } from './validate.js';

/** The state behind a handle; `TypeError` for anything that is not a `FileId`. */
export function coreOf(file: unknown): FileCore {
  if (!(file instanceof FileId)) throw invalid('file', 'a FileId (from File.open)', file);
  return fileCoreOf(file);
}
