/**
 * Migration 10 in the PostgreSQL dialect (issue 15, item 3): migrations/sqlite/0010-recorded-by.ts written
 * for PostgreSQL, the same columns and rules.
 * The recorder's user id is BIGINT (a users id), not a foreign key, as in SQLite.
 *
 * Frozen like the SQLite files: never change this file (frozen-migrations.test.ts pins its SHA-256);
 * add a new migration instead. It imports nothing but the migration type (lint-enforced).
 */
import type { PostgresMigration } from '../types';

export const RECORDED_BY_MIGRATION = 'who recorded each clinical entry';

export const RECORDED_BY_SQL = `
  ALTER TABLE pumps ADD COLUMN recorded_by_user_id BIGINT;
  ALTER TABLE pumps ADD COLUMN recorded_by_name TEXT CHECK (recorded_by_name IS NULL OR length(recorded_by_name) > 0);
  ALTER TABLE pumps ADD COLUMN recorded_by_role TEXT
    CHECK (recorded_by_role IS NULL OR recorded_by_role IN ('administrator', 'clinician', 'staff', 'auditor'));

  ALTER TABLE refills ADD COLUMN recorded_by_user_id BIGINT;
  ALTER TABLE refills ADD COLUMN recorded_by_name TEXT CHECK (recorded_by_name IS NULL OR length(recorded_by_name) > 0);
  ALTER TABLE refills ADD COLUMN recorded_by_role TEXT
    CHECK (recorded_by_role IS NULL OR recorded_by_role IN ('administrator', 'clinician', 'staff', 'auditor'));

  ALTER TABLE dose_changes ADD COLUMN recorded_by_user_id BIGINT;
  ALTER TABLE dose_changes ADD COLUMN recorded_by_name TEXT CHECK (recorded_by_name IS NULL OR length(recorded_by_name) > 0);
  ALTER TABLE dose_changes ADD COLUMN recorded_by_role TEXT
    CHECK (recorded_by_role IS NULL OR recorded_by_role IN ('administrator', 'clinician', 'staff', 'auditor'));

  ALTER TABLE events ADD COLUMN recorded_by_user_id BIGINT;
  ALTER TABLE events ADD COLUMN recorded_by_name TEXT CHECK (recorded_by_name IS NULL OR length(recorded_by_name) > 0);
  ALTER TABLE events ADD COLUMN recorded_by_role TEXT
    CHECK (recorded_by_role IS NULL OR recorded_by_role IN ('administrator', 'clinician', 'staff', 'auditor'));

  ALTER TABLE reversals ADD COLUMN recorded_by_user_id BIGINT;
  ALTER TABLE reversals ADD COLUMN recorded_by_name TEXT CHECK (recorded_by_name IS NULL OR length(recorded_by_name) > 0);
  ALTER TABLE reversals ADD COLUMN recorded_by_role TEXT
    CHECK (recorded_by_role IS NULL OR recorded_by_role IN ('administrator', 'clinician', 'staff', 'auditor'));

  ALTER TABLE removals ADD COLUMN recorded_by_user_id BIGINT;
  ALTER TABLE removals ADD COLUMN recorded_by_name TEXT CHECK (recorded_by_name IS NULL OR length(recorded_by_name) > 0);
  ALTER TABLE removals ADD COLUMN recorded_by_role TEXT
    CHECK (recorded_by_role IS NULL OR recorded_by_role IN ('administrator', 'clinician', 'staff', 'auditor'));
`;

export const migration: PostgresMigration = {
  version: 10,
  name: RECORDED_BY_MIGRATION,
  async up(client) {
    await client.query(RECORDED_BY_SQL);
  },
};
