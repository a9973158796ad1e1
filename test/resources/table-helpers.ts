import type { BeamishNode, Pid, ProcessContext } from '../../src/index.js';

type Job = { run: (ctx: ProcessContext) => unknown; resolve: (value: unknown) => void; reject: (error: unknown) => void } | { exit: unknown } | { crash: Error };

/**
 * A process that runs the functions it is sent, one at a time, with its own context: the test's
 * way to act as a given process (OTP's test suites send `{go, Fun}` to helper processes).
 */
export interface Agent {
  readonly pid: Pid;
  /** Runs `fn` in the agent and resolves with what it returns (rejects with what it throws). */
  do<R>(fn: (ctx: ProcessContext) => R | Promise<R>): Promise<R>;
  /** Ends the agent with `reason` (from inside, as `exit/1`) and resolves with its exit reason. */
  exit(reason: unknown): Promise<unknown>;
  /** Makes the agent throw `error` and resolves with its exit reason. */
  crash(error: Error): Promise<unknown>;
}

export function agent(node: BeamishNode, options: { trapExit?: boolean } = {}): Agent {
  const pid = node.spawn(async (ctx) => {
    for (;;) {
      const job = (await ctx.receive((m) => typeof m === 'object' && m !== null && ('run' in m || 'exit' in m || 'crash' in m))) as Job;
      if ('exit' in job) return ctx.exit(job.exit);
      if ('crash' in job) throw job.crash;
      try {
        job.resolve(await job.run(ctx));
      } catch (error) {
        job.reject(error);
      }
    }
  }, options);
  return {
    pid,
    do: <R>(fn: (ctx: ProcessContext) => R | Promise<R>) =>
      new Promise<R>((resolve, reject) => node.send(pid, { run: fn, resolve, reject })),
    exit(reason) {
      const exited = node.awaitExit(pid);
      node.send(pid, { exit: reason });
      return exited;
    },
    crash(error) {
      const exited = node.awaitExit(pid);
      node.send(pid, { crash: error });
      return exited;
    },
  };
}
