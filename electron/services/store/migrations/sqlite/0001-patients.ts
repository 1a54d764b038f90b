/**
 * Migration 1, "patients": the patients: one row each, the MRN unique (case-insensitive), the birth date a calendar date.
 *
 * Released and frozen: never change this file (migrations.test.ts pins its SHA-256); add a new
 * migration instead. It imports nothing but the migration type (lint-enforced).
 */
import type { SqliteMigration } from '../types';

export const PATIENTS_MIGRATION = 'patients';

export const PATIENTS_SQL = `
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
      `;

export const migration: SqliteMigration = {
  version: 1,
  name: PATIENTS_MIGRATION,
  up(db) {
    db.exec(PATIENTS_SQL);
  },
};
