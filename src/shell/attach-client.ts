import { connectOperator, type AttachTarget } from './client.js';
import { isTerminal, rawInput, type ClientIO } from './terminal.js';

/**
 * `beamish attach`: opens a REPL session on a node and wires it to the terminal. Keystrokes go to
 * the node raw (the node's REPL edits the line, completes and keeps history); on a pipe, the input
 * is sent as it comes and its end ends the session once the node has evaluated it all. Resolves
 * with the exit status: 0 when the session ended (Ctrl-D, `.exit`, the node closing access), 1
 * when the connection was lost. The terminal is restored on every way out. Connection errors
 * (unknown node, wrong cookie) reject, before anything was changed.
 */
export async function attach(target: AttachTarget, io: ClientIO): Promise<number> {
  const terminal = isTerminal(io);
  const { channel } = await connectOperator(target, {
    mode: 'repl',
    terminal,
    columns: io.stdout.columns ?? 80,
    rows: io.stdout.rows ?? 24,
  });
  let endReason: string | undefined;
  const restore = rawInput(io);
  const onInput = (chunk: Buffer | string): void => void channel.writeData(Buffer.from(chunk));
  const onInputEnd = (): void => void channel.writeControl({ type: 'eof' });
  const onResize = (): void => void channel.writeControl({ type: 'resize', columns: io.stdout.columns, rows: io.stdout.rows });
  io.stdin.on('data', onInput);
  io.stdin.once('end', onInputEnd);
  io.stdout.on('resize', onResize);
  channel.readFrames({
    data: (bytes) => void io.stdout.write(bytes),
    control: (message) => {
      if (message.type === 'end') endReason = String(message.reason);
    },
  });
  const error = await channel.closed;
  io.stdin.off('data', onInput);
  io.stdin.off('end', onInputEnd);
  io.stdout.off('resize', onResize);
  restore();
  if (endReason === undefined) {
    io.stderr.write(`\nConnection to the node lost${error === undefined ? '' : `: ${error.message}`}\n`);
    return 1;
  }
  if (endReason !== 'detached') io.stderr.write(`\nSession ended: ${endReason}\n`);
  return 0;
}
