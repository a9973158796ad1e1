import { listSockets, Port, Tcp, type AnySocket, type PortInfo, type SocketInfo, type SocketStats } from '../resources/index.js';
import { invalidArgument, type BeamishNode, type Pid } from '../runtime/index.js';
import { TopHeap } from './internal/top-heap.js';
import { expectRows, expectWindow, nodeOf, waitWindow, type MedicOptions } from './options.js';

/** How many ports and sockets of each kind a node has open (recon's `port_types/0`), most first. */
export function portTypes(options?: MedicOptions): { readonly type: string; readonly count: number }[] {
  const node = nodeOf(options);
  const counts = new Map<string, number>();
  const add = (type: string) => counts.set(type, (counts.get(type) ?? 0) + 1);
  for (const socket of allSockets(node)) add(socket.kind);
  for (const port of Port.list(node)) {
    const info = Port.info(port);
    if (info !== undefined) add(`port:${info.name}`);
  }
  return [...counts].map(([type, count]) => ({ type, count })).sort((a, b) => b.count - a.count || a.type.localeCompare(b.type));
}

function allSockets(node: BeamishNode): readonly SocketInfo[] {
  return listSockets(node, listSockets(node, 0).total).sockets;
}

/** A socket's details by recon's `port_info/1` categories. */
export interface SocketDetails {
  readonly meta: { readonly kind: SocketInfo['kind']; readonly local: SocketInfo['local']; readonly peer: SocketInfo['peer'] };
  readonly signals: { readonly owner: Pid };
  readonly io: SocketStats;
  readonly specific: { readonly active: SocketInfo['active'] };
}

/** A port's details by recon's `port_info/1` categories. */
export interface PortDetails {
  readonly meta: { readonly name: string; readonly osPid: number; readonly framing: PortInfo['framing'] };
  readonly signals: { readonly connected: Pid; readonly links: readonly Pid[] };
  readonly io: { readonly input: number; readonly output: number };
  readonly memory_used: { readonly queueSize: number; readonly busy: boolean };
  readonly specific: { readonly programExited: boolean };
}

/** What a port or socket is and does (recon's `port_info/1`); undefined once it is closed. O(1). */
export function portInfo(port: Port | AnySocket): PortDetails | SocketDetails | undefined {
  if (port instanceof Port) {
    const info = Port.info(port);
    if (info === undefined) return undefined;
    return {
      meta: { name: info.name, osPid: info.osPid, framing: info.framing },
      signals: { connected: info.connected, links: info.links },
      io: { input: info.input, output: info.output },
      memory_used: { queueSize: info.queueSize, busy: info.busy },
      specific: { programExited: info.programExited },
    };
  }
  const info = Tcp.info(port);
  if (info === undefined) return undefined;
  return {
    meta: { kind: info.kind, local: info.local, peer: info.peer },
    signals: { owner: info.owner },
    io: Tcp.getstat(port),
    specific: { active: info.active },
  };
}

/** recon's `inet_count` attributes: bytes (`oct`) or packets (`cnt`) received, sent, or both. */
export type InetAttribute = 'recvOct' | 'sendOct' | 'oct' | 'recvCnt' | 'sendCnt' | 'cnt';
const INET_ATTRIBUTES: readonly InetAttribute[] = ['recvOct', 'sendOct', 'oct', 'recvCnt', 'sendCnt', 'cnt'];

function inetValue(attribute: InetAttribute, stats: SocketStats): number {
  switch (attribute) {
    case 'recvOct':
      return stats.recvOct;
    case 'sendOct':
      return stats.sendOct;
    case 'oct':
      return stats.recvOct + stats.sendOct;
    case 'recvCnt':
      return stats.recvCnt;
    case 'sendCnt':
      return stats.sendCnt;
    case 'cnt':
      return stats.recvCnt + stats.sendCnt;
  }
}

/** One row of `inetCount`/`inetWindow`: a socket, its value, and who owns it. */
export interface SocketRow {
  readonly socket: AnySocket;
  readonly value: number;
  readonly kind: SocketInfo['kind'];
  readonly owner: Pid;
  /** The owner's registered name, else label, else initial function. */
  readonly ownerName: string | undefined;
  readonly local: SocketInfo['local'];
  readonly peer: SocketInfo['peer'];
}

function expectInetAttribute(attribute: unknown): InetAttribute {
  if (!INET_ATTRIBUTES.includes(attribute as InetAttribute)) throw invalidArgument('attribute', `one of ${INET_ATTRIBUTES.join(', ')}`, attribute);
  return attribute as InetAttribute;
}

function statsOf(socket: AnySocket): SocketStats | undefined {
  try {
    return Tcp.getstat(socket);
  } catch {
    return undefined; // closed since it was listed
  }
}

function rank(node: BeamishNode, n: number, sockets: readonly SocketInfo[], valueOf: (info: SocketInfo) => number | undefined): SocketRow[] {
  const top = new TopHeap<SocketInfo>(n);
  for (const info of sockets) {
    const value = valueOf(info);
    if (value !== undefined && top.admits(value)) top.offer(value, info);
  }
  return top.sorted().map(({ value, item }) => ({
    socket: item.socket,
    value,
    kind: item.kind,
    owner: item.owner,
    ownerName: node.probe(item.owner)?.name,
    local: item.local,
    peer: item.peer,
  }));
}

/** The `n` sockets with the most traffic of a kind so far (recon's `inet_count/2`). O(sockets). */
export function inetCount(attribute: InetAttribute, n: number, options?: MedicOptions): SocketRow[] {
  const which = expectInetAttribute(attribute);
  const rows = expectRows('n', n);
  const node = nodeOf(options);
  return rank(node, rows, allSockets(node), (info) => {
    const stats = statsOf(info.socket);
    return stats === undefined ? undefined : inetValue(which, stats);
  });
}

/**
 * The `n` sockets with the most traffic of a kind over a window of `ms` (recon's `inet_window/3`):
 * reads every socket's counters, waits, reads again and ranks the differences (sockets opened in
 * the window count from 0). Resolves after `ms` (at most 10 minutes), or rejects when
 * `options.signal` aborts.
 */
export async function inetWindow(attribute: InetAttribute, n: number, ms: number, options?: MedicOptions): Promise<SocketRow[]> {
  const which = expectInetAttribute(attribute);
  const rows = expectRows('n', n);
  const windowMs = expectWindow('ms', ms);
  const node = nodeOf(options);
  const before = new Map<AnySocket, number>();
  for (const info of allSockets(node)) {
    const stats = statsOf(info.socket);
    if (stats !== undefined) before.set(info.socket, inetValue(which, stats));
  }
  await waitWindow(windowMs, options?.signal);
  return rank(node, rows, allSockets(node), (info) => {
    const stats = statsOf(info.socket);
    return stats === undefined ? undefined : inetValue(which, stats) - (before.get(info.socket) ?? 0);
  });
}

/** The open sockets of one kind (or all), at most `limit`, oldest first, with the total. */
export function sockets(kind: SocketInfo['kind'] | 'all', limit: number, options?: MedicOptions): { readonly total: number; readonly sockets: readonly SocketInfo[] } {
  if (!['tcp', 'tcp_listen', 'udp', 'all'].includes(kind)) throw invalidArgument('kind', "one of 'tcp', 'tcp_listen', 'udp', 'all'", kind);
  const rows = expectRows('limit', limit);
  const all = allSockets(nodeOf(options)).filter((info) => kind === 'all' || info.kind === kind);
  return { total: all.length, sockets: all.slice(0, rows) };
}

/** The open ports, at most `limit`, oldest first, with the total. */
export function ports(limit: number, options?: MedicOptions): { readonly total: number; readonly ports: readonly PortInfo[] } {
  const rows = expectRows('limit', limit);
  const all = Port.list(nodeOf(options));
  const infos: PortInfo[] = [];
  for (const port of all) {
    if (infos.length >= rows) break;
    const info = Port.info(port);
    if (info !== undefined) infos.push(info);
  }
  return { total: all.length, ports: infos };
}

/** A process and the ports and sockets it owns. */
export interface OwnerRow {
  readonly owner: Pid;
  readonly name: string | undefined;
  readonly sockets: number;
  readonly ports: number;
}

/**
 * The `n` processes owning the most ports and sockets (the book's "does a process hold many
 * connections or descriptors at once?"), most first. O(sockets + ports).
 */
export function resourceOwners(n: number, options?: MedicOptions): OwnerRow[] {
  const rows = expectRows('n', n);
  const node = nodeOf(options);
  const owned = new Map<Pid, { sockets: number; ports: number }>();
  const entry = (pid: Pid) => {
    let counts = owned.get(pid);
    if (counts === undefined) owned.set(pid, (counts = { sockets: 0, ports: 0 }));
    return counts;
  };
  for (const socket of allSockets(node)) entry(socket.owner).sockets++;
  for (const port of Port.list(node)) {
    const info = Port.info(port);
    if (info !== undefined) entry(info.connected).ports++;
  }
  const top = new TopHeap<Pid>(rows);
  for (const [pid, counts] of owned) top.offer(counts.sockets + counts.ports, pid);
  return top.sorted().map(({ item }) => ({ owner: item, name: node.probe(item)?.name, ...(owned.get(item) as { sockets: number; ports: number }) }));
}
