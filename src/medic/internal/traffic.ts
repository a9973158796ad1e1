import { listSockets, Port } from '../../resources/index.js';
import type { BeamishNode } from '../../runtime/index.js';

/** Bytes in and out of a node's open sockets and ports, and how many there are. */
export interface Traffic {
  readonly bytesIn: number;
  readonly bytesOut: number;
  readonly sockets: number;
  readonly ports: number;
}

/** Sums the counters of every open socket and port: O(sockets + ports). */
export function trafficOf(node: BeamishNode): Traffic {
  let bytesIn = 0;
  let bytesOut = 0;
  const { total } = listSockets(node, 0);
  for (const socket of listSockets(node, total).sockets) {
    bytesIn += socket.recvOct;
    bytesOut += socket.sendOct;
  }
  const ports = Port.list(node);
  for (const port of ports) {
    const info = Port.info(port);
    if (info === undefined) continue;
    bytesIn += info.input;
    bytesOut += info.output;
  }
  return { bytesIn, bytesOut, sockets: total, ports: ports.length };
}
