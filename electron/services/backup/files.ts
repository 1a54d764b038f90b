/**
 * The file operations behind backups, each safe against a crash at any point: a backup is written
 * under a `.partial` name, flushed to disk, then renamed; a restore never leaves the database path
 * without a complete database file.
 */
import type Database from 'better-sqlite3-multiple-ciphers';
import fs from 'node:fs';
import path from 'node:path';
import { createPrivateFile, tightenFile } from '../store/private-files';
import { connect, DatabaseKeyError, type ConnectOptions } from '../store/connect';
import { vacuumInto } from './vacuum-worker';
import { fileState, type FileState } from '../store/keys';

/** How to open the database and its backups: the native binding and the database's key (store/connect.ts). */
export type NativeOptions = ConnectOptions;

export function fsyncFile(file: string): void {
  const fd = fs.openSync(file, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Flushes a folder's entries (a rename) to disk. Windows cannot open a folder for this: skipped. */
export function fsyncDir(dir: string): void {
  let fd: number | null = null;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Not supported on this platform.
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}

/** A backup file is self-contained: rollback journal (no -wal), flushed, then given its final name. */
function finish(partial: string, final: string, options: NativeOptions): void {
  const db = connect(partial, options, { fileMustExist: true });
  try {
    db.pragma('journal_mode = DELETE');
  } finally {
    db.close();
  }
  fsyncFile(partial);
  fs.renameSync(partial, final);
  fsyncDir(path.dirname(final));
}

/**
 * An online backup: `VACUUM INTO` on a read-only connection of its own (encrypted databases: the
 * copy is encrypted with the same key; SQLite's backup API cannot copy between an encrypted and a
 * new file). The copy is one consistent read transaction; WAL lets the app's connection go on
 * writing meanwhile. The copy runs in a worker thread (`vacuum-worker.ts`) when one can be started,
 * so requests go on being answered; otherwise here.
 */
export async function onlineBackup(databasePath: string, target: string, options: NativeOptions = {}): Promise<void> {
  const partial = `${target}.partial`;
  try {
    fs.rmSync(partial, { force: true });
    createPrivateFile(partial); // VACUUM INTO accepts an empty file; it is owner-only from the start
    await vacuumInto(databasePath, partial, options);
  } catch (e) {
    fs.rmSync(partial, { force: true });
    throw e;
  }
  try {
    finish(partial, target, options);
  } catch (e) {
    fs.rmSync(partial, { force: true });
    throw e;
  }
}

/**
 * A consistent copy taken synchronously with `VACUUM INTO` on an open connection (before a migration,
 * and from the command line, when nothing else is using the database).
 */
export function snapshotInto(db: Database.Database, target: string, options: NativeOptions = {}): void {
  const partial = `${target}.partial`;
  fs.rmSync(partial, { force: true });
  try {
    createPrivateFile(partial); // VACUUM INTO accepts an empty file; it is owner-only from the start
    db.prepare('VACUUM INTO ?').run(partial);
    finish(partial, target, options);
  } catch (e) {
    fs.rmSync(partial, { force: true });
    throw e;
  }
}

export type Verification = { ok: true; schemaVersion: number } | { ok: false; reason: string };

/** Extra checks on an opened backup (the audit chain): a reason it fails, or null. */
export type ExtraCheck = (db: Database.Database) => string | null;

/**
 * Whether a file is a good Reservoir database this version can open: readable, `integrity_check`
 * ok, a schema no newer than `latestSchemaVersion`, and every extra check passing. Read-only.
 */
export function verifyDatabaseFile(file: string, latestSchemaVersion: number, extra: readonly ExtraCheck[] = [], options: NativeOptions = {}): Verification {
  let db: Database.Database;
  try {
    db = connect(file, options, { readonly: true, fileMustExist: true });
  } catch (e) {
    if (e instanceof DatabaseKeyError) return { ok: false, reason: keyReason(file, options) };
    return { ok: false, reason: `cannot be opened (${(e as Error).message})` };
  }
  try {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > latestSchemaVersion) return { ok: false, reason: `written by a newer Reservoir (schema ${version})` };
    if (version < 1) return { ok: false, reason: 'is not a Reservoir database (schema 0)' };
    const rows = db.pragma('integrity_check') as { integrity_check: string }[];
    const messages = rows.map((r) => r.integrity_check);
    if (!(messages.length === 1 && messages[0] === 'ok')) return { ok: false, reason: `fails its integrity check: ${messages.slice(0, 3).join('; ')}` };
    for (const check of extra) {
      const problem = check(db);
      if (problem !== null) return { ok: false, reason: problem };
    }
    return { ok: true, schemaVersion: version };
  } catch (e) {
    if ((e as { code?: string }).code === 'SQLITE_NOTADB' && fileState(file) === 'encrypted') return { ok: false, reason: keyReason(file, options) };
    return { ok: false, reason: `cannot be read (${(e as Error).message})` };
  } finally {
    db.close();
  }
}

/** Why a file cannot be opened with the key it was given (or without one). */
function keyReason(file: string, options: NativeOptions): string {
  let state: FileState = 'encrypted';
  try {
    state = fileState(file);
  } catch {
    // said below as "another key"
  }
  if (!options.key) return 'is encrypted, and this database is not: it cannot be opened without its key (reservoir key import, or --key-file)';
  if (state === 'plain') return 'is not encrypted (it was made before this database was encrypted); restoring it would put an unencrypted database in place';
  return "was made with another key: this database's key cannot open it. Restore it with the key it was made with (reservoir restore --key-file KEYFILE)";
}

/**
 * Puts `backupFile` in place of `databasePath` (which must be closed). The current database is kept
 * as `<database>.replaced-<stamp>` (with its -wal, if any). Order: the backup is first copied next to
 * the database and flushed; the current file is linked (or copied) aside; its -wal/-shm are removed
 * so they cannot be applied to the restored file; one atomic rename puts the copy in place. A crash at
 * any step leaves a complete database at `databasePath` (the old or the restored one).
 */
export function swapInBackup(databasePath: string, backupFile: string, stamp: string): { setAside: string | null } {
  const incoming = `${databasePath}.restoring`;
  fs.rmSync(incoming, { force: true });
  fs.copyFileSync(backupFile, incoming);
  tightenFile(incoming); // a backup written by an earlier version may be readable by others
  fsyncFile(incoming);

  let setAside: string | null = null;
  if (fs.existsSync(databasePath)) {
    setAside = `${databasePath}.replaced-${stamp}`;
    keepAside(databasePath, setAside);
    if (fs.existsSync(`${databasePath}-wal`)) keepAside(`${databasePath}-wal`, `${setAside}-wal`);
  }
  fs.rmSync(`${databasePath}-wal`, { force: true });
  fs.rmSync(`${databasePath}-shm`, { force: true });
  fs.renameSync(incoming, databasePath);
  fsyncDir(path.dirname(path.resolve(databasePath)));
  return { setAside };
}

function keepAside(from: string, to: string): void {
  try {
    fs.linkSync(from, to);
  } catch {
    fs.copyFileSync(from, to, fs.constants.COPYFILE_EXCL);
    tightenFile(to);
    fsyncFile(to);
  }
}

/** Undoes `swapInBackup` when the restored file cannot be opened: the set-aside file goes back. */
export function putBack(databasePath: string, setAside: string): void {
  fs.rmSync(`${databasePath}-wal`, { force: true });
  fs.rmSync(`${databasePath}-shm`, { force: true });
  const incoming = `${databasePath}.restoring`;
  fs.copyFileSync(setAside, incoming);
  fsyncFile(incoming);
  fs.renameSync(incoming, databasePath);
  if (fs.existsSync(`${setAside}-wal`)) {
    fs.copyFileSync(`${setAside}-wal`, `${incoming}-wal`);
    fsyncFile(`${incoming}-wal`);
    fs.renameSync(`${incoming}-wal`, `${databasePath}-wal`);
  }
  fsyncDir(path.dirname(path.resolve(databasePath)));
}
