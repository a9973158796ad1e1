import { BadArgError, formatTerm, type Pid } from '../../runtime/index.js';
import type { Protection, TableType } from './types.js';

/**
 * A table operation was refused (ets's `badarg`): the table is gone, the caller lacks the rights,
 * the table's type does not support the operation, or the stored object does not fit it. Nothing
 * was changed. `table` names the table as the caller gave it (a handle's text or a name).
 */
export class TableError extends BadArgError {
  readonly table: string;

  constructor(code: string, table: string, message: string) {
    super(code, `${table}: ${message}`);
    this.table = table;
  }
}

/** The table was deleted (or its owner exited with no heir), or no table has that name. */
export class NoTableError extends TableError {
  constructor(table: string) {
    super('no_table', table, 'no such table (it was deleted, or its owner exited without an heir)');
  }
}

/**
 * The caller lacks the rights: reading a `private` table or writing a `protected` one from a
 * process that is not the owner, or an owner-only operation (`delete`, `giveAway`, `setOptions`)
 * from another process.
 */
export class TableAccessError extends TableError {
  readonly operation: string;
  readonly caller: Pid;
  readonly owner: Pid;
  readonly protection: Protection;

  constructor(table: string, operation: string, caller: Pid, owner: Pid, protection: Protection) {
    super('table_access', table, `${operation} by ${caller} refused: the table is ${protection} and owned by ${owner}`);
    this.operation = operation;
    this.caller = caller;
    this.owner = owner;
    this.protection = protection;
  }
}

/** `create` with `named: true` and a name another table of the node holds. */
export class TableNameInUseError extends TableError {
  constructor(name: string) {
    super('table_name_in_use', name, 'a named table of this node already has that name');
  }
}

/** The operation is not supported by the table's type (`updateCounter` on a bag, say). */
export class TableTypeError extends TableError {
  readonly type: TableType;

  constructor(table: string, operation: string, type: TableType, supported: string) {
    super('table_type', table, `${operation} needs ${supported}, and this table is a ${type}`);
    this.type = type;
  }
}

/** The key is not in the table (`updateCounter` without a default object; `next` on a hashed table). */
export class KeyNotFoundError extends TableError {
  readonly key: unknown;

  constructor(table: string, key: unknown) {
    super('key_not_found', table, `the key ${formatTerm(key, 200)} is not in the table`);
    this.key = key;
  }
}

/**
 * The stored object does not fit the update: the position is out of its range
 * (`code: 'bad_position'`), the value there is not an integer (`'not_integer'`), or the counter
 * would leave the safe integer range (`'counter_overflow'`).
 */
export class BadElementError extends TableError {
  readonly position: string | number;

  constructor(code: 'bad_position' | 'not_integer' | 'counter_overflow', table: string, position: string | number, detail: string) {
    super(code, table, `position ${formatTerm(position, 80)}: ${detail}`);
    this.position = position;
  }
}

/**
 * A predicate given to `match`/`select`/`selectCount`/`selectDelete` tried to change the table it
 * is scanning. Predicates must only look; collect what to change and change it afterwards.
 */
export class TableBusyError extends TableError {
  constructor(table: string, operation: string) {
    super('table_busy', table, `${operation} called from a predicate scanning this table`);
  }
}
