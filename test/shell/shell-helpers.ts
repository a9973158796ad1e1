import { tempDir } from '../helpers.js';
import type { BeamishNode } from '../../src/index.js';
import { connectOperator, type AttachTarget, type MedicFactory, type OperatorConnection, type TopFrame, type TopSourceFactory } from '../../src/shell/index.js';

/** A fresh private runtime directory (mode 0700, as mkdtemp makes it), removed after the test. */
export const runtimeDir = (): string => tempDir('beamish-test-');

/** What the fake medic saw: the node and signal of every session that made one. */
export interface MedicCalls {
  readonly sessions: { node: BeamishNode; signal: AbortSignal }[];
}

/**
 * A small stand-in for the medic kit with `createMedic`'s signature: `nodeStats()` counts the
 * node's processes, and `procWindow(ms)` waits `ms` or until the session's signal aborts.
 */
export function fakeMedic(): { createMedic: MedicFactory; calls: MedicCalls } {
  const calls: MedicCalls = { sessions: [] };
  const createMedic: MedicFactory = (node, { signal }) => {
    calls.sessions.push({ node, signal });
    return {
      nodeStats: () => ({ processCount: node.processCount }),
      procWindow: (ms: number) =>
        new Promise((resolve, reject) => {
          const timer = setTimeout(resolve, ms, 'window done');
          signal.addEventListener('abort', () => {
            clearTimeout(timer);
            reject(new Error('window stopped: the session ended'));
          });
        }),
    };
  };
  return { createMedic, calls };
}

/** A frame source with `TopSampler`'s shape over the node's real process table. */
export const fakeTopSource: TopSourceFactory = (node) => {
  let previous = Date.now();
  return {
    frame: ({ sort, lines }): TopFrame => {
      const now = Date.now();
      const rows = node
        .processes()
        .map((pid) => node.processInfo(pid))
        .filter((info) => info !== undefined)
        .map((info) => ({
          pid: info.pid,
          name: info.registeredName ?? info.label ?? info.initialCall,
          reductions: info.reductions,
          memory: 1000 + info.messageQueueLength * 100,
          messageQueueLength: info.messageQueueLength,
          runtime: 0,
          currentLocation: info.currentLocation,
        }))
        .sort((a, b) => b[sort] - a[sort])
        .slice(0, lines);
      const frame: TopFrame = {
        node: node.name,
        at: now,
        intervalMs: now - previous,
        schedulerUsage: [0.25],
        processCount: node.processCount,
        runQueueLength: node.runQueueLength,
        memory: { total: 64 << 20, processes: 1 << 20, heapUsed: 32 << 20, external: 2 << 20, rss: 80 << 20 },
        sort,
        rows,
      };
      previous = now;
      return frame;
    },
  };
};

/** Text without its terminal escape sequences. */
export const stripAnsi = (text: string): string => text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');

/** A REPL session driven as a script would: lines in, output collected, prompts awaited. */
export class ReplClient {
  readonly connection: OperatorConnection;
  output = '';
  readonly controls: Record<string, unknown>[] = [];
  readonly #prompt: string;
  #waiters: (() => void)[] = [];

  private constructor(connection: OperatorConnection) {
    this.connection = connection;
    this.#prompt = `${connection.grant.node}> `;
    connection.channel.readFrames({
      data: (bytes) => {
        this.output += bytes.toString();
        for (const wake of this.#waiters.splice(0)) wake();
      },
      control: (message) => {
        this.controls.push(message);
        for (const wake of this.#waiters.splice(0)) wake();
      },
    });
    void connection.channel.closed.then(() => {
      for (const wake of this.#waiters.splice(0)) wake();
    });
  }

  static async open(target: AttachTarget, terminal = false): Promise<ReplClient> {
    const client = new ReplClient(await connectOperator(target, { mode: 'repl', terminal, columns: 100, rows: 30 }));
    await client.waitFor((output) => stripAnsi(output).endsWith(client.#prompt));
    return client;
  }

  get pid(): string {
    return this.connection.grant.pid;
  }

  /** Resolves once `test` holds for the output so far (or rejects when the connection closes first). */
  async waitFor(test: (output: string) => boolean): Promise<void> {
    while (!test(this.output)) {
      if (this.connection.channel.socket.destroyed) throw new Error(`connection closed; output so far:\n${this.output}`);
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  /** Sends one line and resolves with what it printed before the next prompt. */
  async evaluate(line: string): Promise<string> {
    const start = this.output.length;
    this.send(`${line}\n`);
    await this.waitFor((output) => output.length > start && output.endsWith(this.#prompt));
    return this.output.slice(start, -this.#prompt.length).trim();
  }

  send(text: string): void {
    this.connection.channel.writeData(Buffer.from(text));
  }

  /** Resolves with the session's `end` reason once the node has closed the connection. */
  async ended(): Promise<string | undefined> {
    await this.connection.channel.closed;
    return this.controls.find((message) => message.type === 'end')?.reason as string | undefined;
  }
}
