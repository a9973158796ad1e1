import { DownMessage, formatTerm, type Pid, type ProcessContext } from '../../src/index.js';
import { chatter, chatterName, type ChatterOptions } from './chatter.js';

/** Counts the nurse keeps, read by the reporter. */
export interface NurseCounts {
  crashes: number;
}

/**
 * The nurse: starts the chatters, monitors every one, and when one goes down says so and starts
 * a new one under the same name (released by the crash at the very moment of the exit).
 */
export function nurse(options: ChatterOptions, counts: NurseCounts, say: (line: string) => void) {
  return async function nurseLoop(ctx: ProcessContext): Promise<void> {
    const watched = new Map<Pid, number>();
    const start = (index: number): Pid => {
      const pid = ctx.spawn(chatter(index, options), { name: chatterName(index), label: 'chatter' });
      ctx.monitor(pid);
      watched.set(pid, index);
      return pid;
    };
    for (let index = 0; index < options.population; index++) start(index);
    say(`nurse: started ${options.population} chatters and watches each one`);
    for (;;) {
      const down = await ctx.receive((m): m is DownMessage => m instanceof DownMessage);
      const index = watched.get(down.pid as Pid);
      if (index === undefined) continue;
      watched.delete(down.pid as Pid);
      counts.crashes++;
      const reason = down.reason instanceof Error ? down.reason.message : formatTerm(down.reason, 200);
      const replacement = start(index);
      say(`nurse: ${chatterName(index)} ${String(down.pid)} went down (${reason}); restarted as ${String(replacement)}`);
    }
  };
}
