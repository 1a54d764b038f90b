/**
 * Encryption at rest (docs/security.md). Threat: a stolen disk or backup. Each test tries the theft:
 * it reads the raw bytes of the database, its -wal and a backup for patient text, and opens them
 * without the key (the driver, and the sqlite3 command if installed) and with another key.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BackupInfo } from '../../../shared/contract/backups';
import type { ExportJobStatus } from '../../../shared/contract/reports';
import { addPatientRows, corruptIndexPage, freshConsole, type Console } from '../backup/test-support';
import { verifyDatabaseFile } from '../backup/files';
import { auditChainCheck } from '../backup/services';
import { tempDir } from '../testing/temp';
import { connect } from './connect';
import { openDatabase } from './database';
import { encryptDatabase } from './encrypt';
import { DatabaseKey, fileState } from './keys';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations';

const NAME = 'Zebedayo';
const MRN = 'MRN-QX-48213';
const ALLERGY = 'Vancomycin-flushing-syndrome';
const SECRETS = [NAME, MRN, ALLERGY];

const sqlite3 = spawnSync('sqlite3', ['-version'], { encoding: 'utf8' }).status === 0 ? 'sqlite3' : null;

let tmp: ReturnType<typeof tempDir>;
let consoles: Console[];
beforeEach(() => {
  tmp = tempDir();
  consoles = [];
});
afterEach(() => {
  for (const c of consoles) c.svc.close();
  tmp.cleanup();
});

async function clinic(file: string, key: DatabaseKey | null): Promise<Console> {
  const c = await freshConsole(file, { key });
  consoles.push(c);
  return c;
}

const writePatient = (c: Console, mrn = MRN, familyName = NAME) =>
  c.must<{ id: number }>(c.clinician, 'patients.create', {
    mrn,
    familyName,
    givenName: 'Hortensia',
    birthDate: '1961-07-19',
    sex: 'female',
    indications: ['spasticity'],
    allergies: ALLERGY,
  });

/** Which of the patient's texts are readable in the file's raw bytes. */
const visible = (file: string): string[] => {
  const bytes = fs.readFileSync(file);
  return SECRETS.filter((s) => bytes.includes(Buffer.from(s, 'utf8')));
};

function backupPath(c: Console, info: BackupInfo): string {
  return path.join(c.svc.status().databasePath.replace(/[^/\\]+$/, ''), 'backups', info.name);
}

describe('a stolen database or backup (encryption at rest)', () => {
  it('the database file, its -wal and a backup hold no patient text; the same clinic unencrypted does', async () => {
    const key = DatabaseKey.generate();
    const file = tmp.file('clinic.db');
    const c = await clinic(file, key);
    await writePatient(c);
    const backup = await c.must<BackupInfo>(c.admin, 'backups.create', {});
    await writePatient(c, 'MRN-QX-99999', `${NAME}-Second`); // after the backup: in the -wal only, until a checkpoint
    const stolen = [file, `${file}-wal`, backupPath(c, backup)];
    for (const f of stolen) expect(fs.existsSync(f)).toBe(true);
    expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(0);
    for (const f of stolen) expect({ file: path.basename(f), visible: visible(f) }).toEqual({ file: path.basename(f), visible: [] });
    for (const f of [file, backupPath(c, backup)]) expect(fileState(f)).toBe('encrypted');

    // The control: the same writes without a key put the text on disk, so the search above can find it.
    const plainFile = tmp.file('plain.db');
    const p = await clinic(plainFile, null);
    await writePatient(p);
    const plainBackup = await p.must<BackupInfo>(p.admin, 'backups.create', {});
    const onDisk = [plainFile, `${plainFile}-wal`].flatMap(visible);
    expect(onDisk).toEqual(expect.arrayContaining(SECRETS));
    expect(visible(backupPath(p, plainBackup))).toEqual(SECRETS);
  });

  it('cannot be opened without the key (the driver, sqlite3) or with another key; the right key opens them', async () => {
    const key = DatabaseKey.generate();
    const file = tmp.file('clinic.db');
    const c = await clinic(file, key);
    await writePatient(c);
    const backup = backupPath(c, await c.must<BackupInfo>(c.admin, 'backups.create', {}));
    c.svc.close();
    consoles = [];

    for (const f of [file, backup]) {
      const thief = new Database(f, { readonly: true });
      expect(() => thief.prepare('SELECT family_name FROM patients').all()).toThrow(/file is not a database/);
      thief.close();
      if (sqlite3 !== null) {
        const r = spawnSync(sqlite3, ['-readonly', f, 'SELECT family_name, mrn, allergies FROM patients;'], { encoding: 'utf8' });
        expect(r.status).not.toBe(0);
        expect(r.stderr).toMatch(/file is not a database/);
        expect(r.stdout).not.toContain(NAME);
      }
      expect(() => connect(f, { key: DatabaseKey.generate() }, { readonly: true })).toThrow(/encrypted with another key/);
      const owner = connect(f, { key }, { readonly: true });
      expect(owner.prepare('SELECT family_name AS name, mrn, allergies FROM patients').get()).toEqual({ name: NAME, mrn: MRN, allergies: ALLERGY });
      expect(owner.pragma('temp_store', { simple: true })).toBe(2); // MEMORY: SQLite's temp files are not encrypted
      owner.close();
    }
  });

  it('a damaged plain database is not encrypted: refused naming the integrity check, the file left as it was', async () => {
    const file = tmp.file('clinic.db');
    const c = await clinic(file, null);
    await writePatient(c);
    c.svc.close();
    consoles = [];
    addPatientRows(file, 3000);
    corruptIndexPage(file);
    const before = fs.readFileSync(file);

    const r = encryptDatabase(file, DatabaseKey.generate(), { latestSchemaVersion: LATEST_SCHEMA_VERSION, stamp: 'test' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('database_damaged');
      expect(r.error.message).toMatch(/fails its integrity check \(.+\); restore a good backup before encrypting it\. Nothing was changed\./);
    }
    expect(fileState(file)).toBe('plain');
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(fs.readdirSync(path.dirname(file)).filter((f) => f.includes('encrypting'))).toEqual([]);
  });

  it('a wrong key is a clear key error, not a damaged database or recovery mode; nothing is changed', async () => {
    const key = DatabaseKey.generate();
    const file = tmp.file('clinic.db');
    const c = await clinic(file, key);
    await writePatient(c);
    const backup = backupPath(c, await c.must<BackupInfo>(c.admin, 'backups.create', {}));
    c.svc.close();
    consoles = [];
    const before = fs.readFileSync(file);

    const other = DatabaseKey.generate();
    const opened = openDatabase(file, { key: other });
    expect(opened.ok).toBe(false);
    if (!opened.ok) {
      expect(opened.error.code).toBe('database_key');
      expect(opened.error.message).toMatch(/encrypted with another key/);
      expect(opened.error.message).not.toMatch(/damaged|recovery/);
    }
    expect(fs.readFileSync(file).equals(before)).toBe(true);

    const verified = verifyDatabaseFile(backup, LATEST_SCHEMA_VERSION, [auditChainCheck], { key: other });
    expect(verified).toEqual({ ok: false, reason: expect.stringMatching(/was made with another key/) });
    if (!verified.ok) expect(verified.reason).not.toMatch(/integrity|damaged/);
    expect(verifyDatabaseFile(backup, LATEST_SCHEMA_VERSION, [auditChainCheck], { key })).toEqual({ ok: true, schemaVersion: LATEST_SCHEMA_VERSION });
  });

  it('backup then restore on an encrypted clinic: the restored file is the backup, still encrypted, with the same key', async () => {
    const key = DatabaseKey.generate();
    const file = tmp.file('clinic.db');
    const c = await clinic(file, key);
    await writePatient(c, 'MRN-BEFORE');
    const backup = await c.must<BackupInfo>(c.admin, 'backups.create', {});
    await writePatient(c, 'MRN-AFTER');
    await c.must(c.admin, 'backups.restore', { name: backup.name });
    expect(c.svc.status().state).toBe('ok');
    c.svc.close();
    consoles = [];

    expect(fileState(file)).toBe('encrypted');
    const db = connect(file, { key }, { readonly: true });
    expect((db.prepare('SELECT mrn FROM patients ORDER BY mrn').all() as { mrn: string }[]).map((r) => r.mrn)).toEqual(['MRN-BEFORE']);
    db.close();
    const setAside = fs.readdirSync(tmp.dir).filter((f) => f.includes('.replaced-') && !f.endsWith('-wal'));
    expect(setAside).toHaveLength(1);
    expect(visible(tmp.file(setAside[0]!))).toEqual([]);
  });

  it("report exports read an encrypted clinic on the worker's own connection, with the key", async () => {
    const key = DatabaseKey.generate();
    const c = await clinic(tmp.file('clinic.db'), key);
    await writePatient(c);
    const started = await c.must<ExportJobStatus>(c.admin, 'reports.export.start', { params: { report: 'activity', from: '2026-01-01', to: '2026-12-31' }, format: 'csv' });
    const status = await c.svc.reports!.settle(started.jobId);
    expect(status).toMatchObject({ state: 'done', error: null });
  });

  it('an unencrypted backup (from before the database was encrypted) is refused, and said so', async () => {
    const plain = tmp.file('plain.db');
    const p = await clinic(plain, null);
    await writePatient(p);
    const backup = backupPath(p, await p.must<BackupInfo>(p.admin, 'backups.create', {}));
    const verified = verifyDatabaseFile(backup, LATEST_SCHEMA_VERSION, [auditChainCheck], { key: DatabaseKey.generate() });
    expect(verified).toEqual({ ok: false, reason: expect.stringMatching(/is not encrypted .*would put an unencrypted database in place/) });
  });

  it('the backup taken before a migration is encrypted with the database key', () => {
    const key = DatabaseKey.generate();
    const file = tmp.file('clinic.db');
    const older = openDatabase(file, { key, migrations: MIGRATIONS.slice(0, 3) });
    if (!older.ok || older.state !== 'ok') throw new Error('did not open');
    older.db.close();
    const upgraded = openDatabase(file, { key, now: () => Date.UTC(2026, 5, 1) });
    if (!upgraded.ok || upgraded.state !== 'ok') throw new Error('did not upgrade');
    upgraded.db.close();
    const backups = fs.readdirSync(tmp.file('backups')).filter((f) => f.includes('premigration'));
    expect(backups).toHaveLength(1);
    const copy = tmp.file(path.join('backups', backups[0]!));
    expect(fileState(copy)).toBe('encrypted');
    expect(verifyDatabaseFile(copy, LATEST_SCHEMA_VERSION, [], { key })).toEqual({ ok: true, schemaVersion: 3 });
    expect(verifyDatabaseFile(copy, LATEST_SCHEMA_VERSION, [], {})).toMatchObject({ ok: false });
  });
});
