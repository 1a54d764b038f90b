/**
 * Migration 4, "backup settings", in the PostgreSQL dialect (issue 15, item 3): the same one-row
 * table as migrations/sqlite/0004-backup-settings.ts, kept so both engines have the same tables.
 * On PostgreSQL the engine's own tools keep the backups (issue 15, item 3): the row stays as seeded
 * until the store says otherwise.
 *
 * Frozen like the SQLite files: never change this file (frozen-migrations.test.ts pins its SHA-256);
 * add a new migration instead. It imports nothing but the migration type (lint-enforced).
 */
import type { PostgresMigration } from '../types';

export const BACKUP_SETTINGS_MIGRATION = 'backup settings';

export const BACKUP_SETTINGS_SQL = `
  CREATE TABLE backup_settings (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    folder TEXT CHECK (folder IS NULL OR length(folder) > 0),
    last_backup_at_ms BIGINT,
    last_backup_name TEXT,
    last_error TEXT
  );
  INSERT INTO backup_settings (id) VALUES (1);
`;

export const migration: PostgresMigration = {
  version: 4,
  name: BACKUP_SETTINGS_MIGRATION,
  async up(client) {
    await client.query(BACKUP_SETTINGS_SQL);
  },
};
