/**
 * The load of S1, the same for every TCP echo server measured: `connections` plain Node.js
 * sockets over loopback, each sending `roundTrips` messages of 1 KiB one after another, each
 * sent once the echo of the one before has come back in full. Resolves with echoed bytes per second.
 */
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';

export const MESSAGE_BYTES = 1024;

async function client(port: number, roundTrips: number): Promise<void> {
  const socket: Socket = connect(port, '127.0.0.1');
  socket.setNoDelay(true);
  await once(socket, 'connect');
  const message = Buffer.alloc(MESSAGE_BYTES, 'x');
  await new Promise<void>((resolve, reject) => {
    let left = roundTrips;
    let pending = MESSAGE_BYTES;
    socket.on('error', reject);
    socket.on('data', (chunk: Buffer) => {
      pending -= chunk.length;
      if (pending > 0) return;
      if (pending < 0) return reject(new Error('more echoed than sent'));
      if (--left === 0) return resolve();
      pending = MESSAGE_BYTES;
      socket.write(message);
    });
    socket.write(message);
  });
  socket.destroy();
}

export async function echoLoad(port: number, connections: number, roundTrips: number): Promise<number> {
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, () => client(port, roundTrips)));
  return (connections * roundTrips * MESSAGE_BYTES * 1000) / (performance.now() - started);
}
