/**
 * Migration 16, "independent double check": the independent double check (issue 17, item 3; features/verifications): one row per entry that
 * needs a check, made in the entry's transaction. The only change a row may undergo is its one
 * decision (awaiting → verified or rejected, by a user other than the recorder); rows are never
 * deleted. The triggers refuse anything else, whoever asks.
 *
 * Released and frozen: never change this file (migrations.test.ts pins its SHA-256); add a new
 * migration instead. It imports nothing but the migration type (lint-enforced).
 */
import type { SqliteMigration } from '../types';

export const VERIFICATIONS_MIGRATION = 'independent double check';

export const VERIFICATIONS_SQL = `
  CREATE TABLE verifications (
    id INTEGER PRIMARY KEY,
    entry_kind TEXT NOT NULL CHECK (entry_kind IN ('refill', 'dose_change')),
    entry_id INTEGER NOT NULL,
    pump_id INTEGER NOT NULL REFERENCES pumps (id),
    -- Why a check is needed: a JSON array of opioid_increase, ziconotide_increase, soft_limit_override.
    reasons TEXT NOT NULL CHECK (json_valid(reasons) AND json_type(reasons) = 'array' AND json_array_length(reasons) > 0),
    summary TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'awaiting' CHECK (state IN ('awaiting', 'verified', 'rejected')),
    requested_by_user_id INTEGER,
    requested_by_name TEXT NOT NULL CHECK (length(requested_by_name) > 0),
    requested_by_role TEXT CHECK (requested_by_role IS NULL OR requested_by_role IN ('administrator', 'clinician', 'staff', 'auditor')),
    requested_at_ms INTEGER NOT NULL,
    decided_by_user_id INTEGER,
    decided_by_name TEXT,
    decided_by_role TEXT CHECK (decided_by_role IS NULL OR decided_by_role IN ('administrator', 'clinician', 'staff', 'auditor')),
    decided_at_ms INTEGER,
    reject_reason TEXT,
    UNIQUE (entry_kind, entry_id),
    CHECK ((state = 'awaiting') = (decided_at_ms IS NULL)),
    CHECK (state = 'awaiting' OR (decided_by_user_id IS NOT NULL AND decided_by_name IS NOT NULL AND decided_by_role = 'clinician')),
    CHECK ((state = 'rejected') = (reject_reason IS NOT NULL AND length(trim(reject_reason)) > 0)),
    CHECK (decided_by_user_id IS NULL OR requested_by_user_id IS NULL OR decided_by_user_id <> requested_by_user_id)
  ) STRICT;
  CREATE INDEX verifications_awaiting ON verifications (requested_at_ms) WHERE state = 'awaiting';
  CREATE INDEX verifications_by_pump ON verifications (pump_id, state);

  CREATE TRIGGER verifications_decide_once BEFORE UPDATE ON verifications
  WHEN OLD.state <> 'awaiting' OR NEW.state = 'awaiting'
    OR NEW.entry_kind IS NOT OLD.entry_kind OR NEW.entry_id IS NOT OLD.entry_id OR NEW.pump_id IS NOT OLD.pump_id
    OR NEW.reasons IS NOT OLD.reasons OR NEW.summary IS NOT OLD.summary
    OR NEW.requested_by_user_id IS NOT OLD.requested_by_user_id OR NEW.requested_by_name IS NOT OLD.requested_by_name
    OR NEW.requested_by_role IS NOT OLD.requested_by_role OR NEW.requested_at_ms IS NOT OLD.requested_at_ms
  BEGIN SELECT RAISE(ABORT, 'a double check is decided once: an awaiting entry can only be verified or rejected'); END;
  CREATE TRIGGER verifications_no_delete BEFORE DELETE ON verifications
  BEGIN SELECT RAISE(ABORT, 'a double check cannot be deleted'); END;
`;

export const migration: SqliteMigration = {
  version: 16,
  name: VERIFICATIONS_MIGRATION,
  up(db) {
    db.exec(VERIFICATIONS_SQL);
  },
};
