/**
 * The attach protocol, spoken over a node's Unix socket or its loopback TCP port. Every line ends
 * with `\n` and is bounded; the server allows the whole handshake `handshakeTimeout` ms.
 *
 * 1. Greeting, server → client (≤ 256 bytes):
 *    `beamish-attach 1 <node> open` on the Unix socket (its mode 0600 in a 0700 directory is the
 *    guard), or `beamish-attach 1 <node> challenge <server-nonce>` on TCP.
 * 2. TCP only, mutual challenge–response over the cookie, which never crosses the wire:
 *    client → `proof <client-nonce> <HMAC-SHA256(cookie, "beamish-attach client|" + server-nonce + "|" + client-nonce)>`;
 *    server → `welcome <HMAC-SHA256(cookie, "beamish-attach server|" + client-nonce + "|" + server-nonce)>`
 *    or `denied` and closes. Nonces are 32 random bytes in hex; proofs are compared in constant
 *    time; the client drops a server whose proof is wrong (it does not know the cookie).
 * 3. Session request, client → server (≤ 4 KiB): `mode <json>`, the JSON a `SessionRequest`.
 *    Server → `ok <json>` (a `SessionGrant`) or `error <message>` and closes.
 * 4. Frames both ways: `[kind u8][length u32 big-endian][payload ≤ 64 KiB]`. Kind 1 (DATA) carries
 *    terminal bytes: keystrokes to a REPL, its output back. Kind 2 (CONTROL) carries one JSON object:
 *    client → `{type:'resize', columns, rows}` (repl) or `{type:'settings', sort?, lines?, intervalMs?}`
 *    (top); server → `{type:'frame', frame}` (top) or `{type:'end', reason}` before it closes.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { TopSort } from './medic.js';
import type { AttachChannel } from './channel.js';
import { AttachProtocolError, AuthenticationError } from './errors.js';

/** The first word of every greeting, and the label HMACs are taken under. */
export const PROTOCOL = 'beamish-attach';
/** The protocol version this code speaks; a client refuses a node that speaks another. */
export const VERSION = '1';
const MAX_GREETING = 256;
const MAX_REQUEST = 4096;
const NONCE = /^[0-9a-f]{64}$/;

/** Sort keys of top, as the protocol names them. */
export const TOP_SORTS: readonly TopSort[] = ['reductions', 'memory', 'messageQueueLength', 'runtime'];

/** Bounds of a top session's settings. */
export const TOP_LIMITS = { minLines: 1, maxLines: 100, minIntervalMs: 100, maxIntervalMs: 60_000 } as const;

/** What a client asks for once authenticated. */
export type SessionRequest = ReplRequest | TopRequest;

/** A REPL session, with the client's terminal size. */
export interface ReplRequest {
  readonly mode: 'repl';
  /** The client is a terminal: line editing, completion and history on the server side. */
  readonly terminal: boolean;
  readonly columns: number;
  readonly rows: number;
}

/** A top session and its first settings. */
export interface TopRequest {
  readonly mode: 'top';
  readonly sort: TopSort;
  readonly lines: number;
  readonly intervalMs: number;
}

/** What the server grants: the node, and the pid of the process that owns the session. */
export interface SessionGrant {
  readonly node: string;
  readonly pid: string;
}

function proof(cookie: string, side: 'client' | 'server', first: string, second: string): Buffer {
  return createHmac('sha256', cookie).update(`${PROTOCOL} ${side}|${first}|${second}`).digest();
}

function sameProof(expected: Buffer, hex: string): boolean {
  if (!NONCE.test(hex)) return false;
  return timingSafeEqual(expected, Buffer.from(hex, 'hex'));
}

/**
 * The server's side of steps 1–3: greets, checks the client's proof when `cookie` is given, and
 * returns the session request. Throws `AuthenticationError` or `AttachProtocolError` (the channel is
 * closed then).
 */
export async function acceptClient(channel: AttachChannel, nodeName: string, cookie: string | undefined): Promise<SessionRequest> {
  if (cookie === undefined) channel.writeLine(`${PROTOCOL} ${VERSION} ${nodeName} open`);
  else {
    const serverNonce = randomBytes(32).toString('hex');
    channel.writeLine(`${PROTOCOL} ${VERSION} ${nodeName} challenge ${serverNonce}`);
    const [word, clientNonce = '', clientProof = '', ...rest] = (await channel.readLine(MAX_GREETING)).split(' ');
    if (word !== 'proof' || !NONCE.test(clientNonce) || rest.length > 0 || !sameProof(proof(cookie, 'client', serverNonce, clientNonce), clientProof)) {
      channel.writeLine('denied');
      channel.end();
      throw new AuthenticationError('The client did not prove it knows the cookie');
    }
    channel.writeLine(`welcome ${proof(cookie, 'server', clientNonce, serverNonce).toString('hex')}`);
  }
  const line = await channel.readLine(MAX_REQUEST);
  const request = line.startsWith('mode ') ? parseRequest(line.slice(5)) : undefined;
  if (request === undefined) {
    const error = new AttachProtocolError('Expected a session request (`mode {...}`)');
    refuse(channel, error.message);
    throw error;
  }
  return request;
}

/** Answers a session request with `error <message>` and closes. */
export function refuse(channel: AttachChannel, message: string): void {
  channel.writeLine(`error ${message.replace(/\n/g, ' ')}`);
  channel.end();
}

/** Grants a session; frames follow. */
export function grant(channel: AttachChannel, session: SessionGrant): void {
  channel.writeLine(`ok ${JSON.stringify(session)}`);
}

/**
 * The client's side of steps 1–3. `cookie` is required when the transport is TCP (`requireChallenge`):
 * a server that does not challenge there is refused, since it could be anyone. Returns the grant.
 * Throws `AuthenticationError` (wrong cookie on either side) or `AttachProtocolError`.
 */
export async function greetServer(
  channel: AttachChannel,
  request: SessionRequest,
  options: { readonly cookie?: string; readonly requireChallenge: boolean },
): Promise<SessionGrant> {
  const [protocol, version, node = '', how, serverNonce = '', ...rest] = (await channel.readLine(MAX_GREETING)).split(' ');
  if (protocol !== PROTOCOL || rest.length > 0) throw new AttachProtocolError('The peer is not a Beamish node listening for operators');
  if (version !== VERSION) throw new AttachProtocolError(`The node speaks attach protocol version ${version}; this client speaks ${VERSION}`);
  if (how === 'challenge') {
    if (options.cookie === undefined) throw new AuthenticationError(`Node ${node} asks for a cookie and none was given`);
    if (!NONCE.test(serverNonce)) throw new AttachProtocolError('The greeting holds no valid challenge');
    const clientNonce = randomBytes(32).toString('hex');
    channel.writeLine(`proof ${clientNonce} ${proof(options.cookie, 'client', serverNonce, clientNonce).toString('hex')}`);
    const [word, serverProof = ''] = (await channel.readLine(MAX_GREETING)).split(' ');
    if (word === 'denied') throw new AuthenticationError(`Node ${node} refused the cookie`);
    if (word !== 'welcome' || !sameProof(proof(options.cookie, 'server', clientNonce, serverNonce), serverProof)) {
      throw new AuthenticationError(`Node ${node} did not prove it knows the cookie`);
    }
  } else if (how !== 'open' || options.requireChallenge) {
    throw new AttachProtocolError(how === 'open' ? `Node ${node} offered a session without a challenge over TCP` : 'The greeting is malformed');
  }
  channel.writeLine(`mode ${JSON.stringify(request)}`);
  const answer = await channel.readLine(MAX_REQUEST);
  if (answer.startsWith('error ')) throw new AttachProtocolError(`Node ${node} refused the session: ${answer.slice(6)}`);
  const granted = answer.startsWith('ok ') ? parseObject(answer.slice(3)) : undefined;
  if (typeof granted?.node !== 'string' || typeof granted.pid !== 'string') throw new AttachProtocolError('The session grant is malformed');
  return { node: granted.node, pid: granted.pid };
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Clamps `value` into [min, max] when it is a finite number; else `fallback`. */
export function clampNumber(value: unknown, min: number, max: number, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, Math.round(value))) : fallback;
}

function parseRequest(text: string): SessionRequest | undefined {
  const value = parseObject(text);
  if (value?.mode === 'repl') {
    return { mode: 'repl', terminal: value.terminal === true, columns: clampNumber(value.columns, 20, 1000, 80), rows: clampNumber(value.rows, 5, 1000, 24) };
  }
  if (value?.mode === 'top') {
    return {
      mode: 'top',
      sort: TOP_SORTS.includes(value.sort as TopSort) ? (value.sort as TopSort) : 'reductions',
      lines: clampNumber(value.lines, TOP_LIMITS.minLines, TOP_LIMITS.maxLines, 20),
      intervalMs: clampNumber(value.intervalMs, TOP_LIMITS.minIntervalMs, TOP_LIMITS.maxIntervalMs, 2000),
    };
  }
  return undefined;
}
