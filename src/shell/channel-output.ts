import { Writable } from 'node:stream';
import type { AttachChannel } from './channel.js';

/** Output held for a slow operator at most; past it, output is dropped and counted. */
export const MAX_BUFFERED_OUTPUT = 4 * 1024 * 1024;

/** The REPL's output stream: a terminal-like Writable whose bytes go to the client as DATA frames. */
export interface ChannelOutput extends Writable {
  isTTY: boolean;
  columns: number;
  rows: number;
}

/**
 * A Writable over `channel` that never holds more than `MAX_BUFFERED_OUTPUT` bytes for a client that
 * reads slowly (or not at all): what would go past it is dropped, and once the client catches up
 * it is told how many bytes it missed. So a chatty session cannot grow the node's memory.
 */
export function channelOutput(channel: AttachChannel, terminal: { isTTY: boolean; columns: number; rows: number }): ChannelOutput {
  let dropped = 0;
  const output = new Writable({
    decodeStrings: true,
    write(chunk: Buffer, _encoding, callback) {
      const socket = channel.socket;
      if (socket.writableLength > MAX_BUFFERED_OUTPUT) dropped += chunk.length;
      else {
        if (dropped > 0) {
          channel.writeData(Buffer.from(`\r\n[${dropped} bytes of output dropped: the client read too slowly]\r\n`));
          dropped = 0;
        }
        channel.writeData(chunk);
      }
      callback();
    },
  }) as ChannelOutput;
  return Object.assign(output, terminal);
}
