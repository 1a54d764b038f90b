import Database from 'better-sqlite3-multiple-ciphers';
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from './database';
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
        expect(r.message).toMatch(/integrity/i);
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
});
