import { describe, expect, it } from 'vitest';
import { Fifo, NO_MATCH } from '../../src/runtime/internal/fifo.js';

/** A small deterministic random generator (mulberry32), so the test is repeatable. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('Fifo', () => {
  it('keeps order across segments however long it grows', () => {
    const fifo = new Fifo<number>();
    for (let i = 0; i < 100_000; i++) fifo.push(i);
    expect(fifo.length).toBe(100_000);
    const taken = Array.from({ length: 100_000 }, () => fifo.shift());
    expect(taken).toEqual(Array.from({ length: 100_000 }, (_, i) => i));
    expect(fifo.length).toBe(0);
  });

  it('takeFirstMatch takes from the middle and leaves the rest in order', () => {
    const fifo = new Fifo<number>();
    for (let i = 0; i < 50; i++) fifo.push(i);
    expect(fifo.takeFirstMatch((n) => n === 20)).toBe(20);
    expect(fifo.takeFirstMatch((n) => n > 100)).toBe(NO_MATCH);
    expect(fifo.peek(100)).toEqual(Array.from({ length: 50 }, (_, i) => i).filter((n) => n !== 20));
  });

  it('behaves as an array under a long random mix of operations', () => {
    const next = random(42);
    const fifo = new Fifo<number>();
    const model: number[] = [];
    let counter = 0;
    const same = (actual: unknown, expected: unknown, step: number) => {
      if (actual !== expected) expect({ step, actual }).toEqual({ step, actual: expected });
    };
    for (let step = 0; step < 200_000; step++) {
      const roll = next();
      if (roll < 0.5) {
        fifo.push(counter);
        model.push(counter++);
      } else if (roll < 0.8) {
        if (model.length > 0) same(fifo.shift(), model.shift(), step);
      } else if (roll < 0.98) {
        const target = model[Math.floor(next() * model.length)] ?? -1;
        const index = model.indexOf(target);
        same(fifo.takeFirstMatch((n) => n === target), index === -1 ? NO_MATCH : model.splice(index, 1)[0], step);
      } else {
        const odd = (n: number) => n % 2 === 1;
        same(fifo.removeAll(odd), model.filter(odd).length, step);
        model.splice(0, model.length, ...model.filter((n) => !odd(n)));
      }
      same(fifo.length, model.length, step);
    }
    expect(fifo.peek(Infinity)).toEqual(model);
  });

  it('peek is bounded; clear empties', () => {
    const fifo = new Fifo<string>();
    for (const s of ['a', 'b', 'c']) fifo.push(s);
    expect(fifo.peek(2)).toEqual(['a', 'b']);
    fifo.clear();
    expect(fifo.length).toBe(0);
    fifo.push('d');
    expect(fifo.shift()).toBe('d');
  });
});
