import { describe, expect, it } from 'vitest';
import { capText, DEFAULT_OUTPUT_LIMITS, formatBounded } from '../../src/shell/bounded-output.js';

const limits = { ...DEFAULT_OUTPUT_LIMITS, objectKeys: 3, arrayLength: 5 };

describe('formatBounded', () => {
  it('leaves small values as util.inspect shows them', () => {
    expect(formatBounded({ a: 1, b: [1, 2] }, limits)).toBe('{ a: 1, b: [ 1, 2 ] }');
  });

  it('an object with more keys than the bound keeps its first keys, its class name and says keys were left out', () => {
    class Cache {
      [key: string]: unknown;
    }
    const cache = new Cache();
    for (let i = 0; i < 10_000; i++) cache[`k${i}`] = i;
    const text = formatBounded(cache, limits).replace(/\s+/g, ' ');
    expect(text).toBe("Cache { k0: 0, k1: 1, k2: 2, '…': 'more than 3 keys; the rest are not shown' }");
  });

  it('bounds objects nested in arrays, Maps and objects, copying only what it must', () => {
    const big = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, i]));
    const text = formatBounded({ list: [big], map: new Map([['m', big]]), small: { x: 1 } }, limits);
    expect(text.match(/more than 3 keys/g)).toHaveLength(2);
    expect(text).toContain('small: { x: 1 }');
  });

  it('never calls getters', () => {
    let called = false;
    const object: Record<string, unknown> = {};
    for (let i = 0; i < 10; i++) object[`k${i}`] = i;
    Object.defineProperty(object, 'k1', { get: () => (called = true), enumerable: true });
    formatBounded(object, limits);
    expect(called).toBe(false);
  });

  it('arrays, Maps and strings are cut by util.inspect and say how much is left', () => {
    expect(formatBounded(Array.from({ length: 100 }, (_, i) => i), limits)).toContain('... 95 more items');
    expect(formatBounded(new Map(Array.from({ length: 100 }, (_, i) => [i, i])), limits)).toContain('... 95 more items');
    expect(formatBounded('y'.repeat(5000), limits)).toContain('... 3000 more characters');
  });

  it('cuts the whole text at maxChars and says so', () => {
    const text = formatBounded('z'.repeat(1000), { ...limits, maxChars: 100 });
    expect(text).toMatch(/^'z{99}\n… output truncated: 902 more characters \(the session prints at most 100\)$/);
  });

  it('capText closes a colour sequence it cut', () => {
    expect(capText('\x1b[33mlong text\x1b[39m', 9, true)).toMatch(/^\x1b\[33mlong\x1b\[0m\n…/);
  });
});
