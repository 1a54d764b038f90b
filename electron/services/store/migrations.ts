import type Database from 'better-sqlite3';

/**
 * Forward-only schema migrations. Each is numbered; `PRAGMA user_version` records the last one
 * applied. A released migration never changes: add a new one instead.
 */
export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'patients',
    up(db) {
      db.exec(`
        CREATE TABLE patients (
          id INTEGER PRIMARY KEY,
          mrn TEXT NOT NULL UNIQUE COLLATE NOCASE,
          family_name TEXT NOT NULL,
          given_name TEXT NOT NULL,
          birth_date TEXT NOT NULL CHECK (birth_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
          sex TEXT NOT NULL CHECK (sex IN ('female', 'male', 'other', 'unknown')),
          indications TEXT NOT NULL CHECK (json_valid(indications) AND json_type(indications) = 'array'),
          allergies TEXT,
          clinician TEXT,
          status TEXT NOT NULL DEFAULT 'active'
            CHECK (status IN ('active', 'therapy_stopped', 'deceased', 'transferred')),
          created_at_ms INTEGER NOT NULL,
          updated_at_ms INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX patients_by_name ON patients (family_name COLLATE NOCASE, given_name COLLATE NOCASE);
      `);
    },
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);
