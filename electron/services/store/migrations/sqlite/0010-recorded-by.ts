/**
 * Migration 10, "who recorded each clinical entry": who recorded each clinical entry (issue 13, item 9; features/record/recorded-by.ts): three
 * nullable columns on pumps, refills, dose_changes, events, reversals and removals (entries recorded
 * before it have none). The user id is not a foreign key (users are deactivated, never deleted).
 * After 9, which rebuilds `reversals`: this adds the recorder's columns to the rebuilt table.
 *
 * Released and frozen: never change this file (migrations.test.ts pins its SHA-256); add a new
 * migration instead. It imports nothing but the migration type (lint-enforced).
 */
import type { SqliteMigration } from '../types';

export const RECORDED_BY_MIGRATION = 'who recorded each clinical entry';

export const RECORDED_BY_SQL = `
  ALTER TABLE pumps ADD COLUMN recorded_by_user_id INTEGER;
  ALTER TABLE pumps ADD COLUMN recorded_by_name TEXT CHECK (recorded_by_name IS NULL OR length(recorded_by_name) > 0);
  ALTER TABLE pumps ADD COLUMN recorded_by_role TEXT
    CHECK (recorded_by_role IS NULL OR recorded_by_role IN ('administrator', 'clinician', 'staff', 'auditor'));

  ALTER TABLE refills ADD COLUMN recorded_by_user_id INTEGER;
  ALTER TABLE refills ADD COLUMN recorded_by_name TEXT CHECK (recorded_by_name IS NULL OR length(recorded_by_name) > 0);
  ALTER TABLE refills ADD COLUMN recorded_by_role TEXT
    CHECK (recorded_by_role IS NULL OR recorded_by_role IN ('administrator', 'clinician', 'staff', 'auditor'));

  ALTER TABLE dose_changes ADD COLUMN recorded_by_user_id INTEGER;
  ALTER TABLE dose_changes ADD COLUMN recorded_by_name TEXT CHECK (recorded_by_name IS NULL OR length(recorded_by_name) > 0);
  ALTER TABLE dose_changes ADD COLUMN recorded_by_role TEXT
    CHECK (recorded_by_role IS NULL OR recorded_by_role IN ('administrator', 'clinician', 'staff', 'auditor'));

  ALTER TABLE events ADD COLUMN recorded_by_user_id INTEGER;
  ALTER TABLE events ADD COLUMN recorded_by_name TEXT CHECK (recorded_by_name IS NULL OR length(recorded_by_name) > 0);
  ALTER TABLE events ADD COLUMN recorded_by_role TEXT
    CHECK (recorded_by_role IS NULL OR recorded_by_role IN ('administrator', 'clinician', 'staff', 'auditor'));

  ALTER TABLE reversals ADD COLUMN recorded_by_user_id INTEGER;
  ALTER TABLE reversals ADD COLUMN recorded_by_name TEXT CHECK (recorded_by_name IS NULL OR length(recorded_by_name) > 0);
  ALTER TABLE reversals ADD COLUMN recorded_by_role TEXT
    CHECK (recorded_by_role IS NULL OR recorded_by_role IN ('administrator', 'clinician', 'staff', 'auditor'));

  ALTER TABLE removals ADD COLUMN recorded_by_user_id INTEGER;
  ALTER TABLE removals ADD COLUMN recorded_by_name TEXT CHECK (recorded_by_name IS NULL OR length(recorded_by_name) > 0);
  ALTER TABLE removals ADD COLUMN recorded_by_role TEXT
    CHECK (recorded_by_role IS NULL OR recorded_by_role IN ('administrator', 'clinician', 'staff', 'auditor'));`;

export const migration: SqliteMigration = {
  version: 10,
  name: RECORDED_BY_MIGRATION,
  up(db) {
    db.exec(RECORDED_BY_SQL);
  },
};
