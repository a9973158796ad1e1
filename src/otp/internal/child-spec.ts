import type { ChildSpec, RestartType, Shutdown } from '../child-spec.js';
import { formatTerm } from '../../runtime/index.js';

/** @internal A child spec with every default filled in. */
export interface ResolvedChildSpec {
  readonly id: unknown;
  readonly start: ChildSpec['start'];
  readonly restart: RestartType;
  readonly shutdown: Shutdown;
  readonly type: 'worker' | 'supervisor';
  readonly significant: boolean;
}

const RESTARTS: readonly string[] = ['permanent', 'transient', 'temporary'];

function bad(name: string, expected: string, value: unknown): TypeError {
  const type = value === null ? 'null' : typeof value;
  return new TypeError(`Expected \`${name}\` to be ${expected}, got \`${formatTerm(value, 80)}\` (${type})`);
}

/** @internal Checks a child spec and fills in OTP's defaults; throws `TypeError` naming the bad field. */
export function resolveChildSpec(spec: ChildSpec, where = 'child spec'): ResolvedChildSpec {
  if (typeof spec !== 'object' || spec === null) throw bad(where, 'an object with id and start', spec);
  if (!('id' in spec) || spec.id === undefined) throw bad(`${where}.id`, 'defined', spec.id);
  if (typeof spec.start !== 'function') throw bad(`${where}.start`, 'a function (ctx) => StartResult | Pid', spec.start);
  const restart = spec.restart ?? 'permanent';
  if (!RESTARTS.includes(restart)) throw bad(`${where}.restart`, "'permanent', 'transient' or 'temporary'", restart);
  const type = spec.type ?? 'worker';
  if (type !== 'worker' && type !== 'supervisor') throw bad(`${where}.type`, "'worker' or 'supervisor'", type);
  const shutdown = spec.shutdown ?? (type === 'supervisor' ? 'infinity' : 5000);
  if (shutdown !== 'brutal_kill' && shutdown !== 'infinity' && !(Number.isInteger(shutdown) && shutdown >= 0 && shutdown <= 2 ** 31 - 1)) {
    throw bad(`${where}.shutdown`, "'brutal_kill', 'infinity' or a whole number of ms from 0 up", shutdown);
  }
  const significant = spec.significant ?? false;
  if (typeof significant !== 'boolean') throw bad(`${where}.significant`, 'a boolean', significant);
  if (significant && restart === 'permanent') throw bad(`${where}.significant`, 'false for a permanent child (only transient and temporary children may be significant)', significant);
  return { id: spec.id, start: spec.start, restart, shutdown, type, significant };
}
