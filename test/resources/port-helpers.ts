import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ProcessContext } from '../../src/index.js';
import { ExitMessage, fromPort, PortData, PortLine, type Port, type PortMessage } from '../../src/index.js';

/** The state letter of a process in /proc, or undefined when it is gone. */
function stateOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.charAt(stat.lastIndexOf(')') + 2);
  } catch {
    return undefined;
  }
}

/** Whether an OS process runs (a zombie, dead but not reaped by its parent, does not). */
export function isRunning(pid: number): boolean {
  const state = stateOf(pid);
  return state !== undefined && state !== 'Z' && state !== 'X';
}

/**
 * Polls until none of `pids` runs, or `within` ms have passed; returns those still running. A
 * deadline, not a guessed sleep: it returns as soon as they are gone.
 */
export async function stillRunningAfter(pids: readonly number[], within: number): Promise<number[]> {
  const deadline = Date.now() + within;
  for (;;) {
    const running = pids.filter(isRunning);
    if (running.length === 0 || Date.now() > deadline) return running;
    await sleep(5);
  }
}

/** Live (non-zombie) child processes of `parent`. */
export function childrenOf(parent: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === parent && fields[0] !== 'Z') children.push(Number(entry));
    } catch {
      // exited while listing
    }
  }
  return children;
}

/** Counts of the handle kinds a port uses, from `process.getActiveResourcesInfo()`. */
export function portHandles(): { processes: number; pipes: number; timers: number } {
  const active = process.getActiveResourcesInfo();
  const count = (kind: string) => active.filter((name) => name === kind).length;
  return { processes: count('ProcessWrap'), pipes: count('PipeWrap'), timers: count('Timeout') };
}

/** Polls until `check` holds or `within` ms pass; returns its last answer. */
export async function eventually(check: () => boolean, within = 3000): Promise<boolean> {
  const deadline = Date.now() + within;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await sleep(5);
  }
  return true;
}

/** Receives the next message from a port (data, line, eof, status, stderr or its exit signal). */
export function nextFrom(ctx: ProcessContext, port: Port): Promise<PortMessage | ExitMessage> {
  return ctx.receive(fromPort(port));
}

/** Receives stream data from a port until `length` bytes have come; returns them. */
export async function receiveBytes(ctx: ProcessContext, port: Port, length: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let got = 0;
  while (got < length) {
    const message = await nextFrom(ctx, port);
    if (!(message instanceof PortData)) throw new Error(`expected data, got ${String(message.constructor.name)}`);
    chunks.push(message.data);
    got += message.data.length;
  }
  return Buffer.concat(chunks);
}

/** Every message from a port up to and including its exit signal, lines and data as text. */
export async function collectUntilExit(ctx: ProcessContext, port: Port): Promise<unknown[]> {
  const seen: unknown[] = [];
  for (;;) {
    const message = await nextFrom(ctx, port);
    if (message instanceof PortLine) seen.push({ [message.eol ? 'eol' : 'noeol']: message.line.toString() });
    else if (message instanceof PortData) seen.push({ data: message.data.toString() });
    else if (message instanceof ExitMessage) {
      seen.push({ exit: message.reason });
      return seen;
    } else seen.push(message.constructor.name);
  }
}

/** A string of `size` printable characters, cycling as OTP's port_SUITE `random_packet` does. */
export function packetOf(size: number, prefix = ''): string {
  let text = prefix;
  let code = 33 + (size % 90);
  while (text.length < size) {
    text += String.fromCharCode(code);
    code = code >= 126 ? 33 : code + 1;
  }
  return text;
}
