import { inspect } from 'node:util';
import type { Process } from './internal/process.js';

/**
 * Who a node is: its name, its creation (which incarnation of that name) and the small index
 * this Node.js process gave it, which is the first number of every pid it prints.
 */
export interface NodeIdentity {
  readonly name: string;
  readonly creation: number;
  readonly index: number;
}

const NUMBER_BITS = 2 ** 28;

/**
 * A process identifier. It prints like Erlang's (`<0.42.0>`: node index, number, serial) and
 * parses back with `parsePid`. A pid names a process, alive or not; holding one never keeps a
 * dead process's memory alive. Compare pids with `equals` (or `===` for pids you did not parse).
 */
export class Pid {
  /** The node the process lives on. */
  readonly node: NodeIdentity;
  /** The process's number on its node, never reused while the node runs. */
  readonly id: number;
  /** @internal The live process, or null once it has exited; the fast path of every send. */
  proc: Process | null;

  /** @internal Pids are made by nodes, never by users. */
  constructor(node: NodeIdentity, id: number, proc: Process | null) {
    this.node = node;
    this.id = id;
    this.proc = proc;
  }

  /** True when both name the same process of the same node incarnation. */
  equals(other: unknown): boolean {
    return (
      other instanceof Pid &&
      other.id === this.id &&
      other.node.name === this.node.name &&
      other.node.creation === this.node.creation
    );
  }

  /** `<node.number.serial>`, as Erlang prints pids. */
  toString(): string {
    return `<${this.node.index}.${this.id % NUMBER_BITS}.${Math.floor(this.id / NUMBER_BITS)}>`;
  }

  toJSON(): string {
    return this.toString();
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/** @internal The pid text's parts, or undefined when the text is not a pid. */
export function splitPidText(text: string): { index: number; id: number } | undefined {
  const match = /^<(\d+)\.(\d+)\.(\d+)>$/.exec(text.trim());
  if (match === null) return undefined;
  const number = Number(match[2]);
  if (number >= NUMBER_BITS) return undefined;
  return { index: Number(match[1]), id: Number(match[3]) * NUMBER_BITS + number };
}
