import { BadElementError, KeyNotFoundError, TableTypeError } from './errors.js';
import { resolveWrite, type TableRef } from './internal/access.js';
import { normalizeKey } from './internal/keys.js';
import { hasPosition, prepareObject, withElements, type KeyPosition, type Stored } from './internal/objects.js';
import type { TableState } from './internal/state.js';
import { expectSafeInteger, invalid } from './internal/validate.js';
import type { Caller, CounterOp, Position, TableKey } from './types.js';

/*
 * In-place updates of set and ordered_set objects. Each computes the whole new object first and
 * stores it in one step: concurrent callers see the counter before or after, never in between,
 * and a failing update changes nothing.
 */

function expectSetType(state: TableState, operation: string): void {
  if (state.type !== 'set' && state.type !== 'ordered_set') throw new TableTypeError(state.label, operation, state.type, 'a set or ordered_set');
}

function expectPosition(name: string, pos: unknown, state: TableState): KeyPosition {
  const keyPos = state.keyPos;
  const valid = typeof keyPos === 'number' ? typeof pos === 'number' && Number.isInteger(pos) && pos >= 0 : typeof pos === 'string' && pos.length > 0;
  if (!valid) throw invalid(name, typeof keyPos === 'number' ? 'an index from 0 up' : 'a field name', pos);
  if (pos === keyPos) throw invalid(name, `a position other than the key position ${JSON.stringify(keyPos)}`, pos);
  return pos as KeyPosition;
}

interface Increment {
  readonly pos: KeyPosition;
  readonly incr: number;
  readonly threshold: number | undefined;
  readonly setValue: number | undefined;
}

function expectIncrement(name: string, op: unknown, state: TableState): Increment {
  if (typeof op === 'number') {
    if (typeof state.keyPos !== 'number') throw invalid(name, '{ pos, incr } (a table of records has no position after the key)', op);
    return { pos: state.keyPos + 1, incr: expectSafeInteger(name, op), threshold: undefined, setValue: undefined };
  }
  if (typeof op !== 'object' || op === null) throw invalid(name, 'an increment or { pos, incr, threshold?, setValue? }', op);
  const { pos, incr, threshold, setValue } = op as CounterOp<object>;
  if ((threshold === undefined) !== (setValue === undefined)) throw invalid(name, 'an op with both threshold and setValue, or neither', op);
  return {
    pos: expectPosition(`${name}.pos`, pos, state),
    incr: expectSafeInteger(`${name}.incr`, incr),
    threshold: threshold === undefined ? undefined : expectSafeInteger(`${name}.threshold`, threshold),
    setValue: setValue === undefined ? undefined : expectSafeInteger(`${name}.setValue`, setValue),
  };
}

/**
 * Adds to integer counters of the object under `key`, atomically, and returns the new value(s)
 * (ets:update_counter/3,4). `op` is an increment of the element after the key (tables of arrays),
 * `{ pos, incr }`, `{ pos, incr, threshold, setValue }` (wrap-around: past the threshold the
 * counter becomes `setValue`), or a list of those applied in order (a position may repeat). If the
 * key is missing and `defaultObject` is given, it is inserted (with its key replaced by `key`)
 * and updated. Counters are safe integers (up to ±2^53−1). set and ordered_set only. O(1)/O(log n).
 *
 * Throws `TypeError` for bad ops (the key position is not a counter), `KeyNotFoundError` for a
 * missing key without default, `BadElementError` for a position the object lacks, a value that
 * is not an integer or a result past the safe range, `TableTypeError` for bags.
 */
export function updateCounter<T extends object>(caller: Caller, table: TableRef<T>, key: TableKey, op: number | CounterOp<T>, defaultObject?: T): number;
export function updateCounter<T extends object>(caller: Caller, table: TableRef<T>, key: TableKey, ops: readonly CounterOp<T>[], defaultObject?: T): number[];
export function updateCounter<T extends object>(
  caller: Caller,
  table: TableRef<T>,
  key: TableKey,
  op: number | CounterOp<T> | readonly CounterOp<T>[],
  defaultObject?: T,
): number | number[] {
  const state = resolveWrite(caller, table, 'updateCounter');
  expectSetType(state, 'updateCounter');
  const k = normalizeKey('key', key);
  const increments = Array.isArray(op) ? op.map((o, i) => expectIncrement(`ops[${i}]`, o, state)) : [expectIncrement('op', op, state)];
  const fallback = defaultObject === undefined ? undefined : withElements(prepareObject('defaultObject', defaultObject, state.keyPos), [[state.keyPos, k]]);
  const held = state.store.lookup(k)[0];
  const current = held ?? fallback;
  if (current === undefined) throw new KeyNotFoundError(state.label, key);
  const values = new Map<KeyPosition, number>();
  const results: number[] = [];
  for (const { pos, incr, threshold, setValue } of increments) {
    if (!hasPosition(current, pos)) throw new BadElementError('bad_position', state.label, pos, 'the object has no such position');
    const value = values.get(pos) ?? (current as Record<KeyPosition, unknown>)[pos];
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new BadElementError('not_integer', state.label, pos, 'the value there is not an integer');
    let result = value + incr;
    if (threshold !== undefined && (incr >= 0 ? result > threshold : result < threshold)) result = setValue as number;
    if (!Number.isSafeInteger(result)) throw new BadElementError('counter_overflow', state.label, pos, 'the counter would leave the safe integer range');
    values.set(pos, result);
    results.push(result);
  }
  const updated = withElements(current, [...values]);
  if (held === undefined) state.store.insert(updated);
  else state.store.replace(updated);
  return Array.isArray(op) ? results : (results[0] as number);
}

/**
 * Replaces elements of the object under `key`, atomically (ets:update_element/3): one position
 * and value, or a list of `[pos, value]` pairs. Returns false if no object has the key. set and
 * ordered_set only; the key position cannot be changed. O(1)/O(log n) plus the object's size.
 *
 * Throws `TypeError` for the key position or a bad position, `BadElementError` for a position
 * outside an array object, `TableTypeError` for bags.
 */
export function updateElement<T extends object, P extends Position<T>>(caller: Caller, table: TableRef<T>, key: TableKey, pos: P, value: T[P & keyof T]): boolean;
export function updateElement<T extends object>(caller: Caller, table: TableRef<T>, key: TableKey, changes: readonly (readonly [Position<T>, unknown])[]): boolean;
export function updateElement(caller: Caller, table: TableRef, key: TableKey, ...args: unknown[]): boolean {
  const state = resolveWrite(caller, table, 'updateElement');
  expectSetType(state, 'updateElement');
  const k = normalizeKey('key', key);
  let changes: [KeyPosition, unknown][];
  if (args.length >= 2) changes = [[expectPosition('pos', args[0], state), args[1]]];
  else if (Array.isArray(args[0])) {
    changes = (args[0] as unknown[]).map((change, i) => {
      if (!Array.isArray(change) || change.length !== 2) throw invalid(`changes[${i}]`, 'a [pos, value] pair', change);
      return [expectPosition(`changes[${i}][0]`, change[0], state), change[1]];
    });
  } else throw invalid('changes', 'a list of [pos, value] pairs, or pos and value', args[0]);
  const current: Stored | undefined = state.store.lookup(k)[0];
  if (current === undefined) return false;
  for (const [pos] of changes) {
    if (typeof state.keyPos === 'number' && !hasPosition(current, pos)) throw new BadElementError('bad_position', state.label, pos, 'the object has no such position');
  }
  if (changes.length > 0) state.store.replace(withElements(current, changes));
  return true;
}
