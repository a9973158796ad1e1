import { AcceptorPool, GenServer, Supervisor, Tcp, type ApplicationSpec, type ChildSpec, type ProcessContext, type TcpSocket } from '../../src/index.js';

/*
 * The council hall: council members each hold a TCP connection to the hall and speak over it,
 * and gossip to each other with casts, as the members of the book's recon_demo do. Four of them
 * carry the planted problems the medic's tools must find:
 *
 * - council_member_3 hoards: it keeps a record of every speech it gives, forever (a memory leak);
 * - council_member_5 deliberates: 80 ms of synchronous work every 200 ms (a CPU hog);
 * - council_member_8 orates: 64 KiB down its connection every 20 ms (a bandwidth hog);
 * - council_member_11 is overwhelmed: everyone gossips to it and it takes 50 ms per message (a
 *   mailbox that overflows).
 */

export const MEMBERS = 12;
export const memberName = (index: number) => `council_member_${index}`;
export const PLANTED = { hoarder: memberName(3), hog: memberName(5), orator: memberName(8), overwhelmed: memberName(11) } as const;

type Role = 'plain' | 'hoarder' | 'hog' | 'orator' | 'overwhelmed';

function roleOf(index: number): Role {
  switch (memberName(index)) {
    case PLANTED.hoarder:
      return 'hoarder';
    case PLANTED.hog:
      return 'hog';
    case PLANTED.orator:
      return 'orator';
    case PLANTED.overwhelmed:
      return 'overwhelmed';
    default:
      return 'plain';
  }
}

interface Member {
  readonly index: number;
  readonly role: Role;
  readonly socket: TcpSocket;
  readonly pace: number;
  readonly archive: { at: number; speech: string }[];
  heard: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const member: GenServer.GenServerSpec<{ index: number }, Member, never, string, string> = {
  name: 'CouncilMember',
  async init({ index }, ctx) {
    const port = await AcceptorPool.port('hall');
    const socket = await Tcp.connect(ctx, '127.0.0.1', port, { active: false }, 5000);
    const role = roleOf(index);
    const pace = role === 'orator' ? 20 : role === 'hog' ? 200 : role === 'hoarder' ? 100 : 200 + Math.floor(Math.random() * 400);
    ctx.sendAfter(pace, ctx.self, 'speak');
    return { state: { index, role, socket, pace, archive: [], heard: 0 } };
  },
  async handleCast(_gossip, state) {
    state.heard++;
    if (state.role === 'overwhelmed') await sleep(50); // it reads every word, slowly
    return { state };
  },
  async handleInfo(message, state, ctx) {
    if (message !== 'speak') return { state };
    const speech = state.role === 'orator' ? 'o'.repeat(64 * 1024) : `${memberName(state.index)} speaks `.padEnd(200, '.');
    await Tcp.send(state.socket, speech);
    if (state.role === 'hoarder') state.archive.push({ at: Date.now(), speech: 'h'.repeat(10_000) });
    if (state.role === 'hog') {
      const end = performance.now() + 80;
      while (performance.now() < end); // deliberates without ever yielding
    }
    GenServer.cast({ name: PLANTED.overwhelmed, node: ctx.node }, `${memberName(state.index)} gossips`);
    GenServer.cast({ name: memberName(Math.floor(Math.random() * MEMBERS)), node: ctx.node }, 'hello');
    ctx.sendAfter(state.pace, ctx.self, 'speak');
    return { state };
  },
};

/** Each connection to the hall: reads and discards what a member says. */
async function listener(_ctx: ProcessContext, socket: TcpSocket): Promise<void> {
  for (;;) {
    const data = await Tcp.recv(socket, 0).catch(() => undefined);
    if (data === undefined) return;
  }
}

function memberSpecs(): ChildSpec[] {
  return Array.from({ length: MEMBERS }, (_, index) => ({
    id: memberName(index),
    start: (ctx: ProcessContext) => GenServer.startLink(ctx, member, { index }, { name: memberName(index) }),
  }));
}

/** The `council_hall` application: the hall (an acceptor pool) and its members. */
export function councilHall(): ApplicationSpec {
  return {
    name: 'council_hall',
    start: (ctx) =>
      Supervisor.startLink(
        ctx,
        [
          { id: 'hall', type: 'supervisor', start: (sup) => AcceptorPool.startLink(sup, { name: 'hall', port: 0, handler: listener, acceptors: 2, socket: { ip: '127.0.0.1' } }) },
          { id: 'members', type: 'supervisor', start: (sup) => Supervisor.startLink(sup, memberSpecs(), { name: 'council_members', strategy: 'one_for_one', intensity: 10, period: 5 }) },
        ],
        { name: 'council_hall_sup', strategy: 'rest_for_one' },
      ),
  };
}
