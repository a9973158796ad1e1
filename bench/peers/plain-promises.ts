/**
 * A JavaScript peer: the same workloads with bare actors made of an array mailbox and a promise
 * per wait, and nothing else (no scheduler, links, monitors, names or counters). It is the floor
 * under any async-function actor: how fast JavaScript hands a message to a waiting async function.
 * Prints RESULT <value>; an unsupported workload prints RESULT n/a.
 */

class Actor {
  readonly queue: unknown[] = [];
  head = 0;
  resolve: ((message: unknown) => void) | null = null;

  send(message: unknown): void {
    const resolve = this.resolve;
    if (resolve === null) this.queue.push(message);
    else {
      this.resolve = null;
      resolve(message);
    }
  }

  receive(): Promise<unknown> {
    if (this.head < this.queue.length) return Promise.resolve(this.take());
    return new Promise((resolve) => (this.resolve = resolve));
  }

  take(): unknown {
    const message = this.queue[this.head];
    this.queue[this.head++] = undefined;
    if (this.head === this.queue.length) this.queue.length = this.head = 0;
    return message;
  }
}

/** Every actor, as any runtime keeps its processes (else a blocked actor would be garbage). */
const actors = new Set<Actor>();

function spawn(body: (self: Actor) => Promise<void>): Actor {
  const actor = new Actor();
  actors.add(actor);
  void body(actor).finally(() => actors.delete(actor));
  return actor;
}

async function blocked(self: Actor): Promise<void> {
  for (;;) (await self.receive() as Actor).send('pong');
}

async function spawnBlocked(size: number): Promise<void> {
  let last: Actor | undefined;
  for (let i = 0; i < size; i++) last = spawn(blocked);
  const me = new Actor();
  last!.send(me);
  await me.receive();
}

function skynet(parent: Actor, num: number, size: number) {
  return async (self: Actor): Promise<void> => {
    if (size === 1) return parent.send(num);
    const child = size / 10;
    for (let i = 0; i < 10; i++) spawn(skynet(self, num + i * child, child));
    let sum = 0;
    for (let i = 0; i < 10; i++) sum += (await self.receive()) as number;
    parent.send(sum);
  };
}

const workloads: Record<string, (size: number) => Promise<number>> = {
  async W1(size) {
    const started = performance.now();
    await spawnBlocked(size);
    return (size * 1000) / (performance.now() - started);
  },
  async W1M(size) {
    (globalThis as { gc?: () => void }).gc?.();
    const before = process.memoryUsage().heapUsed;
    await spawnBlocked(size);
    (globalThis as { gc?: () => void }).gc?.();
    return (process.memoryUsage().heapUsed - before) / size;
  },
  async W2(hops) {
    const main = new Actor();
    let next = main;
    for (let i = 1; i < 10_000; i++) {
      const to = next;
      next = spawn(async (self) => {
        for (;;) {
          const left = (await self.receive()) as number;
          to.send(left === 0 ? 0 : left - 1);
          if (left === 0) return;
        }
      });
    }
    const first = next;
    const started = performance.now();
    first.send(hops);
    for (;;) {
      const left = (await main.receive()) as number;
      if (left === 0) break;
      first.send(left - 1);
    }
    return (hops * 1000) / (performance.now() - started);
  },
  async W3(size) {
    const done = new Actor();
    const consumer = spawn(async (self) => {
      for (let count = 0; count < size; count++) {
        if (self.head < self.queue.length) self.take();
        else await self.receive();
      }
      done.send('counted');
    });
    const started = performance.now();
    for (let i = size; i > 0; i--) consumer.send(i);
    await done.receive();
    return (size * 1000) / (performance.now() - started);
  },
  async W5(size) {
    const started = performance.now();
    const root = new Actor();
    spawn(skynet(root, 0, size));
    const sum = (await root.receive()) as number;
    if (sum !== (size * (size - 1)) / 2) throw new Error(`skynet summed ${sum}`);
    return (performance.now() - started) / 1000;
  },
};

const [id = '', size = ''] = process.argv.slice(2);
const workload = workloads[id];
console.log(`RESULT ${workload === undefined ? 'n/a' : await workload(Number(size))}`);
