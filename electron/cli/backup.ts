/**
 * `reservoir backup --db FILE [--to DIR]` and `reservoir restore --db FILE --from BACKUP`: the same
 * backup files, names and verification as the app (electron/services/backup/), from the command line.
 */
import type Database from 'better-sqlite3-multiple-ciphers';
import { connect, DatabaseKeyError, inUseElsewhere } from '../services/store/connect';
import { cliKeyStore, keyForCommand } from './keys';
import fs from 'node:fs';
import path from 'node:path';
import { cliActor } from '../services/audit/actors';
import { recordInFile } from '../services/audit/log';
import { putBack, snapshotInto, swapInBackup, verifyDatabaseFile } from '../services/backup/files';
import { backupFileName, fileStamp } from '../services/backup/names';
import { auditChainCheck } from '../services/backup/services';
import { defaultBackupFolder, readSettings, writeSettingsOf } from '../services/backup/settings';
import { busyMessage, isBusyError, openDatabase } from '../services/store/database';
import { LATEST_SCHEMA_VERSION } from '../services/store/migrations';
import { EXIT, line, parseCommand, stringOption, UsageError, type CliIo, type ExitCode } from './args';
import { makePrivateDir } from '../services/store/private-files';
import { fileState } from '../services/store/keys';

export const BACKUP_HELP = `Usage: reservoir backup --db FILE [--to DIR]

Copy the clinic database FILE, consistently, while it may be in use (SQLite's VACUUM INTO), into
DIR — by default the backups folder set in the app (Settings > Backups), else a 'backups' folder
next to FILE. The copy is named like the app's own backups, with the time and the schema version:
  <file>.backup-2026-11-24T19-35-04-123Z-v4-manual.db
A damaged database (failing its integrity check) is refused: restore a good backup instead.

Options:
  --db FILE    the clinic database (must exist)
  --to DIR     the folder to write to (created if needed)
  -h, --help   show this help

Exit status: 0 written, 1 database or file problem, 2 bad usage.
`;

export const RESTORE_HELP = `Usage: reservoir restore --db FILE --from BACKUP

Put the backup file BACKUP in place of the clinic database FILE, after verifying it (SQLite's
integrity check, a schema this version can open, and an intact audit trail). The database it
replaces is kept next to it as FILE.replaced-<time>; nothing is deleted. Close Reservoir first:
a database that is open elsewhere is refused. A backup from an older version is brought up to
date when it is opened.

Options:
  --db FILE       the clinic database to replace (need not exist)
  --from BACKUP   the backup file
  -h, --help      show this help

Exit status: 0 restored, 1 refused (bad backup, database in use), 2 bad usage.
`;


export function runBackup(args: string[], io: CliIo): ExitCode {
  const parsed = parseCommand(args, { db: { type: 'string' }, to: { type: 'string' } });
  if (parsed.help) {
    io.out(BACKUP_HELP);
    return EXIT.ok;
  }
  const file = stringOption(parsed, 'db', true);
  const to = stringOption(parsed, 'to');
  if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(parsed.positionals[0])}`);
  if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) {
    io.err(line(`reservoir backup: no database at ${file}`));
    return EXIT.refused;
  }
  const chosen = keyForCommand(file, parsed.keys, io);
  if (!chosen.ok) {
    io.err(line(`reservoir backup: ${chosen.message}`));
    return EXIT.refused;
  }
  const key = chosen.value.key;
  let db: Database.Database;
  try {
    db = connect(file, { key }, { fileMustExist: true });
    db.pragma('busy_timeout = 5000');
  } catch (e) {
    if (e instanceof DatabaseKeyError) {
      io.err(line(`reservoir backup: ${e.message} Give its key with --key-file. Nothing was changed.`));
      return EXIT.refused;
    }
    io.err(line(`reservoir backup: ${file} cannot be opened: ${(e as Error).message}`));
    return EXIT.refused;
  }
  let target: string;
  try {
    // A newer version's database is its business: this one writes nothing to it (not even the backup's audit entry).
    const schema = db.pragma('user_version', { simple: true }) as number;
    if (schema > LATEST_SCHEMA_VERSION) {
      io.err(
        line(
          `reservoir backup: ${file} was written by a newer version of Reservoir (schema ${schema}; this version knows up to ${LATEST_SCHEMA_VERSION}). ` +
            'Back it up with that version. Nothing was changed.',
        ),
      );
      return EXIT.refused;
    }
    const problems = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
    if (!(problems.length === 1 && problems[0] === 'ok')) {
      io.err(line(`reservoir backup: ${file} fails its integrity check (${problems.slice(0, 3).join('; ')}); a copy of it would not be a good backup. Restore one instead.`));
      return EXIT.refused;
    }
    const configured = readSettings(db).folder;
    const folder = path.resolve(to ?? configured ?? defaultBackupFolder(file));
    if (to === undefined && configured !== null && !fs.existsSync(folder)) {
      io.err(line(`reservoir backup: the backup folder set in Reservoir, ${folder}, does not exist (is its drive connected?). Use --to DIR to write elsewhere.`));
      return EXIT.refused;
    }
    makePrivateDir(folder);
    const version = db.pragma('user_version', { simple: true }) as number;
    target = path.join(folder, backupFileName(file, io.now(), version, 'manual'));
    snapshotInto(db, target, { key });
  } catch (e) {
    if (isBusyError(e)) {
      io.err(line(`reservoir backup: ${busyMessage(file)}`));
      return EXIT.refused;
    }
    io.err(line(`reservoir backup: the backup failed: ${(e as Error).message}. The database is unchanged.`));
    return EXIT.refused;
  } finally {
    db.close();
  }
  writeSettingsOf(file, { lastBackupAtMs: io.now(), lastBackupName: path.basename(target), lastError: null }, { key });
  recordInFile(file, { key }, cliActor(), io.now(), { action: 'backup', entity: 'database', entityId: path.basename(target), detail: { folder: path.dirname(target) } });
  io.out(line(`Backed up ${file} to ${target}`));
  return EXIT.ok;
}


export function runRestore(args: string[], io: CliIo): ExitCode {
  const parsed = parseCommand(args, { db: { type: 'string' }, from: { type: 'string' } });
  if (parsed.help) {
    io.out(RESTORE_HELP);
    return EXIT.ok;
  }
  const file = stringOption(parsed, 'db', true);
  const from = stringOption(parsed, 'from', true);
  if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(parsed.positionals[0])}`);
  if (path.resolve(from) === path.resolve(file)) throw new UsageError('--from must be a backup file, not the database itself');
  if (!fs.existsSync(from)) {
    io.err(line(`reservoir restore: no backup at ${from}`));
    return EXIT.refused;
  }
  // The database's key opens its backups (none kept for it: only an unencrypted backup can be restored).
  const store = cliKeyStore(parsed.keys, io);
  const stored = store.read(file);
  if (!stored.ok) {
    io.err(line(`reservoir restore: ${stored.error.message} Nothing was changed.`));
    return EXIT.refused;
  }
  const key = stored.value;
  const verified = verifyDatabaseFile(from, LATEST_SCHEMA_VERSION, [auditChainCheck], { key });
  if (!verified.ok) {
    const hint = key === null && fileState(from) === 'encrypted' ? ` This computer has no key for ${file} (looked for ${store.describe(file)}): enter its recovery key with reservoir key import --db ${file}, or give --key-file.` : '';
    io.err(line(`reservoir restore: the backup ${from} ${verified.reason}; nothing was changed.${hint}`));
    return EXIT.refused;
  }
  try {
    if (inUseElsewhere(file, { key })) {
      io.err(line(`reservoir restore: ${file} is open in Reservoir or another command; close it first. Nothing was changed.`));
      return EXIT.refused;
    }
  } catch {
    // Unreadable as a database (damaged beyond opening): nothing can be using it as one.
  }
  let setAside: string | null;
  try {
    setAside = swapInBackup(file, from, fileStamp(io.now())).setAside;
  } catch (e) {
    io.err(line(`reservoir restore: the backup could not be put in place (${(e as Error).message}); the database was left as it was.`));
    return EXIT.refused;
  }
  const opened = openDatabase(file, { now: io.now, key });
  if (!opened.ok || opened.state !== 'ok') {
    if (opened.ok) opened.db?.close();
    if (setAside !== null) putBack(file, setAside);
    io.err(line(`reservoir restore: the restored database does not open (${opened.ok ? opened.message : opened.error.message}); the previous database was put back.`));
    return EXIT.refused;
  }
  opened.db.close();
  recordInFile(file, { key }, cliActor(), io.now(), { action: 'restore', entity: 'database', entityId: path.basename(from), detail: { setAside } });
  io.out(line(`Restored ${file} from ${from} (schema ${verified.schemaVersion}).`));
  if (setAside !== null) io.out(line(`The database it replaced is kept at ${setAside}`));
  return EXIT.ok;
}
