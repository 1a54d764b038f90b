import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { apiCall, E2E_PASSWORD, ensureUsers, keysEnv, signIn, type RunningShell, useShell } from './shell';

const root = path.resolve(import.meta.dirname, '..');
const t = useShell();

async function adminCookie(s: RunningShell): Promise<string> {
  const r = await apiCall(s, 'session.login', { username: 'administrator', password: E2E_PASSWORD });
  return r.setCookie!.split(';')[0]!;
}

test('an administrator backs up from Settings, then restores that backup and signs in again', async ({ page }) => {
  await t.start();
  await signIn(page, t.shell, 'administrator');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  const section = page.getByRole('region', { name: 'Backups' });
  await section.getByRole('button', { name: 'Back up now' }).click();
  await expect(section.getByRole('status')).toContainText('Backup made');
  const manual = section.getByRole('table', { name: 'Backups' }).getByRole('row', { name: /Manual/ });
  await expect(manual).toHaveCount(1);
  await expect(section).toContainText(path.join(t.data.dir, 'backups'));

  // A change after the backup, which the restore takes back.
  const cookie = await adminCookie(t.shell);
  expect((await apiCall(t.shell, 'settings.update', { clinicName: 'Renamed after the backup' }, cookie)).body.ok).toBe(true);

  await manual.getByRole('button', { name: 'Restore…' }).click();
  await page.getByRole('group', { name: 'Confirm restore' }).getByRole('button', { name: 'Verify and restore' }).click();
  await expect(section.getByRole('status')).toContainText('Restored from');
  await expect(section.getByRole('status')).toContainText('clinic.db.replaced-');
  await section.getByRole('button', { name: 'Continue' }).click();
  // The record was reopened: everyone signs in again.
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  const after = await apiCall(t.shell, 'settings.get', {}, await adminCookie(t.shell));
  expect((after.body.value as { clinicName: string }).clinicName).not.toBe('Renamed after the backup');
  expect(fs.readdirSync(t.data.dir).some((f) => f.startsWith('clinic.db.replaced-'))).toBe(true);
});

test('a damaged database opens on the recovery screen, which restores the latest good backup', async ({ page }) => {
  await t.start();
  await ensureUsers(t.shell);
  await t.stop();
  const backup = spawnSync(process.execPath, [path.join(root, 'bin/reservoir.mjs'), 'backup', '--db', t.data.db], { cwd: root, encoding: 'utf8', env: keysEnv(t.data.db) });
  expect(backup.status, backup.stderr).toBe(0);

  // Damage pages in the middle of the (closed, checkpointed) file.
  const bytes = fs.readFileSync(t.data.db);
  // The database is encrypted, so its header says nothing: SQLCipher's pages are 4096 bytes. Page 1
  // is left whole, so the key still opens the file and the damage is found by the integrity check.
  const pageSize = 4096;
  for (let p = 2; p < Math.min(Math.floor(bytes.length / pageSize) - 1, 12); p++) bytes.fill(0xa5, p * pageSize + 10, (p + 1) * pageSize - 10);
  fs.writeFileSync(t.data.db, bytes);

  await t.start();
  await page.goto(t.shell.url);
  await expect(page.getByRole('alert').filter({ hasText: 'open for recovery only' })).toBeVisible();
  const recovery = page.getByRole('region', { name: 'Recover the clinic record' });
  await expect(recovery.getByRole('table', { name: 'Backups' }).getByRole('row', { name: /Manual/ })).toHaveCount(1);
  await recovery.getByRole('button', { name: 'Restore the latest good backup' }).click();
  const done = page.getByRole('status').filter({ hasText: 'Restored from' });
  await expect(done).toContainText('The damaged database is kept at');
  await done.getByRole('button', { name: 'Open the console' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
});
