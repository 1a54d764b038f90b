/**
 * A full disk, a read-only database and a busy one answer named errors through dispatch, with the
 * transaction rolled back (issue 18, item 8), never "internal".
 */
import type Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { storageError, DISK_FULL_MESSAGE } from './storage-errors';
import type { SqliteStore } from './store/store';
import { useTestServices } from './testing/services';

let connection: Database.Database | null = null;
// The services' own connection, reached through the seed hook (called once, on the fresh database).
const t = useTestServices(Date.UTC(2026, 2, 1), { seed: (ctx) => void (connection = (ctx.store as SqliteStore).db) });
const db = () => connection!;

const patient = (i: number) => ({
  mrn: `DF-${i}`,
  familyName: 'Diskfull',
  givenName: `Patient ${i}`,
  birthDate: '1960-01-01',
  sex: 'female',
  indications: ['spasticity'],
  allergies: 'x'.repeat(500),
});
const count = (sql: string, ...args: unknown[]) => (db().prepare(sql).get(...args) as { n: number }).n;

describe('a full disk', () => {
  it('a write that needs more room than the disk has answers disk_full, and nothing of it was saved', async () => {
    const pages = db().pragma('page_count', { simple: true }) as number;
    db().pragma(`max_page_count = ${pages}`); // the file may not grow: the disk is full
    let refused: { code: string; message: string } | null = null;
    let i = 0;
    for (; i < 500 && refused === null; i++) {
      const r = await t.svc.dispatch('patients.create', patient(i));
      if (!r.ok) refused = r.error;
    }
    expect(refused).toEqual({ code: 'disk_full', message: DISK_FULL_MESSAGE });
    expect(DISK_FULL_MESSAGE).toBe('The disk is full: nothing was saved. Free some space and try again.');
    const failed = `DF-${i - 1}`;
    // Nothing of the refused request: no patient, no search row, no audit entry.
    expect(count('SELECT count(*) AS n FROM patients WHERE mrn = ?', failed)).toBe(0);
    expect(count('SELECT count(*) AS n FROM patients')).toBe(i - 1);
    expect(count("SELECT count(*) AS n FROM audit_log WHERE action = 'create' AND entity = 'patient'")).toBe(i - 1);
    expect(db().pragma('integrity_check', { simple: true })).toBe('ok');
    // Space freed: the same request now succeeds.
    db().pragma('max_page_count = 1073741823');
    expect(await t.svc.dispatch('patients.create', patient(i - 1))).toMatchObject({ ok: true });
    expect((await t.svc.dispatch('audit.verify', {})) as unknown).toMatchObject({ ok: true, value: { ok: true } });
  });
});

describe('a database that cannot be written', () => {
  it('answers read_only, not internal, and saves nothing', async () => {
    db().pragma('query_only = 1');
    try {
      const r = await t.svc.dispatch('patients.create', patient(1));
      expect(r).toMatchObject({ ok: false, error: { code: 'read_only' } });
      if (!r.ok) expect(r.error.message).toMatch(/cannot write to the disk.*nothing was saved/);
    } finally {
      db().pragma('query_only = 0');
    }
    expect(count('SELECT count(*) AS n FROM patients')).toBe(0);
  });
});

describe('storageError', () => {
  it('names the storage failures a person can act on and leaves every other error alone', () => {
    expect(storageError(Object.assign(new Error('x'), { code: 'ENOSPC' }))?.code).toBe('disk_full');
    expect(storageError(Object.assign(new Error('x'), { code: 'EDQUOT' }))?.code).toBe('disk_full');
    expect(storageError(Object.assign(new Error('x'), { code: 'SQLITE_READONLY_DBMOVED' }))?.code).toBe('read_only');
    expect(storageError(Object.assign(new Error('x'), { code: 'EROFS' }))?.code).toBe('read_only');
    expect(storageError(Object.assign(new Error('x'), { code: 'SQLITE_BUSY' }))?.code).toBe('database_busy');
    expect(storageError(Object.assign(new Error('x'), { code: 'SQLITE_CORRUPT' }))).toBeNull();
    expect(storageError(new TypeError('a bug'))).toBeNull();
    expect(storageError(null)).toBeNull();
    // Wrapped (an Error whose cause is the fs error), as the export's write errors are.
    expect(storageError(new Error('write failed', { cause: new Error('x', { cause: Object.assign(new Error('x'), { code: 'ENOSPC' }) }) }))?.code).toBe('disk_full');
  });
});
