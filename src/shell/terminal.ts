/** The streams a client talks to: a terminal, or pipes in tests and scripts. */
export interface ClientIO {
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?(mode: boolean): unknown };
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number; rows?: number };
  readonly stderr: NodeJS.WritableStream;
}

/** The process's own streams. */
export function processIO(): ClientIO {
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };
}

/** Whether both ends are a terminal, so raw keystrokes and screen control make sense. */
export function isTerminal(io: ClientIO): boolean {
  return io.stdin.isTTY === true && io.stdout.isTTY === true && typeof io.stdin.setRawMode === 'function';
}

/**
 * Puts stdin in raw mode (every key as it is typed, Ctrl-C and Ctrl-D included) when it is a
 * terminal, and returns what puts it back; the client calls that on every way out.
 */
export function rawInput(io: ClientIO): () => void {
  const terminal = isTerminal(io);
  if (terminal) io.stdin.setRawMode?.(true);
  io.stdin.resume();
  let restored = false;
  return () => {
    if (restored) return;
    restored = true;
    if (terminal) io.stdin.setRawMode?.(false);
    io.stdin.pause();
  };
}
