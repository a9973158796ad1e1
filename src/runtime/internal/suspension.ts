import { BadArgError } from '../errors.js';
import { extrasOf } from './extras.js';
import { NO_MATCH } from './fifo.js';
import { RUNNABLE, STARTING, WAITING, type Process } from './process.js';
import { scheduler } from './scheduler.js';
import { crashed } from './signals.js';

/*
 * erlang:suspend_process / resume_process. A suspended process is not run: messages still queue
 * up, but its receive does not return until it is resumed as many times as it was suspended.
 * Code it is running at that moment (it awaits a fetch, say) cannot be stopped; it is held at its
 * next receive.
 */

export function suspendProcess(process: Process): void {
  extrasOf(process).suspensions += 1;
}

export function resumeProcess(process: Process): void {
  const extra = process.extra;
  if (extra === null || extra.suspensions === 0) {
    throw new BadArgError('not_suspended', `${process.pid} is not suspended`);
  }
  if (--extra.suspensions > 0) return;
  if (process.status === STARTING || process.status === RUNNABLE) {
    scheduler.enqueue(process);
  } else if (process.status === WAITING && process.mailbox !== null) {
    let message: unknown;
    try {
      message = process.mailbox.take(process.matcher);
    } catch (error) {
      return crashed(process, error);
    }
    if (message !== NO_MATCH) process.wake(message);
  }
}
