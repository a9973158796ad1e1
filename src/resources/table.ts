/**
 * ETS-like tables: in-memory key-value tables owned by a process, shared with the processes of
 * its node under access rights, and released when the owner exits (or passed to an heir).
 *
 * - Create and own: `create`, `delete`, `giveAway`, `setOptions`.
 * - Write: `insert`, `insertMany`, `insertNew`, `insertNewMany`, `deleteKey`, `deleteObject`,
 *   `deleteAllObjects`, `take`, `updateCounter`, `updateElement`.
 * - Read: `lookup`, `member`, `first`, `next`, `prev`, `last`, `toList` (O(n)).
 * - Scan with a predicate: `select` (chunks with a continuation), `match`, `selectCount`, `selectDelete`.
 * - Look around: `info`, `whereis`, `all`, `count`, `i`.
 *
 * Every operation names its caller (the process's `ctx`, or its pid) so the access rights can be
 * checked. See docs/tables.md.
 *
 * **When not to use it.** A table does not make data durable or shared across nodes, and it is
 * not a cache with eviction. State that one process reads and writes alone is simpler kept in
 * that process (a GenServer's state); use a table when many processes read the same data, or
 * when the data must survive its owner through an heir.
 */
export { create, deleteTable as delete, giveAway, setOptions, type SetOptions } from './tables/ownership.js';
export { insert, insertMany, insertNew, insertNewMany, deleteKey, deleteObject, deleteAllObjects, take } from './tables/write.js';
export { lookup, member, first, last, next, prev, toList } from './tables/read.js';
export { updateCounter, updateElement } from './tables/counters.js';
export { match, select, selectCount, selectDelete, SelectContinuation, type Predicate, type SelectOptions, type SelectResult } from './tables/select.js';
export { all, count, i, info, whereis, type ListOptions, type TableInfo } from './tables/listing.js';
export { TableId, TableTransferMessage, transferOf } from './tables/table-id.js';
export type { TableRef } from './tables/internal/access.js';
export type { Caller, CounterOp, Heir, KeyPos, KeyRange, Position, Protection, TableKey, TableOptions, TableType } from './tables/types.js';
