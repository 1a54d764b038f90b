/**
 * The audit trail read as sentences (issue 16, item 5): after a failed sign-in and a patient edit on
 * the demo clinic, the auditor reads who did what to whom, the edit's values before and after in a
 * table, action names in words in the filter — and no action code or JSON on the page until the
 * technical details are opened.
 */
import { expect, test, type Page } from '@playwright/test';
import { ensureUsers, signIn, useShell } from './shell';

const t = useShell(['--demo']);

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' });

test('a failed sign-in and a patient edit read as sentences, the edit as a before/after table; no action codes on the page', async ({ page }) => {
  await ensureUsers(t.shell);

  // A wrong password at the sign-in screen.
  await page.goto(t.shell.url);
  await page.getByLabel('Username').fill('clinician');
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('Wrong username or password.');

  // The clinician edits Thomas Brennan's details: family name and allergies.
  await signIn(page, t.shell, 'clinician');
  await nav(page).getByRole('link', { name: 'Patients' }).click();
  await page.getByRole('link', { name: 'Brennan, Thomas' }).click();
  await expect(page.getByRole('heading', { name: 'Brennan, Thomas' })).toBeVisible();
  await page.getByRole('button', { name: 'Edit details' }).click();
  await page.getByLabel('Family name').fill('Brennan-Hall');
  await page.getByLabel('Allergies').fill('Latex (rash)');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('form', { name: 'Edit patient details' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Sign out' }).click();

  // The auditor reads the trail.
  await signIn(page, t.shell, 'auditor');
  await nav(page).getByRole('link', { name: 'Audit trail' }).click();
  await expect(page.getByTestId('chain-status')).toContainText('Chain intact');
  const filters = page.getByRole('form', { name: 'Filter the audit trail' });
  const action = filters.getByLabel('Action');
  // The filter names actions in words, never by their code.
  await expect(action.locator('option', { hasText: 'Sign-in failed' })).toHaveCount(1);
  expect((await action.locator('option').allTextContents()).filter((o) => /_/.test(o))).toEqual([]);
  const table = page.getByRole('table', { name: 'Audit entries' });

  await action.selectOption({ label: 'Sign-in failed' });
  await filters.getByRole('button', { name: 'Apply' }).click();
  const failed = table.locator('tr[data-seq]');
  await expect(failed).toHaveCount(1);
  await expect(failed).toContainText("Sign-in failed for user 'clinician' (wrong password, attempt 1 of 5).");

  await action.selectOption({ label: 'Changed' });
  await filters.getByLabel('Patient MRN').fill('RSV-1002');
  await filters.getByRole('button', { name: 'Apply' }).click();
  const edit = table.locator('tr[data-seq]').filter({ hasText: 'changed the details of' });
  await expect(edit).toHaveCount(1);
  await expect(edit).toContainText('Dr. Lena Lindqvist changed the details of Thomas Brennan-Hall (MRN RSV-1002): Family name, Allergies.');
  const values = edit.getByRole('table', { name: /Values before and after/ });
  await expect(values.getByRole('row', { name: /Family name/ }).getByRole('cell')).toHaveText(['Brennan', 'Brennan-Hall']);
  await expect(values.getByRole('row', { name: /Allergies/ }).getByRole('cell')).toHaveText(['—', 'Latex (rash)']);
  // Only what changed: the birth date, the contacts and the rest are not rows.
  await expect(values.getByRole('row')).toHaveCount(3);

  // The whole trail (the demo clinic's entries too): sentences, no codes, no JSON.
  await action.selectOption('');
  await filters.getByLabel('Patient MRN').fill('');
  await filters.getByRole('button', { name: 'Apply' }).click();
  await expect(table.locator('tr[data-action="login_failed"]')).toHaveCount(1);
  const shown = (await page.locator('main, body').first().innerText()) ?? '';
  expect(shown).not.toContain('login_failed');
  expect(shown).not.toMatch(/"\w+":/);
  await expect(page.getByText('login_failed')).toHaveCount(0);

  // An auditor who needs the raw entry opens its technical details.
  const row = table.locator('tr[data-action="login_failed"]');
  await row.getByText('Technical details').click();
  await expect(row.locator('pre')).toContainText('"action": "login_failed"');
});
