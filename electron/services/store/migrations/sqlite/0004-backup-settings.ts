/**
 * Migration 4, "backup settings": where backups go and when the last one was made: one row (electron/services/backup/settings.ts).
 *
 * Released and frozen: never change this file (migrations.test.ts pins its SHA-256); add a new
 * migration instead. It imports nothing but the migration type (lint-enforced).
 */
import type { SqliteMigration } from '../types';

export const BACKUP_SETTINGS_MIGRATION = 'backup settings';

export const BACKUP_SETTINGS_SQL = `
  CREATE TABLE backup_settings (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    folder TEXT CHECK (folder IS NULL OR length(folder) > 0),
    last_backup_at_ms INTEGER,
    last_backup_name TEXT,
    last_error TEXT
  ) STRICT;
  INSERT INTO backup_settings (id) VALUES (1);
`;

export const migration: SqliteMigration = {
  version: 4,
  name: BACKUP_SETTINGS_MIGRATION,
  up(db) {
    db.exec(BACKUP_SETTINGS_SQL);
  },
};
