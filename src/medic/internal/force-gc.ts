import v8 from 'node:v8';
import vm from 'node:vm';

let gc: (() => void) | undefined;

/**
 * Runs a full collection now, whether or not Node was started with `--expose-gc`: the flag is set
 * at run time and the `gc` function taken from a fresh context, once. Blocks the thread for the
 * collection's length (tens of ms on a large heap).
 */
export function forceGc(): void {
  if (gc === undefined) {
    const existing = (globalThis as { gc?: () => void }).gc;
    if (typeof existing === 'function') gc = existing;
    else {
      v8.setFlagsFromString('--expose-gc');
      gc = vm.runInNewContext('gc') as () => void;
    }
  }
  gc();
}
