import { NotAliveError, nodeOf, Pid, type BeamishNode, type ProcessContext, type Ref } from '../../../runtime/index.js';
import { SocketNotOwnerError } from '../errors.js';
import { SocketMessage } from '../messages.js';
import type { AnySocket } from '../types.js';
import { invalid } from '../../ports/internal/port-validate.js';

/**
 * The owner of a socket (its controlling process): the process its messages go to, watched so
 * that its exit, for any reason, closes the socket.
 */
export class Ownership {
  readonly #node: BeamishNode;
  readonly #onDown: () => void;
  #pid: Pid;
  #watch: Ref | undefined;

  /**
   * Starts watching `owner`; if it is not alive, `onDown` runs in a microtask. The close that
   * `onDown` begins is handed to `node.trackRelease`, so the node's stop waits for it.
   */
  constructor(node: BeamishNode, owner: Pid, onDown: () => void, released: () => Promise<void>) {
    this.#node = node;
    this.#onDown = () => {
      onDown();
      node.trackRelease(released());
    };
    this.#pid = owner;
    this.#watch = node.monitor(owner, this.#onDown);
  }

  get pid(): Pid {
    return this.#pid;
  }

  /** Sends a message from the socket to its owner. */
  tell(message: SocketMessage): void {
    this.#node.send(this.#pid, message);
  }

  /**
   * Hands the socket to `newOwner` (`gen_tcp:controlling_process/2`): checks that `ctx` is the
   * owner, then moves the socket's messages already in the caller's mailbox to the new owner, in
   * order, before any later one. All of it happens in one synchronous step, so nothing from the
   * socket can slip in between.
   */
  transfer(ctx: ProcessContext, socket: AnySocket, newOwner: unknown): void {
    const caller = ctx.self;
    if (!caller.equals(this.#pid)) throw new SocketNotOwnerError(socket, caller, this.#pid);
    if (!(newOwner instanceof Pid)) throw invalid('newOwner', 'a Pid', newOwner);
    if (newOwner.equals(this.#pid)) return;
    if (nodeOf(newOwner) !== this.#node || !this.#node.isAlive(newOwner)) throw new NotAliveError(newOwner);
    const ours = (message: unknown): boolean => message instanceof SocketMessage && message.socket === socket;
    for (;;) {
      const message = ctx.tryReceive(ours);
      if (!(message instanceof SocketMessage)) break;
      this.#node.send(newOwner, message);
    }
    this.release();
    this.#pid = newOwner;
    this.#watch = this.#node.monitor(newOwner, this.#onDown);
  }

  /** Stops watching the owner (the socket is closed). */
  release(): void {
    if (this.#watch !== undefined) this.#node.demonitor(this.#watch);
    this.#watch = undefined;
  }
}
