import type { Pid } from '../runtime/index.js';

/** One operator's session as the access server keeps it: its process, and how to end it. */
export interface OperatorSession {
  /** The process that owns the session. */
  readonly pid: Pid;
  /** Ends the session (its process exits `'shutdown'`), telling the operator `note`. */
  end(note: string): void;
  /** Resolves once the session's process has exited and its connection is closing. */
  readonly ended: Promise<void>;
}
