/**
 * The shape of a migration, the one thing a frozen migration file may import (lint-enforced).
 * A migration of the embedded SQLite file runs on the better-sqlite3 connection, inside the one
 * IMMEDIATE transaction that applies every pending migration (store/database.ts). A PostgreSQL
 * migration (issue 15: the engine is not built yet) runs on a client inside one transaction too.
 */
import type Database from 'better-sqlite3-multiple-ciphers';

export interface SqliteMigration {
  /** Its number: `PRAGMA user_version` records the last one applied. */
  version: number;
  /** Unique; tests find a migration by its name, never by its number. */
  name: string;
  up(db: Database.Database): void;
}

/** What a PostgreSQL migration needs of its client (a `pg` Client or PoolClient has it). */
export interface PostgresQueryable {
  query(sql: string): Promise<unknown>;
}

/** A migration of the PostgreSQL dialect: the same number and name as the SQLite migration it mirrors. */
export interface PostgresMigration {
  version: number;
  name: string;
  up(client: PostgresQueryable): Promise<void>;
}
