import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLANTED } from '../../examples/medic-scenario/council-hall.js';
import { ReplClient } from '../shell/shell-helpers.js';

/*
 * The acceptance scenario of the medic's kit: the scenario system runs in its own Node.js process
 * with four planted problems; an operator attaches over the node's Unix socket and answers the
 * book's chapter-5 questions from the shell, and every tool points at the right culprit.
 */

const main = fileURLToPath(new URL('../../examples/medic-scenario/main.ts', import.meta.url));
const nodeName = `scenario${process.pid}@localhost`;
let dir: string;
let scenario: ChildProcess;
let shell: ReplClient;

/** Evaluates one line in the attached shell and returns what it printed, without colours. */
async function ask(line: string): Promise<string> {
  return shell.evaluate(line);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'beamish-scenario-'));
  scenario = spawn(process.execPath, ['--import', 'tsx', main, '--name', nodeName, '--dir', dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  scenario.stdout?.setEncoding('utf8');
  await new Promise<void>((resolve, reject) => {
    scenario.once('exit', (code) => reject(new Error(`the scenario exited (${code}): ${output}`)));
    scenario.stdout?.on('data', (chunk: string) => {
      output += chunk;
      if (output.includes('four planted problems')) resolve();
    });
  });
  shell = await ReplClient.open({ node: nodeName, dir });
}, 60_000);

afterAll(async () => {
  shell?.send('.exit\n');
  if (scenario !== undefined && scenario.exitCode === null) {
    scenario.kill('SIGTERM');
    await once(scenario, 'exit');
  }
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe('the medic scenario, from an attached shell', () => {
  it('1. what is the system memory?', async () => {
    expect(await ask("memory('usage') > 0 && memory('usage') <= 1")).toBe('true');
    expect(await ask('const m = memoryBreakdown(); m.rss > m.heapUsed && m.processes > 0')).toBe('true');
  });

  it('2. is the node using a lot of CPU?', async () => {
    // The planted hog alone keeps the event loop about 40% busy.
    expect(await ask('(await schedulerUsage(1000))[0].usage > 0.2')).toBe('true');
  });

  it('3. is any mailbox overflowing? (mailbox growth and the longest queue)', async () => {
    expect(await ask('(await mailboxGrowth(1, 1000))[0].name')).toBe(`'${PLANTED.overwhelmed}'`);
    expect(await ask("procCount('messageQueueLength', 1)[0].name")).toBe(`'${PLANTED.overwhelmed}'`);
  });

  it('4. which chatty process takes the most memory?', async () => {
    expect(await ask("(await procWindow('memory', 1, 1000))[0].name")).toBe(`'${PLANTED.hoarder}'`);
    expect(await ask("procCount('memory', 1)[0].name")).toBe(`'${PLANTED.hoarder}'`);
  });

  it('5. which chatty process eats the most CPU? (run time, and the system monitor)', async () => {
    expect(await ask("(await procWindow('runtime', 1, 1000))[0].name")).toBe(`'${PLANTED.hog}'`);
    await ask('systemMonitor(self, { longScheduleMs: 50 })');
    const culprit = await ask('const e = await receive((m) => m instanceof SystemMonitorMessage && m.kind === "long_schedule"); node.probe(e.pid)?.name');
    expect(culprit).toBe(`'${PLANTED.hog}'`);
    await ask('systemMonitor(undefined)');
  });

  it('6. which chatty process consumes the most bandwidth?', async () => {
    // Both ends of a member's connection live on this node: the hall's side is owned by a `connection` process.
    expect(await ask("(await inetWindow('oct', 5, 1000)).find((row) => row.ownerName?.startsWith('council_member')).ownerName")).toBe(`'${PLANTED.orator}'`);
  });

  it('7. which chatty process sends the most messages over TCP? the least?', async () => {
    expect(await ask("inetCount('sendCnt', 1)[0].ownerName")).toBe(`'${PLANTED.orator}'`);
    const least = await ask("inetCount('sendCnt', 1000).filter((row) => row.ownerName?.startsWith('council_member')).at(-1).ownerName");
    expect(least).toMatch(/^'council_member_\d+'$/);
    expect(least).not.toBe(`'${PLANTED.orator}'`);
  });

  it('8. does a process hold several connections or descriptors at once?', async () => {
    // The hall's listener holds its listen socket; every member holds one connection.
    expect(await ask('resourceOwners(1)[0].sockets >= 1')).toBe('true');
    expect(await ask(`resourceOwners(100).find((row) => row.name === '${PLANTED.orator}').sockets`)).toBe('1');
  });

  it('9. which function are the most processes in right now?', async () => {
    expect(await ask('locationCount(1)[0].location')).toContain('receive');
  });

  it('and leaving the shell leaves the node running', async () => {
    shell.send('.exit\n');
    await shell.ended();
    const again = await ReplClient.open({ node: nodeName, dir });
    expect(await again.evaluate("whereis('council_hall_sup') !== undefined")).toBe('true');
    again.send('.exit\n');
    await again.ended();
  });
});
