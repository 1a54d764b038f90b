/**
 * Migration 20, "worklist: covering urgency indexes": the worklist for 20 workstations (issue 14):
 * the two urgency indexes of migration 11 rebuilt covering every column the worklist's counts and
 * first part read, under the same names, so the counts need no table lookups. Indexes only, no column.
 *
 * Released and frozen: never change this file (frozen-migrations.test.ts pins its SHA-256); add a new
 * migration instead. It imports nothing but the migration type (lint-enforced).
 */
import type { SqliteMigration } from '../types';

export const WORKLIST_COVERING_MIGRATION = 'worklist: covering urgency indexes';

export const WORKLIST_COVERING_SQL = `
  DROP INDEX worklist_empty;
  CREATE INDEX worklist_empty ON pump_projection (empty_date, next_due_date, alarm_date, replacement_from_date, discrepancy_flag)
    WHERE in_worklist = 1;
  DROP INDEX worklist_alarm;
  CREATE INDEX worklist_alarm ON pump_projection (alarm_date, empty_date, next_due_date, replacement_from_date, discrepancy_flag)
    WHERE in_worklist = 1;
`;

export const migration: SqliteMigration = {
  version: 20,
  name: WORKLIST_COVERING_MIGRATION,
  up(db) {
    db.exec(WORKLIST_COVERING_SQL);
  },
};
