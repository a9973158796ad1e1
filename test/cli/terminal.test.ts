/**
 * `beamish top` and `beamish attach` in a real terminal: tmux runs them against a node in another
 * Node.js process, send-keys types, capture-pane reads the screen.
 */
import { execFileSync, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin, fixtureNode, root, stopFixture } from './cli-helpers.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
/** A tmux server of this test run alone, so that nothing else's sessions are touched. */
const server = `beamish-test-${process.pid}`;
const NODE = 'terminal@localhost';

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', server, ...args], { encoding: 'utf8' });
}

/** Starts `command` in a detached 120×40 terminal; the shell stays after it, to show its exit status and the terminal mode. */
function terminal(session: string, command: string): void {
  const script = `${command}; echo "EXIT=$?"; stty -a | tr ' ;' '\\n\\n' | grep -x -- '-\\{0,1\\}icanon'; sleep 60`;
  tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '40', '-c', root, 'sh', '-c', script);
}

function screen(session: string): string {
  return tmux('capture-pane', '-p', '-t', session);
}

/** Waits until the screen shows what `test` looks for; fails with the screen after 20 s. */
async function waitForScreen(session: string, test: (text: string) => boolean): Promise<string> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const text = screen(session);
    if (test(text)) return text;
    if (Date.now() > deadline) throw new Error(`the screen never showed what was expected:\n${text}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.runIf(hasTmux)('the beamish command in a terminal (tmux)', () => {
  let dir: string;
  let node: ChildProcess;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'beamish-test-'));
    node = await fixtureNode(NODE, dir);
  });

  afterAll(async () => {
    spawnSync('tmux', ['-L', server, 'kill-server']);
    expect(await stopFixture(node)).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  });

  it('beamish top - draws the header and rows, re-sorts on m, and quits on q with the terminal restored', async () => {
    terminal('top', `node ${bin} top ${NODE} --dir ${dir} --interval 250`);
    const first = await waitForScreen('top', (text) => text.includes('busy_worker') && text.includes('sort: reductions'));
    expect(first).toMatch(new RegExp(`^${NODE}  \\d\\d:\\d\\d:\\d\\d  interval \\d+ ms`, 'm'));
    expect(first).toMatch(/^Load: schedulers \d+\.\d% \(\d+%\)  procs \d+  run queue \d+/m);
    expect(first).toMatch(/^Memory: total \S+  processes \S+  heap \S+  external \S+  rss \S+/m);
    expect(first).toMatch(/^Pid +Name or initial call +Reds\* +Memory +MsgQ +Runtime +Current location$/m);
    expect(first).toMatch(/^<\d+\.\d+\.\d+> +\S+/m);
    expect(first).toContain('r reds  m memory  M mailbox  t runtime  +/- interval  </> lines  q quit');
    // busy_worker leads by reductions once a whole interval has been sampled.
    await waitForScreen('top', (text) => /Current location\n<\d+\.\d+\.\d+> +busy_worker/.test(text));

    tmux('send-keys', '-t', 'top', 'm');
    const byMemory = await waitForScreen('top', (text) => text.includes('sort: memory'));
    expect(byMemory).toMatch(/Reds +Memory\*/);
    expect(byMemory).toMatch(/Current location\n<\d+\.\d+\.\d+> +flooded_mailbox +\d+ +\S+ +2000 /);

    tmux('send-keys', '-t', 'top', '+');
    await waitForScreen('top', (text) => text.includes('interval: 500 ms'));
    tmux('send-keys', '-t', 'top', '<');
    await waitForScreen('top', (text) => text.includes('lines: 15'));

    tmux('send-keys', '-t', 'top', 'q');
    const after = await waitForScreen('top', (text) => text.includes('EXIT='));
    expect(after).toContain('EXIT=0');
    expect(after).toMatch(/^icanon$/m); // the terminal is back in line mode
    expect(node.exitCode).toBeNull();
  });

  it('beamish attach - evaluates what is typed, completes on Tab, and Ctrl-D detaches with the node still running', async () => {
    terminal('attach', `node ${bin} attach ${NODE} --dir ${dir}`);
    await waitForScreen('attach', (text) => text.trimEnd().endsWith(`${NODE}>`));
    tmux('send-keys', '-t', 'attach', '6 * 7', 'Enter');
    await waitForScreen('attach', (text) => /^42$/m.test(text));
    tmux('send-keys', '-t', 'attach', 'procCount("messageQueueLength", 1)[0].name', 'Enter');
    await waitForScreen('attach', (text) => text.includes("'flooded_mailbox'"));
    tmux('send-keys', '-t', 'attach', 'nodeSta', 'Tab');
    await waitForScreen('attach', (text) => text.includes(`${NODE}> nodeStats`));
    tmux('send-keys', '-t', 'attach', '().processCount', 'Enter');
    await waitForScreen('attach', (text) => /^\d+$/m.test(text.split(`${NODE}> nodeStats().processCount`)[1] ?? ''));

    tmux('send-keys', '-t', 'attach', 'C-d');
    const after = await waitForScreen('attach', (text) => text.includes('EXIT='));
    expect(after).toContain('EXIT=0');
    expect(after).toMatch(/^icanon$/m);
    expect(node.exitCode).toBeNull();
    const listed = execFileSync(process.execPath, [bin, 'nodes', '--dir', dir], { cwd: root, encoding: 'utf8' });
    expect(listed).toBe(`${NODE}\n`);
  });
});
