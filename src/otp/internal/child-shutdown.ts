import { downOf, exitFrom, TIMEOUT, type ExitReason, type Pid, type ProcessContext } from '../../runtime/index.js';
import type { Shutdown } from '../child-spec.js';

/**
 * @internal Stops one child of the supervisor `ctx`, as OTP's `shutdown/2`: monitor it, unlink it
 * (taking the real reason from an EXIT that had already arrived), send `'shutdown'` — or `'kill'`
 * for `brutal_kill` — and wait for the DOWN; at the shutdown time, kill it and wait again.
 * Resolves with the reason it exited with and whether that was the expected one.
 */
export async function shutdownChild(ctx: ProcessContext, pid: Pid, shutdown: Shutdown): Promise<{ reason: ExitReason; expected: boolean }> {
  const ref = ctx.monitor(pid);
  ctx.unlink(pid);
  const earlier = ctx.tryReceive(exitFrom(pid));
  if (earlier !== TIMEOUT) {
    // The child was already gone: its EXIT carries the reason; the DOWN says only noproc.
    await ctx.receive(downOf(ref));
    const reason = earlier.reason;
    return { reason, expected: shutdown === 'brutal_kill' ? reason === 'killed' : reason === 'shutdown' };
  }
  if (shutdown === 'brutal_kill') {
    ctx.exit(pid, 'kill');
    const down = await ctx.receive(downOf(ref));
    return { reason: down.reason, expected: down.reason === 'killed' };
  }
  ctx.exit(pid, 'shutdown');
  const down = shutdown === 'infinity' ? await ctx.receive(downOf(ref)) : await ctx.receive(downOf(ref), shutdown);
  if (down !== TIMEOUT) return { reason: down.reason, expected: down.reason === 'shutdown' };
  ctx.exit(pid, 'kill');
  const killed = await ctx.receive(downOf(ref));
  return { reason: killed.reason, expected: false };
}
