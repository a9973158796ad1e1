import { spawnSync } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** How port programs are made to die with this Node.js process when it is killed. */
export interface ParentDeathSignal {
  /** The `setpriv` that arms SIGKILL on parent death for each program, when it works here. */
  readonly setpriv: string | undefined;
  /** Why it is not used, when it is not. */
  readonly reason: string | undefined;
}

let cached: ParentDeathSignal | undefined;

/**
 * Whether programs can be launched with a parent-death SIGKILL (Linux `PR_SET_PDEATHSIG`, through
 * util-linux `setpriv --pdeathsig`), checked once per Node.js process and cached. The check is
 * real: a shell starts `sleep` under `setpriv`, waits until it runs, and exits; `sleep` must then
 * die. It blocks for a few milliseconds, once. `BEAMISH_SETPRIV` names another `setpriv`, or, set
 * to the empty string, turns the mechanism off.
 */
export function parentDeathSignal(): ParentDeathSignal {
  return (cached ??= probe());
}

function probe(): ParentDeathSignal {
  if (process.platform !== 'linux') return { setpriv: undefined, reason: `${process.platform} has no parent-death signal` };
  const configured = process.env['BEAMISH_SETPRIV'];
  if (configured === '') return { setpriv: undefined, reason: 'turned off by BEAMISH_SETPRIV' };
  const setpriv = configured ?? findExecutable('setpriv');
  if (setpriv === undefined) return { setpriv: undefined, reason: 'util-linux setpriv is not installed' };
  const failure = checkSetpriv(setpriv);
  return failure === undefined ? { setpriv, reason: undefined } : { setpriv: undefined, reason: failure };
}

/** Finds a program on PATH, as the shell would. */
export function findExecutable(name: string, path = process.env['PATH'] ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

// The shell starts sleep under setpriv in the background and waits until the process has become
// `sleep`: by then setpriv has armed the signal. Then the shell exits, which must kill sleep.
const CHECK_SCRIPT = `
"$0" --pdeathsig SIGKILL -- sleep 30 </dev/null >/dev/null 2>&1 &
p=$!
i=0
while [ $i -lt 100000 ]; do
  c=
  { read -r c < /proc/$p/comm; } 2>/dev/null || break
  [ "$c" = sleep ] && break
  i=$((i + 1))
done
echo "$p $c"
`;

/** Undefined when a program under `setpriv` dies with its parent; otherwise what went wrong. */
function checkSetpriv(setpriv: string): string | undefined {
  const result = spawnSync('/bin/sh', ['-c', CHECK_SCRIPT, setpriv], { encoding: 'utf8', timeout: 5000 });
  const [pidText, command] = (result.stdout ?? '').trim().split(' ');
  const pid = Number(pidText);
  if (result.status !== 0 || !(pid > 0) || command !== 'sleep') {
    if (pid > 0) killQuietly(pid);
    return `${setpriv} --pdeathsig could not start a program: ${result.error?.message ?? (result.stderr.trim() || `status ${result.status}`)}`;
  }
  const deadline = Date.now() + 1000;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (isRunning(pid)) {
    if (Date.now() > deadline) {
      killQuietly(pid);
      return `${setpriv} --pdeathsig did not kill a program whose parent exited`;
    }
    Atomics.wait(pause, 0, 0, 1);
  }
  return undefined;
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Whether `pid` is a live process (a zombie, killed but not yet reaped, counts as dead). */
export function isRunning(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return false;
  }
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state !== 'Z' && state !== 'X';
}
