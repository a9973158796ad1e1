// In a fresh Node.js process (the FIFO pool is per process, and BEAMISH_MKFIFO is read once):
// opens a port running cat, makes one packet round trip, and prints what the program's standard
// input and output are, and where this process keeps its FIFO names.
import { readdirSync, readlinkSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createNode, fromPort, Port, PortData } from '../../src/index.js';

const node = createNode({ name: 'stdio' });
const report = await node.run(async (ctx) => {
  const port = Port.open(ctx, { spawn: 'cat' }, { packet: 2 });
  const { osPid } = Port.info(port)!;
  const kind = (fd: number) => {
    const stat = statSync(`/proc/${osPid}/fd/${fd}`);
    return stat.isFIFO() ? 'fifo' : stat.isSocket() ? 'socket' : 'other';
  };
  const stdio = { stdin: kind(0), stdout: kind(1), stdinLink: readlinkSync(`/proc/${osPid}/fd/0`) };
  await Port.command(port, 'ping');
  const reply = await ctx.receive(fromPort(port));
  Port.close(port);
  const dirs = readdirSync(tmpdir()).filter((entry) => entry.startsWith(`beamish-pipes-${process.pid}-`));
  return { ...stdio, reply: reply instanceof PortData ? reply.data.toString() : String(reply), pid: process.pid, dirs };
});
console.log(JSON.stringify(report));
await node.stop();
