import { describeArgument, Pid, type ProcessContext } from '../../runtime/index.js';

/** Describes a value for a TypeError, in the house shape: `` `-1` (number) ``. */
export const describeValue = describeArgument;

/** Throws `TypeError` unless `ctx` is a process context (what a process function is given). */
export function expectContext(name: string, ctx: unknown): asserts ctx is ProcessContext {
  const candidate = ctx as Partial<ProcessContext> | null | undefined;
  if (typeof candidate?.spawnLink !== 'function' || !(candidate.self instanceof Pid)) {
    throw new TypeError(`Expected \`${name}\` to be a process context, got ${describeValue(ctx)}`);
  }
}
