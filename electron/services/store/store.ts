import type Database from 'better-sqlite3-multiple-ciphers';
import type { Result } from '../../../shared/contract/result';
import { CatalogRepository } from '../features/catalog/repository';
import { PatientRepository } from '../features/patients/repository';
import { RecordRepository } from '../features/record/repository';
import { ReadCache } from './read-cache';
import { AccountRepository } from '../accounts/repository';
import { VersionRepository } from './versions';
import { TokenRepository } from '../features/tokens/repository';
import { readTransaction, writeTransaction } from './transactions';
import { trailOnlyChanges } from './trail-only-changes';

/**
 * The clinic record as the handlers see it. Today it is one SQLite file; a shared clinic server
 * database would implement the same repositories, `transaction` and `write`.
 */
export interface Store {
  readonly patients: PatientRepository;
  readonly catalog: CatalogRepository;
  readonly record: RecordRepository;
  /** Users and access settings (sign-in, roles). */
  readonly accounts: AccountRepository;
  /** The versions edits are based on and pump states clinical forms saw (several people at once: `versions.ts`). */
  readonly versions: VersionRepository;
  /** Personal access tokens (the command line against a server). */
  readonly tokens: TokenRepository;
  /**
   * Runs `fn` as one write transaction: all of its writes land, or none (if it throws). It takes the
   * write lock at its start (SQLite `BEGIN IMMEDIATE`), so a writer waits its turn (busy timeout)
   * instead of failing half-way when another connection writes.
   */
  transaction<T>(fn: () => T): T;
  /** Runs `fn` in one read transaction (a consistent snapshot; takes no write lock). */
  snapshot<T>(fn: () => T): T;
  /** Like `transaction`, and also rolls back when `fn` answers a failure: nothing is saved in part. */
  write<T>(fn: () => Result<T>): Result<T>;
  /**
   * A stamp of the database's contents as this connection sees them: it changes whenever anything
   * is committed by anyone (this connection, another window or process, the command line), so a
   * value cached under it (the worklist's counts) is current while the stamp is the same. Null
   * inside a transaction (a rollback could undo what was read): answer uncached then.
   * SQLite: `PRAGMA data_version` (other connections' commits) with `total_changes()` (this
   * connection's own writes, which data_version does not see). A PostgreSQL store serving several
   * processes must answer a stamp that every process's commits change — a counter row that the
   * store's `transaction`/`write` bump in each write transaction — never a per-process counter.
   */
  changeStamp(): string | null;
  close(): void;
}

class Rollback extends Error {
  constructor(readonly result: Result<never>) {
    super('rollback');
  }
}

export class SqliteStore implements Store {
  readonly patients: PatientRepository;
  readonly catalog: CatalogRepository;
  readonly record: RecordRepository;
  readonly accounts: AccountRepository;
  readonly versions: VersionRepository;
  readonly tokens: TokenRepository;

  /** Memoised catalog and pump-history reads, dropped on rollback and on other connections' commits. */
  private readonly cache: ReadCache;
  private readonly stamp: Database.Statement<[], [number, number]>;

  constructor(readonly db: Database.Database) {
    this.patients = new PatientRepository(db);
    this.cache = new ReadCache(db);
    this.catalog = new CatalogRepository(db, this.cache);
    this.record = new RecordRepository(db, this.cache);
    this.accounts = new AccountRepository(db);
    this.versions = new VersionRepository(db);
    this.tokens = new TokenRepository(db);
    this.stamp = db.prepare<[], [number, number]>('SELECT data_version, total_changes() FROM pragma_data_version').raw();
  }

  changeStamp(): string | null {
    if (this.db.inTransaction) return null;
    const [dataVersion, changes] = this.stamp.get()!;
    // This connection's audit-only commits (a record view, a refusal) change nothing the stamp keys.
    return `${dataVersion}.${changes - trailOnlyChanges(this.db)}`;
  }

  transaction<T>(fn: () => T): T {
    try {
      // Inside another transaction this is a savepoint (better-sqlite3), whichever variant is used.
      return writeTransaction(this.db, fn)();
    } catch (e) {
      this.cache.clear(); // what was memoised inside the rolled-back transaction is gone
      throw e;
    }
  }

  write<T>(fn: () => Result<T>): Result<T> {
    try {
      return writeTransaction(this.db, () => {
        const result = fn();
        if (!result.ok) throw new Rollback(result);
        return result;
      })();
    } catch (e) {
      this.cache.clear();
      if (e instanceof Rollback) return e.result;
      throw e;
    }
  }

  snapshot<T>(fn: () => T): T {
    try {
      return readTransaction(this.db, fn)();
    } catch (e) {
      this.cache.clear();
      throw e;
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
