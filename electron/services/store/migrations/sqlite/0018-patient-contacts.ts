/**
 * Migration 18, "patient contacts, phone digits and birth-date indexes": patient contacts and finding anyone fast (issue 16, items 2 and 4): the contacts as JSON, the
 * digits of each phone number (and reversed) indexed, and a birth-date index.
 *
 * Released and frozen: never change this file (migrations.test.ts pins its SHA-256); add a new
 * migration instead. It imports nothing but the migration type (lint-enforced).
 */
import type { SqliteMigration } from '../types';

export const PATIENT_CONTACTS_MIGRATION = 'patient contacts, phone digits and birth-date indexes';

export const PATIENT_CONTACTS_SQL = `
  CREATE TABLE patient_contacts (
    patient_id INTEGER PRIMARY KEY REFERENCES patients (id),
    contacts TEXT NOT NULL CHECK (json_valid(contacts) AND json_type(contacts, '$.phones') = 'array'),
    updated_at_ms INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE patient_phones (
    patient_id INTEGER NOT NULL REFERENCES patients (id),
    digits TEXT NOT NULL,
    digits_reversed TEXT NOT NULL
  ) STRICT;
  CREATE INDEX patient_phones_by_digits ON patient_phones (digits);
  CREATE INDEX patient_phones_by_digits_reversed ON patient_phones (digits_reversed);
  CREATE INDEX patient_phones_by_patient ON patient_phones (patient_id);

  CREATE INDEX patients_by_birth_date ON patients (birth_date);
`;

export const migration: SqliteMigration = {
  version: 18,
  name: PATIENT_CONTACTS_MIGRATION,
  up(db) {
    db.exec(PATIENT_CONTACTS_SQL);
  },
};
