/**
 * Migration 13 in the PostgreSQL dialect (issue 15, item 3): migrations/sqlite/0013-override-limits.ts written
 * for PostgreSQL, the same columns and rules.
 * json_valid(x) becomes a cast to json (invalid JSON raises); the text is kept as written.
 *
 * Frozen like the SQLite files: never change this file (frozen-migrations.test.ts pins its SHA-256);
 * add a new migration instead. It imports nothing but the migration type (lint-enforced).
 */
import type { PostgresMigration } from '../types';

export const OVERRIDE_LIMITS_MIGRATION = 'limit overrides: the soft limits each override crossed';

export const OVERRIDE_LIMITS_SQL = `
  ALTER TABLE refills ADD COLUMN override_limits_json TEXT CHECK (override_limits_json IS NULL OR override_limits_json::json IS NOT NULL);
  ALTER TABLE dose_changes ADD COLUMN override_limits_json TEXT CHECK (override_limits_json IS NULL OR override_limits_json::json IS NOT NULL);
`;

export const migration: PostgresMigration = {
  version: 13,
  name: OVERRIDE_LIMITS_MIGRATION,
  async up(client) {
    await client.query(OVERRIDE_LIMITS_SQL);
  },
};
