/**
 * What the shell takes from the medic kit, in one place: a session's medic (its methods bound to
 * the node, its long operations stopped by the session's signal) and top's frame source.
 */
import type { BeamishNode } from '../runtime/index.js';
import type { TopFrame, TopSort } from '../medic/index.js';

export type { TopFrame, TopRow, TopSort } from '../medic/index.js';

/** Makes a session's medic: an object of functions bound to `node`, stopped by `signal`. */
export type MedicFactory = (node: BeamishNode, options: { readonly signal: AbortSignal }) => object;

/** Builds top's frames; reductions in a frame are counted since the previous one. */
export interface TopFrameSource {
  frame(options: { readonly sort: TopSort; readonly lines: number }): TopFrame;
  /** Called once when the top session ends, to stop what the source measures while open. */
  close?(): void;
}

/** Makes the frame source of one top session. */
export type TopSourceFactory = (node: BeamishNode) => TopFrameSource;

/** The medic's own `createMedic` and `TopSampler`, loaded on first use. */
export async function medicDefaults(): Promise<{ createMedic: MedicFactory; topSource: TopSourceFactory }> {
  const medic = await import('../medic/index.js');
  return { createMedic: medic.createMedic, topSource: (node) => new medic.TopSampler(node) };
}
