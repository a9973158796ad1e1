/**
 * A JavaScript peer for S1: a plain Node.js `net` echo server, every socket echoing what it
 * reads, no processes. The load is the same as Beamish's (bench/common/echo-clients.ts).
 * Prints RESULT <value>; an unsupported workload prints RESULT n/a.
 */
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { echoLoad } from '../common/echo-clients.js';

const workloads: Record<string, (size: number) => Promise<number>> = {
  async S1(roundTrips) {
    const server = createServer((socket) => {
      socket.setNoDelay(true);
      socket.on('data', (data) => socket.write(data));
      socket.on('error', () => {});
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const rate = await echoLoad((server.address() as AddressInfo).port, 100, roundTrips);
    server.close();
    return rate;
  },
};

const [id = '', size = ''] = process.argv.slice(2);
const workload = workloads[id];
console.log(`RESULT ${workload === undefined ? 'n/a' : await workload(Number(size))}`);
