import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { fail, type AppError } from '../../../shared/contract/result';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration } from './migrations';

export type OpenedDatabase =
  | { ok: true; state: 'ok'; db: Database.Database; schemaVersion: number }
  /** The file failed `integrity_check`: it is open read-only, for recovery and nothing else. */
  | { ok: true; state: 'recovery'; db: Database.Database | null; schemaVersion: number; message: string }
  | { ok: false; error: AppError };

export interface OpenOptions {
  /** Where better-sqlite3 finds its native addon (Electron has its own build). */
  nativeBinding?: string;
  /** The migrations to apply; tests pass their own lists. */
  migrations?: readonly Migration[];
}

/**
 * Opens (creating if needed) the clinic database: WAL, synchronous=FULL, foreign keys on;
 * refuses a database written by a newer version; opens a damaged one for recovery only;
 * applies all pending migrations in one transaction.
 */
export function openDatabase(file: string, options: OpenOptions = {}): OpenedDatabase {
  const migrations = options.migrations ?? MIGRATIONS;
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  const dbOptions: Database.Options = options.nativeBinding ? { nativeBinding: options.nativeBinding } : {};
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });

  let db: Database.Database;
  try {
    db = new Database(file, dbOptions);
  } catch (e) {
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

  const problems = integrityProblems(db);
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

function integrityProblems(db: Database.Database): string | null {
  try {
    const rows = db.pragma('integrity_check') as { integrity_check: string }[];
    const messages = rows.map((r) => r.integrity_check);
    return messages.length === 1 && messages[0] === 'ok' ? null : messages.slice(0, 5).join('; ');
  } catch (e) {
    return (e as Error).message;
  }
}

function recovery(file: string, dbOptions: Database.Options, version: number, message: string): OpenedDatabase {
  let db: Database.Database | null;
  try {
    db = new Database(file, { ...dbOptions, readonly: true, fileMustExist: true });
  } catch {
    db = null;
  }
  return { ok: true, state: 'recovery', db, schemaVersion: version, message };
}

export { LATEST_SCHEMA_VERSION };
