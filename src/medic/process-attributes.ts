import { invalidArgument, type ProcessProbe } from '../runtime/index.js';
import { ProcessMemoryEstimator } from './process-memory.js';

/**
 * The numeric attributes top-N can rank processes by (recon's `proc_count/2` attributes):
 * `memory` (the estimate, see `processMemory`), `binaryMemory` (bytes of Buffer backing stores
 * kept alive), `messageQueueLength`, `reductions`, `messagesIn`, `messagesOut`, and the counts of
 * `links`, `monitors` and `timers`; and `runtime`, milliseconds run while run time is accounted:
 * over a window (`procWindow('runtime', …)` turns the accounting on for the window), the CPU each
 * process took.
 */
export type ProcessAttribute =
  | 'memory'
  | 'binaryMemory'
  | 'messageQueueLength'
  | 'reductions'
  | 'messagesIn'
  | 'messagesOut'
  | 'links'
  | 'monitors'
  | 'timers'
  | 'runtime';

/** Every attribute, for validation and listings. */
export const PROCESS_ATTRIBUTES: readonly ProcessAttribute[] = [
  'memory',
  'binaryMemory',
  'messageQueueLength',
  'reductions',
  'messagesIn',
  'messagesOut',
  'links',
  'monitors',
  'timers',
  'runtime',
];

/** @internal A reader of one attribute, with whatever scratch space it needs. */
export type AttributeReader = (probe: ProcessProbe) => number;

/** @internal Validates an attribute name and returns its reader. */
export function attributeReader(attribute: unknown): AttributeReader {
  switch (attribute) {
    case 'memory': {
      const estimator = new ProcessMemoryEstimator();
      return (probe) => estimator.total(probe);
    }
    case 'binaryMemory': {
      const estimator = new ProcessMemoryEstimator();
      return (probe) => estimator.buffersRetained(probe);
    }
    case 'messageQueueLength':
      return (probe) => probe.messageQueueLength;
    case 'reductions':
      return (probe) => probe.reductions;
    case 'messagesIn':
      return (probe) => probe.messagesIn;
    case 'messagesOut':
      return (probe) => probe.messagesOut;
    case 'links':
      return (probe) => probe.linkCount;
    case 'monitors':
      return (probe) => probe.monitorCount;
    case 'timers':
      return (probe) => probe.timerCount;
    case 'runtime':
      return (probe) => probe.runtimeMs;
    default:
      throw invalidArgument('attribute', `one of ${PROCESS_ATTRIBUTES.join(', ')}`, attribute);
  }
}
