import type { TopFrame, TopRow } from './medic.js';

/** A top row as it travels to the client: the pid as its text (`<0.42.0>`). */
export type WireTopRow = Omit<TopRow, 'pid'> & { readonly pid: string };

/** A top frame as it travels to the client. */
export type WireTopFrame = Omit<TopFrame, 'rows'> & { readonly rows: readonly WireTopRow[] };

/** A top session's settings, as the server applied them. */
export interface TopSettingsView {
  readonly sort: TopFrame['sort'];
  readonly lines: number;
  readonly intervalMs: number;
}
