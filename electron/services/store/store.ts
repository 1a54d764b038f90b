import type Database from 'better-sqlite3';
import { PatientRepository } from '../features/patients/repository';

/**
 * The clinic record as the handlers see it. Today it is one SQLite file; a shared clinic server
 * database would implement the same repositories and `transaction`.
 */
export interface Store {
  readonly patients: PatientRepository;
  /** Runs `fn` as one transaction: all of its writes land, or none. */
  transaction<T>(fn: () => T): T;
  close(): void;
}

export class SqliteStore implements Store {
  readonly patients: PatientRepository;

  constructor(readonly db: Database.Database) {
    this.patients = new PatientRepository(db);
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
