import fs from 'node:fs';
import os from 'node:os';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../services/testing/temp';
import { createServices } from '../services/app';
import { TEST_COST } from '../services/accounts/passwords';
import { signInEveryRole } from '../services/testing/services';
import { main } from './main';
import { FIXTURE_DIR } from '../services/features/interchange/test-support';
import type { CliIo } from './args';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir('reservoir-cli-audit-');
});
afterEach(() => tmp.cleanup());

function run(args: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t), now: () => Date.UTC(2026, 2, 1) };
  return { code: main(args, io), out, err };
}

/** A clinic database with a few audit entries (users created, sign-ins, a patient). */
async function clinic(): Promise<string> {
  const file = tmp.file('clinic.db');
  const r = createServices({ databasePath: file, shell: 'browser', passwordCost: TEST_COST });
  if (!r.ok) throw new Error(r.error.message);
  const slots = await signInEveryRole(r.value);
  const p = await r.value.dispatch('patients.create', { mrn: 'A-1', familyName: 'Okafor', givenName: 'Grace', birthDate: '1958-03-14', sex: 'female', indications: ['cancer_pain'] }, slots.clinician);
  expect(p.ok).toBe(true);
  r.value.close();
  return file;
}

/** A copy of `file` with the append-only triggers dropped and `tamper` applied. */
function tampered(file: string, name: string, tamper: string): string {
  const copy = tmp.file(name);
  fs.copyFileSync(file, copy);
  const db = new Database(copy);
  db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
  db.exec(tamper);
  db.close();
  return copy;
}

describe('reservoir audit verify', () => {
  it('exits 0 on an intact trail, read-only', async () => {
    const file = await clinic();
    const before = fs.readFileSync(file);
    const r = run(['audit', 'verify', '--db', file]);
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toMatch(/^Audit trail intact: 9 entries\. Anchor for a later check: --anchor 9:[0-9a-f]{64}\n$/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('exits 1 naming the first broken entry: an edited entry, a deleted entry, a re-hashed edit', async () => {
    const file = await clinic();
    const edited = run(['audit', 'verify', '--db', tampered(file, 'edited.db', "UPDATE audit_log SET username = 'mallory' WHERE seq = 4")]);
    expect(edited.code).toBe(1);
    expect(edited.err).toMatch(/BROKEN at entry 4: its content does not match its hash/);
    const deleted = run(['audit', 'verify', '--db', tampered(file, 'deleted.db', 'DELETE FROM audit_log WHERE seq = 2')]);
    expect(deleted.code).toBe(1);
    expect(deleted.err).toMatch(/BROKEN at entry 3: entries 2–2 are missing/);
    // Even with the edited entry's own hash recomputed, the next entry's link breaks.
    const rehashed = run(['audit', 'verify', '--db', tampered(file, 'rehashed.db', "UPDATE audit_log SET hash = '" + 'f'.repeat(64) + "' WHERE seq = 5")]);
    expect(rehashed.code).toBe(1);
    expect(rehashed.err).toMatch(/BROKEN at entry 5/);
  });

  it('--anchor finds a trail cut off at the end, or rebuilt from scratch', async () => {
    const file = await clinic();
    const anchor = /--anchor (\S+)/.exec(run(['audit', 'verify', '--db', file]).out)![1]!;
    expect(run(['audit', 'verify', '--db', file, '--anchor', anchor])).toMatchObject({ code: 0, out: expect.stringContaining('entry 9 matches the anchor') });
    // The last two entries deleted: the rest of the chain is intact, but the anchor is gone.
    const cut = tampered(file, 'cut.db', 'DELETE FROM audit_log WHERE seq >= 8');
    expect(run(['audit', 'verify', '--db', cut]).err).toMatch(/triggers .* were removed/);
    const r = run(['audit', 'verify', '--db', cut, '--anchor', anchor]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/BROKEN at entry|entry 9 is missing/);
    expect(run(['audit', 'verify', '--db', file, '--anchor', 'nonsense']).code).toBe(2);
  });

  it('an intact chain whose triggers were dropped is reported, exit 1', async () => {
    const file = await clinic();
    const r = run(['audit', 'verify', '--db', tampered(file, 'no-triggers.db', 'SELECT 1')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/intact, but the append-only triggers audit_log_no_update, audit_log_no_delete were removed/);
  });

  it('bad usage exits 2; a missing file exits 1', () => {
    expect(run(['audit']).code).toBe(2);
    expect(run(['audit', 'check', '--db', 'x']).code).toBe(2);
    expect(run(['audit', 'verify']).code).toBe(2);
    expect(run(['audit', 'verify', '--db', tmp.file('none.db')])).toMatchObject({ code: 1, err: expect.stringContaining('no database at') });
  });

  it('the command line acts as cli:<os user>: its import and export are in the trail', () => {
    const file = tmp.file('cli.db');
    expect(run(['import', '--db', file, '--plain', FIXTURE_DIR]).code).toBe(0); // unencrypted: read directly below
    expect(run(['export', '--db', file, '--out', tmp.file('out')]).code).toBe(0);
    const db = new Database(file, { readonly: true });
    const rows = db.prepare('SELECT username, role, action, entity FROM audit_log ORDER BY seq').all();
    db.close();
    const me = `cli:${os.userInfo().username}`;
    expect(rows).toEqual([
      { username: me, role: null, action: 'create', entity: 'import' },
      { username: me, role: null, action: 'export', entity: 'record' },
    ]);
    expect(run(['audit', 'verify', '--db', file]).code).toBe(0);
  });
});
