/**
 * The backup taken before a schema migration. `openDatabase` applies migrations synchronously while
 * it holds the only connection, so the copy is taken there with `VACUUM INTO` (a consistent
 * snapshot of the committed database, written under a temporary name, flushed, then renamed):
 * nothing can write in between, and opening need not become asynchronous.
 */
import type Database from 'better-sqlite3-multiple-ciphers';
import fs from 'node:fs';
import path from 'node:path';
import { snapshotInto, type NativeOptions } from './files';
import { backupFileName } from './names';
import { defaultBackupFolder, readSettings } from './settings';
import { makePrivateDir } from '../store/private-files';

export type PreMigrationBackup = { ok: true; file: string } | { ok: false; message: string };

/**
 * Copies the database (at schema `fromVersion`) into its backups folder; when the configured folder
 * cannot be written, into the default folder next to the database. Fails only when neither works.
 */
export function backupBeforeMigration(db: Database.Database, databasePath: string, fromVersion: number, nowMs: number, options: NativeOptions = {}): PreMigrationBackup {
  const fallback = defaultBackupFolder(databasePath);
  const configured = readSettings(db).folder;
  const folders = configured === null || path.resolve(configured) === fallback ? [fallback] : [configured, fallback];
  const problems: string[] = [];
  for (const folder of folders) {
    try {
      // The default folder is made when needed; a configured one must exist (its drive may be away).
      if (folder !== fallback && !fs.existsSync(folder)) throw new Error('the folder does not exist');
      makePrivateDir(folder);
      const file = path.join(folder, backupFileName(databasePath, nowMs, fromVersion, 'premigration'));
      snapshotInto(db, file, options);
      return { ok: true, file };
    } catch (e) {
      problems.push(`${folder}: ${(e as Error).message}`);
    }
  }
  return { ok: false, message: problems.join('; ') };
}
