import type { BeamishNode, ProcessContext } from '../../src/index.js';
import type { NurseCounts } from './nurse.js';

/** Every `intervalMs`, a line on how the node is doing: processes, traffic, crashes, memory. */
export function reporter(node: BeamishNode, counts: NurseCounts, intervalMs: number, say: (line: string) => void) {
  return async function reporterLoop(ctx: ProcessContext): Promise<void> {
    const started = performance.now();
    let lastMessages = totalMessages(node);
    for (;;) {
      await ctx.receive((m) => m === 'never', intervalMs);
      const messages = totalMessages(node);
      const rate = Math.round(((messages - lastMessages) * 1000) / intervalMs);
      lastMessages = messages;
      const seconds = ((performance.now() - started) / 1000).toFixed(1).padStart(6);
      const heap = (process.memoryUsage().heapUsed / 1048576).toFixed(1);
      say(
        `[${seconds}s] ${node.processCount} processes · ${rate} msgs/s · ${counts.crashes} crashes noticed · run queue ${node.runQueueLength} · heap ${heap} MB`,
      );
    }
  };
}

/** Messages received by the live processes (bounded: one snapshot per process, no mailbox contents). */
function totalMessages(node: BeamishNode): number {
  let total = 0;
  for (const pid of node.processes()) total += node.processInfo(pid, { listLimit: 0 })?.messagesIn ?? 0;
  return total;
}
