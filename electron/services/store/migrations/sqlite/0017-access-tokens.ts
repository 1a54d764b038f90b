/**
 * Migration 17, "personal access tokens": personal access tokens (issue 14, item 5; features/tokens). The secret itself is never stored
 * (`secret_sha256`); a token's role is never administrator; it always expires; a revocation is kept
 * and final; rows are never deleted.
 *
 * Released and frozen: never change this file (migrations.test.ts pins its SHA-256); add a new
 * migration instead. It imports nothing but the migration type (lint-enforced).
 */
import type { SqliteMigration } from '../types';

export const ACCESS_TOKENS_MIGRATION = 'personal access tokens';

export const ACCESS_TOKENS_SQL = `
  CREATE TABLE access_tokens (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    role TEXT NOT NULL CHECK (role IN ('clinician', 'staff', 'auditor')),
    secret_sha256 TEXT NOT NULL UNIQUE CHECK (length(secret_sha256) = 64),
    created_by_user_id INTEGER,
    created_by_name TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL,
    expires_at_ms INTEGER NOT NULL CHECK (expires_at_ms > created_at_ms),
    last_used_at_ms INTEGER,
    revoked_at_ms INTEGER,
    revoked_by_name TEXT,
    CHECK ((revoked_at_ms IS NULL) = (revoked_by_name IS NULL))
  ) STRICT;
  CREATE UNIQUE INDEX access_tokens_active_name ON access_tokens (name COLLATE NOCASE) WHERE revoked_at_ms IS NULL;

  CREATE TRIGGER access_tokens_no_delete BEFORE DELETE ON access_tokens
    BEGIN SELECT RAISE(ABORT, 'access tokens are never deleted: revoke them'); END;
  CREATE TRIGGER access_tokens_revocation_final BEFORE UPDATE OF revoked_at_ms, revoked_by_name, secret_sha256, role, name, expires_at_ms ON access_tokens
    WHEN OLD.revoked_at_ms IS NOT NULL OR NEW.secret_sha256 IS NOT OLD.secret_sha256 OR NEW.role IS NOT OLD.role
      OR NEW.name IS NOT OLD.name OR NEW.expires_at_ms IS NOT OLD.expires_at_ms
    BEGIN SELECT RAISE(ABORT, 'an access token is changed only by its revocation (once) and its last use'); END;
`;

export const migration: SqliteMigration = {
  version: 17,
  name: ACCESS_TOKENS_MIGRATION,
  up(db) {
    db.exec(ACCESS_TOKENS_SQL);
  },
};
