/**
 * Migration 18 in the PostgreSQL dialect (issue 15, item 3): migrations/sqlite/0018-patient-contacts.ts written
 * for PostgreSQL, the same columns and rules.
 * json_type(contacts, '$.phones') = 'array' becomes json_typeof(contacts::json -> 'phones') =
 * 'array': the same answer, NULL included when there is no "phones" (a CHECK lets NULL pass, in
 * both engines: the application always writes the array).
 *
 * Frozen like the SQLite files: never change this file (frozen-migrations.test.ts pins its SHA-256);
 * add a new migration instead. It imports nothing but the migration type (lint-enforced).
 */
import type { PostgresMigration } from '../types';

export const PATIENT_CONTACTS_MIGRATION = 'patient contacts, phone digits and birth-date indexes';

export const PATIENT_CONTACTS_SQL = `
  CREATE TABLE patient_contacts (
    patient_id BIGINT PRIMARY KEY REFERENCES patients (id),
    contacts TEXT NOT NULL CHECK (json_typeof(contacts::json -> 'phones') = 'array'),
    updated_at_ms BIGINT NOT NULL
  );

  CREATE TABLE patient_phones (
    patient_id BIGINT NOT NULL REFERENCES patients (id),
    digits TEXT NOT NULL,
    digits_reversed TEXT NOT NULL
  );
  CREATE INDEX patient_phones_by_digits ON patient_phones (digits);
  CREATE INDEX patient_phones_by_digits_reversed ON patient_phones (digits_reversed);
  CREATE INDEX patient_phones_by_patient ON patient_phones (patient_id);

  CREATE INDEX patients_by_birth_date ON patients (birth_date);
`;

export const migration: PostgresMigration = {
  version: 18,
  name: PATIENT_CONTACTS_MIGRATION,
  async up(client) {
    await client.query(PATIENT_CONTACTS_SQL);
  },
};
