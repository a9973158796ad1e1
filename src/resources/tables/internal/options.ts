import { Pid, type BeamishNode } from '../../../runtime/index.js';
import type { Heir, KeyRange, Protection, TableOptions, TableType } from '../types.js';
import { normalizeKey } from './keys.js';
import type { KeyPosition } from './objects.js';
import { expectOptions, invalid } from './validate.js';

const TYPES: readonly TableType[] = ['set', 'ordered_set', 'bag', 'duplicate_bag'];
const PROTECTIONS: readonly Protection[] = ['public', 'protected', 'private'];

/** `TableOptions` checked, with defaults filled in. */
export interface CheckedOptions {
  readonly type: TableType;
  readonly protection: Protection;
  readonly keyPos: KeyPosition;
  readonly name: string | undefined;
  readonly named: boolean;
  readonly heir: Heir | undefined;
}

/** One of the three protections. */
export function expectProtection(name: string, value: unknown): Protection {
  if (!PROTECTIONS.includes(value as Protection)) throw invalid(name, "'public', 'protected' or 'private'", value);
  return value as Protection;
}

/** `TableOptions` checked, defaults filled in; `TypeError` naming the bad option. */
export function expectTableOptions(options: unknown): CheckedOptions {
  const o = expectOptions<TableOptions<object>>('options', options) ?? {};
  const type = o.type ?? 'set';
  if (!TYPES.includes(type)) throw invalid('options.type', "'set', 'ordered_set', 'bag' or 'duplicate_bag'", type);
  const protection = o.protection === undefined ? 'protected' : expectProtection('options.protection', o.protection);
  const keyPos: unknown = o.keyPos ?? 0;
  if (!(typeof keyPos === 'number' ? Number.isInteger(keyPos) && keyPos >= 0 : typeof keyPos === 'string' && keyPos.length > 0)) {
    throw invalid('options.keyPos', 'an index from 0 up (objects are arrays) or a field name (objects are records)', keyPos);
  }
  if (o.name !== undefined && (typeof o.name !== 'string' || o.name.length === 0)) throw invalid('options.name', 'a non-empty string', o.name);
  const named = o.named ?? false;
  if (typeof named !== 'boolean') throw invalid('options.named', 'a boolean', named);
  if (named && o.name === undefined) throw invalid('options.name', 'a name when `named` is true', o.name);
  return { type, protection, keyPos: keyPos as KeyPosition, name: o.name, named, heir: o.heir };
}

/**
 * An heir: a pid of `node` and data that can travel as a message. An heir that is not alive is
 * dropped (ets ignores it too).
 */
export function expectHeir(name: string, value: unknown, node: BeamishNode): Heir | undefined {
  if (typeof value !== 'object' || value === null || !((value as Heir).pid instanceof Pid)) throw invalid(name, '{ pid, data? } with a Pid', value);
  const heir = value as Heir;
  if (heir.pid.node !== node.identity) throw invalid(`${name}.pid`, `a pid of node ${node.name}`, heir.pid);
  expectData(`${name}.data`, heir.data);
  return node.isAlive(heir.pid) ? { pid: heir.pid, data: heir.data } : undefined;
}

/** Heir data and gifts travel as messages: a promise cannot be one. */
export function expectData(name: string, data: unknown): void {
  if (((typeof data === 'object' && data !== null) || typeof data === 'function') && typeof (data as { then?: unknown }).then === 'function') {
    throw invalid(name, 'a value that is not a promise or thenable', data);
  }
}

/** A key range: at most one lower bound (gt/gte) and one upper bound (lt/lte), each a key. */
export function expectRange(name: string, value: unknown): KeyRange | undefined {
  if (value === undefined) return undefined;
  const range = expectOptions<KeyRange>(name, value) as KeyRange;
  if (range.gt !== undefined && range.gte !== undefined) throw invalid(name, 'a range with at most one of gt and gte', value);
  if (range.lt !== undefined && range.lte !== undefined) throw invalid(name, 'a range with at most one of lt and lte', value);
  const checked: { -readonly [K in keyof KeyRange]: KeyRange[K] } = {};
  for (const bound of ['gt', 'gte', 'lt', 'lte'] as const) if (range[bound] !== undefined) checked[bound] = normalizeKey(`${name}.${bound}`, range[bound]);
  return checked;
}
