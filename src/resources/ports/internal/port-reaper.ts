import { spawn, type ChildProcess } from 'node:child_process';
import { findExecutable } from './port-death-signal.js';

// Reads "+pgid" and "-pgid" lines; at end of input (this Node.js process closed the pipe or died,
// SIGKILL included) it kills every process group still listed. A group is listed from the spawn
// of its leader until the port has seen the whole group gone, so a reused number is never hit.
const PROGRAM =
  '/^\\+/ { g[substr($0, 2)] = 1; next } /^-/ { delete g[substr($0, 2)]; next } ' +
  'END { s = ""; for (k in g) s = s " -" k; if (s != "") system("kill -s KILL --" s " 2>/dev/null") }';

/**
 * One helper process per Node.js process, an `awk` reading a pipe from it, that kills the process
 * groups of port programs when this process dies: the parent-death signal only reaches the
 * programs themselves, not what they started. It runs only while some program is alive, and it
 * never keeps the event loop alive.
 */
class GroupReaper {
  #awk: string | null | undefined;
  #child: ChildProcess | undefined;
  readonly #groups = new Set<number>();

  /** Whether a reaper can run here (`awk` found, and not turned off by `BEAMISH_PORT_REAPER=''`). */
  get available(): boolean {
    if (this.#awk === undefined) {
      const configured = process.env['BEAMISH_PORT_REAPER'];
      this.#awk = configured === '' ? null : (configured ?? findExecutable('awk') ?? null);
    }
    return this.#awk !== null;
  }

  /** The reaper's pid while it runs. */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** Lists a process group to be killed if this process dies. */
  add(pgid: number): void {
    this.#groups.add(pgid);
    if (this.#child === undefined) this.#start();
    else this.#child.stdin?.write(`+${pgid}\n`);
  }

  /** Forgets a group that is gone; the reaper ends when none is left. */
  remove(pgid: number): void {
    if (!this.#groups.delete(pgid)) return;
    const child = this.#child;
    if (child === undefined) return;
    child.stdin?.write(`-${pgid}\n`);
    if (this.#groups.size === 0) {
      this.#child = undefined;
      child.stdin?.end();
    }
  }

  #start(): void {
    if (!this.available) return;
    const child = spawn(this.#awk as string, [PROGRAM], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
    child.on('error', () => {});
    if (child.pid === undefined) {
      this.#awk = null;
      return;
    }
    child.stdin?.on('error', () => {});
    child.stdin?.write([...this.#groups].map((pgid) => `+${pgid}\n`).join(''));
    (child.stdin as { unref?: () => void } | null)?.unref?.();
    child.unref();
    const startedAt = Date.now();
    child.once('exit', () => {
      if (this.#child !== child) return;
      this.#child = undefined;
      // Killed from outside: start another for the groups still listed, unless it cannot even
      // stay up (then programs are left to their parent-death signal alone).
      if (Date.now() - startedAt < 1000) this.#awk = null;
      else if (this.#groups.size > 0) this.#start();
    });
    this.#child = child;
  }
}

/** The reaper of this Node.js process. */
export const reaper = new GroupReaper();
