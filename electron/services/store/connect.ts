/**
 * The one place that opens a SQLite connection (docs/security.md, "Encryption at rest"): the driver
 * (better-sqlite3-multiple-ciphers, with Electron's own native build when given), the database key
 * when there is one, and a first read that turns a missing or wrong key into a clear
 * `DatabaseKeyError` instead of "file is not a database" at some later statement.
 *
 * Encrypted files use SQLite3 Multiple Ciphers' SQLCipher v4 scheme with a raw 256-bit key (no key
 * derivation: the key is random, and deriving it costs over a second per connection here).
 */
import Database from 'better-sqlite3-multiple-ciphers';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { fileState, type DatabaseKey } from './keys';

/** SQLITE_BUSY, SQLITE_LOCKED and their extended codes: another connection holds a lock. */
export function isBusyCode(code: string): boolean {
  return code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED');
}

/** An error whose code is `isBusyCode`. */
export function isBusyError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && isBusyCode(code);
}

export interface ConnectOptions {
  /** Where the driver finds its native addon (Electron has its own build). */
  nativeBinding?: string | undefined;
  /** The database's key; absent or null: an unencrypted database. */
  key?: DatabaseKey | null | undefined;
}

export interface ConnectionFlags {
  readonly?: boolean;
  fileMustExist?: boolean;
  timeout?: number;
}

let processNativeBinding: string | undefined;

/**
 * The native build every connection of this process uses when its options name none: set once at
 * start by the desktop app's command line in development (electron/main/cli-mode.ts), where
 * node_modules holds the Node build and Electron needs its own (.electron-native/). Packaged, and
 * under Node, it stays unset.
 */
export function setProcessNativeBinding(file: string | undefined): void {
  processNativeBinding = file;
}

/** The native build for a connection (or a worker thread's): its own, else the process's. */
export function nativeBindingFor(options: { nativeBinding?: string | undefined }): string | undefined {
  return options.nativeBinding ?? processNativeBinding;
}

/** A missing or wrong key: the file was not opened. `message` is for a person; it never holds the key. */
export class DatabaseKeyError extends Error {
  readonly code = 'database_key' as const;
}

/**
 * Opens `file` with the key (if any), checked by a first read: `DatabaseKeyError` when the key does
 * not open it. Without a key the file is opened as the driver does (a file that is not a database,
 * encrypted or damaged, fails at its first read, which `openDatabase` answers with recovery mode;
 * the shells first check with `chooseKey` whether a file is encrypted, store/keys.ts).
 */
export function connect(file: string, options: ConnectOptions = {}, flags: ConnectionFlags = {}): Database.Database {
  const nativeBinding = nativeBindingFor(options);
  const db = new Database(file, { ...flags, ...(nativeBinding ? { nativeBinding } : {}) });
  if (!options.key) return db; // unencrypted: as the driver opens it (a damaged file is found by the first read)
  try {
    applyKey(db, options.key);
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (e) {
    db.close();
    if ((e as { code?: string }).code === 'SQLITE_NOTADB' && file !== ':memory:') throw new DatabaseKeyError(keyProblem(file));
    throw e;
  }
  return db;
}

/**
 * The pragmas that make a connection read and write the SQLCipher v4 format with `key`, and keep
 * SQLite's temporary files (large sorts, temporary indexes) in memory: SQLite3 Multiple Ciphers does
 * not encrypt them.
 */
export function applyKey(db: Database.Database, key: DatabaseKey): void {
  for (const pragma of keyPragmas(key)) db.pragma(pragma);
}

/** `applyKey`'s pragmas, as text: worker threads that open a connection of their own run the same ones. */
export function keyPragmas(key: DatabaseKey): string[] {
  return ["cipher = 'sqlcipher'", 'legacy = 4', `key = "${key.sqlLiteral()}"`, 'temp_store = MEMORY'];
}

/**
 * Where the driver's entry point is, for a worker thread's `require` (a few lines of plain
 * JavaScript, no bundle): works bundled (CommonJS) and under tsx (ESM). Null when it cannot be found.
 */
export function driverModulePath(): string | null {
  try {
    const req = typeof require === 'function' ? require : createRequire(import.meta.url);
    return req.resolve('better-sqlite3-multiple-ciphers');
  } catch {
    return null;
  }
}

function keyProblem(file: string): string {
  let state: string;
  try {
    state = fileState(file);
  } catch {
    state = 'unknown';
  }
  return state === 'plain'
    ? `${file} is not encrypted, and this database is: it was made before the database was encrypted (an unencrypted copy).`
    : `${file} cannot be opened with this database's key: it was encrypted with another key (or is not a Reservoir database).`;
}


/**
 * True when another connection (the console, another command) has `file` open: this one cannot
 * take it exclusively within 200 ms. A command that replaces or converts the file whole (restore,
 * encrypt) refuses then. A missing file is not in use; a file that is damaged or needs another key
 * throws as `connect` does.
 */
export function inUseElsewhere(file: string, options: ConnectOptions = {}): boolean {
  if (!fs.existsSync(file)) return false;
  let db: Database.Database | null = null;
  try {
    db = connect(file, options, { fileMustExist: true, timeout: 200 });
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('COMMIT');
    return false;
  } catch (e) {
    if (isBusyError(e)) return true;
    throw e;
  } finally {
    db?.close();
  }
}

export type { Database };
