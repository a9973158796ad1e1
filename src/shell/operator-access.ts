import { createServer, type Server, type Socket } from 'node:net';
import { ExitMessage, formatTerm, NodeStoppedError, type BeamishNode, type Pid, type ProcessContext } from '../runtime/index.js';
import { readAccessOptions, type AccessSettings, type OperatorAccessOptions } from './access-options.js';
import { AttachChannel } from './channel.js';
import { AttachProtocolError, AuthenticationError } from './errors.js';
import { medicDefaults, type MedicFactory, type TopSourceFactory } from './medic.js';
import { acceptClient, refuse, type SessionRequest } from './protocol.js';
import { startReplSession } from './repl-session.js';
import { ensureRuntimeDir, socketPathOf } from './runtime-dir.js';
import type { OperatorSession } from './session.js';
import { startTopSession } from './top-session.js';
import { listenUnix, type UnixListener } from './unix-listener.js';

/** Connections still in their handshake at once; more are dropped unanswered. */
const MAX_PENDING_HANDSHAKES = 16;
/** How long a closing server waits for sessions' connections to close before cutting them. */
const CLOSE_GRACE_MS = 1000;

/** A node's open door for operators, as `startOperatorAccess` returns it. */
export interface OperatorAccess {
  /** The node's name, which `beamish attach NAME` uses. */
  readonly nodeName: string;
  /** The Unix socket's path, when listening on one. */
  readonly socketPath: string | undefined;
  /** The TCP address, when listening on one. */
  readonly tcp: { readonly host: string; readonly port: number } | undefined;
  /** The process that owns the listeners and every session (label `operator access`). */
  readonly pid: Pid;
  /** Sessions open now. */
  readonly sessionCount: number;
  /** Stops listening and ends every session; resolves once all is closed. The node goes on. */
  close(): Promise<void>;
  /** Resolves once access has closed: by `close()`, the node stopping, or its process exiting. */
  readonly closed: Promise<void>;
}

/** A report of the operator access: who attached, who left, who was refused. */
export interface OperatorAccessReport {
  readonly kind: 'operator_attached' | 'operator_detached' | 'operator_refused';
  readonly node: string;
  readonly peer: string;
  readonly detail: string;
}

/** Asks the access process to close. */
const CLOSE = Symbol('close operator access');

/**
 * Lets operators attach to `node`: `beamish attach` for a REPL inside it, `beamish top` for a live
 * view. Opt-in, for libraries and services alike; nothing listens until it is called.
 *
 * Security: the Unix socket is mode 0600 in a directory of this user that nobody else may enter
 * (checked; `UnsafeRuntimeDirError` otherwise), so only this user reaches it. TCP listens on
 * loopback only and every client must prove it knows the cookie, and the node proves it back; the
 * cookie never crosses the wire. There is no unauthenticated access.
 *
 * Costs nothing until someone connects; each session is one process and at most a few MiB of
 * buffered output. Access closes when the node stops, and then every session ends.
 *
 * Throws `TypeError` for bad options, `NodeStoppedError` if the node is not running,
 * `AccessNameInUseError` if a live node listens under this name, `UnsafeRuntimeDirError` or
 * `UnsafeCookieFileError`, and the system's error if listening fails.
 *
 * @example
 * const access = await startOperatorAccess(node);      // then: beamish attach <node name>
 * const both = await startOperatorAccess(node, { tcp: { port: 4370 } });
 */
export async function startOperatorAccess(node: BeamishNode, options: OperatorAccessOptions = {}): Promise<OperatorAccess> {
  const settings = readAccessOptions(options);
  if (node.state !== 'running') throw new NodeStoppedError(node.name);
  const defaults = settings.createMedic === undefined || settings.topSource === undefined ? await medicDefaults() : undefined;
  const server = new AccessServer(node, {
    ...settings,
    createMedic: settings.createMedic ?? (defaults?.createMedic as MedicFactory),
    topSource: settings.topSource ?? (defaults?.topSource as TopSourceFactory),
  });
  await server.listen();
  return server;
}

/** The listeners, the access process and the sessions of one node. */
class AccessServer implements OperatorAccess {
  readonly #node: BeamishNode;
  readonly #settings: AccessSettings & { createMedic: MedicFactory; topSource: TopSourceFactory };
  readonly #sessions = new Set<OperatorSession>();
  /** Pids of sessions whose exit the access process has not yet seen. */
  readonly #sessionPids = new Set<Pid>();
  readonly #pending = new Set<Socket>();
  readonly #sockets = new Set<Socket>();
  #unix: UnixListener | undefined;
  #tcpServer: Server | undefined;
  #tcpAddress: { host: string; port: number } | undefined;
  #ctx: ProcessContext | undefined;
  #closing = false;
  #resolveClosed!: () => void;
  readonly closed: Promise<void> = new Promise((resolve) => (this.#resolveClosed = resolve));

  constructor(node: BeamishNode, settings: AccessSettings & { createMedic: MedicFactory; topSource: TopSourceFactory }) {
    this.#node = node;
    this.#settings = settings;
  }

  get nodeName(): string {
    return this.#node.name;
  }

  get socketPath(): string | undefined {
    return this.#unix?.path;
  }

  get tcp(): { host: string; port: number } | undefined {
    return this.#tcpAddress;
  }

  get pid(): Pid {
    return (this.#ctx as ProcessContext).self;
  }

  get sessionCount(): number {
    return this.#sessions.size;
  }

  async close(): Promise<void> {
    if (this.#ctx !== undefined && this.#node.isAlive(this.#ctx.self)) this.#node.send(this.#ctx.self, CLOSE);
    return this.closed;
  }

  /** Opens the listeners, then the process that owns them; undoes what it did if any step fails. */
  async listen(): Promise<void> {
    const { unixDir, tcp } = this.#settings;
    try {
      if (unixDir !== undefined) {
        ensureRuntimeDir(unixDir);
        const path = socketPathOf(unixDir, this.#node.name);
        this.#unix = await listenUnix(path, this.#node.name, (socket) => this.#accept(socket, 'unix', undefined));
      }
      if (tcp !== undefined) {
        const server = createServer((socket) => this.#accept(socket, `tcp ${socket.remoteAddress}:${socket.remotePort}`, this.#settings.cookie));
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(tcp.port, tcp.host, () => resolve());
        });
        this.#tcpServer = server;
        const address = server.address() as { address: string; port: number };
        this.#tcpAddress = { host: address.address, port: address.port };
      }
      this.#ctx = await new Promise<ProcessContext>((resolve) => {
        const sessionPids = this.#sessionPids;
        this.#node.spawn(
          function operatorAccess(ctx: ProcessContext) {
            resolve(ctx);
            return accessLoop(ctx, sessionPids);
          },
          { trapExit: true, label: 'operator access' },
        );
      });
    } catch (error) {
      await this.#closeListeners();
      throw error;
    }
    this.#ctx.signal.addEventListener('abort', () => this.#shutDown((this.#ctx?.signal.reason as { reason?: unknown }).reason));
    if (!this.#node.isAlive(this.#ctx.self)) this.#shutDown('noproc');
  }

  /** Runs a connection through the handshake, then hands it to a new session. */
  #accept(socket: Socket, peer: string, cookie: string | undefined): void {
    if (this.#closing || this.#ctx === undefined || this.#pending.size >= MAX_PENDING_HANDSHAKES) {
      socket.destroy();
      return;
    }
    this.#sockets.add(socket);
    socket.once('close', () => this.#sockets.delete(socket));
    this.#pending.add(socket);
    const channel = new AttachChannel(socket);
    const timeout = this.#settings.handshakeTimeout;
    const timer = setTimeout(() => channel.fail(new AttachProtocolError(`The handshake took longer than ${timeout} ms`)), timeout);
    acceptClient(channel, this.#node.name, cookie)
      .then((request) => this.#open(channel, request, peer))
      .catch((error: unknown) => {
        channel.fail(error as Error);
        // A peer that closed without a word is a liveness probe (`beamish nodes`), not an intruder.
        if (socket.bytesRead === 0 && error instanceof AttachProtocolError) return;
        const why = error instanceof AuthenticationError || error instanceof AttachProtocolError ? error.message : formatTerm(error, 512);
        this.#report('warning', 'operator_refused', peer, why);
      })
      .finally(() => {
        clearTimeout(timer);
        this.#pending.delete(socket);
      });
  }

  #open(channel: AttachChannel, request: SessionRequest, peer: string): void {
    const ctx = this.#ctx as ProcessContext;
    if (this.#closing || !this.#node.isAlive(ctx.self)) return refuse(channel, 'operator access is closing');
    if (this.#sessions.size >= this.#settings.maxSessions) {
      refuse(channel, `the node already has ${this.#settings.maxSessions} operator sessions, its limit`);
      return this.#report('warning', 'operator_refused', peer, 'too many sessions');
    }
    const session =
      request.mode === 'repl'
        ? startReplSession(ctx, { channel, request, createMedic: this.#settings.createMedic, limits: this.#settings.limits, peer })
        : startTopSession(ctx, { channel, request, topSource: this.#settings.topSource, peer });
    this.#sessions.add(session);
    this.#sessionPids.add(session.pid);
    this.#report('notice', 'operator_attached', peer, `${request.mode} session ${session.pid}`);
    void session.ended.then(() => {
      this.#sessions.delete(session);
      this.#report('notice', 'operator_detached', peer, `${request.mode} session ${session.pid}`);
    });
  }

  /** The access process has exited: stop listening, end every session, then report closed. */
  #shutDown(reason: unknown): void {
    if (this.#closing) return;
    this.#closing = true;
    const note = reason === CLOSE_REASON ? 'operator access closed' : reason === 'shutdown' ? 'the node is stopping' : `operator access ended: ${formatTerm(reason, 256)}`;
    for (const session of this.#sessions) session.end(note);
    for (const socket of this.#pending) socket.destroy();
    const done = (async () => {
      const sessions = Promise.all([...this.#sessions].map((session) => session.ended));
      const grace = new Promise<void>((resolve) => setTimeout(resolve, CLOSE_GRACE_MS).unref());
      await Promise.race([sessions, grace]);
      for (const socket of this.#sockets) socket.destroy();
      await this.#closeListeners();
    })();
    this.#node.trackRelease(done);
    void done.finally(() => this.#resolveClosed());
  }

  async #closeListeners(): Promise<void> {
    const tcp = this.#tcpServer;
    await Promise.all([this.#unix?.close(), tcp === undefined ? undefined : new Promise<void>((resolve) => tcp.close(() => resolve()))]);
  }

  #report(level: 'notice' | 'warning', kind: OperatorAccessReport['kind'], peer: string, detail: string): void {
    const report: OperatorAccessReport = { kind, node: this.#node.name, peer, detail };
    this.#node.log(level, report);
  }
}

/** The exit reason of an access process that `close()` stopped. */
const CLOSE_REASON = { shutdown: 'operator access closed' } as const;

/**
 * The access process: it traps exits so that its sessions' exits (linked to it) do not end it,
 * and exits when told to close, when the node stops it (an exit signal from outside its
 * sessions) or when killed.
 */
async function accessLoop(ctx: ProcessContext, sessionPids: Set<Pid>): Promise<void> {
  for (;;) {
    const message = await ctx.receive();
    if (message === CLOSE) ctx.exit(CLOSE_REASON);
    if (message instanceof ExitMessage && !sessionPids.delete(message.from)) ctx.exit(message.reason);
  }
}
