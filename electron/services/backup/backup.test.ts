import Database from 'better-sqlite3-multiple-ciphers';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BackupInfo, BackupOverview, BackupRestoreResult } from '../../../shared/contract/backups';
import type { AuditEntry } from '../../../shared/contract/audit';
import { openDatabase } from '../store/database';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../store/migrations';
import { tempDir } from '../testing/temp';
import { verifyDatabaseFile } from './files';
import { BackupService } from './service';
import { corrupt, freshConsole, mrnsIn, must, openServices, patient, type Console } from './test-support';

let tmp: ReturnType<typeof tempDir>;
let c: Console | null = null;
beforeEach(() => (tmp = tempDir()));
afterEach(() => {
  c?.svc.close();
  c = null;
  tmp.cleanup();
});

const backupsDir = () => tmp.file('backups');

describe('backups through the contract', () => {
  it('a manual backup is a verified copy, named with its time and schema version, listed newest first', async () => {
    c = await freshConsole(tmp.file('clinic.db'), { now: () => Date.UTC(2026, 10, 24, 19, 35, 4, 123) });
    await c.must(c.clinician, 'patients.create', patient('MRN-1'));
    const made = await c.must<BackupInfo>(c.admin, 'backups.create', {});
    expect(made).toMatchObject({ name: `clinic.db.backup-2026-11-24T19-35-04-123Z-v${LATEST_SCHEMA_VERSION}-manual.db`, kind: 'manual', schemaVersion: LATEST_SCHEMA_VERSION });
    const file = path.join(backupsDir(), made.name);
    expect(verifyDatabaseFile(file, LATEST_SCHEMA_VERSION)).toEqual({ ok: true, schemaVersion: LATEST_SCHEMA_VERSION });
    expect(mrnsIn(file)).toEqual(['MRN-1']);
    expect(fs.existsSync(`${file}-wal`)).toBe(false);

    await c.must(c.clinician, 'patients.create', patient('MRN-2'));
    const second = await c.must<BackupInfo>(c.admin, 'backups.create', {}); // same clock: a distinct name
    const list = await c.must<BackupOverview>(c.admin, 'backups.list', {});
    expect(list.folder).toBe(backupsDir());
    expect(list.backups.map((b) => b.name)).toEqual([second.name, made.name]);
    expect(list.lastBackupAtMs).toBe(second.createdAtMs);
  });

  it('only an administrator may list, make, restore or configure backups', async () => {
    c = await freshConsole(tmp.file('clinic.db'));
    for (const name of ['backups.list', 'backups.create', 'backups.restore', 'backups.configure']) {
      const input = name === 'backups.restore' ? { name: null } : name === 'backups.configure' ? { folder: null } : {};
      const asClinician = await c.svc.dispatch(name, input, c.clinician);
      expect(asClinician.ok ? null : asClinician.error.code).toBe('forbidden');
      const anonymous = await c.svc.dispatch(name, input, { id: null });
      expect(anonymous.ok ? null : anonymous.error.code).toBe('unauthorized');
    }
    expect(fs.existsSync(backupsDir())).toBe(false);
  });

  it('restore puts the backup in place, keeps the replaced database aside, reopens, and records who did it', async () => {
    const file = tmp.file('clinic.db');
    c = await freshConsole(file);
    await c.must(c.clinician, 'patients.create', patient('MRN-1'));
    const backup = await c.must<BackupInfo>(c.admin, 'backups.create', {});
    await c.must(c.clinician, 'patients.create', patient('MRN-2'));

    const restored = await c.must<BackupRestoreResult>(c.admin, 'backups.restore', { name: backup.name });
    expect(restored.restoredFrom).toBe(backup.name);
    expect(path.basename(restored.setAside)).toMatch(/^clinic\.db\.replaced-\d{4}-\d{2}-\d{2}T[\d-]+Z$/);
    expect(mrnsIn(restored.setAside)).toEqual(['MRN-1', 'MRN-2']); // nothing lost: the replaced record is kept
    expect(c.svc.status().state).toBe('ok');

    // The services were reopened on the restored file: sessions start again.
    expect((await c.svc.dispatch('patients.list', {}, c.clinician)).ok).toBe(false);
    const admin = { id: null };
    await must(c.svc, admin, 'session.login', { username: 'admin', password: 'correct horse battery' });
    const rows = await must<{ mrn: string }[]>(c.svc, admin, 'patients.list', {});
    expect(rows.map((r) => r.mrn)).toEqual(['MRN-1']);
    const trail = await must<AuditEntry[]>(c.svc, admin, 'audit.list', {});
    expect(trail.find((e) => e.action === 'restore')).toMatchObject({ username: 'admin', entityId: backup.name });
  });

  it('refuses to restore a backup that fails verification, naming it, and changes nothing', async () => {
    const file = tmp.file('clinic.db');
    c = await freshConsole(file);
    await c.must(c.clinician, 'patients.create', patient('MRN-1'));
    const backup = await c.must<BackupInfo>(c.admin, 'backups.create', {});
    corrupt(path.join(backupsDir(), backup.name));
    const r = await c.svc.dispatch('backups.restore', { name: backup.name }, c.admin);
    expect(r.ok ? null : r.error).toMatchObject({ code: 'refused', field: 'name' });
    expect(await c.must<unknown[]>(c.clinician, 'patients.list', {})).toHaveLength(1);
    expect(fs.readdirSync(tmp.dir).filter((f) => f.includes('replaced'))).toEqual([]);

    const missing = await c.svc.dispatch('backups.restore', { name: '../clinic.db' }, c.admin);
    expect(missing.ok ? null : missing.error.field).toBe('name');
  });

  it('the backup folder is a setting: a relative path, a missing folder or a file is refused naming the field; a good folder is used', async () => {
    c = await freshConsole(tmp.file('clinic.db'));
    const relative = await c.svc.dispatch('backups.configure', { folder: 'elsewhere', basedOn: (await c.must<BackupOverview>(c.admin, 'backups.list', {})).version }, c.admin);
    expect(relative.ok ? null : relative.error).toMatchObject({ code: 'invalid_input', field: 'folder' });
    fs.writeFileSync(tmp.file('a-file'), 'x');
    const notFolder = await c.svc.dispatch('backups.configure', { folder: tmp.file('a-file'), basedOn: (await c.must<BackupOverview>(c.admin, 'backups.list', {})).version }, c.admin);
    expect(notFolder.ok ? null : notFolder.error.field).toBe('folder');

    const elsewhere = tmp.file('offsite');
    const missing = await c.svc.dispatch('backups.configure', { folder: elsewhere, basedOn: (await c.must<BackupOverview>(c.admin, 'backups.list', {})).version }, c.admin);
    expect(missing.ok ? null : missing.error).toMatchObject({ field: 'folder', message: expect.stringMatching(/does not exist/) });
    expect(fs.existsSync(elsewhere)).toBe(false); // not created: a typo cannot put backups elsewhere
    fs.mkdirSync(elsewhere);
    const set = await c.must<BackupOverview>(c.admin, 'backups.configure', { folder: elsewhere, basedOn: (await c.must<BackupOverview>(c.admin, 'backups.list', {})).version });
    expect(set).toMatchObject({ folder: elsewhere, configured: true });
    const made = await c.must<BackupInfo>(c.admin, 'backups.create', {});
    expect(fs.existsSync(path.join(elsewhere, made.name))).toBe(true);
    // The folder's drive goes away: the backup fails, says why, and nothing is made in its place.
    fs.rmSync(elsewhere, { recursive: true });
    const failed = await c.svc.dispatch('backups.create', {}, c.admin);
    expect(failed.ok ? null : failed.error.message).toMatch(/does not exist/);
    expect(fs.existsSync(elsewhere)).toBe(false);
    expect((await c.must<BackupOverview>(c.admin, 'backups.list', {})).lastError).toMatch(/does not exist/);
    expect((await c.must<BackupOverview>(c.admin, 'backups.configure', { folder: null, basedOn: (await c.must<BackupOverview>(c.admin, 'backups.list', {})).version })).folder).toBe(backupsDir());
  });

  it('with automatic backups on, makes a daily backup on start when there is none', async () => {
    c = await freshConsole(tmp.file('clinic.db'), { backups: { automatic: true } });
    const daily = () => (fs.existsSync(backupsDir()) ? fs.readdirSync(backupsDir()).filter((f) => f.endsWith('-daily.db')) : []);
    // Waits on the file appearing (the copy runs in the background), not on a fixed delay.
    for (let i = 0; i < 1000 && daily().length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(daily()).toHaveLength(1);
    expect(verifyDatabaseFile(path.join(backupsDir(), daily()[0]!), LATEST_SCHEMA_VERSION).ok).toBe(true);
  });

  it('a backup interrupted by a crash leaves a .partial file, removed by the next backup once an hour old', async () => {
    const file = tmp.file('clinic.db');
    openServices(file).close();
    const nowMs = Date.now();
    const service = new BackupService({ databasePath: file, latestSchemaVersion: LATEST_SCHEMA_VERSION, now: () => nowMs });
    fs.mkdirSync(backupsDir());
    const stale = path.join(backupsDir(), 'clinic.db.backup-2026-01-01T00-00-00-000Z-v4-daily.db.partial');
    const fresh = path.join(backupsDir(), 'clinic.db.backup-2026-01-02T00-00-00-000Z-v4-daily.db.partial');
    const notOurs = path.join(backupsDir(), 'notes.db.partial');
    for (const f of [stale, fresh, notOurs]) fs.writeFileSync(f, 'half');
    const twoHoursAgo = new Date(nowMs - 2 * 3_600_000);
    for (const f of [stale, notOurs]) fs.utimesSync(f, twoHoursAgo, twoHoursAgo);
    expect((await service.create('manual')).ok).toBe(true);
    expect([stale, fresh, notOurs].map((f) => fs.existsSync(f))).toEqual([false, true, true]);
    expect(service.list().map((b) => b.kind)).toEqual(['manual']); // partial files are never listed
  });

  it('backups asked for at the same time are made one after the other, each of its own kind', async () => {
    const file = tmp.file('clinic.db');
    openServices(file).close();
    const service = new BackupService({ databasePath: file, latestSchemaVersion: LATEST_SCHEMA_VERSION, now: () => Date.UTC(2026, 10, 24) });
    const [daily, manual] = await Promise.all([service.create('daily'), service.create('manual')]);
    expect(daily.ok && manual.ok).toBe(true);
    expect(service.list().map((b) => b.kind).sort()).toEqual(['daily', 'manual']);
  });

  it('a daily backup is due when the newest backup of any kind is 24 hours old or more', async () => {
    let nowMs = Date.UTC(2026, 10, 24, 8);
    const file = tmp.file('clinic.db');
    openServices(file).close();
    const service = new BackupService({ databasePath: file, latestSchemaVersion: LATEST_SCHEMA_VERSION, now: () => nowMs });
    expect(service.dailyDue()).toBe(true);
    expect((await service.create('manual')).ok).toBe(true);
    expect(service.dailyDue()).toBe(false);
    nowMs += 24 * 3_600_000 - 1;
    expect(service.dailyDue()).toBe(false);
    nowMs += 1;
    expect(service.dailyDue()).toBe(true);
  });
});

describe('before a migration', () => {
  it('copies an existing database into its backups folder first, at its old schema version', () => {
    const file = tmp.file('clinic.db');
    const old = openDatabase(file, { migrations: MIGRATIONS.slice(0, 2) });
    if (!old.ok || old.state !== 'ok') throw new Error('open');
    old.db.prepare("INSERT INTO settings (key, value) VALUES ('marker', '\"before\"')").run();
    old.db.close();

    const r = openDatabase(file, { now: () => Date.UTC(2026, 10, 24) });
    if (!r.ok || r.state !== 'ok') throw new Error('open');
    r.db.close();
    const names = fs.readdirSync(backupsDir());
    expect(names).toEqual(['clinic.db.backup-2026-11-24T00-00-00-000Z-v2-premigration.db']);
    const copy = new Database(path.join(backupsDir(), names[0]!), { readonly: true });
    expect(copy.pragma('user_version', { simple: true })).toBe(2);
    expect(copy.prepare("SELECT value FROM settings WHERE key = 'marker'").get()).toEqual({ value: '"before"' });
    copy.close();
  });

  it('goes to the configured folder, or to the default one when the configured folder is missing', () => {
    const file = tmp.file('clinic.db');
    const first = openDatabase(file);
    if (!first.ok || first.state !== 'ok') throw new Error('open');
    const away = tmp.file('unplugged-drive');
    first.db.prepare('UPDATE backup_settings SET folder = ?').run(away);
    first.db.close();
    const next = { version: LATEST_SCHEMA_VERSION + 1, name: 'test', up: (db: Database.Database) => db.exec('CREATE TABLE later (x INTEGER)') };
    const r = openDatabase(file, { migrations: [...MIGRATIONS, next], now: () => Date.UTC(2026, 10, 24) });
    if (!r.ok || r.state !== 'ok') throw new Error('open');
    r.db.close();
    expect(fs.existsSync(away)).toBe(false);
    expect(fs.readdirSync(backupsDir())).toEqual([`clinic.db.backup-2026-11-24T00-00-00-000Z-v${LATEST_SCHEMA_VERSION}-premigration.db`]);
  });

  it('takes none for a brand-new database, and none when nothing is pending', () => {
    const file = tmp.file('clinic.db');
    for (let i = 0; i < 2; i++) {
      const r = openDatabase(file);
      if (r.ok && r.state === 'ok') r.db.close();
    }
    expect(fs.existsSync(backupsDir())).toBe(false);
  });

  it('refuses to migrate, changing nothing, when no backup can be written', () => {
    const file = tmp.file('clinic.db');
    const old = openDatabase(file, { migrations: MIGRATIONS.slice(0, 2) });
    if (!old.ok || old.state !== 'ok') throw new Error('open');
    old.db.close();
    fs.writeFileSync(backupsDir(), 'a file where the folder should be');
    const r = openDatabase(file);
    expect(r.ok ? null : r.error.message).toMatch(/must back up the database before upgrading/);
    const db = new Database(file, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    db.close();
  });
});

describe('start-up integrity and recovery', () => {
  it('a damaged database opens for recovery; "restore the latest good backup" skips a bad newer one', async () => {
    const file = tmp.file('clinic.db');
    let nowMs = Date.UTC(2026, 10, 20);
    c = await freshConsole(file, { now: () => nowMs });
    await c.must(c.clinician, 'patients.create', patient('MRN-1'));
    const good = await c.must<BackupInfo>(c.admin, 'backups.create', {});
    nowMs += 60_000;
    await c.must(c.clinician, 'patients.create', patient('MRN-2'));
    const bad = await c.must<BackupInfo>(c.admin, 'backups.create', {});
    c.svc.close();
    c = null;
    corrupt(path.join(backupsDir(), bad.name));
    corrupt(file);

    const svc = openServices(file, { now: () => nowMs, recovery: { confirm: 'word' } });
    try {
      expect(svc.status().state).toBe('recovery');
      expect((await svc.dispatch('patients.list', {})).ok).toBe(false);
      // No one can sign in to a damaged database: the recovery screen lists and restores without a session.
      const list = await svc.dispatch('backups.list', {});
      expect(list.ok && (list.value as BackupOverview).backups.map((b) => b.name)).toEqual([bad.name, good.name]);
      const r = await svc.dispatch('backups.restore', { name: null, confirmation: 'RESTORE' });
      expect(r.ok).toBe(true);
      const result = (r as { value: BackupRestoreResult }).value;
      expect(result.restoredFrom).toBe(good.name);
      expect(result.skipped).toEqual([{ name: bad.name, reason: expect.stringMatching(/integrity|malformed|cannot/) }]);
      expect(svc.status().state).toBe('ok');
      expect(mrnsIn(file)).toEqual(['MRN-1']);
      expect(fs.existsSync(result.setAside)).toBe(true); // the damaged file is kept, for forensics
    } finally {
      svc.close();
    }
  });

  it('with no good backup at all, says so and stays in recovery', async () => {
    const file = tmp.file('clinic.db');
    c = await freshConsole(file);
    c.svc.close();
    c = null;
    corrupt(file);
    const svc = openServices(file, { recovery: { confirm: 'word' } });
    try {
      const r = await svc.dispatch('backups.restore', { name: null, confirmation: 'RESTORE' });
      expect(r.ok ? null : r.error.code).toBe('not_found');
      expect(svc.status().state).toBe('recovery');
    } finally {
      svc.close();
    }
  });
});
