/**
 * A JavaScript peer: the same workloads on nact (nact.io), an Erlang- and Akka-inspired actor
 * library for Node.js, whose actors are functions called once per message. Prints RESULT <value>;
 * an unsupported workload prints RESULT n/a.
 */
import { dispatch, spawnStateless, start } from 'nact';

type Ref = ReturnType<typeof spawnStateless>;
const system = start();

/** Resolves with the first message dispatched to the returned actor. */
function inbox(): { ref: Ref; next: () => Promise<unknown> } {
  let resolve: (message: unknown) => void = () => {};
  let pending = new Promise<unknown>((r) => (resolve = r));
  const ref = spawnStateless(system, (message: unknown) => {
    resolve(message);
    pending = new Promise<unknown>((r) => (resolve = r));
  });
  return { ref, next: () => pending };
}

async function spawnIdle(size: number): Promise<void> {
  let last: Ref | undefined;
  for (let i = 0; i < size; i++) last = spawnStateless(system, (to: Ref) => dispatch(to, 'pong'), `idle-${i}`);
  const me = inbox();
  const reply = me.next();
  dispatch(last!, me.ref);
  await reply;
}

const workloads: Record<string, (size: number) => Promise<number>> = {
  async W1(size) {
    const started = performance.now();
    await spawnIdle(size);
    return (size * 1000) / (performance.now() - started);
  },
  async W1M(size) {
    (globalThis as { gc?: () => void }).gc?.();
    const before = process.memoryUsage().heapUsed;
    await spawnIdle(size);
    (globalThis as { gc?: () => void }).gc?.();
    return (process.memoryUsage().heapUsed - before) / size;
  },
  async W2(hops) {
    const main = inbox();
    let next: Ref = main.ref;
    for (let i = 1; i < 10_000; i++) {
      const to = next;
      next = spawnStateless(system, (left: number) => dispatch(to, left === 0 ? 0 : left - 1), `ring-${i}`);
    }
    const first = next;
    const started = performance.now();
    let done = main.next();
    dispatch(first, hops);
    for (;;) {
      const left = (await done) as number;
      if (left === 0) break;
      done = main.next();
      dispatch(first, left - 1);
    }
    return (hops * 1000) / (performance.now() - started);
  },
  async W3(size) {
    const done = inbox();
    const finished = done.next();
    let count = 0;
    const consumer = spawnStateless(system, () => {
      if (++count === size) dispatch(done.ref, 'counted');
    });
    const started = performance.now();
    for (let i = size; i > 0; i--) dispatch(consumer, i);
    await finished;
    return (size * 1000) / (performance.now() - started);
  },
};

const [id = '', size = ''] = process.argv.slice(2);
const workload = workloads[id];
console.log(`RESULT ${workload === undefined ? 'n/a' : await workload(Number(size))}`);
process.exit(0);
