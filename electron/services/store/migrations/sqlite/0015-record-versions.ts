/**
 * Migration 15, "record versions: an index of the audit entries that change a record": several people at once (issue 14, item 4; store/versions.ts): the newest version-changing audit
 * entry of a record, from an index (partial: only the actions of `VERSIONED_ACTIONS`). An index only.
 *
 * Released and frozen: never change this file (migrations.test.ts pins its SHA-256); add a new
 * migration instead. It imports nothing but the migration type (lint-enforced).
 */
import type { SqliteMigration } from '../types';

export const RECORD_VERSIONS_MIGRATION = 'record versions: an index of the audit entries that change a record';

export const RECORD_VERSIONS_SQL = `
  CREATE INDEX IF NOT EXISTS audit_record_versions ON audit_log (entity, entity_id, seq) WHERE action IN ('create', 'update', 'user_create', 'user_update');
`;

export const migration: SqliteMigration = {
  version: 15,
  name: RECORD_VERSIONS_MIGRATION,
  up(db) {
    db.exec(RECORD_VERSIONS_SQL);
  },
};
