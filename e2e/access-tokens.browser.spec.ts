import { expect, test } from '@playwright/test';
import { apiCall, loginSession, signIn, useShell } from './shell';

const t = useShell();

test('an administrator creates a personal access token (the secret shown once), sees it listed, and revokes it after confirming', async ({ page }) => {
  await t.start();
  await signIn(page, t.shell, 'administrator', '#/users');
  const section = page.getByRole('region', { name: 'Personal access tokens' });
  await expect(section.getByText('No tokens yet.')).toBeVisible();

  // Refused before anything is sent: the name is required.
  await section.getByRole('button', { name: 'Create token' }).click();
  await expect(section.getByText('Please correct the fields marked below.')).toBeVisible();

  await section.getByLabel('Token name').fill('nightly export');
  await section.getByLabel('Token role').selectOption('auditor');
  await expect(section.getByLabel('Token role').locator('option')).toHaveText(['Clinician', 'Staff', 'Auditor']);
  await section.getByLabel(/^Expires in/).fill('30');
  await section.getByRole('button', { name: 'Create token' }).click();

  const shown = section.getByRole('region', { name: 'New token' });
  await expect(shown).toContainText("Copy the token 'nightly export' now: it is shown only this once.");
  const secret = (await shown.getByLabel('Token secret').textContent()) ?? '';
  expect(secret).toMatch(/^rsv_[A-Za-z0-9_-]{43}$/);
  await expect(shown.getByRole('button', { name: 'Copy' })).toBeVisible();
  const table = section.getByRole('table', { name: 'Personal access tokens' });
  await expect(table.getByRole('row')).toHaveCount(2);
  await expect(table.getByRole('row').nth(1)).toContainText('nightly export');
  await expect(table.getByRole('row').nth(1)).toContainText('Auditor');
  await expect(table.getByRole('row').nth(1)).toContainText('Never');
  await expect(table.getByRole('row').nth(1)).toContainText('Active');
  await shown.getByRole('button', { name: 'I have stored it' }).click();
  await expect(shown).toHaveCount(0);
  // Gone for good: not in the list or the page any more.
  await expect(page.getByText(secret)).toHaveCount(0);
  const listed = await apiCall(t.shell, 'tokens.list', {}, await loginSession(t.shell, 'administrator'));
  expect(JSON.stringify(listed.body)).not.toContain(secret);

  // Revoke asks first; Cancel leaves it.
  await table.getByRole('button', { name: 'Revoke nightly export' }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Confirm: revoke nightly export' });
  await expect(confirm).toContainText('Every job using it stops working at once');
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(table.getByRole('row').nth(1)).toContainText('Active');
  await table.getByRole('button', { name: 'Revoke nightly export' }).click();
  await page.getByRole('alertdialog', { name: 'Confirm: revoke nightly export' }).getByRole('button', { name: 'Revoke' }).click();
  await expect(section.getByRole('status')).toHaveText("Token 'nightly export' revoked: it no longer works.");
  await expect(table.getByRole('row').nth(1)).toContainText('Revoked by administrator');
  await expect(table.getByRole('button', { name: 'Revoke nightly export' })).toHaveCount(0);
});
