/**
 * Migration 15 in the PostgreSQL dialect (issue 15, item 3): migrations/sqlite/0015-record-versions.ts written
 * for PostgreSQL, the same columns and rules.
 * The same partial index, word for word.
 *
 * Frozen like the SQLite files: never change this file (frozen-migrations.test.ts pins its SHA-256);
 * add a new migration instead. It imports nothing but the migration type (lint-enforced).
 */
import type { PostgresMigration } from '../types';

export const RECORD_VERSIONS_MIGRATION = 'record versions: an index of the audit entries that change a record';

export const RECORD_VERSIONS_SQL = `
  CREATE INDEX IF NOT EXISTS audit_record_versions ON audit_log (entity, entity_id, seq) WHERE action IN ('create', 'update', 'user_create', 'user_update');
`;

export const migration: PostgresMigration = {
  version: 15,
  name: RECORD_VERSIONS_MIGRATION,
  async up(client) {
    await client.query(RECORD_VERSIONS_SQL);
  },
};
