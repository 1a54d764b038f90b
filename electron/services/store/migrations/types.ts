/**
 * The shape of a migration, the one thing a frozen migration file may import (lint-enforced).
 * A migration of the embedded SQLite file runs on the better-sqlite3 connection, inside the one
 * IMMEDIATE transaction that applies every pending migration (store/database.ts).
 */
import type Database from 'better-sqlite3-multiple-ciphers';

export interface SqliteMigration {
  /** Its number: `PRAGMA user_version` records the last one applied. */
  version: number;
  /** Unique; tests find a migration by its name, never by its number. */
  name: string;
  up(db: Database.Database): void;
}
