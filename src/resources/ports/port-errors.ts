import { BadArgError, BeamishError, type Pid } from '../../runtime/index.js';
import type { Port } from './port.js';

/**
 * The program of a port could not be started, as `open_port` raising `enoent` or `eacces`: `code`
 * is the lower-case POSIX name (`'enoent'`: no such program or working directory; `'eacces'`: the
 * file is not executable, or is a directory; others as the system reports them). Nothing was
 * started and no port exists. The system's error, if any, is the `cause`.
 */
export class PortOpenError extends BeamishError {
  /** The program (or working directory) that could not be used. */
  readonly path: string;

  constructor(code: string, path: string, detail: string, options?: ErrorOptions) {
    super(code, `Cannot open a port for ${path}: ${detail}`, options);
    this.path = path;
  }
}

/**
 * The port is closed (Erlang's `badarg` on a closed port): its program ended, someone closed it,
 * or its owner exited. Commands and transfers to it fail with this.
 */
export class PortClosedError extends BadArgError {
  readonly port: Port;

  constructor(port: Port) {
    super('port_closed', `${port} is closed`);
    this.port = port;
  }
}

/** Only the port's owner (its connected process) may transfer it; `caller` is not the owner. */
export class NotOwnerError extends BadArgError {
  readonly port: Port;
  readonly caller: Pid;
  readonly owner: Pid;

  constructor(port: Port, caller: Pid, owner: Pid) {
    super('not_owner', `${caller} may not transfer ${port}: its owner is ${owner}`);
    this.port = port;
    this.caller = caller;
    this.owner = owner;
  }
}

/** A command is too long for the port's `packet` header (over 255 bytes with `packet: 1`, say). */
export class PacketTooLargeError extends BadArgError {
  readonly port: Port;
  readonly size: number;
  readonly max: number;

  constructor(port: Port, size: number, max: number) {
    super('packet_too_large', `A packet of ${size} bytes does not fit the ${max}-byte limit of ${port}'s length header`);
    this.port = port;
    this.size = size;
    this.max = max;
  }
}
