import { ExitMessage, NotAliveError, nodeOf, Pid, type BeamishNode, type ExitReason, type Ref } from '../../../runtime/index.js';
import { NotOwnerError, PacketTooLargeError, PortClosedError } from '../port-errors.js';
import { PortData, PortEof, PortExitStatus, PortLine, PortStderr, type PortMessage } from '../port-messages.js';
import type { PortInfo } from '../port-types.js';
import type { Port } from '../port.js';
import { decoderFor, maxPacket, withHeader, type Decoder } from './port-framing.js';
import { PortProgram } from './port-program.js';
import type { ProgramSpec } from './port-spawn.js';
import type { PortTable } from './port-table.js';
import { invalid, type PortSettings } from './port-validate.js';

/** A sender waiting for room in a busy port. */
interface Waiter {
  readonly bytes: Uint8Array;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

const DONE: Promise<void> = Promise.resolve();
const ignore = (): void => {};

/**
 * The state of one port: its owner (the connected process, linked to it), its program, framing
 * and busy queue. The owner's exit closes it; the program's end closes it with a reason that
 * reaches the owner as an exit signal from the port.
 */
export class PortCore {
  readonly node: BeamishNode;
  readonly name: string;
  readonly settings: PortSettings;
  readonly program: PortProgram;
  #port: Port | undefined;
  #owner: Pid;
  #ownerWatch: Ref | undefined;
  readonly #table: PortTable;
  readonly #decoder: Decoder;
  #open = true;
  #outputEnded = false;
  #exitStatus: number | undefined;
  #waiters: Waiter[] = [];
  #waitingBytes = 0;

  /** Starts the program; throws `PortOpenError` if it cannot be started. */
  constructor(node: BeamishNode, owner: Pid, table: PortTable, spec: ProgramSpec, settings: PortSettings) {
    this.node = node;
    this.name = spec.name;
    this.settings = settings;
    this.#owner = owner;
    this.#table = table;
    this.#decoder = decoderFor(settings.framing, {
      data: (bytes) => this.#deliver(new PortData(this.port, bytes)),
      line: (bytes, eol) => this.#deliver(new PortLine(this.port, bytes, eol)),
    });
    this.program = new PortProgram(spec, {
      stdout: (chunk) => this.#decoder.push(chunk),
      outputEnd: () => this.#outputEnd(),
      stderr: (chunk) => this.#deliver(new PortStderr(this.port, chunk)),
      exit: (status) => this.#programExit(status),
      failed: (code) => this.close(code),
      drain: () => this.#flush(),
    });
  }

  /** The handle users hold. */
  get port(): Port {
    return this.#port as Port;
  }

  get owner(): Pid {
    return this.#owner;
  }

  get isOpen(): boolean {
    return this.#open;
  }

  /** Joins the node's table under its handle and links to the owner. */
  attach(port: Port): void {
    this.#port = port;
    this.#table.open.add(port);
    this.#ownerWatch = this.node.monitor(this.#owner, () => this.#ownerExited());
  }

  /** See `Port.command`. */
  command(data: unknown): Promise<void> {
    const bytes = this.#frame(data);
    if (this.#waiters.length === 0 && !this.program.busy) {
      this.program.write(bytes);
      return DONE;
    }
    this.node.notifyBusyPort(this.#owner, this.port, `port command of ${bytes.length} bytes waits for room`);
    const waiting = new Promise<void>((resolve, reject) => this.#waiters.push({ bytes, resolve, reject }));
    this.#waitingBytes += bytes.length;
    // A sender that does not await must not turn a close into an unhandled rejection.
    waiting.catch(ignore);
    return waiting;
  }

  /** See `Port.commandNosuspend`. */
  commandNosuspend(data: unknown): boolean {
    const bytes = this.#frame(data);
    if (this.#waiters.length !== 0 || this.program.busy) return false;
    this.program.write(bytes);
    return true;
  }

  /** See `Port.connect`. */
  connect(caller: Pid, newOwner: Pid): void {
    if (!this.#open) throw new PortClosedError(this.port);
    if (!caller.equals(this.#owner)) throw new NotOwnerError(this.port, caller, this.#owner);
    if (!(newOwner instanceof Pid)) throw invalid('newOwner', 'a Pid', newOwner);
    if (nodeOf(newOwner) !== this.node || !this.node.isAlive(newOwner)) throw new NotAliveError(newOwner);
    if (newOwner.equals(this.#owner)) return;
    if (this.#ownerWatch !== undefined) this.node.demonitor(this.#ownerWatch);
    this.#owner = newOwner;
    this.#ownerWatch = this.node.monitor(newOwner, () => this.#ownerExited());
  }

  /** The owner exited: the port closes, and the node's stop waits for the program to be gone. */
  #ownerExited(): void {
    this.close(undefined);
    this.node.trackRelease(this.program.released);
  }

  /**
   * Closes the port: senders waiting for room fail with `PortClosedError`, the program is
   * terminated (see `PortProgram.close`), and unless the owner is the one that exited
   * (`reason` undefined), the owner gets the exit signal `reason` from the port. False if it was
   * already closed.
   */
  close(reason: ExitReason | undefined): boolean {
    if (!this.#open) return false;
    this.#open = false;
    this.#table.open.delete(this.port);
    if (this.#ownerWatch !== undefined) this.node.demonitor(this.#ownerWatch);
    const waiters = this.#waiters;
    this.#waiters = [];
    this.#waitingBytes = 0;
    for (const waiter of waiters) waiter.reject(new PortClosedError(this.port));
    this.program.close(this.settings.times);
    if (reason !== undefined) this.#signalOwner(reason);
    return true;
  }

  /** See `Port.info`. */
  info(): PortInfo {
    const { framing } = this.settings;
    return {
      port: this.port,
      name: this.name,
      osPid: this.program.pid,
      connected: this.#owner,
      links: [this.#owner],
      input: this.program.bytesIn,
      output: this.program.bytesOut,
      queueSize: this.program.queued + this.#waitingBytes,
      busy: this.#waiters.length !== 0 || this.program.busy,
      framing: framing.kind === 'stream' ? 'stream' : framing.kind === 'packet' ? { packet: framing.size } : { line: framing.max },
      programExited: this.program.exited,
    };
  }

  /** Bytes ready for the pipe, framed; throws if the port is closed or the data is not bytes. */
  #frame(data: unknown): Uint8Array {
    if (!this.#open) throw new PortClosedError(this.port);
    let bytes: Uint8Array;
    if (typeof data === 'string') bytes = Buffer.from(data, 'utf8');
    else if (data instanceof Uint8Array) bytes = data;
    else throw invalid('data', 'a string, Buffer or Uint8Array', data);
    const { framing } = this.settings;
    if (framing.kind !== 'packet') return bytes;
    const max = maxPacket(framing.size);
    if (bytes.length > max) throw new PacketTooLargeError(this.port, bytes.length, max);
    return withHeader(bytes, framing.size);
  }

  /** The pipe has room again: waiting senders go on, in order, while it lasts. */
  #flush(): void {
    const waiters = this.#waiters;
    let taken = 0;
    while (taken < waiters.length && !this.program.busy) {
      const waiter = waiters[taken++] as Waiter;
      this.#waitingBytes -= waiter.bytes.length;
      this.program.write(waiter.bytes);
      waiter.resolve();
    }
    if (taken > 0) waiters.splice(0, taken);
  }

  #deliver(message: PortMessage): void {
    if (this.#open) this.node.send(this.#owner, message);
  }

  // The exit status is told only once the output has ended, so it always follows the last data.
  #outputEnd(): void {
    this.#decoder.end();
    this.#outputEnded = true;
    if (!this.#open) return;
    if (this.settings.eof) {
      this.#deliver(new PortEof(this.port));
      if (this.settings.exitStatus && this.#exitStatus !== undefined) this.#deliver(new PortExitStatus(this.port, this.#exitStatus));
    } else if (!this.settings.exitStatus || this.#exitStatus !== undefined) this.#finish();
  }

  #programExit(status: number): void {
    this.#exitStatus = status;
    if (!this.#open || !this.settings.exitStatus || !this.#outputEnded) return;
    if (this.settings.eof) this.#deliver(new PortExitStatus(this.port, status));
    else this.#finish();
  }

  /** The program is done: its output ended, and it exited if the owner wants the status. */
  #finish(): void {
    if (this.settings.exitStatus) this.#deliver(new PortExitStatus(this.port, this.#exitStatus as number));
    this.close('normal');
  }

  /**
   * The exit signal of the link: a trapping owner receives `ExitMessage` from the port; any other
   * is killed by a reason other than `'normal'`. Both checks and the delivery happen in one
   * synchronous step, so the owner cannot change its trapping in between.
   */
  #signalOwner(reason: ExitReason): void {
    const owner = this.node.processInfo(this.#owner, { listLimit: 0 });
    if (owner === undefined) return;
    // `from` is typed as a Pid; for a port it is the Port, as Erlang's {'EXIT', Port, Reason}.
    if (owner.trapExit) this.node.send(this.#owner, new ExitMessage(this.port as unknown as Pid, reason));
    else if (reason !== 'normal') this.node.exit(this.#owner, reason);
  }
}
