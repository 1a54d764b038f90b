/**
 * Migration 3, "accounts and audit trail": accounts, the access settings and the audit trail: append-only and hash-chained (hash = SHA-256
 * over the entry's fields and prev_hash, electron/services/audit/chain.ts); the triggers refuse any
 * UPDATE or DELETE.
 *
 * Released and frozen: never change this file (migrations.test.ts pins its SHA-256); add a new
 * migration instead. It imports nothing but the migration type (lint-enforced).
 */
import type { SqliteMigration } from '../types';

export const ACCOUNTS_AUDIT_MIGRATION = 'accounts and audit trail';

export const ACCOUNTS_AUDIT_SQL = `
  CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('administrator', 'clinician', 'staff', 'auditor')),
    -- scrypt: 'scrypt$N$r$p$salt(base64)$hash(base64)', parameters kept with each hash
    password_hash TEXT NOT NULL CHECK (password_hash GLOB 'scrypt$*'),
    failed_logins INTEGER NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
    locked_until_ms INTEGER,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    -- Raised on a role change, deactivation or password reset: every session of the user ends.
    session_epoch INTEGER NOT NULL DEFAULT 0,
    created_at_ms INTEGER NOT NULL,
    updated_at_ms INTEGER NOT NULL
  ) STRICT;

  -- One row: access settings the administrator sets.
  CREATE TABLE access_settings (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    session_lock_minutes INTEGER NOT NULL DEFAULT 10 CHECK (session_lock_minutes BETWEEN 1 AND 240)
  ) STRICT;
  INSERT INTO access_settings (id) VALUES (1);

  -- Append-only and hash-chained: hash = SHA-256 over the entry's fields and prev_hash
  -- (electron/services/audit/chain.ts). The triggers refuse any UPDATE or DELETE.
  CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at_ms INTEGER NOT NULL,
    user_id INTEGER,
    username TEXT NOT NULL,
    role TEXT,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT,
    patient_id INTEGER,
    before_json TEXT CHECK (before_json IS NULL OR json_valid(before_json)),
    after_json TEXT CHECK (after_json IS NULL OR json_valid(after_json)),
    detail_json TEXT CHECK (detail_json IS NULL OR json_valid(detail_json)),
    prev_hash TEXT NOT NULL UNIQUE,
    hash TEXT NOT NULL UNIQUE
  ) STRICT;
  CREATE INDEX audit_by_user ON audit_log (username COLLATE NOCASE, at_ms);
  CREATE INDEX audit_by_patient ON audit_log (patient_id, at_ms) WHERE patient_id IS NOT NULL;
  CREATE INDEX audit_by_time ON audit_log (at_ms);

  CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only: an entry cannot be changed');
  END;
  CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only: an entry cannot be deleted');
  END;
`;

export const migration: SqliteMigration = {
  version: 3,
  name: ACCOUNTS_AUDIT_MIGRATION,
  up(db) {
    db.exec(ACCOUNTS_AUDIT_SQL);
  },
};
