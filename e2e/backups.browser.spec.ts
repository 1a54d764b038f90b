import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { expect, test } from '@playwright/test';
import { apiCall, ensureUsers, keysEnv, loginSession, signIn, type RunningShell, useShell } from './shell';

const root = path.resolve(import.meta.dirname, '..');
const t = useShell();

const adminSession = (s: RunningShell): Promise<string> => loginSession(s, 'administrator');

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
  const admin = await adminSession(t.shell);
  const settings = await apiCall(t.shell, 'settings.get', {}, admin);
  const basedOn = (settings.body.value as { version: number }).version;
  expect((await apiCall(t.shell, 'settings.update', { clinicName: 'Renamed after the backup', basedOn }, admin)).body.ok).toBe(true);

  await manual.getByRole('button', { name: 'Restore…' }).click();
  await page.getByRole('group', { name: 'Confirm restore' }).getByRole('button', { name: 'Verify and restore' }).click();
  await expect(section.getByRole('status')).toContainText('Restored from');
  await expect(section.getByRole('status')).toContainText('clinic.db.replaced-');
  await section.getByRole('button', { name: 'Continue' }).click();
  // The record was reopened: everyone signs in again.
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  const after = await apiCall(t.shell, 'settings.get', {}, await adminSession(t.shell));
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
  // A deliberate act: what is replaced, by what, and the code printed on the shell's own terminal.
  const confirm = recovery.getByRole('group', { name: 'Confirm restore' });
  await expect(confirm).toContainText(`This replaces the current database ${t.data.db}`);
  await expect(confirm).toContainText('last changed');
  await expect(confirm).toContainText('the latest backup that passes its check: the one made');
  const codeInput = confirm.getByRole('textbox', { name: /Restore code/ });
  await codeInput.fill('WRNG-CODE');
  await confirm.getByRole('button', { name: 'Replace the database' }).click();
  await expect(recovery.getByRole('alert')).toContainText('not the restore code');
  expect(fs.readdirSync(t.data.dir).some((f) => f.includes('.replaced-'))).toBe(false);
  const code = /type this one-time restore code there: ([A-Z2-9]{4}-[A-Z2-9]{4})/.exec(t.shell.output())![1]!;
  expect(await page.content()).not.toContain(code);
  await codeInput.fill(code);
  await confirm.getByRole('button', { name: 'Replace the database' }).click();
  const done = page.getByRole('status').filter({ hasText: 'Restored from' });
  await expect(done).toContainText('The damaged database is kept at');
  await done.getByRole('button', { name: 'Open the console' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
});

test('damage while the console runs: "Back up now" is refused, and the console shows its recovery screen', async ({ page }) => {
  // Unencrypted, so that the test can fill an index and find one of its pages (dbstat); damage to an
  // encrypted file is the test above.
  await t.start(['--plain']);
  await ensureUsers(t.shell);
  await t.stop();
  // Enough patients for a name index of many pages; the page to damage is a leaf in its middle.
  const db = new Database(t.data.db);
  const insert = db.prepare(
    "INSERT INTO patients (mrn, family_name, given_name, birth_date, sex, indications, created_at_ms, updated_at_ms) VALUES (?, ?, 'B', '1970-01-01', 'male', '[\"other\"]', 0, 0)",
  );
  db.transaction(() => {
    for (let i = 0; i < 3000; i++) insert.run(`BULK-${i}`, `Family${String(i).padStart(6, '0')}`);
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  const leaves = (db.prepare("SELECT pageno FROM dbstat WHERE name = 'patients_by_name' AND pagetype = 'leaf' ORDER BY path").all() as { pageno: number }[]).map((r) => r.pageno);
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.close();
  const target = leaves[Math.floor(leaves.length / 2)]!;

  await t.start(['--plain']);
  await expect.poll(() => t.shell.output(), { timeout: 15_000 }).toContain('passed its full integrity check');
  await signIn(page, t.shell, 'administrator');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  // The disk goes bad under the running console: garbage over that index page.
  const fd = fs.openSync(t.data.db, 'r+');
  fs.writeSync(fd, Buffer.alloc(pageSize - 22, 0xa5), 0, pageSize - 22, (target - 1) * pageSize + 12);
  fs.closeSync(fd);
  const backupsBefore = fs.readdirSync(path.join(t.data.dir, 'backups'));

  await page.getByRole('region', { name: 'Backups' }).getByRole('button', { name: 'Back up now' }).click();
  // No damaged copy among the backups; the console switched to recovery and says so at once.
  await expect(page.getByRole('alert').filter({ hasText: 'open for recovery only' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Recover the clinic record' })).toBeVisible();
  expect(fs.readdirSync(path.join(t.data.dir, 'backups'))).toEqual(backupsBefore);
  expect(t.shell.output()).toMatch(/RECOVERY ONLY: .*integrity check before a backup[\s\S]*restore code there: [A-Z2-9]{4}-[A-Z2-9]{4}/);
});
