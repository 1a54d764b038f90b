/**
 * The command line's database keys (docs/security.md, "Encryption at rest"): which key a command
 * opens a database with (`--key-file FILE`, `RESERVOIR_KEY_FILE`, else the key file of the
 * database's path in the user's configuration folder), and the commands
 * `reservoir key export|import` and `reservoir encrypt`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { cliActor } from '../services/audit/actors';
import { recordInFile } from '../services/audit/log';
import { snapshotInto } from '../services/backup/files';
import { backupFileName, fileStamp } from '../services/backup/names';
import { auditChainCheck } from '../services/backup/services';
import { defaultBackupFolder, readSettings } from '../services/backup/settings';
import { connect, DatabaseKeyError } from '../services/store/connect';
import { encryptDatabase, wipe } from '../services/store/encrypt';
import { chooseKey, DatabaseKey, fileKeyStore, fileState, parseRecoveryKey, type KeyChoice, type KeyStore } from '../services/store/keys';
import { LATEST_SCHEMA_VERSION } from '../services/store/migrations';
import { makePrivateDir } from '../services/store/private-files';
import { EXIT, line, parseCommand, stringOption, UsageError, type CliIo, type ExitCode, type KeyOptions } from './args';

/** The key store a command uses: `--key-file`, else `RESERVOIR_KEY_FILE`, else the default key file of the database. */
export function cliKeyStore(keys: KeyOptions | undefined, io: CliIo): KeyStore {
  const env = io.env ?? process.env;
  const keyFile = keys?.keyFile ?? (env.RESERVOIR_KEY_FILE ? env.RESERVOIR_KEY_FILE : undefined);
  return fileKeyStore({ keyFile });
}

/** The key to open (or create) `file` with; a message when this computer has none for an encrypted file. */
export function keyForCommand(file: string, keys: KeyOptions | undefined, io: CliIo): { ok: true; value: KeyChoice } | { ok: false; message: string } {
  try {
    const chosen = chooseKey(file, cliKeyStore(keys, io), { plain: keys?.plain === true });
    return chosen.ok ? chosen : { ok: false, message: chosen.error.message };
  } catch (e) {
    return { ok: false, message: `the key for ${file} cannot be stored (${(e as Error).message})` };
  }
}

/** The stored key of `file`, without creating one: null when there is none. */
function storedKey(file: string, keys: KeyOptions, io: CliIo): { ok: true; key: DatabaseKey | null; where: string } | { ok: false; message: string } {
  const store = cliKeyStore(keys, io);
  const read = store.read(file);
  return read.ok ? { ok: true, key: read.value, where: store.describe(file) } : { ok: false, message: read.error.message };
}


export const KEY_HELP = `Usage: reservoir key export --db FILE [--key-file KEYFILE]
       reservoir key import --db FILE [--key-file KEYFILE] [--replace]

An encrypted clinic database, and every backup of it, can be read only with its key. The key is
kept on this computer (a 0600 file in your configuration folder, or KEYFILE); if this computer is
lost, only the recovery key brings the record back.

  export   print FILE's recovery key (17 groups of four characters) to store OFFLINE: on paper in a
           sealed envelope in the clinic safe, or in the clinic's password manager. Recorded in
           the audit trail. Do it once after creating or encrypting a database.
  import   read a recovery key from standard input and keep it on this computer as FILE's key
           (a new computer, a database moved to another folder, opening a backup). It is checked
           against FILE first when FILE exists. Recorded in the audit trail.

Options:
  --db FILE          the clinic database (for import, the path it will have: it need not exist yet)
  --key-file KEYFILE where the key is kept (default: RESERVOIR_KEY_FILE, else a file named after
                     FILE in the Reservoir keys folder of your configuration folder)
  --replace          import: replace a different key already kept for FILE
  -h, --help         show this help

Exit status: 0 done, 1 refused (no key, wrong key), 2 bad usage.
`;

export function runKey(args: string[], io: CliIo): ExitCode {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '--help' || sub === '-h') {
    (sub === undefined ? io.err : io.out)(KEY_HELP);
    return sub === undefined ? EXIT.usage : EXIT.ok;
  }
  if (sub !== 'export' && sub !== 'import') throw new UsageError(`unknown subcommand ${JSON.stringify(sub)}; use 'export' or 'import'`);
  const parsed = parseCommand(rest, { db: { type: 'string' }, replace: { type: 'boolean' } });
  if (parsed.help) {
    io.out(KEY_HELP);
    return EXIT.ok;
  }
  const file = path.resolve(stringOption(parsed, 'db', true));
  if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(parsed.positionals[0])}`);
  return sub === 'export' ? keyExport(file, parsed.keys, io) : keyImport(file, parsed.keys, parsed.values.replace === true, io);
}

function keyExport(file: string, keys: KeyOptions, io: CliIo): ExitCode {
  const state = fileState(file);
  if (state === 'missing') {
    io.err(line(`reservoir key: no database at ${file}`));
    return EXIT.refused;
  }
  if (state === 'plain') {
    io.err(line(`reservoir key: ${file} is not encrypted, so it has no key. Encrypt it with: reservoir encrypt --db ${file}`));
    return EXIT.refused;
  }
  const stored = storedKey(file, keys, io);
  if (!stored.ok || stored.key === null) {
    io.err(line(`reservoir key: ${stored.ok ? `this computer has no key for ${file} (looked for ${stored.where}).` : stored.message}`));
    return EXIT.refused;
  }
  try {
    recordInFile(file, { key: stored.key }, cliActor(), io.now(), { action: 'key_export', entity: 'database', entityId: path.basename(file), detail: { fingerprint: stored.key.fingerprint() } });
  } catch (e) {
    io.err(line(`reservoir key: ${e instanceof DatabaseKeyError ? e.message : `the export could not be recorded in the audit trail (${(e as Error).message})`} Nothing was shown.`));
    return EXIT.refused;
  }
  io.out(
    [
      `Recovery key of ${file}`,
      `(key fingerprint ${stored.key.fingerprint()}; this export is recorded in the audit trail)`,
      '',
      `    ${stored.key.recoveryText()}`,
      '',
      'Store it offline, where the clinic keeps its other recovery secrets: on paper in a sealed',
      'envelope in the safe, or in the clinic password manager. Without it, the database and every',
      'backup are unreadable if this computer or its key file is lost. Anyone with it and a copy of',
      'the database can read the record: do not email it, and do not keep it next to the backups.',
      '',
    ].join('\n'),
  );
  return EXIT.ok;
}

function keyImport(file: string, keys: KeyOptions, replace: boolean, io: CliIo): ExitCode {
  if (!io.input) {
    io.err(line('reservoir key import: no standard input to read the recovery key from'));
    return EXIT.usage;
  }
  // The first line that is not empty or a comment: a typed key, or a key file (reservoir's or the desktop app's export).
  const parsed = parseRecoveryKey(io.input().split(/\r?\n/).find((l) => l.trim() !== '' && !l.trimStart().startsWith('#')) ?? '');
  if (!parsed.ok) {
    io.err(line(`reservoir key import: ${parsed.error.message} Nothing was saved.`));
    return EXIT.refused;
  }
  const key = parsed.value;
  const state = fileState(file);
  if (state === 'plain') {
    io.err(line(`reservoir key import: ${file} is not encrypted; it needs no key. Nothing was saved.`));
    return EXIT.refused;
  }
  if (state === 'encrypted') {
    try {
      connect(file, { key }, { readonly: true, fileMustExist: true }).close();
    } catch (e) {
      io.err(line(`reservoir key import: this recovery key does not open ${file} (${e instanceof DatabaseKeyError ? 'it was encrypted with another key' : (e as Error).message}). Nothing was saved.`));
      return EXIT.refused;
    }
  }
  const store = cliKeyStore(keys, io);
  const existing = store.read(file);
  if (existing.ok && existing.value !== null) {
    if (existing.value.equals(key)) {
      io.out(line(`This computer already keeps that key for ${file} (${store.describe(file)}).`));
      return EXIT.ok;
    }
    if (!replace) {
      io.err(line(`reservoir key import: ${store.describe(file)} already holds another key. Export it first if it may still be needed, then use --replace. Nothing was saved.`));
      return EXIT.refused;
    }
  }
  try {
    store.write(file, key, { replace: true });
  } catch (e) {
    io.err(line(`reservoir key import: the key could not be saved (${(e as Error).message}). Nothing was saved.`));
    return EXIT.refused;
  }
  if (state === 'encrypted') {
    try {
      recordInFile(file, { key }, cliActor(), io.now(), { action: 'key_import', entity: 'database', entityId: path.basename(file), detail: { fingerprint: key.fingerprint() } });
    } catch (e) {
      io.err(line(`reservoir key import: the key was saved, but the import could not be recorded in the audit trail (${(e as Error).message}).`));
    }
  }
  io.out(line(`Saved the key for ${file} in ${store.describe(file)}.`));
  return EXIT.ok;
}

export const ENCRYPT_HELP = `Usage: reservoir encrypt --db FILE [--key-file KEYFILE] [--remove-plain-copies]

Encrypt an existing unencrypted clinic database, all or nothing: a copy is encrypted with a new
key, checked (integrity, every table's row count, the audit trail) and put in place with the same
crash-safe steps as a restore; the unencrypted original is then overwritten and deleted. A new
encrypted backup is made at once. Close Reservoir first.

Backups made before are NOT encrypted: they are listed, and --remove-plain-copies overwrites and
deletes them (and any unencrypted FILE.replaced-* kept by earlier restores). Do that once the new
encrypted backup is safe, and export the recovery key: reservoir key export --db FILE

Options:
  --db FILE               the clinic database
  --key-file KEYFILE      where to keep the new key (default: RESERVOIR_KEY_FILE, else the
                          Reservoir keys folder of your configuration folder)
  --remove-plain-copies   overwrite and delete the unencrypted backups and set-aside files
  -h, --help              show this help

Exit status: 0 encrypted, 1 refused (in use, damaged, already encrypted), 2 bad usage.
`;

/** Unencrypted copies of `file`: its backups in `folder` and the set-aside files of earlier restores. */
function plainCopies(file: string, folder: string): string[] {
  const base = path.basename(file);
  const found: string[] = [];
  const look = (dir: string, match: (name: string) => boolean) => {
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names.sort()) {
      const full = path.join(dir, name);
      try {
        if (match(name) && fs.statSync(full).isFile() && fileState(full) === 'plain') found.push(full);
      } catch {
        // unreadable: not ours to judge
      }
    }
  };
  look(folder, (name) => name.startsWith(`${base}.backup-`));
  look(path.dirname(file), (name) => name.startsWith(`${base}.replaced-`) || name === `${base}.encrypting`);
  return found;
}

export function runEncrypt(args: string[], io: CliIo): ExitCode {
  const parsed = parseCommand(args, { db: { type: 'string' }, 'remove-plain-copies': { type: 'boolean' } });
  if (parsed.help) {
    io.out(ENCRYPT_HELP);
    return EXIT.ok;
  }
  const file = path.resolve(stringOption(parsed, 'db', true));
  if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(parsed.positionals[0])}`);
  const removePlain = parsed.values['remove-plain-copies'] === true;
  const state = fileState(file);
  if (state === 'missing') {
    io.err(line(`reservoir encrypt: no database at ${file}`));
    return EXIT.refused;
  }
  const store = cliKeyStore(parsed.keys, io);
  let key: DatabaseKey;
  let encryptedNow = false;
  if (state === 'encrypted') {
    // Already done (perhaps interrupted after the swap): only the unencrypted leftovers remain.
    const stored = store.read(file);
    if (!stored.ok || stored.value === null) {
      io.err(line(`reservoir encrypt: ${file} is already encrypted, and this computer has no key for it (${stored.ok ? store.describe(file) : stored.error.message}).`));
      return EXIT.refused;
    }
    key = stored.value;
    io.out(line(`${file} is already encrypted.`));
  } else {
    const existing = store.read(file);
    if (!existing.ok) {
      io.err(line(`reservoir encrypt: ${existing.error.message} Nothing was changed.`));
      return EXIT.refused;
    }
    // A key already kept for this path (an earlier, interrupted run) is used again; else a new one, stored first.
    key = existing.value ?? DatabaseKey.generate();
    try {
      if (existing.value === null) store.write(file, key);
    } catch (e) {
      io.err(line(`reservoir encrypt: the new key could not be stored (${(e as Error).message}). Nothing was changed.`));
      return EXIT.refused;
    }
    const outcome = encryptDatabase(file, key, { latestSchemaVersion: LATEST_SCHEMA_VERSION, extraChecks: [auditChainCheck], stamp: fileStamp(io.now()) });
    if (!outcome.ok) {
      io.err(line(`reservoir encrypt: ${outcome.error.message}`));
      return EXIT.refused;
    }
    encryptedNow = true;
    io.out(line(`Encrypted ${file}: ${outcome.value.tables} tables, ${outcome.value.rows} rows, checked. The key is kept in ${store.describe(file)}.`));
    for (const w of outcome.value.wiped) io.out(line(`The unencrypted original ${w} was overwritten and deleted.`));
  }

  // A first encrypted backup, and the unencrypted copies said (or removed).
  const db = connect(file, { key }, { fileMustExist: true });
  let folder: string;
  let backup: string | null = null;
  try {
    db.pragma('busy_timeout = 5000');
    const configured = readSettings(db).folder;
    folder = path.resolve(configured ?? defaultBackupFolder(file));
    if (encryptedNow) {
      try {
        if (configured === null) makePrivateDir(folder);
        const version = db.pragma('user_version', { simple: true }) as number;
        backup = path.join(folder, backupFileName(file, io.now(), version, 'manual'));
        snapshotInto(db, backup, { key });
        io.out(line(`A new encrypted backup: ${backup}`));
      } catch (e) {
        backup = null;
        io.err(line(`reservoir encrypt: the database is encrypted, but the new backup failed (${(e as Error).message}); make one with: reservoir backup --db ${file}`));
      }
    }
  } finally {
    db.close();
  }
  const copies = plainCopies(file, folder);
  const removed: string[] = [];
  if (copies.length > 0 && removePlain) {
    for (const c of copies) {
      wipe(c);
      removed.push(c);
      io.out(line(`Overwrote and deleted the unencrypted copy ${c}`));
    }
  } else if (copies.length > 0) {
    io.out(line(`These ${copies.length} unencrypted copies of the clinic record are still on disk:`));
    for (const c of copies) io.out(line(`  ${c}`));
    io.out(line(`Once the encrypted backup is safe, remove them with: reservoir encrypt --db ${file} --remove-plain-copies`));
  }
  try {
    recordInFile(file, { key }, cliActor(), io.now(), {
      action: 'encrypt',
      entity: 'database',
      entityId: path.basename(file),
      detail: { encryptedNow, backup: backup === null ? null : path.basename(backup), removedPlainCopies: removed.map((r) => path.basename(r)), fingerprint: key.fingerprint() },
    });
  } catch (e) {
    io.err(line(`reservoir encrypt: could not record this in the audit trail (${(e as Error).message}).`));
  }
  if (encryptedNow) io.out(line(`Now store the recovery key offline: reservoir key export --db ${file}`));
  return EXIT.ok;
}
