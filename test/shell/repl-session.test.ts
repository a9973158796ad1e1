import { describe, expect, it } from 'vitest';
import { parsePid, type BeamishNode, type ExitReason, type Pid } from '../../src/index.js';
import { startOperatorAccess, type OperatorAccessOptions } from '../../src/shell/index.js';
import { testNode } from '../helpers.js';
import { fakeMedic, fakeTopSource, ReplClient, runtimeDir, stripAnsi, type MedicCalls } from './shell-helpers.js';

async function attached(options: Partial<OperatorAccessOptions> = {}, terminal = false): Promise<{ node: BeamishNode; client: ReplClient; calls: MedicCalls; shell: Pid }> {
  const dir = runtimeDir();
  const { node } = testNode();
  const { createMedic, calls } = fakeMedic();
  await startOperatorAccess(node, { unix: { dir }, createMedic, topSource: fakeTopSource, ...options });
  const client = await ReplClient.open({ node: node.name, dir }, terminal);
  return { node, client, calls, shell: parsePid(client.pid) };
}

/** Resolves with `pid`'s exit reason, watching from now on. */
function exitOf(node: BeamishNode, pid: Pid): Promise<ExitReason> {
  return new Promise((resolve) => node.monitor(pid, (down) => resolve(down.reason)));
}

describe('REPL session - scope', () => {
  it('evaluates inside the node, with the runtime, OTP, resources and the medic in scope', async () => {
    const { node, client, calls } = await attached();
    expect(await client.evaluate('node.name')).toBe(`'${node.name}'`);
    expect(await client.evaluate('[typeof GenServer.start, typeof Supervisor.startLink, typeof Table.create, typeof Tcp.listen, typeof formatTerm]')).toBe(
      "[ 'function', 'function', 'function', 'function', 'function' ]",
    );
    expect(await client.evaluate('nodeStats()')).toBe(`{ processCount: ${node.processCount} }`);
    expect(await client.evaluate('medic.nodeStats === nodeStats')).toBe('true');
    expect(calls.sessions).toHaveLength(1);
    expect(calls.sessions[0]?.node).toBe(node);
  });

  it('the shell is a process: self is its pid, what it spawns are its children, it can receive', async () => {
    const { node, client, shell } = await attached();
    expect(await client.evaluate('String(self)')).toBe(`'${client.pid}'`);
    expect(await client.evaluate('ctx.self === self')).toBe('true');
    expect(await client.evaluate('processes().some((pid) => pid === self)')).toBe('true');
    const child = parsePid((await client.evaluate('String(spawn(async (c) => { await c.receive(); }))')).slice(1, -1));
    expect(node.processInfo(child)?.parent).toEqual(shell);
    expect(await client.evaluate('send(self, { hello: 1 }); await receive()')).toBe('{ hello: 1 }');
  });

  it('flush() prints and removes the messages the shell holds', async () => {
    const { node, client, shell } = await attached();
    node.send(shell, 'one');
    node.send(shell, { two: 2 });
    const printed = await client.evaluate('flush()');
    expect(printed).toContain("Shell got one\nShell got { two: 2 }");
    expect(node.processInfo(shell)?.messageQueueLength).toBe(0);
  });

  it('.clear resets the context and keeps the scope', async () => {
    const { client } = await attached();
    await client.evaluate('x = 1');
    await client.evaluate('.clear');
    expect(await client.evaluate('[typeof x, typeof nodeStats, typeof spawn]')).toBe("[ 'undefined', 'function', 'function' ]");
  });
});

describe('REPL session - leaving', () => {
  it('.exit exits the shell process with shutdown, ends what it linked, aborts its medic, and the node lives', async () => {
    const { node, client, calls, shell } = await attached();
    const linked = parsePid((await client.evaluate('String(spawnLink(async (c) => { await c.receive(); }))')).slice(1, -1));
    await client.evaluate('w = procWindow(60_000).catch((e) => e.message)');
    const shellExit = exitOf(node, shell);
    const linkedExit = exitOf(node, linked);
    client.send('.exit\n');
    expect(await client.ended()).toBe('detached');
    expect(await shellExit).toBe('shutdown');
    expect(await linkedExit).toBe('shutdown');
    expect(calls.sessions[0]?.signal.aborted).toBe(true);
    expect(node.state).toBe('running');
  });

  it('the end of piped input (Ctrl-D) evaluates what came and then detaches', async () => {
    const { node, client, shell } = await attached();
    const shellExit = exitOf(node, shell);
    client.send('slow = await new Promise((r) => setTimeout(r, 50, "late"))\nslow + "!"\n');
    client.connection.channel.writeControl({ type: 'eof' });
    expect(await client.ended()).toBe('detached');
    expect(client.output).toContain("'late!'");
    expect(await shellExit).toBe('shutdown');
    expect(node.state).toBe('running');
  });

  it('a dropped connection ends the session the same way', async () => {
    const { node, client, calls, shell } = await attached();
    const linked = parsePid((await client.evaluate('String(spawnLink(async (c) => { await c.receive(); }))')).slice(1, -1));
    const linkedExit = exitOf(node, linked);
    client.connection.channel.socket.destroy();
    expect(await exitOf(node, shell)).toBe('shutdown');
    expect(await linkedExit).toBe('shutdown');
    expect(calls.sessions[0]?.signal.aborted).toBe(true);
    expect(node.state).toBe('running');
  });

  it('exit(reason) typed in the shell ends its process with that reason and the session says so', async () => {
    const { node, client, shell } = await attached();
    const shellExit = exitOf(node, shell);
    client.send("exit('boom')\n");
    expect(await client.ended()).toBe(`the shell's process ${client.pid} exited: boom`);
    expect(await shellExit).toBe('boom');
    expect(node.state).toBe('running');
  });

  it('a shell process killed from outside ends the session, which says why', async () => {
    const { node, client, shell } = await attached();
    node.exit(shell, 'kill');
    expect(await client.ended()).toBe(`the shell's process ${client.pid} exited: killed`);
  });

  it('a process the shell linked to crashing takes the shell with it, not the node', async () => {
    const { node, client } = await attached();
    client.send("spawnLink(() => { throw new Error('linked crash') })\n");
    expect(await client.ended()).toMatch(/^the shell's process <[\d.]+> exited: Error: linked crash/);
    expect(node.state).toBe('running');
  });
});

describe('REPL session - errors and bounds', () => {
  it('an error thrown by evaluated code is printed and the session goes on', async () => {
    const { client } = await attached();
    expect(await client.evaluate("throw new Error('oops')")).toMatch(/^Uncaught Error: oops/);
    expect(await client.evaluate('nosuchthing')).toMatch(/ReferenceError: nosuchthing is not defined/);
    expect(await client.evaluate('await Promise.reject(new TypeError("bad"))')).toMatch(/Uncaught TypeError: bad/);
    expect(await client.evaluate('1 + 1')).toBe('2');
  });

  it('a failing call left un-awaited prints its error instead of crashing the node', async () => {
    const { node, client } = await attached();
    node.spawn(async (ctx) => void (await ctx.receive(() => false)), { name: 'silent' });
    const printed = await client.evaluate('GenServer.call(whereis("silent"), "ping", 50)');
    expect(printed).toBe('Promise { <pending> }');
    await client.waitFor((output) => /Uncaught \(in promise\) CallTimeoutError[^]*> $/.test(output));
    expect(node.state).toBe('running');
    expect(await client.evaluate('"still here"')).toBe("'still here'");
  });

  it('results are bounded: long arrays, long strings and objects with many keys say what they left out', async () => {
    const { client } = await attached();
    expect(await client.evaluate('Array.from({ length: 1_000_000 }, (_, i) => i)')).toContain('... 999900 more items');
    expect(await client.evaluate("'x'.repeat(1_000_000)")).toContain('... 998000 more characters');
    const many = await client.evaluate('big = {}; for (let i = 0; i < 200_000; i++) big["k" + i] = i; big');
    expect(many).toContain("'…': 'more than 100 keys; the rest are not shown'");
    expect(many.length).toBeLessThan(5000);
    expect(await client.evaluate('({ a: { b: { c: { d: { e: { f: 1 } } } } } })')).toContain('[Object]');
  });

  it('the whole output of one result is capped, and says it truncated', async () => {
    const { client } = await attached({ output: { maxChars: 300 } });
    const printed = await client.evaluate('Array.from({ length: 100 }, (_, i) => "line " + i).join("\\n")');
    expect(printed).toMatch(/… output truncated: \d+ more characters \(the session prints at most 300\)$/);
    expect(printed.length).toBeLessThan(450);
  });

  it('console.log in the shell prints to the operator, bounded', async () => {
    const { client } = await attached();
    const printed = await client.evaluate('console.log("hi", Array.from({ length: 500 }, (_, i) => i))');
    expect(printed).toContain('hi [');
    expect(printed).toContain('... 400 more items');
  });
});

describe('REPL session - terminal mode', () => {
  it('completes names in scope on Tab, and Ctrl-D on an empty line detaches', async () => {
    const { node, client, shell } = await attached({}, true);
    const start = client.output.length;
    client.send('nodeSta\t');
    await client.waitFor((output) => output.slice(start).includes('nodeStats'));
    client.send('()\r');
    await client.waitFor((output) => stripAnsi(output.slice(start)).includes(`processCount: ${node.processCount}`));
    const shellExit = exitOf(node, shell);
    client.send('\x03'); // Ctrl-C clears the line
    client.send('\x04'); // Ctrl-D on an empty line
    expect(await client.ended()).toBe('detached');
    expect(await shellExit).toBe('shutdown');
    expect(node.state).toBe('running');
  });
});
