import { NotRegisteredError, TIMEOUT, type ProcessContext } from '../../src/index.js';

/** What chatters say to each other. */
export interface Hello {
  readonly kind: 'hello';
  readonly from: string;
  readonly serial: number;
}

/** How a chatter behaves: how many peers there are and how often it trips over a message. */
export interface ChatterOptions {
  readonly population: number;
  /** Chance, per message received, that the chatter crashes on it. */
  readonly crashRate: number;
}

export const chatterName = (index: number) => `chatter-${index}`;

/**
 * A chatter: a named process that, at its own random pace, says hello to random others and
 * answers some of the hellos it gets. Now and then it trips over a message and crashes; the
 * nurse notices and starts a new one under the same name.
 */
export function chatter(index: number, options: ChatterOptions) {
  const me = chatterName(index);
  const pace = 50 + Math.floor(Math.random() * 450); // ms between hellos, per chatter
  return async function chatterLoop(ctx: ProcessContext): Promise<void> {
    let serial = 0;
    for (;;) {
      const message = await ctx.receive(isHello, pace);
      if (message === TIMEOUT) {
        say(ctx, chatterName(Math.floor(Math.random() * options.population)), ++serial);
        continue;
      }
      if (Math.random() < options.crashRate) {
        throw new Error(`${me} tripped over hello #${message.serial} from ${message.from}`);
      }
      if (Math.random() < 0.3) say(ctx, message.from, ++serial);
    }
  };

  function say(ctx: ProcessContext, to: string, serial: number): void {
    if (to === me) return;
    try {
      ctx.send(to, { kind: 'hello', from: me, serial } satisfies Hello);
    } catch (error) {
      // The peer is between a crash and its restart: its name is free for a moment.
      if (!(error instanceof NotRegisteredError)) throw error;
    }
  }
}

function isHello(message: unknown): message is Hello {
  return (message as Hello | undefined)?.kind === 'hello';
}
