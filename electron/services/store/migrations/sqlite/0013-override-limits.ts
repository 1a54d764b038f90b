/**
 * Migration 13, "limit overrides: the soft limits each override crossed": the soft limits each override crossed (issue 17, item 1), kept with the entry as the library
 * stood when it was recorded: a JSON array of `{ drug, limit, value, source }`
 * (shared/domain/limits.ts `SoftLimitCrossed`), set only with an `override_reason`.
 *
 * Released and frozen: never change this file (migrations.test.ts pins its SHA-256); add a new
 * migration instead. It imports nothing but the migration type (lint-enforced).
 */
import type { SqliteMigration } from '../types';

export const OVERRIDE_LIMITS_MIGRATION = 'limit overrides: the soft limits each override crossed';

export const OVERRIDE_LIMITS_SQL = `
  ALTER TABLE refills ADD COLUMN override_limits_json TEXT CHECK (override_limits_json IS NULL OR json_valid(override_limits_json));
  ALTER TABLE dose_changes ADD COLUMN override_limits_json TEXT CHECK (override_limits_json IS NULL OR json_valid(override_limits_json));
`;

export const migration: SqliteMigration = {
  version: 13,
  name: OVERRIDE_LIMITS_MIGRATION,
  up(db) {
    db.exec(OVERRIDE_LIMITS_SQL);
  },
};
