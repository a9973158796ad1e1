import { Pid, type ProcessContext } from '../../runtime/index.js';
import { BadReturnValueError, ChildStartError, type StartError } from '../errors.js';
import type { StartResult } from '../start.js';
import type { ResolvedChildSpec } from './child-spec.js';

/** @internal The outcome of starting one child: its pid (undefined when it chose to ignore) or why it failed. */
export type ChildStartOutcome = { readonly ok: true; readonly pid: Pid | undefined } | { readonly ok: false; readonly error: StartError };

/** @internal Runs a child spec's start function in the supervisor `ctx`; never throws for the child's failures. */
export async function startChildProcess(ctx: ProcessContext, spec: ResolvedChildSpec, extra: readonly unknown[] = []): Promise<ChildStartOutcome> {
  let result: StartResult | Pid;
  try {
    result = await (spec.start as (ctx: ProcessContext, ...extra: unknown[]) => StartResult | Pid | Promise<StartResult | Pid>)(ctx, ...extra);
  } catch (error) {
    return { ok: false, error: new ChildStartError(spec.id, error) };
  }
  if (result instanceof Pid) return { ok: true, pid: result };
  if (typeof result !== 'object' || result === null || typeof result.ok !== 'boolean') {
    return { ok: false, error: new ChildStartError(spec.id, new BadReturnValueError('start', result)) };
  }
  if (result.ok) return { ok: true, pid: result.pid };
  if (result.ignored) return { ok: true, pid: undefined };
  return { ok: false, error: result.error };
}
