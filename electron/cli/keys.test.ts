/**
 * The command line's encryption at rest: new databases encrypted, their key in a 0600 file outside
 * the database's folder; a database stolen to another computer does not open there until its
 * recovery key is entered; `reservoir encrypt` converts a plain clinic and leaves nothing plain.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../services/testing/temp';
import { FIXTURE_DIR } from '../services/features/interchange/test-support';
import { connect } from '../services/store/connect';
import { DatabaseKey, fileState, keyFileFor } from '../services/store/keys';
import { main } from './main';
import type { CliIo } from './args';

const POSIX = process.platform !== 'win32';
/** Patient text from the fixture clinic (patients.csv): a family name and an MRN. */
const SECRETS = ['Okafor', 'Lindqvist', 'RSV-002'];
const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir('reservoir-keys-');
});
afterEach(() => tmp.cleanup());

let nowMs = Date.UTC(2025, 8, 1, 12);
function run(args: string[], input = ''): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  nowMs += 60_000; // a minute a command, so two backups never share a name
  const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t), now: () => nowMs, input: () => input };
  return { code: main(args, io), out, err };
}

/** Every file below `dir` that is an unencrypted SQLite file or holds patient text, with what gave it away. */
function plainFilesUnder(dir: string): string[] {
  const found: string[] = [];
  for (const rel of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const full = path.join(dir, rel);
    if (!fs.statSync(full).isFile()) continue;
    const bytes = fs.readFileSync(full);
    if (bytes.subarray(0, 16).equals(SQLITE_HEADER)) found.push(`${rel}: unencrypted SQLite`);
    for (const s of SECRETS) if (bytes.includes(Buffer.from(s))) found.push(`${rel}: ${s}`);
  }
  return found;
}

const recoveryKeyIn = (text: string): string => /([0-9a-f]{4}(?:-[0-9a-f]{4}){16})/.exec(text)![1]!;

describe('reservoir and encrypted databases', () => {
  it('a new database is encrypted, its key file 0600 outside the database folder', () => {
    const db = tmp.file('clinic.db');
    expect(run(['import', '--db', db, FIXTURE_DIR]).code).toBe(0);
    expect(fileState(db)).toBe('encrypted');
    const keyFile = keyFileFor(db);
    expect(fs.existsSync(keyFile)).toBe(true);
    expect(path.relative(tmp.dir, keyFile).startsWith('..')).toBe(true); // not in or below the database's folder
    if (POSIX) {
      expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
      expect(fs.statSync(path.dirname(keyFile)).mode & 0o777).toBe(0o700);
    }
    expect(fs.readdirSync(tmp.dir).filter((f) => f.endsWith('.key'))).toEqual([]);
    expect(plainFilesUnder(tmp.dir)).toEqual([]);
    // The key file holds the key that opens it.
    const worklist = run(['worklist', '--db', db, '--as-of', '2025-09-01', '--format', 'csv']);
    expect(worklist.code).toBe(0);
    expect(worklist.out).toContain('RSV-002');
  });

  it('a database stolen to another path or computer does not open; its recovery key opens it there', () => {
    const db = tmp.file('clinic.db');
    expect(run(['import', '--db', db, FIXTURE_DIR]).code).toBe(0);
    const stolen = tmp.file('stolen.db'); // another path: this computer keeps no key for it, like another computer
    fs.copyFileSync(db, stolen);

    const refused = run(['worklist', '--db', stolen, '--as-of', '2025-09-01']);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/is encrypted and this computer has no key for it/);
    expect(refused.err).not.toContain('internal');
    expect(refused.out).not.toContain('RSV-002');

    // The administrator's recovery key (audited), then entered for the copy.
    const exported = run(['key', 'export', '--db', db]);
    expect(exported.code).toBe(0);
    const recovery = recoveryKeyIn(exported.out);

    const wrong = run(['key', 'import', '--db', stolen], DatabaseKey.generate().recoveryText());
    expect(wrong.code).toBe(1);
    expect(wrong.err).toMatch(/does not open .*encrypted with another key.*Nothing was saved/);
    const typo = run(['key', 'import', '--db', stolen], recovery.replace(/^./, (c) => (c === '0' ? '1' : '0')));
    expect(typo.code).toBe(1);
    expect(typo.err).toMatch(/typing mistake/);
    expect(fs.existsSync(keyFileFor(stolen))).toBe(false);

    const imported = run(['key', 'import', '--db', stolen], `${recovery}\n`);
    expect(imported.code).toBe(0);
    const opened = run(['worklist', '--db', stolen, '--as-of', '2025-09-01', '--format', 'csv']);
    expect(opened.code).toBe(0);
    expect(opened.out).toContain('RSV-002');

    const audit = connect(db, { key: readKey(db) }, { readonly: true });
    expect(audit.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'key_export'").get()).toEqual({ n: 1 });
    audit.close();
    const auditCopy = connect(stolen, { key: readKey(stolen) }, { readonly: true });
    expect(auditCopy.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'key_import'").get()).toEqual({ n: 1 });
    auditCopy.close();
  });

  it('an encrypted backup restores on a new computer with the recovery key in a --key-file, and not without it', () => {
    const db = tmp.file('clinic.db');
    expect(run(['import', '--db', db, FIXTURE_DIR]).code).toBe(0);
    const backup = run(['backup', '--db', db, '--to', tmp.file('offsite')]);
    expect(backup.code).toBe(0);
    const backupFile = path.join(tmp.file('offsite'), fs.readdirSync(tmp.file('offsite'))[0]!);
    expect(fileState(backupFile)).toBe('encrypted');
    const recovery = recoveryKeyIn(run(['key', 'export', '--db', db]).out);

    const fresh = tmp.file(path.join('new-computer', 'clinic.db'));
    fs.mkdirSync(path.dirname(fresh));
    const without = run(['restore', '--db', fresh, '--from', backupFile]);
    expect(without.code).toBe(1);
    expect(without.err).toMatch(/is encrypted, and this database is not.*This computer has no key for/);
    expect(fs.existsSync(fresh)).toBe(false);

    const keyFile = tmp.file(path.join('usb', 'clinic.key'));
    expect(run(['key', 'import', '--db', fresh, '--key-file', keyFile], recovery).code).toBe(0);
    if (POSIX) expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    const restored = run(['restore', '--db', fresh, '--from', backupFile, '--key-file', keyFile]);
    expect(restored).toMatchObject({ code: 0 });
    const worklist = run(['worklist', '--db', fresh, '--key-file', keyFile, '--as-of', '2025-09-01', '--format', 'csv']);
    expect(worklist.out).toContain('RSV-002');
    expect(run(['audit', 'verify', '--db', fresh, '--key-file', keyFile]).code).toBe(0);
  });

  it('reservoir encrypt converts a plain clinic all or nothing, and leaves nothing plain behind', () => {
    const db = tmp.file('clinic.db');
    expect(run(['import', '--db', db, '--plain', FIXTURE_DIR]).code).toBe(0);
    expect(run(['backup', '--db', db]).code).toBe(0); // an unencrypted backup, from before
    const before = run(['worklist', '--db', db, '--as-of', '2025-09-01', '--format', 'csv']).out;
    expect(plainFilesUnder(tmp.dir).length).toBeGreaterThan(0); // the attack works on the plain clinic

    const first = run(['encrypt', '--db', db]);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/Encrypted .*clinic\.db: \d+ tables, \d+ rows, checked/);
    expect(first.out).toMatch(/unencrypted original .* was overwritten and deleted/);
    expect(first.out).toMatch(/These 1 unencrypted copies .* still on disk/);
    expect(fileState(db)).toBe('encrypted');
    // What is left plain is the old backup only, and it was named.
    expect(plainFilesUnder(tmp.dir).every((f) => f.startsWith(`backups${path.sep}`) && f.includes('-manual.db'))).toBe(true);

    const second = run(['encrypt', '--db', db, '--remove-plain-copies']);
    expect(second.code).toBe(0);
    expect(second.out).toMatch(/already encrypted/);
    expect(second.out).toMatch(/Overwrote and deleted the unencrypted copy/);
    expect(plainFilesUnder(tmp.dir)).toEqual([]);

    expect(run(['worklist', '--db', db, '--as-of', '2025-09-01', '--format', 'csv']).out).toBe(before);
    expect(run(['audit', 'verify', '--db', db]).code).toBe(0);
    const check = connect(db, { key: readKey(db) }, { readonly: true });
    expect(check.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'encrypt'").get()).toEqual({ n: 2 });
    check.close();
    expect(run(['encrypt', '--db', tmp.file('missing.db')]).code).toBe(1);
  });

  it('reservoir encrypt refuses a database in use and changes nothing', () => {
    const db = tmp.file('clinic.db');
    expect(run(['import', '--db', db, '--plain', FIXTURE_DIR]).code).toBe(0);
    const holder = connect(db);
    holder.exec('BEGIN IMMEDIATE');
    try {
      const r = run(['encrypt', '--db', db]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/is open in Reservoir or another command; close it first\. Nothing was changed/);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    expect(fileState(db)).toBe('plain');
    expect(fs.readdirSync(tmp.dir).filter((f) => f.includes('.encrypting') || f.includes('.replaced-'))).toEqual([]);
  });
});

function readKey(db: string): DatabaseKey {
  const text = fs.readFileSync(keyFileFor(db), 'utf8');
  const hex = text.split('\n').filter((l) => l !== '' && !l.startsWith('#')).join('').replace(/-/g, '').slice(0, 64);
  return new DatabaseKey(Buffer.from(hex, 'hex'));
}
