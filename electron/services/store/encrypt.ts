/**
 * Converting an unencrypted clinic database into an encrypted one, all or nothing
 * (`reservoir encrypt`, docs/security.md "Encryption at rest"):
 * 1. the database must not be in use; it must pass `integrity_check`;
 * 2. `VACUUM INTO` a private `FILE.encrypting` (a consistent copy, committed WAL content included),
 *    then `PRAGMA rekey` encrypts that copy in place with the key;
 * 3. the copy is verified with the key: `integrity_check`, the schema, every table's row count equal
 *    to the original's, the audit chain intact, and no SQLite plain-text header;
 * 4. it is swapped in with the restore's crash-safe steps (backup/files.ts `swapInBackup`: the copy
 *    flushed, the original linked aside, one atomic rename);
 * 5. the unencrypted original (and its -wal) is overwritten with zeros and deleted.
 * A failure before step 4 deletes the copy and leaves the original as it was.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fail, ok, type Result } from '../../../shared/contract/result';
import { swapInBackup, verifyDatabaseFile, fsyncDir, type ExtraCheck } from '../backup/files';
import { connect, inUseElsewhere } from './connect';
import { integrityProblems } from './database';
import { fileState, type DatabaseKey } from './keys';
import { createPrivateFile } from './private-files';

export interface EncryptOptions {
  nativeBinding?: string | undefined;
  latestSchemaVersion: number;
  extraChecks?: readonly ExtraCheck[];
  /** For the file name of the set-aside original (deleted at the end). */
  stamp: string;
}

export interface EncryptOutcome {
  tables: number;
  rows: number;
  /** The unencrypted files overwritten and deleted (the original and its -wal). */
  wiped: string[];
}

/** Row counts of every table (virtual tables' shadow tables included), to compare the copy with. */
function rowCounts(db: ReturnType<typeof connect>): Map<string, number> {
  const names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name").all() as { name: string }[];
  const counts = new Map<string, number>();
  for (const { name } of names) {
    const row = db.prepare(`SELECT count(*) AS n FROM "${name.replace(/"/g, '""')}"`).get() as { n: number };
    counts.set(name, row.n);
  }
  return counts;
}


export function encryptDatabase(file: string, key: DatabaseKey, options: EncryptOptions): Result<EncryptOutcome> {
  const state = fileState(file);
  if (state === 'missing') return fail('not_found', `There is no database at ${file}.`);
  if (state === 'encrypted') return fail('conflict', `${file} is already encrypted. Nothing was changed.`);
  if (inUseElsewhere(file, { nativeBinding: options.nativeBinding })) return fail('conflict', `${file} is open in Reservoir or another command; close it first. Nothing was changed.`);

  const copy = `${file}.encrypting`;
  let before: Map<string, number>;
  try {
    const source = connect(file, { nativeBinding: options.nativeBinding }, { fileMustExist: true, readonly: true });
    try {
      const problems = integrityProblems(source);
      if (problems !== null) {
        return fail('database_damaged', `${file} fails its integrity check (${problems}); restore a good backup before encrypting it. Nothing was changed.`);
      }
      before = rowCounts(source);
      wipe(copy); // an unencrypted leftover of an interrupted run
      createPrivateFile(copy);
      source.prepare('VACUUM INTO ?').run(copy);
    } finally {
      source.close();
    }
    const target = connect(copy, { nativeBinding: options.nativeBinding }, { fileMustExist: true });
    try {
      // The same cipher settings as applyKey, then rekey: every page rewritten encrypted.
      applyCipherSettings(target);
      target.pragma(`rekey = "${key.sqlLiteral()}"`);
    } finally {
      target.close();
    }
    const problem = verifyCopy(copy, key, before, options);
    if (problem !== null) throw new Error(problem);
  } catch (e) {
    wipe(copy);
    wipe(`${copy}-journal`);
    return fail('internal', `${file} could not be encrypted (${(e as Error).message}). The database was left as it was.`);
  }

  const { setAside } = swapInBackup(file, copy, `${options.stamp}-unencrypted`);
  fs.rmSync(copy, { force: true });
  const wiped: string[] = [];
  for (const leftover of setAside === null ? [] : [setAside, `${setAside}-wal`]) {
    if (wipe(leftover)) wiped.push(leftover);
  }
  fsyncDir(path.dirname(path.resolve(file)));
  let rows = 0;
  for (const n of before.values()) rows += n;
  return ok({ tables: before.size, rows, wiped });
}

function applyCipherSettings(db: ReturnType<typeof connect>): void {
  db.pragma("cipher = 'sqlcipher'");
  db.pragma('legacy = 4');
}

function verifyCopy(copy: string, key: DatabaseKey, before: Map<string, number>, options: EncryptOptions): string | null {
  if (fileState(copy) !== 'encrypted') return 'the copy is not encrypted';
  const verified = verifyDatabaseFile(copy, options.latestSchemaVersion, options.extraChecks ?? [], { nativeBinding: options.nativeBinding, key });
  if (!verified.ok) return `the encrypted copy ${verified.reason}`;
  const db = connect(copy, { nativeBinding: options.nativeBinding, key }, { readonly: true, fileMustExist: true });
  try {
    const after = rowCounts(db);
    for (const [table, n] of before) {
      if (after.get(table) !== n) return `the encrypted copy's ${table} has ${after.get(table) ?? 'no'} rows, the original ${n}`;
    }
    if (after.size !== before.size) return 'the encrypted copy has other tables than the original';
  } finally {
    db.close();
  }
  return null;
}

/**
 * Overwrites a file with zeros, flushes it and deletes it; false when there was no file. On SSDs and
 * copy-on-write file systems the old blocks may survive the overwrite (docs/security.md): the
 * overwrite is a best effort, full-disk encryption the guarantee.
 */
export function wipe(file: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r+');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
  try {
    const size = fs.fstatSync(fd).size;
    const zeros = Buffer.alloc(Math.min(size, 1 << 20));
    for (let at = 0; at < size; at += zeros.length) fs.writeSync(fd, zeros, 0, Math.min(zeros.length, size - at), at);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.rmSync(file);
  return true;
}

