/**
 * Migration 20 in the PostgreSQL dialect (issue 15, item 3): migrations/sqlite/0020-worklist-covering.ts
 * written for PostgreSQL: the two urgency indexes rebuilt covering, the same names and columns.
 *
 * Frozen like the SQLite files: never change this file (frozen-migrations.test.ts pins its SHA-256);
 * add a new migration instead. It imports nothing but the migration type (lint-enforced).
 */
import type { PostgresMigration } from '../types';

export const WORKLIST_COVERING_MIGRATION = 'worklist: covering urgency indexes';

export const WORKLIST_COVERING_SQL = `
  DROP INDEX worklist_empty;
  CREATE INDEX worklist_empty ON pump_projection (empty_date, next_due_date, alarm_date, replacement_from_date, discrepancy_flag)
    WHERE in_worklist = 1;
  DROP INDEX worklist_alarm;
  CREATE INDEX worklist_alarm ON pump_projection (alarm_date, empty_date, next_due_date, replacement_from_date, discrepancy_flag)
    WHERE in_worklist = 1;
`;

export const migration: PostgresMigration = {
  version: 20,
  name: WORKLIST_COVERING_MIGRATION,
  async up(client) {
    await client.query(WORKLIST_COVERING_SQL);
  },
};
