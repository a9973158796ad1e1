import type { BeamishNode, Pid } from '../../../runtime/index.js';
import type { TableId } from '../table-id.js';
import type { Heir, Protection, TableType } from '../types.js';
import { HashStore } from './hash-store.js';
import type { KeyPosition } from './objects.js';
import { OrderedStore } from './ordered-store.js';
import type { Store } from './store.js';

// Estimated bytes of an empty table: this record, its store and its handle.
export const TABLE_BYTES = 320;

/** Everything about one live table; reached through its handle until the table is deleted. */
export class TableState {
  readonly store: Store;
  /** Set once the table is created. */
  id!: TableId;
  owner: Pid;
  heir: Heir | undefined;
  protection: Protection;
  /** How many predicates are scanning the table now; writes are refused meanwhile. */
  busy = 0;

  constructor(
    readonly node: BeamishNode,
    readonly type: TableType,
    readonly keyPos: KeyPosition,
    readonly name: string | undefined,
    readonly named: boolean,
    owner: Pid,
    protection: Protection,
    heir: Heir | undefined,
  ) {
    this.owner = owner;
    this.protection = protection;
    this.heir = heir;
    this.store = type === 'ordered_set' ? new OrderedStore(keyPos) : new HashStore(type, keyPos);
  }

  /** How errors name the table: its name if registered, else its handle. */
  get label(): string {
    return this.named ? `table '${this.name}'` : `table ${this.id}`;
  }
}
