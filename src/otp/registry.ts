import { defaultNode, nodeOf, type BeamishNode, type Pid, type Ref } from '../runtime/index.js';
import type { Registry } from './server-ref.js';

/**
 * A registry of any keys for `via` names, in the spirit of Elixir's `Registry` with unique keys:
 * a process may hold many keys; a key names one process; keys are released the moment their
 * process exits. Each registered process costs one node-level monitor.
 *
 * ```ts
 * const rooms = createRegistry<{ room: string }>();
 * await GenServer.start(Room, 'lobby', { name: { via: rooms, name: { room: 'lobby' } } });
 * ```
 *
 * Keys are compared with `Map` identity, so use strings or numbers, or key objects you keep.
 */
export function createRegistry<K = string>(node: BeamishNode = defaultNode()): Registry<K> & {
  /** The keys registered now, in registration order. O(n). */
  keys(): K[];
} {
  const byKey = new Map<K, Pid>();
  const byPid = new Map<Pid, { keys: Set<K>; monitor: Ref; owner: BeamishNode }>();
  const release = (pid: Pid): void => {
    const entry = byPid.get(pid);
    if (entry === undefined) return;
    byPid.delete(pid);
    for (const key of entry.keys) if (byKey.get(key) === pid) byKey.delete(key);
  };
  return {
    registerName(key, pid) {
      if (byKey.has(key) || !node.isAlive(pid)) return false;
      let entry = byPid.get(pid);
      if (entry === undefined) {
        // Watched through its own node: another node's monitor would report it gone at once.
        const owner = nodeOf(pid) ?? node;
        entry = { keys: new Set(), monitor: owner.monitor(pid, () => release(pid)), owner };
        byPid.set(pid, entry);
      }
      entry.keys.add(key);
      byKey.set(key, pid);
      return true;
    },
    unregisterName(key) {
      const pid = byKey.get(key);
      if (pid === undefined) return;
      byKey.delete(key);
      const entry = byPid.get(pid);
      entry?.keys.delete(key);
      if (entry !== undefined && entry.keys.size === 0) {
        entry.owner.demonitor(entry.monitor);
        byPid.delete(pid);
      }
    },
    whereisName(key) {
      return byKey.get(key);
    },
    keys() {
      return [...byKey.keys()];
    },
  };
}
