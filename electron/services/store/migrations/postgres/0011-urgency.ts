/**
 * Migration 11 in the PostgreSQL dialect (issue 15, item 3): migrations/sqlite/0011-urgency.ts written
 * for PostgreSQL, the same columns and rules.
 * The withdrawal warnings are seeded as in SQLite (COLLATE NOCASE comparisons: lower()); the
 * urgency indexes are the same partial indexes.
 *
 * Frozen like the SQLite files: never change this file (frozen-migrations.test.ts pins its SHA-256);
 * add a new migration instead. It imports nothing but the migration type (lint-enforced).
 */
import type { PostgresMigration } from '../types';

export const URGENCY_MIGRATION = 'urgency: withdrawal warnings and worklist urgency indexes';

export const URGENCY_SCHEMA_SQL = `
  ALTER TABLE drugs ADD COLUMN withdrawal_warning TEXT;
  UPDATE drugs SET withdrawal_warning = 'Abrupt withdrawal can be life-threatening: high fever, altered mental status, exaggerated rebound spasticity and muscle rigidity, in rare cases rhabdomyolysis, multiple organ failure and death. Early signs: return of baseline spasticity, itching, low blood pressure, paraesthesia. (Boxed warning, Lioresal Intrathecal and Gablofen labels.)'
    WHERE lower(name) = lower('Baclofen');
  UPDATE drugs SET withdrawal_warning = 'Abrupt withdrawal can cause rebound hypertension. (Clonidine label.)'
    WHERE lower(name) = lower('Clonidine');
  UPDATE drugs SET withdrawal_warning = 'Abrupt withdrawal can cause an opioid withdrawal syndrome. (' || name || ' label.)'
    WHERE lower(name) IN (lower('Morphine'), lower('Hydromorphone'), lower('Fentanyl'), lower('Sufentanil'));
  CREATE INDEX worklist_empty ON pump_projection (empty_date) WHERE in_worklist = 1;
  CREATE INDEX worklist_alarm ON pump_projection (alarm_date) WHERE in_worklist = 1;
  CREATE INDEX open_severe_adverse_events ON events (pump_id)
    WHERE kind = 'adverse' AND status = 'open' AND severity IN ('severe', 'life_threatening');
`;

export const migration: PostgresMigration = {
  version: 11,
  name: URGENCY_MIGRATION,
  async up(client) {
    await client.query(URGENCY_SCHEMA_SQL);
  },
};
