import { inspect, types } from 'node:util';

/** Bounds on what an attached shell prints for one result. */
export interface OutputLimits {
  /** Nesting levels shown; deeper values print as `[Object]`. */
  readonly depth: number;
  /** Items of an array, Map or Set shown; the rest are counted. */
  readonly arrayLength: number;
  /** Characters of a string shown. */
  readonly stringLength: number;
  /** Own keys of an object shown; the rest are elided without counting them all. */
  readonly objectKeys: number;
  /** Characters of the whole text; past it, the text is cut and says how much it dropped. */
  readonly maxChars: number;
}

/** What a session prints at most unless its server was told otherwise. */
export const DEFAULT_OUTPUT_LIMITS: OutputLimits = { depth: 4, arrayLength: 100, stringLength: 2000, objectKeys: 100, maxChars: 64 * 1024 };

/**
 * Formats a value for an operator within `limits`: `util.inspect` bounds depth, lists and strings,
 * and objects with more keys than `objectKeys` are shown through a shortened copy, so that printing
 * a table of a million keys costs what printing a hundred does. Never calls getters.
 */
export function formatBounded(value: unknown, limits: OutputLimits, options: { readonly colors?: boolean; readonly columns?: number } = {}): string {
  const text = inspect(boundedView(value, limits, limits.depth), {
    depth: limits.depth,
    maxArrayLength: limits.arrayLength,
    maxStringLength: limits.stringLength,
    colors: options.colors === true,
    breakLength: options.columns ?? 80,
  });
  return capText(text, limits.maxChars, options.colors === true);
}

/** Cuts `text` at `maxChars` and says how many characters it dropped. */
export function capText(text: string, maxChars: number, colors = false): string {
  if (text.length <= maxChars) return text;
  const reset = colors ? '\x1b[0m' : '';
  return `${text.slice(0, maxChars)}${reset}\n… output truncated: ${text.length - maxChars} more characters (the session prints at most ${maxChars})`;
}

/** True when `value` has more than `limit` own enumerable keys; stops counting past the limit. */
function hasMoreKeys(value: object, limit: number): boolean {
  let count = 0;
  for (const key in value) if (Object.hasOwn(value, key) && ++count > limit) return true;
  return false;
}

/** Objects `inspect` shows by their own rules (not key by key), left as they are. */
function isOpaque(value: object): boolean {
  return (
    types.isProxy(value) ||
    types.isDate(value) ||
    types.isRegExp(value) ||
    types.isNativeError(value) ||
    types.isPromise(value) ||
    types.isAnyArrayBuffer(value) ||
    ArrayBuffer.isView(value) ||
    types.isWeakMap(value) ||
    types.isWeakSet(value) ||
    typeof value === 'function'
  );
}

/**
 * `value` itself when nothing within `depth` levels is over the key bound (the common case: no
 * copy), else a copy in which each oversized object keeps its first `objectKeys` keys, its
 * prototype (so its class name still prints) and a `'…'` key saying keys were elided.
 */
function boundedView(value: unknown, limits: OutputLimits, depth: number): unknown {
  if (typeof value !== 'object' || value === null || depth < 0 || isOpaque(value)) return value;
  try {
    if (Array.isArray(value)) return boundedList(value, limits, depth);
    if (types.isMap(value)) return boundedMap(value, limits, depth);
    if (types.isSet(value)) return value;
    return boundedObject(value, limits, depth);
  } catch {
    return value; // an exotic object that resists being walked prints as inspect sees it
  }
}

function boundedList(list: unknown[], limits: OutputLimits, depth: number): unknown[] {
  const shown = Math.min(list.length, limits.arrayLength);
  let copy: unknown[] | undefined;
  for (let i = 0; i < shown; i++) {
    const item = boundedView(list[i], limits, depth - 1);
    if (item !== list[i]) (copy ??= list.slice(0, shown))[i] = item;
  }
  if (copy === undefined) return list;
  if (list.length > shown) copy.push(`… ${list.length - shown} more items`);
  return copy;
}

function boundedMap(map: Map<unknown, unknown>, limits: OutputLimits, depth: number): Map<unknown, unknown> {
  const entries: [unknown, unknown][] = [];
  let changed = false;
  for (const [key, item] of map) {
    if (entries.length >= limits.arrayLength) break;
    const view = boundedView(item, limits, depth - 1);
    changed ||= view !== item;
    entries.push([key, view]);
  }
  if (!changed) return map;
  const copy = new Map(entries);
  if (map.size > entries.length) copy.set('…', `${map.size - entries.length} more entries`);
  return copy;
}

function boundedObject(object: object, limits: OutputLimits, depth: number): object {
  const tooMany = hasMoreKeys(object, limits.objectKeys);
  const changes = new Map<string, unknown>();
  let seen = 0;
  for (const key in object) {
    if (!Object.hasOwn(object, key)) continue;
    if (++seen > limits.objectKeys) break;
    const descriptor = Object.getOwnPropertyDescriptor(object, key);
    if (descriptor === undefined || !('value' in descriptor)) continue;
    const view = boundedView(descriptor.value, limits, depth - 1);
    if (view !== descriptor.value) changes.set(key, view);
  }
  if (!tooMany && changes.size === 0) return object;
  const copy = Object.create(Object.getPrototypeOf(object)) as Record<string, unknown>;
  seen = 0;
  for (const key in object) {
    if (!Object.hasOwn(object, key)) continue;
    if (++seen > limits.objectKeys) break;
    const descriptor = Object.getOwnPropertyDescriptor(object, key) as PropertyDescriptor;
    Object.defineProperty(copy, key, changes.has(key) ? { ...descriptor, value: changes.get(key) } : descriptor);
  }
  if (tooMany) copy['…'] = `more than ${limits.objectKeys} keys; the rest are not shown`;
  return copy;
}
