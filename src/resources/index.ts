/**
 * Owned resources: each has exactly one owner process, moves only by explicit transfer, and is
 * released when its owner exits for any reason. Tables (ETS-like) live under `Table`.
 */
export * as Table from './table.js';
export { TableId, TableTransferMessage, transferOf } from './tables/table-id.js';
export type { TableInfo } from './tables/listing.js';
export type { SelectResult } from './tables/select.js';
export type { TableRef } from './tables/internal/access.js';
export type { TableKey, TableOptions, TableType } from './tables/types.js';
export {
  BadElementError,
  KeyNotFoundError,
  NoTableError,
  TableAccessError,
  TableBusyError,
  TableError,
  TableNameInUseError,
  TableTypeError,
} from './tables/errors.js';
export * as File from './files/file.js';
export { FileId, type FileData } from './files/file-id.js';
export { FileClosedError, FileError, FileNotOwnerError } from './files/errors.js';
export type { FileInfo, FileMode } from './files/types.js';
export * from './ports/port.js';
export * from './ports/port-errors.js';
export * from './ports/port-messages.js';
export type * from './ports/port-types.js';
export * from './sockets/index.js';
export * as AcceptorPool from './acceptor-pool/acceptor-pool.js';
export type { AcceptorPoolInfo, AcceptorPoolOptions, ConnectionHandler } from './acceptor-pool/acceptor-pool.js';
