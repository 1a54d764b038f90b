import Database from 'better-sqlite3-multiple-ciphers';
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { integrityProblems, openDatabase } from './database';
import { addPatientRows, corruptIndexPage } from '../backup/test-support';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration } from './migrations';
import { tempDir } from '../testing/temp';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => (tmp = tempDir()));
afterEach(() => tmp.cleanup());

function mustOpen(file: string, migrations?: readonly Migration[]) {
  const r = openDatabase(file, migrations ? { migrations } : {});
  if (!r.ok || r.state !== 'ok') throw new Error(`expected an open database, got ${JSON.stringify(r)}`);
  return r;
}

describe('openDatabase', () => {
  it('creates a new database at the latest schema with WAL, synchronous=FULL and foreign keys', () => {
    const r = mustOpen(tmp.file('new.db'));
    expect(r.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    expect(r.db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    expect(r.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(r.db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(r.db.pragma('foreign_keys', { simple: true })).toBe(1);
    r.db.close();
  });

  it('applies pending migrations in version order, and only the pending ones', () => {
    const applied: number[] = [];
    const m = (version: number): Migration => ({
      version,
      name: `m${version}`,
      up(db) {
        applied.push(version);
        db.exec(`CREATE TABLE t${version} (x INTEGER)`);
      },
    });
    const file = tmp.file('order.db');
    mustOpen(file, [m(1), m(2)]).db.close();
    expect(applied).toEqual([1, 2]);
    // Listed out of order: still applied in version order; 1 and 2 are not re-run.
    const r = mustOpen(file, [m(4), m(1), m(3), m(2)]);
    expect(applied).toEqual([1, 2, 3, 4]);
    expect(r.db.pragma('user_version', { simple: true })).toBe(4);
    r.db.close();
  });

  it('runs all pending migrations in one transaction: a failing one leaves the file as it was', () => {
    const file = tmp.file('atomic.db');
    const first: Migration = { version: 1, name: 'a', up: (db) => db.exec('CREATE TABLE a (x INTEGER)') };
    mustOpen(file, [first]).db.close();
    const good: Migration = { version: 2, name: 'b', up: (db) => db.exec('CREATE TABLE b (x INTEGER)') };
    const bad: Migration = { version: 3, name: 'c', up: (db) => db.exec('CREATE TABLE broken (') };
    const r = openDatabase(file, { migrations: [first, good, bad] });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('internal');
    const db = new Database(file);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'b'").get()).toBeUndefined();
    db.close();
  });

  it('refuses a database written by a newer version, with a clear message, and changes nothing', () => {
    const file = tmp.file('newer.db');
    const db = new Database(file);
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 5}`);
    db.close();
    const before = fs.readFileSync(file);
    const r = openDatabase(file);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('database_newer');
      expect(r.error.message).toMatch(/newer version of Reservoir/);
    }
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('opens a damaged database for recovery only', () => {
    const file = tmp.file('damaged.db');
    const r0 = mustOpen(file);
    const insert = r0.db.prepare(
      "INSERT INTO patients (mrn, family_name, given_name, birth_date, sex, indications, created_at_ms, updated_at_ms) VALUES (?, 'A', 'B', '1970-01-01', 'male', '[\"other\"]', 0, 0)",
    );
    for (let i = 0; i < 2000; i++) insert.run(`MRN-${i}`);
    r0.db.pragma('wal_checkpoint(TRUNCATE)');
    r0.db.pragma('journal_mode = DELETE');
    r0.db.close();
    // Overwrite pages in the middle of the file (not the header) with garbage.
    const bytes = fs.readFileSync(file);
    const pageSize = bytes.readUInt16BE(16);
    for (let p = 2; p < 6; p++) bytes.fill(0xa5, p * pageSize + 10, (p + 1) * pageSize - 10);
    fs.writeFileSync(file, bytes);

    const r = openDatabase(file);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.state).toBe('recovery');
      if (r.state === 'recovery') {
        expect(r.message).toMatch(/failed its check at opening: .*malformed/i);
        r.db?.close();
      }
    }
  });

  it('treats a file that is not a database as damaged, not as a crash', () => {
    const file = tmp.file('garbage.db');
    fs.writeFileSync(file, 'this is a spreadsheet, not a database'.repeat(200));
    const r = openDatabase(file);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.state).toBe('recovery');
  });

  it('has strictly increasing, unique migration versions starting at 1', () => {
    const versions = MIGRATIONS.map((m) => m.version);
    expect(versions[0]).toBe(1);
    versions.forEach((v, i) => i > 0 && expect(v).toBe(versions[i - 1]! + 1));
  });

  it('a file another program holds locked is "in use", never damaged: it waits, then says so, and changes nothing', () => {
    const file = tmp.file('busy.db');
    mustOpen(file).db.close();
    const holder = new Database(file);
    holder.pragma('locking_mode = EXCLUSIVE'); // as a database tool may: readers are shut out too
    holder.exec('BEGIN EXCLUSIVE');
    holder.prepare("INSERT INTO settings (key, value) VALUES ('held', '1')").run();
    try {
      const started = Date.now();
      const r = openDatabase(file, { busyTimeoutMs: 300 });
      expect(Date.now() - started).toBeGreaterThanOrEqual(250); // it waited for its turn first
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('database_busy');
        expect(r.error.message).toContain(file);
        expect(r.error.message).toMatch(/in use by another program.*nothing was changed/);
      }
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    // Nothing was set aside, copied or changed: it opens normally once the other program is gone.
    expect(fs.readdirSync(path.dirname(file)).filter((f) => f.includes('replaced') || f === 'backups')).toEqual([]);
    const r = mustOpen(file);
    expect(r.db.prepare("SELECT value FROM settings WHERE key = 'held'").get()).toBeUndefined();
    r.db.close();
  });

  it('waits for another program that lets go of its lock within the busy timeout, then opens', async () => {
    const file = tmp.file('wait.db');
    mustOpen(file).db.close();
    // Another program (a child process) takes the lock, holds it 400 ms and lets go.
    const child = spawn(
      process.execPath,
      [
        '-e',
        `const D = require('better-sqlite3-multiple-ciphers'); const db = new D(${JSON.stringify(file)});
         db.pragma('locking_mode = EXCLUSIVE'); db.exec('BEGIN EXCLUSIVE');
         db.prepare("INSERT INTO settings (key, value) VALUES ('other', '1')").run();
         console.log('locked');
         setTimeout(() => { db.exec('COMMIT'); db.close(); }, 400);`,
      ],
      { cwd: path.resolve(import.meta.dirname, '../../..') },
    );
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('locked') && resolve());
      child.on('exit', (code) => reject(new Error(`the child exited (${code})`)));
    });
    const r = openDatabase(file, { busyTimeoutMs: 5000 });
    expect(r.ok && r.state).toBe('ok');
    if (r.ok && r.state === 'ok') {
      expect(r.db.prepare("SELECT value FROM settings WHERE key = 'other'").get()).toEqual({ value: '1' });
      r.db.close();
    }
  }, 20_000);

  it('the check at opening is cheap: damage deep inside an index is left to the full check', () => {
    const file = tmp.file('deep.db');
    mustOpen(file).db.close();
    addPatientRows(file, 3000);
    corruptIndexPage(file);
    const r = openDatabase(file);
    expect(r.ok && r.state).toBe('ok'); // opening does not read every page...
    if (r.ok && r.state === 'ok') {
      expect(integrityProblems(r.db)).toMatch(/Tree \d+ page \d+/); // ...the full check does
      r.db.close();
    }
  });

  it('a file cut short is caught at opening (SQLite compares its size with the header)', () => {
    const file = tmp.file('short.db');
    mustOpen(file).db.close();
    addPatientRows(file, 3000);
    const db = new Database(file);
    db.pragma('journal_mode = DELETE');
    db.close();
    const bytes = fs.readFileSync(file);
    const pageSize = bytes.readUInt16BE(16);
    fs.writeFileSync(file, bytes.subarray(0, bytes.length - 4 * pageSize));
    const r = openDatabase(file);
    expect(r.ok && r.state).toBe('recovery');
    if (r.ok && r.state === 'recovery') {
      expect(r.message).toMatch(/not a readable Reservoir database \(database disk image is malformed\)/);
      r.db?.close();
    }
  });
});
