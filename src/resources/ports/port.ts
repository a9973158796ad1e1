import { inspect } from 'node:util';
import { SystemLimitError, type BeamishNode, type NodeIdentity, type Pid, type ProcessContext } from '../../runtime/index.js';
import type { OrphanProtection, PortCommand, PortInfo, PortOptions } from './port-types.js';
import { PortCore } from './internal/port-core.js';
import { parentDeathSignal } from './internal/port-death-signal.js';
import { reaper } from './internal/port-reaper.js';
import { DEFAULT_MAX_PORTS, tableOf } from './internal/port-table.js';
import { invalid, programOf, settingsOf, stderrOf } from './internal/port-validate.js';

export { DEFAULT_MAX_PORTS };

function expectContext(ctx: unknown): ProcessContext {
  const candidate = ctx as Partial<ProcessContext> | null | undefined;
  if (typeof candidate?.send !== 'function' || candidate.self === undefined || candidate.node === undefined) {
    throw invalid('ctx', 'the context of a process', ctx);
  }
  return ctx as ProcessContext;
}

/**
 * A port: an external OS program run by a Beamish process, its owner, as Erlang's ports. The
 * program's output arrives in the owner's mailbox as messages (`PortData`, `PortLine`, …); the
 * owner writes to it with `Port.command`. The port is linked to its owner: when the owner exits,
 * for any reason, the port closes and its program is terminated (input closed, then SIGTERM and
 * SIGKILL to its whole process group); when the program ends, the port closes and the owner gets
 * an exit signal from it (`ExitMessage` whose `from` is this Port, when trapping). Programs also
 * die with the Node.js process, even a SIGKILLed one, where the system allows (`orphanProtection`).
 *
 * A Port prints as `#Port<node.number>`. Ports are for programs that live with a process: a
 * converter, a helper in another language, a long-running tool. For a one-off command whose output
 * you simply await, `child_process.execFile` is simpler.
 */
export class Port {
  /** The node the port belongs to. */
  readonly node: NodeIdentity;
  /** The port's number on its node, never reused while the node runs. */
  readonly id: number;
  readonly #core: PortCore;

  /** @internal Ports are made by `Port.open`. */
  constructor(node: NodeIdentity, id: number, core: PortCore) {
    this.node = node;
    this.id = id;
    this.#core = core;
  }

  /** True when both are the same port. */
  equals(other: unknown): boolean {
    return other instanceof Port && other.#core === this.#core;
  }

  /** `#Port<node.number>`, as Erlang prints ports. */
  toString(): string {
    return `#Port<${this.node.index}.${this.id}>`;
  }

  toJSON(): string {
    return this.toString();
  }

  [inspect.custom](): string {
    return this.toString();
  }

  /**
   * Starts a program and returns its port, owned by (and linked to) the calling process
   * (`open_port/2`). The program runs without a shell unless `{ shell }` is given, in a process
   * group of its own. Cost: one process spawn (plus, once per Node.js process, a check of the
   * parent-death signal that blocks for a few milliseconds).
   *
   * Throws `PortOpenError` (`code` `'enoent'`: no such program or directory; `'eacces'`: not
   * executable), `SystemLimitError` past the node's port limit (see `configure`), `TypeError` for
   * bad arguments. Nothing is started when it throws.
   *
   * @example
   * const port = Port.open(ctx, { spawn: 'cat' }, { packet: 4 });
   * await Port.command(port, 'ping');
   * const reply = await ctx.receive(fromPort(port)); // PortData with data 'ping'
   */
  static open(ctx: ProcessContext, command: PortCommand, options: PortOptions = {}): Port {
    const { node, self } = expectContext(ctx);
    ctx.ensureAlive();
    const settings = settingsOf(options);
    const table = tableOf(node);
    if (table.open.size >= table.maxPorts) throw new SystemLimitError('ports', table.maxPorts);
    const spec = programOf(command, stderrOf(options));
    const core = new PortCore(node, self, table, spec, settings);
    const port = new Port(node.identity, table.nextId(), core);
    core.attach(port);
    return port;
  }

  /**
   * Sends data to the program (`port_command/2`): a string (UTF-8) or bytes, framed as the port
   * frames. Any process may send. When the port is busy (the program is not reading, so its
   * input pipe and Node's buffer are full), the returned promise waits until the data is taken,
   * in order with other waiting senders; otherwise it is already resolved. Await it to apply
   * back-pressure.
   *
   * Throws `PortClosedError` if the port is closed, `PacketTooLargeError` for data too long for
   * its length header, `TypeError` for data that is not bytes; the promise rejects with
   * `PortClosedError` if the port closes while the sender waits (the data is then not sent).
   */
  static command(port: Port, data: string | Uint8Array): Promise<void> {
    return Port.#coreOf(port).command(data);
  }

  /**
   * As `command`, but never waits (`port_command(Port, Data, [nosuspend])`): returns false, and
   * sends nothing, when the port is busy. Throws as `command` does.
   */
  static commandNosuspend(port: Port, data: string | Uint8Array): boolean {
    return Port.#coreOf(port).commandNosuspend(data);
  }

  /**
   * Closes the port (`port_close/1`): any process may. Senders waiting on a busy port fail with
   * `PortClosedError`; the program's input is closed and, if it does not exit, its process group
   * gets SIGTERM after `termAfter` and SIGKILL after `killAfter`. A trapping owner receives
   * `ExitMessage(port, 'normal')`. Returns false if the port was already closed.
   */
  static close(port: Port): boolean {
    return Port.#coreOf(port).close('normal');
  }

  /**
   * Transfers the port to `newOwner` (`port_connect/2`), a live process of the same node, which
   * then receives its messages and is linked to it; the old owner's exit no longer closes it.
   * Only the owner may call it. Messages already delivered stay with the old owner.
   *
   * Throws `NotOwnerError` when the caller is not the owner, `PortClosedError` when the port is
   * closed, `NotAliveError` when `newOwner` is not a live process of the port's node.
   */
  static connect(ctx: ProcessContext, port: Port, newOwner: Pid): void {
    Port.#coreOf(port).connect(expectContext(ctx).self, newOwner);
  }

  /** A snapshot of an open port (`erlang:port_info/1`), or undefined once it is closed. O(1). */
  static info(port: Port): PortInfo | undefined {
    const core = Port.#coreOf(port);
    return core.isOpen ? core.info() : undefined;
  }

  /**
   * Resolves when a closed port has let go of everything: its program and process group are gone
   * and its pipes closed. Cost: none beyond the promise; it never resolves for an open port.
   */
  static released(port: Port): Promise<void> {
    return Port.#coreOf(port).program.released;
  }

  /** The open ports of a node (`erlang:ports/0`), oldest first. O(n). */
  static list(node: BeamishNode): Port[] {
    return [...tableOf(node).open];
  }

  /** The port settings of a node: the most ports open at once (Erlang's `+Q`, default 65,536). */
  static limits(node: BeamishNode): { readonly maxPorts: number } {
    return { maxPorts: tableOf(node).maxPorts };
  }

  /**
   * Changes the port limit of a node. Lowering it below the number open closes nothing; opening
   * fails with `SystemLimitError` until enough have closed.
   */
  static configure(node: BeamishNode, settings: { readonly maxPorts?: number }): void {
    const { maxPorts } = settings;
    if (maxPorts === undefined) return;
    if (typeof maxPorts !== 'number' || !Number.isInteger(maxPorts) || maxPorts < 1) {
      throw invalid('settings.maxPorts', 'a whole number from 1 up', maxPorts);
    }
    tableOf(node).maxPorts = maxPorts;
  }

  /**
   * How port programs are made to die with this Node.js process when it is killed outright, and
   * what is missing where the system does not allow it. The first call runs the parent-death
   * check (a few milliseconds); the answer is cached.
   */
  static orphanProtection(): OrphanProtection {
    const signal = parentDeathSignal();
    const notes: string[] = [];
    if (signal.reason !== undefined) notes.push(`no parent-death signal: ${signal.reason}`);
    const groupReaper = reaper.available;
    if (!groupReaper) notes.push('no group reaper: awk is not available (or BEAMISH_PORT_REAPER is empty)');
    return { parentDeathSignal: signal.setpriv, groupReaper, notes };
  }

  static #coreOf(port: unknown): PortCore {
    if (!(port instanceof Port)) throw invalid('port', 'a Port', port);
    return port.#core;
  }
}
