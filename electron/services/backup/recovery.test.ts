/**
 * Recovery mode: reached at opening (the cheap check), in the background (the full check) or before a
 * backup; and its restore, a deliberate act confirmed by the person at the console.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BackupInfo, BackupOverview, BackupRestoreResult } from '../../../shared/contract/backups';
import type { Result } from '../../../shared/contract/result';
import type { ReservoirServices } from '../app';
import { tempDir } from '../testing/temp';
import { RESTORE_CODE_TRIES } from './services';
import { addPatientRows, corrupt, corruptIndexPage, freshConsole, mrnsIn, must, openServices, PASSWORD, patient } from './test-support';

let tmp: ReturnType<typeof tempDir>;
let open: ReservoirServices[] = [];
beforeEach(() => (tmp = tempDir()));
afterEach(() => {
  for (const s of open) s.close();
  open = [];
  tmp.cleanup();
});

/** A clinic with one backup (MRN-1), a later patient (MRN-2), closed. */
async function clinicWithBackup(file: string): Promise<BackupInfo> {
  const c = await freshConsole(file);
  await c.must(c.clinician, 'patients.create', patient('MRN-1'));
  const backup = await c.must<BackupInfo>(c.admin, 'backups.create', {});
  await c.must(c.clinician, 'patients.create', patient('MRN-2'));
  c.svc.close();
  return backup;
}

/** Every file in the database's folder and the backups folder, with its bytes. */
function filesIn(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const full = path.join(dir, name);
    if (fs.statSync(full).isFile()) out[name] = fs.readFileSync(full).toString('base64');
  }
  return out;
}

function withCodes(file: string, extra: Parameters<typeof openServices>[1] = {}) {
  const codes: string[] = [];
  const svc = openServices(file, { recovery: { confirm: 'code', announce: (code) => codes.push(code) }, ...extra });
  open.push(svc);
  return { svc, codes };
}

describe('the restore in recovery mode is deliberate (browser shell: a one-time code from its terminal)', () => {
  it('without the code or with a wrong one it is refused and no file changes; with the code it restores; no answer carries the code', async () => {
    const file = tmp.file('clinic.db');
    const backup = await clinicWithBackup(file);
    corrupt(file);
    const { svc, codes } = withCodes(file);
    expect(svc.status()).toMatchObject({ state: 'recovery', restoreConfirmation: 'code' });
    expect(codes).toHaveLength(1); // printed when it opened in recovery mode
    const code = codes[0]!;
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);

    const answers: Result<unknown>[] = [];
    const ask = async (name: string, input: unknown) => {
      const r = await svc.dispatch(name, input);
      answers.push(r);
      return r;
    };
    const damagedBytes = fs.readFileSync(file);
    const before = filesIn(tmp.dir);
    answers.push(await svc.dispatch('system.status', {}));
    const list = await ask('backups.list', {});
    // What a restore would replace, and from when, for the recovery screen.
    const current = (list as { value: BackupOverview }).value.current!;
    expect(current.path).toBe(file);
    expect(current.sizeBytes).toBe(fs.statSync(file).size);
    expect(current.modifiedAtMs).toBe(Math.round(fs.statSync(file).mtimeMs));

    const none = await ask('backups.restore', { name: null });
    expect(none).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'confirmation' } });
    expect(!none.ok && none.error.message).toMatch(/restore code printed in the window where the Reservoir browser shell runs/);
    const wrong = await ask('backups.restore', { name: null, confirmation: 'ABCD-EFGH' === code ? 'HGFE-DCBA' : 'ABCD-EFGH' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'confirmation' } });
    expect(!wrong.ok && wrong.error.message).toMatch(/not the restore code.*2 tries left/);
    const empty = await ask('backups.restore', { name: backup.name, confirmation: '' });
    expect(empty).toMatchObject({ ok: false, error: { field: 'confirmation' } });
    expect(filesIn(tmp.dir)).toEqual(before); // nothing replaced, nothing set aside
    expect(svc.status().state).toBe('recovery');

    // Typed as a person might: lower case, without the dash.
    const done = await ask('backups.restore', { name: null, confirmation: ` ${code.replace('-', '').toLowerCase()} ` });
    expect(done.ok).toBe(true);
    const result = (done as { value: BackupRestoreResult }).value;
    expect(result.restoredFrom).toBe(backup.name);
    expect(mrnsIn(file)).toEqual(['MRN-1']);
    expect(fs.readFileSync(result.setAside).equals(damagedBytes)).toBe(true); // the damaged file, kept aside
    expect(svc.status().state).toBe('ok');
    answers.push(await svc.dispatch('system.status', {}));

    for (const a of answers) {
      const text = JSON.stringify(a);
      expect(text).not.toContain(code);
      expect(text).not.toContain(code.replace('-', ''));
    }
  });

  it(`after ${RESTORE_CODE_TRIES} wrong codes the code is replaced by a newly printed one; the old one no longer works`, async () => {
    const file = tmp.file('clinic.db');
    await clinicWithBackup(file);
    corrupt(file);
    const { svc, codes } = withCodes(file);
    const first = codes[0]!;
    const before = filesIn(tmp.dir);
    for (let i = 0; i < RESTORE_CODE_TRIES; i++) {
      const r = await svc.dispatch('backups.restore', { name: null, confirmation: `WRONG-${i}` });
      expect(r).toMatchObject({ ok: false, error: { field: 'confirmation' } });
    }
    expect(codes).toHaveLength(2);
    expect(codes[1]).not.toBe(first);
    expect(await svc.dispatch('backups.restore', { name: null, confirmation: first })).toMatchObject({ ok: false, error: { field: 'confirmation' } });
    expect(filesIn(tmp.dir)).toEqual(before);
    expect((await svc.dispatch('backups.restore', { name: null, confirmation: codes[1] })).ok).toBe(true);
    expect(mrnsIn(file)).toEqual(['MRN-1']);
  });

  it('in the desktop app the person types RESTORE; nothing else will do', async () => {
    const file = tmp.file('clinic.db');
    await clinicWithBackup(file);
    corrupt(file);
    const svc = openServices(file, { recovery: { confirm: 'word' } });
    open.push(svc);
    expect(svc.status()).toMatchObject({ state: 'recovery', restoreConfirmation: 'word' });
    const before = filesIn(tmp.dir);
    for (const confirmation of [undefined, '', 'yes', 'RESTOR']) {
      const r = await svc.dispatch('backups.restore', confirmation === undefined ? { name: null } : { name: null, confirmation });
      expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'confirmation' } });
      expect(!r.ok && r.error.message).toMatch(/type RESTORE/);
    }
    expect(filesIn(tmp.dir)).toEqual(before);
    expect((await svc.dispatch('backups.restore', { name: null, confirmation: 'restore' })).ok).toBe(true);
    expect(mrnsIn(file)).toEqual(['MRN-1']);
  });
});

describe('damage only the full integrity check sees', () => {
  async function deeplyDamaged(file: string): Promise<void> {
    await clinicWithBackup(file);
    addPatientRows(file, 3000);
    corruptIndexPage(file);
  }

  it('opens (the cheap check passes), then switches to recovery mode as soon as the background check fails', async () => {
    const file = tmp.file('clinic.db');
    await deeplyDamaged(file);
    const { svc, codes } = withCodes(file, { backgroundIntegrityCheck: true });
    expect(svc.status().state).toBe('ok'); // opening did not wait for the full check
    const admin = { id: null };
    await must(svc, admin, 'session.login', { username: 'admin', password: PASSWORD });

    await vi.waitFor(() => expect(svc.status().state).toBe('recovery'), { timeout: 10_000, interval: 20 });
    expect(svc.status().message).toMatch(/failed its integrity check/);
    expect(codes).toHaveLength(1); // the shell printed a restore code when it switched
    // Every request but status and the recovery screen's is refused from now on, signed in or not.
    expect(await svc.dispatch('patients.list', {}, admin)).toMatchObject({ ok: false, error: { code: 'database_damaged' } });
    expect(await svc.dispatch('patients.create', patient('MRN-9'), admin)).toMatchObject({ ok: false, error: { code: 'database_damaged' } });
    expect(await svc.dispatch('system.status', {})).toMatchObject({ ok: true, value: { state: 'recovery', restoreConfirmation: 'code' } });
  });

  it('a backup of it is refused (the good backups stay), and the console switches to recovery mode', async () => {
    const file = tmp.file('clinic.db');
    await deeplyDamaged(file);
    const { svc, codes } = withCodes(file); // no background check: the one before the backup finds it
    expect(svc.status().state).toBe('ok');
    const admin = { id: null };
    await must(svc, admin, 'session.login', { username: 'admin', password: PASSWORD });
    const backupsBefore = fs.readdirSync(tmp.file('backups'));

    const r = await svc.dispatch('backups.create', {}, admin);
    expect(r).toMatchObject({ ok: false, error: { code: 'database_damaged' } });
    expect(!r.ok && r.error.message).toMatch(/No backup was made: the database failed its integrity check/);
    expect(fs.readdirSync(tmp.file('backups'))).toEqual(backupsBefore);
    await vi.waitFor(() => expect(svc.status().state).toBe('recovery'), { timeout: 5_000, interval: 20 });
    expect(codes).toHaveLength(1);
  });
});
