/**
 * Migration 14, "audit trail: the workstation of each entry": the workstation of each audit entry written through a server (audit/workstation.ts).
 *
 * Released and frozen: never change this file (migrations.test.ts pins its SHA-256); add a new
 * migration instead. It imports nothing but the migration type (lint-enforced).
 */
import type { SqliteMigration } from '../types';

export const AUDIT_WORKSTATION_MIGRATION = 'audit trail: the workstation of each entry';

export const AUDIT_WORKSTATION_SQL = `ALTER TABLE audit_log ADD COLUMN workstation TEXT;`;

export const migration: SqliteMigration = {
  version: 14,
  name: AUDIT_WORKSTATION_MIGRATION,
  up(db) {
    db.exec(AUDIT_WORKSTATION_SQL);
  },
};
