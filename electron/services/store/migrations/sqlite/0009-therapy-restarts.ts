/**
 * Migration 9, "therapy restarts and patient status dates": therapy restarts and patient status dates (issue 13, items 4 and 5).
 *
 * The patients' columns first (the date of death, the date and receiver of a transfer; existing
 * deceased or transferred patients keep NULL until someone edits them): the restarts' SQL empties
 * the projections of their pumps. Then several reversals per pump (the `reversals` table rebuilt
 * without UNIQUE on `pump_id`, every row and id kept, so signatures still verify; the signed-row
 * triggers of migration 5 recreated as they were) and the restarts (features/record/restart.ts). A
 * restart whose fill is signed can no longer be changed or deleted, like the fill itself.
 *
 * Released and frozen: never change this file (migrations.test.ts pins its SHA-256); add a new
 * migration instead. It imports nothing but the migration type (lint-enforced).
 */
import type { SqliteMigration } from '../types';

export const THERAPY_RESTARTS_MIGRATION = 'therapy restarts and patient status dates';

export const PATIENT_STATUS_DATES_SQL = `
  ALTER TABLE patients ADD COLUMN death_date TEXT
    CHECK (death_date IS NULL OR death_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]');
  ALTER TABLE patients ADD COLUMN transfer_date TEXT
    CHECK (transfer_date IS NULL OR transfer_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]');
  ALTER TABLE patients ADD COLUMN transferred_to TEXT;
`;

export const THERAPY_RESTARTS_SQL = `
  CREATE TABLE reversals_rebuilt (
    id INTEGER PRIMARY KEY,
    pump_id INTEGER NOT NULL REFERENCES pumps (id),
    date TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('turned_off', 'drained', 'weaned')),
    plan TEXT,
    outcome TEXT,
    note TEXT,
    clinician TEXT,
    created_at_ms INTEGER NOT NULL
  ) STRICT;
  INSERT INTO reversals_rebuilt (id, pump_id, date, kind, plan, outcome, note, clinician, created_at_ms)
    SELECT id, pump_id, date, kind, plan, outcome, note, clinician, created_at_ms FROM reversals;
  DROP TABLE reversals;
  ALTER TABLE reversals_rebuilt RENAME TO reversals;
  CREATE INDEX reversals_by_pump ON reversals (pump_id, date);
  CREATE TRIGGER signed_reversal_no_update BEFORE UPDATE ON reversals
  WHEN EXISTS (SELECT 1 FROM signatures WHERE entry_kind = 'reversal' AND entry_id = OLD.id)
  BEGIN SELECT RAISE(ABORT, 'a signed therapy reversal cannot be changed: record an amendment'); END;
  CREATE TRIGGER signed_reversal_no_delete BEFORE DELETE ON reversals
  WHEN EXISTS (SELECT 1 FROM signatures WHERE entry_kind = 'reversal' AND entry_id = OLD.id)
  BEGIN SELECT RAISE(ABORT, 'a signed therapy reversal cannot be deleted'); END;

  CREATE TABLE therapy_restarts (
    id INTEGER PRIMARY KEY,
    pump_id INTEGER NOT NULL REFERENCES pumps (id),
    date TEXT NOT NULL,
    reversal_id INTEGER NOT NULL UNIQUE REFERENCES reversals (id),
    refill_id INTEGER NOT NULL UNIQUE REFERENCES refills (id),
    created_at_ms INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX therapy_restarts_by_pump ON therapy_restarts (pump_id, date);
  CREATE TRIGGER signed_restart_no_update BEFORE UPDATE ON therapy_restarts
  WHEN EXISTS (SELECT 1 FROM signatures WHERE entry_kind = 'refill' AND entry_id = OLD.refill_id)
  BEGIN SELECT RAISE(ABORT, 'a therapy restart whose fill is signed cannot be changed: record an amendment'); END;
  CREATE TRIGGER signed_restart_no_delete BEFORE DELETE ON therapy_restarts
  WHEN EXISTS (SELECT 1 FROM signatures WHERE entry_kind = 'refill' AND entry_id = OLD.refill_id)
  BEGIN SELECT RAISE(ABORT, 'a therapy restart whose fill is signed cannot be deleted'); END;

  -- A pump turned off has no projection (record/projection.ts), and the pumps of a deceased or
  -- transferred patient are not in the worklist (patients/status.ts).
  UPDATE pump_projection
    SET in_worklist = 0, daily_volume_ul = NULL, alarm_date = NULL, empty_date = NULL, next_due_date = NULL,
        next_due_rule = NULL, discrepancy_flag = NULL
    WHERE pump_id IN (SELECT id FROM pumps WHERE status = 'off');
  UPDATE pump_projection SET in_worklist = 0
    WHERE pump_id IN (SELECT p.id FROM pumps p JOIN patients pt ON pt.id = p.patient_id WHERE pt.status IN ('deceased', 'transferred'));
`;

export const migration: SqliteMigration = {
  version: 9,
  name: THERAPY_RESTARTS_MIGRATION,
  up(db) {
    db.exec(PATIENT_STATUS_DATES_SQL);
    db.exec(THERAPY_RESTARTS_SQL);
  },
};
