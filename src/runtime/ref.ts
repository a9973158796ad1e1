import { inspect } from 'node:util';
import type { NodeIdentity } from './pid.js';

/**
 * A unique reference, as Erlang's `make_ref()`: monitors and timers are named by one.
 * Unique within its node incarnation; compare with `===`.
 */
export class Ref {
  readonly node: NodeIdentity;
  readonly id: number;

  /** @internal Refs are made by nodes. */
  constructor(node: NodeIdentity, id: number) {
    this.node = node;
    this.id = id;
  }

  /** `#Ref<node.number>`. */
  toString(): string {
    return `#Ref<${this.node.index}.${this.id}>`;
  }

  toJSON(): string {
    return this.toString();
  }

  [inspect.custom](): string {
    return this.toString();
  }
}
