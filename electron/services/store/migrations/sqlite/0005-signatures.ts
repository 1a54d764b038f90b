/**
 * Migration 5, "signatures and amendments": signatures and amendments. A signature names what it signs by kind and id (`refill`, `removal`,
 * `reversal` rows, or an `amendment`), keeps the signer's printed name and role as they were, its
 * meaning, the instant, and a SHA-256 of the signed content (features/signatures/content.ts).
 * Signatures and amendments are append-only, and a signed refill (with its drugs), removal or
 * reversal can no longer be changed or deleted: the triggers refuse it, whoever asks.
 *
 * Released and frozen: never change this file (migrations.test.ts pins its SHA-256); add a new
 * migration instead. It imports nothing but the migration type (lint-enforced).
 */
import type { SqliteMigration } from '../types';

export const SIGNATURES_MIGRATION = 'signatures and amendments';

export const SIGNATURES_SQL = `
  CREATE TABLE signatures (
    id INTEGER PRIMARY KEY,
    entry_kind TEXT NOT NULL CHECK (entry_kind IN ('refill', 'removal', 'reversal', 'amendment')),
    entry_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users (id),
    printed_name TEXT NOT NULL CHECK (length(printed_name) > 0),
    role TEXT NOT NULL CHECK (role IN ('administrator', 'clinician', 'staff', 'auditor')),
    meaning TEXT NOT NULL CHECK (length(meaning) > 0),
    signed_at_ms INTEGER NOT NULL,
    content_sha256 TEXT NOT NULL CHECK (length(content_sha256) = 64),
    UNIQUE (entry_kind, entry_id)
  ) STRICT;

  CREATE TABLE amendments (
    id INTEGER PRIMARY KEY,
    entry_kind TEXT NOT NULL CHECK (entry_kind IN ('refill', 'removal', 'reversal')),
    entry_id INTEGER NOT NULL,
    -- The amended fields: {"note": "old"} before, {"note": "new"} after (dotted paths as keys).
    before_json TEXT NOT NULL CHECK (json_valid(before_json) AND json_type(before_json) = 'object'),
    after_json TEXT NOT NULL CHECK (json_valid(after_json) AND json_type(after_json) = 'object'),
    reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    user_id INTEGER NOT NULL REFERENCES users (id),
    printed_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('administrator', 'clinician', 'staff', 'auditor')),
    at_ms INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX amendments_by_entry ON amendments (entry_kind, entry_id, id);

  CREATE TRIGGER signatures_no_update BEFORE UPDATE ON signatures
  BEGIN SELECT RAISE(ABORT, 'signatures are append-only: a signature cannot be changed'); END;
  CREATE TRIGGER signatures_no_delete BEFORE DELETE ON signatures
  BEGIN SELECT RAISE(ABORT, 'signatures are append-only: a signature cannot be deleted'); END;
  CREATE TRIGGER amendments_no_update BEFORE UPDATE ON amendments
  BEGIN SELECT RAISE(ABORT, 'amendments are append-only: an amendment cannot be changed'); END;
  CREATE TRIGGER amendments_no_delete BEFORE DELETE ON amendments
  BEGIN SELECT RAISE(ABORT, 'amendments are append-only: an amendment cannot be deleted'); END;

  CREATE TRIGGER signed_refill_no_update BEFORE UPDATE ON refills
  WHEN EXISTS (SELECT 1 FROM signatures WHERE entry_kind = 'refill' AND entry_id = OLD.id)
  BEGIN SELECT RAISE(ABORT, 'a signed refill visit cannot be changed: record an amendment'); END;
  CREATE TRIGGER signed_refill_no_delete BEFORE DELETE ON refills
  WHEN EXISTS (SELECT 1 FROM signatures WHERE entry_kind = 'refill' AND entry_id = OLD.id)
  BEGIN SELECT RAISE(ABORT, 'a signed refill visit cannot be deleted'); END;
  CREATE TRIGGER signed_refill_drugs_no_insert BEFORE INSERT ON refill_drugs
  WHEN EXISTS (SELECT 1 FROM signatures WHERE entry_kind = 'refill' AND entry_id = NEW.refill_id)
  BEGIN SELECT RAISE(ABORT, 'a signed refill visit cannot be changed: record an amendment'); END;
  CREATE TRIGGER signed_refill_drugs_no_update BEFORE UPDATE ON refill_drugs
  WHEN EXISTS (SELECT 1 FROM signatures WHERE entry_kind = 'refill' AND entry_id IN (OLD.refill_id, NEW.refill_id))
  BEGIN SELECT RAISE(ABORT, 'a signed refill visit cannot be changed: record an amendment'); END;
  CREATE TRIGGER signed_refill_drugs_no_delete BEFORE DELETE ON refill_drugs
  WHEN EXISTS (SELECT 1 FROM signatures WHERE entry_kind = 'refill' AND entry_id = OLD.refill_id)
  BEGIN SELECT RAISE(ABORT, 'a signed refill visit cannot be changed: record an amendment'); END;

  CREATE TRIGGER signed_removal_no_update BEFORE UPDATE ON removals
  WHEN EXISTS (SELECT 1 FROM signatures WHERE entry_kind = 'removal' AND entry_id = OLD.id)
  BEGIN SELECT RAISE(ABORT, 'a signed removal cannot be changed: record an amendment'); END;
  CREATE TRIGGER signed_removal_no_delete BEFORE DELETE ON removals
  WHEN EXISTS (SELECT 1 FROM signatures WHERE entry_kind = 'removal' AND entry_id = OLD.id)
  BEGIN SELECT RAISE(ABORT, 'a signed removal cannot be deleted'); END;

  CREATE TRIGGER signed_reversal_no_update BEFORE UPDATE ON reversals
  WHEN EXISTS (SELECT 1 FROM signatures WHERE entry_kind = 'reversal' AND entry_id = OLD.id)
  BEGIN SELECT RAISE(ABORT, 'a signed therapy reversal cannot be changed: record an amendment'); END;
  CREATE TRIGGER signed_reversal_no_delete BEFORE DELETE ON reversals
  WHEN EXISTS (SELECT 1 FROM signatures WHERE entry_kind = 'reversal' AND entry_id = OLD.id)
  BEGIN SELECT RAISE(ABORT, 'a signed therapy reversal cannot be deleted'); END;
`;

export const migration: SqliteMigration = {
  version: 5,
  name: SIGNATURES_MIGRATION,
  up(db) {
    db.exec(SIGNATURES_SQL);
  },
};
