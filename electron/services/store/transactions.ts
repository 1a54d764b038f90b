/**
 * How every transaction on the SQLite file begins: the one place that chooses between a write and a
 * read transaction (docs/architecture.md, "Write transactions").
 *
 * better-sqlite3's `db.transaction(fn)` begins DEFERRED: it reads first and asks for the write lock
 * only at its first write. When another connection has written meanwhile, that upgrade fails with
 * SQLITE_BUSY half-way through — after the work has read (and acted on) what it read — and a busy
 * timeout cannot help (waiting would not make its snapshot current). A write transaction therefore
 * begins IMMEDIATE: it takes the write lock at BEGIN, or waits for it there (the busy timeout), and
 * if it never comes it is refused there, before anything has been read. Read-only work begins
 * DEFERRED: it takes no write lock and never makes a writer wait (WAL readers see a snapshot).
 *
 * Inside an open transaction either one is a savepoint (better-sqlite3), so they nest.
 */
import type Database from 'better-sqlite3-multiple-ciphers';

/** `fn` as a write transaction (`BEGIN IMMEDIATE`): all of its writes land, or none if it throws. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function writeTransaction<F extends (...args: any[]) => any>(db: Database.Database, fn: F): Database.Transaction<F>['immediate'] {
  return db.transaction(fn).immediate;
}

/** `fn` as a read transaction (`BEGIN DEFERRED`): one consistent snapshot, no write lock. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function readTransaction<F extends (...args: any[]) => any>(db: Database.Database, fn: F): Database.Transaction<F>['deferred'] {
  return db.transaction(fn).deferred;
}
