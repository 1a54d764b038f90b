import type Database from 'better-sqlite3-multiple-ciphers';
import fs from 'node:fs';
import path from 'node:path';
import { fail, type AppError } from '../../../shared/contract/result';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration } from './migrations';
import { backupBeforeMigration } from '../backup/premigration';
import { createPrivateFile, makePrivateDir, tightenDatabaseFiles } from './private-files';
import { connect, DatabaseKeyError, type ConnectOptions } from './connect';
import type { DatabaseKey } from './keys';

export type OpenedDatabase =
  | { ok: true; state: 'ok'; db: Database.Database; schemaVersion: number }
  /** The file failed `integrity_check`: it is open read-only, for recovery and nothing else. */
  | { ok: true; state: 'recovery'; db: Database.Database | null; schemaVersion: number; message: string }
  | { ok: false; error: AppError };

export interface OpenOptions {
  /** Where better-sqlite3 finds its native addon (Electron has its own build). */
  nativeBinding?: string;
  /** The database's key (docs/security.md, "Encryption at rest"); none: an unencrypted database. */
  key?: DatabaseKey | null;
  /** The migrations to apply; tests pass their own lists. */
  migrations?: readonly Migration[];
  /** Copy an existing database into its backups folder before migrating it (default true). */
  backupBeforeMigration?: boolean;
  /** The clock for backup file names. */
  now?: () => number;
}

/**
 * Opens (creating if needed) the clinic database: WAL, synchronous=FULL, foreign keys on;
 * refuses a database written by a newer version; opens a damaged one for recovery only;
 * applies all pending migrations in one transaction.
 */
export function openDatabase(file: string, options: OpenOptions = {}): OpenedDatabase {
  const migrations = options.migrations ?? MIGRATIONS;
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  const dbOptions: ConnectOptions = { nativeBinding: options.nativeBinding, key: options.key };
  makePrivateDir(path.dirname(path.resolve(file)));

  let db: Database.Database;
  try {
    if (file !== ':memory:') ownerOnly(file);
    db = connect(file, dbOptions);
  } catch (e) {
    if (e instanceof DatabaseKeyError) return fail('database_key', `${e.message} Nothing was changed.`);
    return fail('database_damaged', `The database file ${file} cannot be opened: ${(e as Error).message}`);
  }

  let version: number;
  try {
    version = db.pragma('user_version', { simple: true }) as number;
  } catch (e) {
    db.close();
    return recovery(file, dbOptions, 0, `The file is not a readable Reservoir database (${(e as Error).message}).`);
  }

  if (version > latest) {
    db.close();
    return fail(
      'database_newer',
      `This database was written by a newer version of Reservoir (schema ${version}; this version knows up to ${latest}). ` +
        'Install the newer Reservoir to open it. Nothing was changed.',
    );
  }

  const problems = integrityProblems(db, startupCheck(file));
  if (problems !== null) {
    db.close();
    return recovery(file, dbOptions, version, `The database failed its integrity check: ${problems}`);
  }

  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    const pending = migrations.filter((m) => m.version > version).sort((a, b) => a.version - b.version);
    if (pending.length > 0 && version > 0 && options.backupBeforeMigration !== false) {
      // A brand-new database (schema 0) has nothing to lose; any other is copied first.
      const backup = backupBeforeMigration(db, file, version, (options.now ?? Date.now)(), dbOptions);
      if (!backup.ok) {
        db.close();
        return fail('internal', `Reservoir must back up the database before upgrading it (schema ${version} to ${latest}) and could not: ${backup.message}. Nothing was changed.`);
      }
    }
    if (pending.length > 0) {
      db.transaction(() => {
        for (const m of pending) m.up(db);
        db.pragma(`user_version = ${latest}`);
      })();
    }
    return { ok: true, state: 'ok', db, schemaVersion: latest };
  } catch (e) {
    db.close();
    return fail('internal', `The database could not be prepared; it was left as it was (${(e as Error).message}).`);
  }
}

/**
 * The check run at every start: the full `integrity_check` up to 512 MB (about 3 s here; a large
 * clinic's 20 years is about 60 MB, 0.15 s), `quick_check` above (docs/security.md has the figures).
 * Backups are always fully checked before they are restored.
 */
export const FULL_CHECK_MAX_BYTES = 512 * 1024 * 1024;
function startupCheck(file: string): 'integrity_check' | 'quick_check' {
  try {
    return fs.statSync(file).size > FULL_CHECK_MAX_BYTES ? 'quick_check' : 'integrity_check';
  } catch {
    return 'integrity_check';
  }
}

function integrityProblems(db: Database.Database, check: 'integrity_check' | 'quick_check'): string | null {
  try {
    const rows = db.pragma(check) as Record<string, string>[];
    const messages = rows.map((r) => r[check] ?? '');
    return messages.length === 1 && messages[0] === 'ok' ? null : messages.slice(0, 5).join('; ');
  } catch (e) {
    return (e as Error).message;
  }
}

/**
 * The database file owner-only from its first byte (a new one is created empty, 0600, for SQLite to
 * fill), or tightened (one written by an earlier version). SQLite gives the -wal and -shm it creates
 * the database file's mode.
 */
function ownerOnly(file: string): void {
  try {
    createPrivateFile(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    tightenDatabaseFiles(file);
  }
}

function recovery(file: string, dbOptions: ConnectOptions, version: number, message: string): OpenedDatabase {
  let db: Database.Database | null;
  try {
    db = connect(file, dbOptions, { readonly: true, fileMustExist: true });
  } catch {
    db = null;
  }
  return { ok: true, state: 'recovery', db, schemaVersion: version, message };
}

export { LATEST_SCHEMA_VERSION };
