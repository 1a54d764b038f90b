import Database from 'better-sqlite3-multiple-ciphers';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../services/testing/temp';
import { openDatabase } from '../services/store/database';
import { LATEST_SCHEMA_VERSION } from '../services/store/migrations';
import { corrupt, mrnsIn } from '../services/backup/test-support';
import type { CliIo } from './args';
import { main } from './main';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => (tmp = tempDir('reservoir-cli-backup-')));
afterEach(() => tmp.cleanup());

const NOW = Date.UTC(2026, 10, 24, 19, 35, 4, 123);
function run(args: string[], now = NOW) {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t), now: () => now };
  return { code: main(args, io), out, err };
}

function clinicWith(file: string, mrns: string[]): void {
  const r = openDatabase(file);
  if (!r.ok || r.state !== 'ok') throw new Error('open');
  const insert = r.db.prepare(
    "INSERT INTO patients (mrn, family_name, given_name, birth_date, sex, indications, created_at_ms, updated_at_ms) VALUES (?, 'A', 'B', '1970-01-01', 'male', '[\"other\"]', 0, 0)",
  );
  r.db.transaction(() => mrns.forEach((m) => insert.run(m)))();
  r.db.close();
}

describe('reservoir backup', () => {
  it('writes a named, verified copy next to the database, or into --to', () => {
    const db = tmp.file('clinic.db');
    clinicWith(db, ['MRN-1']);
    const r = run(['backup', '--db', db]);
    expect(r.code).toBe(0);
    const name = `clinic.db.backup-2026-11-24T19-35-04-123Z-v${LATEST_SCHEMA_VERSION}-manual.db`;
    expect(r.out).toBe(`Backed up ${db} to ${path.join(tmp.dir, 'backups', name)}\n`);
    expect(mrnsIn(path.join(tmp.dir, 'backups', name))).toEqual(['MRN-1']);

    expect(run(['backup', '--db', db, '--to', tmp.file('elsewhere')], NOW + 1).code).toBe(0);
    expect(fs.readdirSync(tmp.file('elsewhere'))).toHaveLength(1);
    // The backup is recorded in the audit trail, as the operating-system user.
    const check = new Database(db, { readonly: true });
    expect((check.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'backup' AND username LIKE 'cli:%'").get() as { n: number }).n).toBe(2);
    check.close();
  });

  it('refuses a database written by a newer version, changing nothing in it', () => {
    const db = tmp.file('clinic.db');
    clinicWith(db, ['MRN-1']);
    const raw = new Database(db);
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    raw.pragma('wal_checkpoint(TRUNCATE)');
    raw.close();
    const before = fs.readFileSync(db);
    const r = run(['backup', '--db', db, '--to', tmp.file('bk')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/written by a newer version of Reservoir .*Nothing was changed\.\n$/);
    expect(fs.readFileSync(db).equals(before)).toBe(true);
    expect(fs.existsSync(tmp.file('bk'))).toBe(false);
  });

  it('refuses a missing or damaged database, and bad usage', () => {
    expect(run(['backup', '--db', tmp.file('none.db')]).code).toBe(1);
    const db = tmp.file('clinic.db');
    clinicWith(db, Array.from({ length: 500 }, (_, i) => `MRN-${i}`));
    corrupt(db);
    const r = run(['backup', '--db', db]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/integrity check|malformed|cannot be opened|failed/);
    expect(run(['backup']).code).toBe(2);
  });
});

describe('reservoir restore', () => {
  it('verifies the backup, puts it in place and keeps the replaced database aside', () => {
    const db = tmp.file('clinic.db');
    clinicWith(db, ['MRN-1']);
    expect(run(['backup', '--db', db]).code).toBe(0);
    const backup = path.join(tmp.dir, 'backups', fs.readdirSync(tmp.file('backups'))[0]!);
    clinicWith(db, ['MRN-2']);
    const r = run(['restore', '--db', db, '--from', backup], NOW + 60_000);
    expect(r.code).toBe(0);
    expect(mrnsIn(db)).toEqual(['MRN-1']);
    const aside = fs.readdirSync(tmp.dir).find((f) => f.startsWith('clinic.db.replaced-'))!;
    expect(r.out).toContain(`kept at ${path.join(tmp.dir, aside)}`);
    expect(mrnsIn(path.join(tmp.dir, aside))).toEqual(['MRN-1', 'MRN-2']);
  });

  it('refuses a damaged backup and a database that is open elsewhere, changing nothing', () => {
    const db = tmp.file('clinic.db');
    clinicWith(db, Array.from({ length: 500 }, (_, i) => `MRN-${i}`));
    expect(run(['backup', '--db', db]).code).toBe(0);
    const backup = path.join(tmp.dir, 'backups', fs.readdirSync(tmp.file('backups'))[0]!);
    fs.copyFileSync(backup, tmp.file('bad.db'));
    corrupt(tmp.file('bad.db'));
    const bad = run(['restore', '--db', db, '--from', tmp.file('bad.db')]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/nothing was changed/);

    const holder = new Database(db);
    holder.prepare('SELECT count(*) FROM patients').get();
    try {
      const busy = run(['restore', '--db', db, '--from', backup]);
      expect(busy.code).toBe(1);
      expect(busy.err).toMatch(/is open in Reservoir or another command/);
    } finally {
      holder.close();
    }
    expect(fs.readdirSync(tmp.dir).some((f) => f.includes('replaced'))).toBe(false);
    expect(run(['restore', '--db', db]).code).toBe(2);
  });
});
