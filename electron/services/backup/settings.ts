/**
 * Where backups go and when the last one was made: one row in `backup_settings` (migration 4).
 * Read and written on short connections of their own, so this works whichever process or shell
 * holds the main connection, and (reading) even on a damaged database when the row is still legible.
 */
import type Database from 'better-sqlite3-multiple-ciphers';
import { connect } from '../store/connect';
import path from 'node:path';
import type { NativeOptions } from './files';

/* The table `backup_settings`: migration 4 (store/migrations/sqlite/0004-backup-settings.ts). */

export interface BackupSettings {
  /** The configured folder (absolute), or null for the default. */
  folder: string | null;
  lastBackupAtMs: number | null;
  lastBackupName: string | null;
  lastError: string | null;
}

export const NO_SETTINGS: BackupSettings = { folder: null, lastBackupAtMs: null, lastBackupName: null, lastError: null };

/** `backups` next to the database. */
export const defaultBackupFolder = (databasePath: string): string => path.join(path.dirname(path.resolve(databasePath)), 'backups');

export function hasSettingsTable(db: Database.Database): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'backup_settings'").get() !== undefined;
}

/** The settings on an open connection; the defaults when the table is missing or unreadable. */
export function readSettings(db: Database.Database): BackupSettings {
  try {
    if (!hasSettingsTable(db)) return NO_SETTINGS;
    const row = db
      .prepare('SELECT folder, last_backup_at_ms AS lastBackupAtMs, last_backup_name AS lastBackupName, last_error AS lastError FROM backup_settings WHERE id = 1')
      .get() as BackupSettings | undefined;
    return row ?? NO_SETTINGS;
  } catch {
    return NO_SETTINGS;
  }
}

/** The settings of the database file, read on a read-only connection (defaults if unreadable). */
export function readSettingsOf(databasePath: string, options: NativeOptions = {}): BackupSettings {
  let db: Database.Database | null = null;
  try {
    db = connect(databasePath, options, { readonly: true, fileMustExist: true });
    return readSettings(db);
  } catch {
    return NO_SETTINGS;
  } finally {
    db?.close();
  }
}

/** Updates the row; false when the database has no settings table yet (or cannot be written). */
export function writeSettingsOf(databasePath: string, change: Partial<BackupSettings>, options: NativeOptions = {}): boolean {
  let db: Database.Database | null = null;
  try {
    db = connect(databasePath, options, { fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    if (!hasSettingsTable(db)) return false;
    const sets: string[] = [];
    const values: (string | number | null)[] = [];
    const column = { folder: 'folder', lastBackupAtMs: 'last_backup_at_ms', lastBackupName: 'last_backup_name', lastError: 'last_error' } as const;
    for (const key of Object.keys(column) as (keyof typeof column)[]) {
      if (key in change) {
        sets.push(`${column[key]} = ?`);
        values.push(change[key] ?? null);
      }
    }
    if (sets.length > 0) db.prepare(`UPDATE backup_settings SET ${sets.join(', ')} WHERE id = 1`).run(...values);
    return true;
  } catch {
    return false;
  } finally {
    db?.close();
  }
}
