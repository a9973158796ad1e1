import { BeamishError } from '../runtime/index.js';

/**
 * The runtime directory where nodes put their operator sockets cannot be trusted: it belongs to
 * another user, is open to others (group or world permissions), or is not a directory. Nothing is
 * created in it then, since another user could replace or read what is there.
 */
export class UnsafeRuntimeDirError extends BeamishError {
  readonly path: string;

  constructor(path: string, problem: string, options?: ErrorOptions) {
    super('unsafe_runtime_dir', `Refusing runtime directory ${path}: ${problem}`, options);
    this.path = path;
  }
}

/** Another live node already listens for operators under this name in the runtime directory. */
export class AccessNameInUseError extends BeamishError {
  readonly nodeName: string;
  readonly path: string;

  constructor(nodeName: string, path: string) {
    super('access_name_in_use', `A live node already listens for operators as ${nodeName} (${path})`);
    this.nodeName = nodeName;
    this.path = path;
  }
}

/**
 * The cookie file cannot be used: it is readable or writable by others (as Erlang, Beamish refuses
 * such a file), not a regular file, or empty.
 */
export class UnsafeCookieFileError extends BeamishError {
  readonly path: string;

  constructor(path: string, problem: string, options?: ErrorOptions) {
    super('unsafe_cookie_file', `Refusing cookie file ${path}: ${problem}`, options);
    this.path = path;
  }
}

/**
 * The peer did not prove it knows the cookie (a wrong cookie on either side), or the server's proof
 * did not match: the connection is closed without a session.
 */
export class AuthenticationError extends BeamishError {
  constructor(message: string, options?: ErrorOptions) {
    super('authentication_failed', message, options);
  }
}

/**
 * The other side broke the attach protocol: a line or frame over its size limit, garbage where a
 * greeting or proof was due, a handshake slower than its timeout, or an error the server reported.
 */
export class AttachProtocolError extends BeamishError {
  constructor(message: string, options?: ErrorOptions) {
    super('attach_protocol', message, options);
  }
}

/** No node listens for operators under that name in the runtime directory (`beamish attach NAME`). */
export class UnknownAccessNodeError extends BeamishError {
  readonly nodeName: string;
  readonly dir: string;

  constructor(nodeName: string, dir: string, options?: ErrorOptions) {
    super('unknown_node', `No node named ${nodeName} listens for operators in ${dir}`, options);
    this.nodeName = nodeName;
    this.dir = dir;
  }
}
