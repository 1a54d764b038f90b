/**
 * Database keys (encryption at rest, docs/security.md). One random 256-bit key per database.
 * The command line and the browser shell keep it in a 0600 key file outside the database's folder
 * (the user's configuration folder, one file per database path), or in the file `--key-file` /
 * `RESERVOIR_KEY_FILE` names; the desktop app keeps it with Electron `safeStorage`
 * (electron/main/key-store.ts) behind the same `KeyStore` interface.
 *
 * The key is never printed, logged or put in an error message: `DatabaseKey` hides its bytes from
 * `String()`/`JSON.stringify`/`util.inspect`, and only `recoveryText()` (for `reservoir key export`)
 * writes it out.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fail, ok, type Result } from '../../../shared/contract/result';
import { createPrivateFile, makePrivateDir, tightenFile } from './private-files';

export const KEY_BYTES = 32;

export class DatabaseKey {
  readonly #bytes: Buffer;
  constructor(bytes: Uint8Array) {
    if (bytes.length !== KEY_BYTES) throw new Error(`a database key is ${KEY_BYTES} bytes, not ${bytes.length}`);
    this.#bytes = Buffer.from(bytes);
  }
  static generate(): DatabaseKey {
    return new DatabaseKey(crypto.randomBytes(KEY_BYTES));
  }
  /** The key as SQLite3 Multiple Ciphers' raw-key literal (64 hex digits; no key derivation). */
  sqlLiteral(): string {
    return `x'${this.#bytes.toString('hex')}'`;
  }
  /** The recovery key: 64 hex digits and a 4-digit check, in groups of four (`reservoir key export`). */
  recoveryText(): string {
    const hex = this.#bytes.toString('hex') + checkDigits(this.#bytes);
    return hex.match(/.{4}/g)!.join('-');
  }
  /** The bytes in hex, for a worker thread of this process (never written anywhere). */
  workerSecret(): string {
    return this.#bytes.toString('hex');
  }
  equals(other: DatabaseKey): boolean {
    return crypto.timingSafeEqual(this.#bytes, other.#bytes);
  }
  /** A short, non-secret name for messages ("key 3f2a…"): a hash, not part of the key. */
  fingerprint(): string {
    return crypto.createHash('sha256').update('reservoir-key-fingerprint').update(this.#bytes).digest('hex').slice(0, 8);
  }
  toString(): string {
    return '[database key]';
  }
  toJSON(): string {
    return '[database key]';
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return '[database key]';
  }
}

const checkDigits = (bytes: Uint8Array): string => crypto.createHash('sha256').update(bytes).digest('hex').slice(0, 4);

/**
 * Reads a recovery key as typed or pasted: hex digits, any spaces, dashes or line breaks between
 * them; the 4-digit check at the end is verified when present (a typo is said, not a wrong key).
 */
export function parseRecoveryKey(text: string): Result<DatabaseKey> {
  const hex = text.replace(/[\s-]/g, '').toLowerCase();
  if (!/^[0-9a-f]*$/.test(hex)) return fail('invalid_input', 'The recovery key may contain only the digits 0–9, the letters a–f, spaces and dashes.', 'key');
  if (hex.length !== 64 && hex.length !== 68) {
    return fail('invalid_input', `A recovery key has 68 hex digits (17 groups of four); this one has ${hex.length}.`, 'key');
  }
  const bytes = Buffer.from(hex.slice(0, 64), 'hex');
  if (hex.length === 68 && checkDigits(bytes) !== hex.slice(64)) {
    return fail('invalid_input', 'The recovery key has a typing mistake: its last group (the check) does not match the rest. Compare it with the stored copy.', 'key');
  }
  return ok(new DatabaseKey(bytes));
}

// ---------------------------------------------------------------------------------------------
// Key files

const KEY_FILE_HEADER = [
  '# Reservoir database key. Whoever has this file and the database (or a backup) can read the',
  '# clinic record: keep it owner-only (0600), never next to the database or its backups.',
  '# Reservoir reads the last line; it is the recovery key `reservoir key export` prints.',
].join('\n');

export function keyFileText(key: DatabaseKey, databasePath: string): string {
  return `${KEY_FILE_HEADER}\n# Database: ${path.resolve(databasePath)}\n${key.recoveryText()}\n`;
}

/** Reads a key file (comment lines ignored). Errors name the file and the problem. */
export function readKeyFile(file: string): Result<DatabaseKey> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return fail('database_key', code === 'ENOENT' ? `There is no key file at ${file}.` : `The key file ${file} cannot be read (${code ?? (e as Error).message}).`);
  }
  const body = text
    .split(/\r?\n/)
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('');
  const parsed = parseRecoveryKey(body);
  if (!parsed.ok) return fail('database_key', `The key file ${file} does not hold a Reservoir key: ${parsed.error.message}`);
  return parsed;
}

/**
 * Writes a key file owner-only from its first byte (0600, its folder 0700); refuses to replace a
 * file that is already there unless `replace` (importing a key over another one must be asked for).
 */
export function writeKeyFile(file: string, key: DatabaseKey, databasePath: string, options: { replace?: boolean } = {}): void {
  makePrivateDir(path.dirname(path.resolve(file)));
  const partial = `${file}.partial`;
  fs.rmSync(partial, { force: true });
  createPrivateFile(partial);
  fs.writeFileSync(partial, keyFileText(key, databasePath));
  const fd = fs.openSync(partial, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  if (!options.replace && fs.existsSync(file)) {
    fs.rmSync(partial, { force: true });
    throw new Error(`a key file is already at ${file}`);
  }
  fs.renameSync(partial, file);
  tightenFile(file);
}

export interface KeyPlaceInputs {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  home: string;
}

const systemPlace = (): KeyPlaceInputs => ({ env: process.env, platform: process.platform, home: os.homedir() });

/**
 * The folder of key files: the user's configuration folder, never the database's, so a copied
 * database or backups folder does not carry its key.
 */
export function defaultKeysDir({ env, platform, home }: KeyPlaceInputs = systemPlace()): string {
  // Clinic IT may keep keys elsewhere (another protected folder); the tests keep theirs in a temp folder.
  if (env.RESERVOIR_KEYS_DIR) return path.resolve(env.RESERVOIR_KEYS_DIR);
  if (platform === 'win32') return path.win32.join(env.APPDATA ?? path.win32.join(home, 'AppData', 'Roaming'), 'Reservoir', 'keys');
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', 'Reservoir', 'keys');
  // Linux and the other Unixes: the XDG configuration folder.
  return path.posix.join(env.XDG_CONFIG_HOME || path.posix.join(home, '.config'), 'reservoir', 'keys');
}

/**
 * How a database finds its key: the key file named after the database's full path
 * (`reservoir.db-<12 hex of its SHA-256>.key`). A database moved to another path, or opened on
 * another computer, needs `reservoir key import --db FILE` (or `--key-file`).
 */
export function keyFileFor(databasePath: string, place: KeyPlaceInputs = systemPlace()): string {
  const full = path.resolve(databasePath);
  const id = crypto.createHash('sha256').update(full).digest('hex').slice(0, 12);
  return path.join(defaultKeysDir(place), `${path.basename(full)}-${id}.key`);
}

// ---------------------------------------------------------------------------------------------
// Which databases are encrypted

/** A SQLite file without encryption starts with this; an encrypted one starts with random salt. */
const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

export type FileState = 'missing' | 'plain' | 'encrypted';

/** `missing` (no file, or an empty one), `plain` (an unencrypted SQLite file) or `encrypted` (anything else). */
export function fileState(file: string): FileState {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw e;
  }
  try {
    const head = Buffer.alloc(SQLITE_HEADER.length);
    const n = fs.readSync(fd, head, 0, head.length, 0);
    if (n === 0) return 'missing';
    return n === head.length && head.equals(SQLITE_HEADER) ? 'plain' : 'encrypted';
  } finally {
    fs.closeSync(fd);
  }
}

/** Where a shell keeps keys: a key file (CLI, browser shell) or the desktop's keychain. */
export interface KeyStore {
  /** Where the key of this database is kept, for messages. */
  describe(databasePath: string): string;
  read(databasePath: string): Result<DatabaseKey | null>;
  write(databasePath: string, key: DatabaseKey, options?: { replace?: boolean }): void;
}

/**
 * Key files: the one `keyFile` names (`--key-file`, `RESERVOIR_KEY_FILE`), else the default one for
 * the database's path.
 */
export function fileKeyStore(options: { keyFile?: string | undefined; place?: KeyPlaceInputs } = {}): KeyStore {
  const fileOf = (databasePath: string): string => (options.keyFile !== undefined ? path.resolve(options.keyFile) : keyFileFor(databasePath, options.place));
  return {
    describe: (databasePath) => `the key file ${fileOf(databasePath)}`,
    read: (databasePath) => {
      const file = fileOf(databasePath);
      if (!fs.existsSync(file)) return ok(null);
      tightenFile(file);
      return readKeyFile(file);
    },
    write: (databasePath, key, writeOptions) => writeKeyFile(fileOf(databasePath), key, databasePath, writeOptions),
  };
}

export type KeyChoice = { key: DatabaseKey | null; created: boolean; state: FileState };

/**
 * The key a shell opens `databasePath` with:
 * - no database yet: the stored key if there is one, else a new key (stored first), unless `plain`;
 * - an unencrypted database: none (it stays plain until `reservoir encrypt`);
 * - an encrypted one: the stored key, or the clear `database_key` error when this computer has none.
 */
export function chooseKey(databasePath: string, store: KeyStore, options: { plain?: boolean } = {}): Result<KeyChoice> {
  let state: FileState;
  try {
    state = fileState(databasePath);
  } catch {
    // Unreadable (a folder, no permission): opening it says why.
    return ok({ key: null, created: false, state: 'plain' });
  }
  if (state === 'plain') return ok({ key: null, created: false, state });
  if (state === 'missing' && options.plain) return ok({ key: null, created: false, state });
  const stored = store.read(databasePath);
  if (!stored.ok) return stored;
  if (stored.value !== null) return ok({ key: stored.value, created: false, state });
  if (state === 'encrypted') return fail('database_key', noKeyMessage(databasePath, store.describe(databasePath)));
  const key = DatabaseKey.generate();
  store.write(databasePath, key);
  return ok({ key, created: true, state });
}

export const noKeyMessage = (databasePath: string, where: string): string =>
  `The database ${databasePath} is encrypted and this computer has no key for it (looked for ${where}), ` +
  'or it is not a database at all (damaged, or another kind of file). If it is encrypted, give its key file with --key-file FILE, ' +
  'or enter its recovery key with `reservoir key import --db FILE`. Nothing was changed.';
