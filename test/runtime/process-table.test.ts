import { describe, expect, it } from 'vitest';
import { ProcessTable } from '../../src/runtime/internal/process-table.js';
import type { Process } from '../../src/runtime/internal/process.js';

const fake = (id: number) => ({ pid: { id } }) as unknown as Process;

describe('ProcessTable', () => {
  it('add / get / delete across pages; size counts live processes', () => {
    const table = new ProcessTable();
    const processes = Array.from({ length: 300 }, (_, i) => fake(i + 1));
    for (const process of processes) table.add(process);
    expect(table.size).toBe(300);
    expect(table.get(1)).toBe(processes[0]);
    expect(table.get(300)).toBe(processes[299]);
    expect(table.get(301)).toBeUndefined();
    table.delete(processes[149]!);
    table.delete(processes[149]!); // twice: no effect
    expect(table.get(150)).toBeUndefined();
    expect(table.size).toBe(299);
  });

  it('iterates in spawn order, skipping the dead, and drops emptied pages', () => {
    const table = new ProcessTable();
    const processes = Array.from({ length: 200 }, (_, i) => fake(i + 1));
    for (const process of processes) table.add(process);
    for (const process of processes.slice(0, 130)) table.delete(process);
    expect([...table.values()].map((p) => p.pid.id)).toEqual(processes.slice(130).map((p) => p.pid.id));
    for (const process of processes.slice(130)) table.delete(process);
    expect(table.size).toBe(0);
    expect([...table.values()]).toEqual([]);
    table.add(fake(1000));
    expect([...table.values()].map((p) => p.pid.id)).toEqual([1000]);
  });

  it('forEach visits the live in spawn order, skipping holes, and stops when told', () => {
    const table = new ProcessTable();
    const processes = Array.from({ length: 150 }, (_, i) => fake(i + 1));
    for (const process of processes) table.add(process);
    for (const process of processes.filter((_, i) => i % 2 === 0)) table.delete(process);
    const seen: number[] = [];
    expect(table.forEach((process) => void seen.push(process.pid.id))).toBe(75);
    expect(seen).toEqual(processes.filter((_, i) => i % 2 === 1).map((p) => p.pid.id));
    const firstThree: number[] = [];
    expect(table.forEach((process) => (firstThree.push(process.pid.id), firstThree.length < 3))).toBe(3);
    expect(firstThree).toEqual([2, 4, 6]);
  });

  it('does not confuse a process with another of the same slot', () => {
    const table = new ProcessTable();
    const a = fake(5);
    table.add(a);
    table.delete(fake(5));
    expect(table.get(5)).toBe(a);
  });
});
