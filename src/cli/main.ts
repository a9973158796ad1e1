/**
 * The `beamish` command: `attach` (a REPL inside a live node), `top` (etop for a node) and `nodes`
 * (the nodes one can attach to). Parsing is commander's; the work is the shell's (src/shell/).
 */
import { Command, CommanderError, Option } from 'commander';
import { BeamishError } from '../runtime/index.js';
import { attach, defaultRuntimeDir, listNodes, processIO, top, type ClientIO, type TopSort } from '../shell/index.js';
import { CliError, parseHostPort, resolveTarget, wholeNumber, type ConnectionOptions } from './target.js';

const SORTS: Record<string, TopSort> = { reductions: 'reductions', memory: 'memory', mailbox: 'messageQueueLength', runtime: 'runtime' };

function connectionOptions(command: Command): Command {
  return command
    .option('--tcp <host:port>', "connect over loopback TCP (the node's cookie is required)", parseHostPort)
    .option('--cookie <cookie>', 'the cookie, for --tcp')
    .option('--cookie-file <path>', 'read the cookie from this file, for --tcp (default ~/.beamish.cookie)')
    .option('--dir <path>', `the runtime directory holding the nodes' sockets (default ${defaultRuntimeDir()})`);
}

/** Builds the program; `done` receives each command's exit status. */
function program(io: ClientIO, done: (status: number) => void): Command {
  const root = new Command('beamish')
    .description("Beamish's operator tools: attach to a live node, watch it with top")
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) });

  connectionOptions(root.command('attach').argument('[node]', 'the node name (default: the only node listening)'))
    .description('open a REPL inside a running node; Ctrl-D or .exit detaches and leaves the node running')
    .action(async (node: string | undefined, options: ConnectionOptions) => done(await attach(await resolveTarget(node, options), io)));

  connectionOptions(root.command('top').argument('[node]', 'the node name (default: the only node listening)'))
    .description("show the node's busiest processes, refreshed every interval (etop)")
    .addOption(new Option('--sort <key>', 'sort by').choices(Object.keys(SORTS)).default('reductions'))
    .option('--interval <ms>', 'milliseconds between frames', wholeNumber(100, 60_000), 2000)
    .option('--lines <n>', 'rows shown', wholeNumber(1, 100), 20)
    .action(async (node: string | undefined, options: ConnectionOptions & { sort: string; interval: number; lines: number }) => {
      const target = await resolveTarget(node, options);
      done(await top(target, { sort: SORTS[options.sort], intervalMs: options.interval, lines: options.lines }, io));
    });

  root
    .command('nodes')
    .description('list the nodes listening for operators in the runtime directory')
    .option('--dir <path>', 'the runtime directory (default: as for attach)')
    .option('--all', 'also list sockets that dead nodes left behind')
    .action(async (options: { dir?: string; all?: boolean }) => {
      const dir = options.dir ?? defaultRuntimeDir();
      const nodes = (await listNodes(dir)).filter((listed) => listed.live || options.all === true);
      for (const listed of nodes) io.stdout.write(`${listed.name}${listed.live ? '' : ' (stale)'}\n`);
      if (nodes.length === 0) io.stderr.write(`No node listens for operators in ${dir}\n`);
      done(0);
    });
  return root;
}

/**
 * Runs the CLI on `argv` (the arguments after the program name) and resolves with the exit status:
 * 0 on success, 1 for an error (said in one line on stderr), commander's status for usage errors.
 */
export async function runCli(argv: readonly string[], io: ClientIO = processIO()): Promise<number> {
  let status = 0;
  try {
    await program(io, (code) => (status = code)).parseAsync([...argv], { from: 'user' });
    return status;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    const message = error instanceof CliError || error instanceof BeamishError ? error.message : error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    io.stderr.write(`beamish: ${message}\n`);
    return 1;
  }
}
