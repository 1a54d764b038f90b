/**
 * Migration 14 in the PostgreSQL dialect (issue 15, item 3): migrations/sqlite/0014-audit-workstation.ts written
 * for PostgreSQL, the same columns and rules.
 * A new column leaves the append-only triggers of migration 3 as they are.
 *
 * Frozen like the SQLite files: never change this file (frozen-migrations.test.ts pins its SHA-256);
 * add a new migration instead. It imports nothing but the migration type (lint-enforced).
 */
import type { PostgresMigration } from '../types';

export const AUDIT_WORKSTATION_MIGRATION = 'audit trail: the workstation of each entry';

export const AUDIT_WORKSTATION_SQL = `ALTER TABLE audit_log ADD COLUMN workstation TEXT;`;

export const migration: PostgresMigration = {
  version: 14,
  name: AUDIT_WORKSTATION_MIGRATION,
  async up(client) {
    await client.query(AUDIT_WORKSTATION_SQL);
  },
};
