import type Database from 'better-sqlite3-multiple-ciphers';
import path from 'node:path';
import { fail, type AppError } from '../../../shared/contract/result';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration } from './migrations';
import { backupBeforeMigration } from '../backup/premigration';
import { createPrivateFile, makePrivateDir, tightenDatabaseFiles } from './private-files';
import { connect, DatabaseKeyError, isBusyError, type ConnectOptions } from './connect';
import type { DatabaseKey } from './keys';
import { writeTransaction } from './transactions';

export type OpenedDatabase =
  | { ok: true; state: 'ok'; db: Database.Database; schemaVersion: number }
  /** The file failed a check: it is open read-only, for recovery and nothing else. */
  | { ok: true; state: 'recovery'; db: Database.Database | null; schemaVersion: number; message: string }
  | { ok: false; error: AppError };

/** How long opening (and every later statement) waits for another program's lock (better-sqlite3 `timeout`). */
export const BUSY_TIMEOUT_MS = 5000;

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
  /** How long to wait for another program's lock before answering `database_busy` (default 5 s). */
  busyTimeoutMs?: number;
  /**
   * The file is known to be damaged (the full integrity check failed after it was opened): open it
   * for recovery only, with this message, without writing to it.
   */
  damaged?: string;
}

export { isBusyError };

/** What a busy file is called: in use, never damaged. */
export function busyMessage(file: string, waitedMs: number = BUSY_TIMEOUT_MS): string {
  return (
    `The database ${file} is in use by another program (it holds a lock on the file; Reservoir waited ${Math.round(waitedMs / 1000)} s). ` +
    'Close that program (or wait for it to finish) and try again; nothing was changed.'
  );
}

/**
 * Opens (creating if needed) the clinic database: the busy timeout first, so a file another program
 * holds is waited for and then reported as in use (`database_busy`), never as damaged; WAL,
 * synchronous=FULL, foreign keys on; refuses a database written by a newer version; runs the cheap
 * check (`cheapCheck`: O(1) in the file's size) and opens a file that fails it for recovery only;
 * applies all pending migrations in one IMMEDIATE transaction, after a full integrity check and a
 * backup. The full `integrity_check` of every opening is the caller's (`integrity.ts`: in the
 * background for the shells, before every backup).
 */
export function openDatabase(file: string, options: OpenOptions = {}): OpenedDatabase {
  const migrations = options.migrations ?? MIGRATIONS;
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  const timeout = options.busyTimeoutMs ?? BUSY_TIMEOUT_MS;
  const dbOptions: ConnectOptions = { nativeBinding: options.nativeBinding, key: options.key };
  makePrivateDir(path.dirname(path.resolve(file)));

  let db: Database.Database;
  try {
    if (file !== ':memory:') ownerOnly(file);
    // The busy timeout (`timeout`) is set when the connection opens, before anything reads the file.
    db = connect(file, dbOptions, { timeout });
    db.pragma(`busy_timeout = ${timeout}`);
  } catch (e) {
    if (isBusyError(e)) return fail('database_busy', busyMessage(file, timeout));
    if (e instanceof DatabaseKeyError) return fail('database_key', `${e.message} Nothing was changed.`);
    return fail('database_damaged', `The database file ${file} cannot be opened: ${(e as Error).message}`);
  }

  let version: number;
  try {
    version = db.pragma('user_version', { simple: true }) as number;
  } catch (e) {
    db.close();
    if (isBusyError(e)) return fail('database_busy', busyMessage(file, timeout));
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

  if (options.damaged !== undefined) {
    db.close();
    return recovery(file, dbOptions, version, options.damaged);
  }

  let problem: string | null;
  try {
    problem = cheapCheck(db, version, options.migrations === undefined);
  } catch (e) {
    db.close();
    if (isBusyError(e)) return fail('database_busy', busyMessage(file, timeout));
    problem = (e as Error).message;
  }
  if (problem !== null) {
    db.close();
    return recovery(file, dbOptions, version, `The database failed its check at opening: ${problem}`);
  }

  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    const pending = migrations.filter((m) => m.version > version).sort((a, b) => a.version - b.version);
    if (pending.length > 0 && version > 0) {
      // A database about to be upgraded is fully checked first: a damaged one is neither copied
      // (its copy would be a damaged backup) nor migrated.
      const full = integrityProblems(db);
      if (full !== null) {
        db.close();
        return recovery(file, dbOptions, version, `The database failed its integrity check: ${full}`);
      }
    }
    if (pending.length > 0 && version > 0 && options.backupBeforeMigration !== false) {
      // A brand-new database (schema 0) has nothing to lose; any other is copied first.
      const backup = backupBeforeMigration(db, file, version, (options.now ?? Date.now)(), dbOptions);
      if (!backup.ok) {
        db.close();
        return fail('internal', `Reservoir must back up the database before upgrading it (schema ${version} to ${latest}) and could not: ${backup.message}. Nothing was changed.`);
      }
    }
    if (pending.length > 0) {
      // IMMEDIATE: the write lock is taken (or waited for) at BEGIN, not half-way.
      writeTransaction(db, () => {
        for (const m of pending) m.up(db);
        db.pragma(`user_version = ${latest}`);
      })();
    }
    return { ok: true, state: 'ok', db, schemaVersion: latest };
  } catch (e) {
    db.close();
    if (isBusyError(e)) return fail('database_busy', busyMessage(file, timeout));
    return fail('internal', `The database could not be prepared; it was left as it was (${(e as Error).message}).`);
  }
}

/** The tables every Reservoir database has from schema 1 (the real migrations only). */
const CORE_TABLES = ['patients', 'pumps', 'refills', 'refill_drugs', 'drugs', 'settings'] as const;

/**
 * The check at every opening, whose cost does not grow with the clinic. SQLite itself has checked
 * the header (magic, page size) and the file's size against the page count it states when it read
 * `user_version`; this reads the schema, checks the core tables are there, and reads the first row
 * of every table and every index (a few pages each). What it cannot see (a damaged page in the
 * middle of a table or an index) the full `integrity_check` finds (`integrity.ts`: in the
 * background, and before every backup). Answers the problem, or null.
 */
export function cheapCheck(db: Database.Database, version: number, ourMigrations: boolean): string | null {
  const tables = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table'").all() as { name: string; sql: string | null }[];
  if (version >= 1 && ourMigrations) {
    const names = new Set(tables.map((t) => t.name));
    const missing = CORE_TABLES.filter((t) => !names.has(t));
    if (missing.length > 0) return `the table${missing.length === 1 ? '' : 's'} ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing`;
  }
  // The first row of every table and of every index: a few pages each, whatever the clinic's size.
  const q = (name: string) => `"${name.replaceAll('"', '""')}"`;
  for (const t of tables) {
    if (t.name.startsWith('sqlite_') || /^\s*CREATE\s+VIRTUAL/i.test(t.sql ?? '')) continue;
    const problem = firstRowProblem(db, `SELECT * FROM ${q(t.name)} NOT INDEXED LIMIT 1`);
    if (problem !== null) return `the table ${t.name} cannot be read (${problem})`;
    for (const index of db.prepare(`SELECT name, partial FROM pragma_index_list(?)`).all(t.name) as { name: string; partial: number }[]) {
      if (index.partial) continue;
      const first = db.prepare('SELECT name, coll, "desc" AS descending FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno LIMIT 1').get(index.name) as
        | { name: string | null; coll: string; descending: number }
        | undefined;
      if (!first?.name) continue; // an index on an expression
      // Ordered as the index is (its collation and direction), so SQLite reads its first entry and stops.
      const order = `${q(first.name)} COLLATE ${first.coll} ${first.descending ? 'DESC' : 'ASC'}`;
      const p = firstRowProblem(db, `SELECT ${q(first.name)} FROM ${q(t.name)} INDEXED BY ${q(index.name)} ORDER BY ${order} LIMIT 1`);
      if (p !== null) return `the index ${index.name} cannot be read (${p})`;
    }
  }
  return null;
}

/** Runs a one-row query: SQLite's message when the file is corrupt, null otherwise (a busy file throws). */
function firstRowProblem(db: Database.Database, sql: string): string | null {
  try {
    db.prepare(sql).get();
    return null;
  } catch (e) {
    if (isBusyError(e)) throw e;
    const code = String((e as { code?: unknown }).code ?? '');
    return code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB') || code.startsWith('SQLITE_IOERR') ? (e as Error).message : null;
  }
}

/** The full `PRAGMA integrity_check` on an open connection: the problems (the first five), or null. Throws when busy. */
export function integrityProblems(db: Database.Database): string | null {
  try {
    const rows = db.pragma('integrity_check') as { integrity_check: string }[];
    const messages = rows.map((r) => r.integrity_check);
    return messages.length === 1 && messages[0] === 'ok' ? null : messages.slice(0, 5).join('; ');
  } catch (e) {
    if (isBusyError(e)) throw e;
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
