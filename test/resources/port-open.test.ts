import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_PORTS, Port, PortOpenError, SystemLimitError } from '../../src/index.js';
import { captureError, idle, inTrappingProcess, testNode } from '../helpers.js';
import { collectUntilExit, isRunning } from './port-helpers.js';

const run = promisify(execFile);

const scratch = mkdtempSync(join(tmpdir(), 'beamish-port-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('Port.open', () => {
  it('runs an executable with its arguments exactly as given: no shell sees them (spawn_executable)', async () => {
    const seen = await inTrappingProcess(async (ctx) => {
      const port = Port.open(ctx, { spawn: 'printf', args: ['%s|%s|%s', 'hello world', '$HOME;echo x', '"quoted" *'] });
      return collectUntilExit(ctx, port);
    });
    expect(seen).toEqual([{ data: 'hello world|$HOME;echo x|"quoted" *' }, { exit: 'normal' }]);
  });

  it('runs a command line through /bin/sh only when a shell is asked for', async () => {
    const seen = await inTrappingProcess(async (ctx) => collectUntilExit(ctx, Port.open(ctx, { shell: 'echo $((40 + 2))' })));
    expect(seen).toEqual([{ data: '42\n' }, { exit: 'normal' }]);
  });

  it('runs the program in the working directory given (cd)', async () => {
    const seen = await inTrappingProcess(async (ctx) => collectUntilExit(ctx, Port.open(ctx, { spawn: 'pwd', cwd: scratch })));
    expect(seen).toEqual([{ data: `${scratch}\n` }, { exit: 'normal' }]);
  });

  it('changes the environment as Erlang does: variables set, those given false removed (env)', async () => {
    process.env['BEAMISH_PORT_TEST_LONG'] = 'nisse';
    const seen = await inTrappingProcess(async (ctx) => {
      const port = Port.open(ctx, {
        spawn: 'sh',
        args: ['-c', 'printf "%s|%s|%s" "$plupp" "${BEAMISH_PORT_TEST_LONG-unset}" "$ends_with_equal"'],
        env: { plupp: 'dirty monkey', BEAMISH_PORT_TEST_LONG: false, ends_with_equal: 'value=' },
      });
      return collectUntilExit(ctx, port);
    });
    delete process.env['BEAMISH_PORT_TEST_LONG'];
    expect(seen).toEqual([{ data: 'dirty monkey|unset|value=' }, { exit: 'normal' }]);
  });

  it('runs a program by a path relative to its directory, with spaces in it (port_program_with_path)', async () => {
    const dir = join(scratch, 'With Spaces');
    mkdirSync(dir, { recursive: true });
    const script = join(dir, 'echo args');
    writeFileSync(script, '#!/bin/sh\nfor a in "$0" "$@"; do echo "|$a|"; done\n');
    chmodSync(script, 0o755);
    const seen = await inTrappingProcess(async (ctx) =>
      collectUntilExit(ctx, Port.open(ctx, { spawn: './echo args', args: ['hello world', 'dlrow olleh'], cwd: dir })),
    );
    expect(seen).toEqual([{ data: `|${script}|\n|hello world|\n|dlrow olleh|\n` }, { exit: 'normal' }]);
  });

  it('the program gets only its three standard descriptors: no pipe of Node or of other ports leaks in (count_fds)', async () => {
    // In a fresh Node.js process: a test runner's worker holds descriptors of its own that come and go.
    const { stdout } = await run(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../fixtures/port-fds.ts', import.meta.url))], { timeout: 20_000 });
    const { fds, ours, links } = JSON.parse(stdout) as { fds: number[]; ours: number[]; links: string[] };
    expect({ fds: fds.sort((a, b) => a - b), links }).toMatchObject({ fds: [0, 1, 2, ...ours].sort((a, b) => a - b) });
  });

  it('a missing program is a typed enoent error, never a crash (spawn_executable)', async () => {
    const errors = await inTrappingProcess(async (ctx) => [
      captureError(() => Port.open(ctx, { spawn: '/nonexistent/program' })),
      captureError(() => Port.open(ctx, { spawn: 'no-such-program-anywhere' })),
      captureError(() => Port.open(ctx, { spawn: './fnurflmonfi', cwd: scratch })),
      captureError(() => Port.open(ctx, { spawn: 'cat', cwd: join(scratch, 'no-such-dir') })),
    ]);
    for (const error of errors) {
      expect(error).toBeInstanceOf(PortOpenError);
      expect((error as PortOpenError).code).toBe('enoent');
    }
    expect((errors[0] as PortOpenError).path).toBe('/nonexistent/program');
    expect((errors[3] as PortOpenError).message).toMatch(/working directory does not exist/);
  });

  it('a file that is not executable, or a directory, is a typed eacces error (spawn_executable)', async () => {
    const plain = join(scratch, 'kronxfrt');
    writeFileSync(plain, 'Not an executable');
    const errors = await inTrappingProcess(async (ctx) => [
      captureError(() => Port.open(ctx, { spawn: plain })),
      captureError(() => Port.open(ctx, { spawn: scratch })),
    ]);
    for (const error of errors) {
      expect(error).toBeInstanceOf(PortOpenError);
      expect((error as PortOpenError).code).toBe('eacces');
    }
  });

  it('bad arguments are TypeErrors naming the option, and start nothing (bad_args, bad_env)', async () => {
    const { node } = testNode();
    const messages = await node.run(async (ctx) =>
      [
        () => Port.open(ctx, { spawn: 'cat', args: 'not a list' as never }),
        () => Port.open(ctx, { spawn: 'cat', args: ['string', 1472 as never] }),
        () => Port.open(ctx, { spawn: 'cat', env: { key: 42 as never } }),
        () => Port.open(ctx, { spawn: 'cat', env: ['abbb'] as never }),
        () => Port.open(ctx, { spawn: '' }),
        () => Port.open(ctx, {} as never),
        () => Port.open(ctx, { spawn: 'cat' }, { packet: 3 as never }),
        () => Port.open(ctx, { spawn: 'cat' }, { packet: 2, line: 5 }),
        () => Port.open(ctx, { spawn: 'cat' }, { line: 0 }),
        () => Port.open(ctx, { spawn: 'cat' }, { stderr: 'stdout' as never }),
        () => Port.open(ctx, { spawn: 'cat' }, { termAfter: -1 }),
        () => Port.open(ctx, { spawn: 'cat' }, { eof: 'yes' as never }),
        () => Port.open({} as never, { spawn: 'cat' }),
      ].map((open) => {
        const error = captureError(open);
        expect(error).toBeInstanceOf(TypeError);
        return (error as Error).message;
      }),
    );
    expect(messages[0]).toBe('Expected `command.args` to be an array of strings without NUL characters, got `not a list` (string)');
    expect(messages[6]).toBe('Expected `options.packet` to be 1, 2 or 4, got `3` (number)');
    expect(messages[8]).toMatch(/^Expected `options.line` to be a whole number from 1 up/);
    expect(Port.list(node)).toEqual([]);
  });

  it('prints as #Port<node.number>, numbered per node, and info describes it', async () => {
    const { node } = testNode();
    await node.run(async (ctx) => {
      const first = Port.open(ctx, { spawn: 'cat' });
      const second = Port.open(ctx, { spawn: 'cat' }, { line: 80 });
      expect(String(first)).toBe(`#Port<${node.identity.index}.1>`);
      expect(String(second)).toBe(`#Port<${node.identity.index}.2>`);
      expect(first.equals(first)).toBe(true);
      expect(first.equals(second)).toBe(false);
      expect(Port.list(node)).toEqual([first, second]);
      const info = Port.info(second)!;
      expect(info).toMatchObject({ port: second, name: 'cat', connected: ctx.self, links: [ctx.self], input: 0, output: 0 });
      expect(info).toMatchObject({ queueSize: 0, busy: false, framing: { line: 80 }, programExited: false });
      expect(isRunning(info.osPid)).toBe(true);
      Port.close(first);
      expect(Port.list(node)).toEqual([second]);
      expect(Port.info(first)).toBeUndefined();
    });
  });

  it('a node refuses ports past its limit with SystemLimitError, and takes them again below it (iter_max_ports)', async () => {
    const { node } = testNode();
    expect(Port.limits(node)).toEqual({ maxPorts: DEFAULT_MAX_PORTS });
    Port.configure(node, { maxPorts: 2 });
    await node.run(async (ctx) => {
      const ports = [Port.open(ctx, { spawn: 'cat' }), Port.open(ctx, { spawn: 'cat' })];
      const error = captureError(() => Port.open(ctx, { spawn: 'cat' }));
      expect(error).toBeInstanceOf(SystemLimitError);
      expect(error).toMatchObject({ code: 'system_limit', limit: 'ports', max: 2 });
      Port.close(ports[0]!);
      expect(Port.list(node)).toHaveLength(1);
      Port.open(ctx, { spawn: 'cat' });
    });
    expect(() => Port.configure(node, { maxPorts: 0 })).toThrow('Expected `settings.maxPorts` to be a whole number from 1 up, got `0` (number)');
  });

  it('orphanProtection - on Linux each program runs under a parent-death SIGKILL, as a direct child of Node.js', async () => {
    const protection = Port.orphanProtection();
    expect(protection).toEqual({ parentDeathSignal: '/usr/bin/setpriv', groupReaper: true, notes: [] });
    const { node } = testNode();
    await node.run(async (ctx) => {
      const port = Port.open(ctx, { spawn: 'sleep', args: ['1000'] });
      const { osPid } = Port.info(port)!;
      const status = readFileSync(`/proc/${osPid}/status`, 'utf8');
      expect(status).toMatch(new RegExp(`^PPid:\\s+${process.pid}$`, 'm'));
      // setpriv has already replaced itself with the program (same pid, same process group).
      await expect.poll(() => readFileSync(`/proc/${osPid}/comm`, 'utf8').trim()).toBe('sleep');
      const stat = readFileSync(`/proc/${osPid}/stat`, 'utf8');
      const [, , pgid, session] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      expect([Number(pgid), Number(session)]).toEqual([osPid, osPid]);
    });
  });

  it('works from any process of the node; the caller owns the port', async () => {
    const { node } = testNode();
    const owner = node.spawn(async (ctx) => {
      Port.open(ctx, { spawn: 'cat' });
      await idle(ctx);
    });
    await node.run((ctx) => ctx.yield());
    expect(Port.info(Port.list(node)[0]!)!.connected).toBe(owner);
  });
});
