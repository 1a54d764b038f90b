import { expect, test, type Page } from '@playwright/test';
import { demoToday, shownDate, signIn, useShell, pagePost } from './shell';

const t = useShell(['--demo']);

async function openPatients(page: Page) {
  await signIn(page, t.shell);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Patients' }).click();
  await expect(page.getByRole('heading', { name: 'Patients', level: 2 })).toBeVisible();
  await expect(page.getByRole('row', { name: /Okafor, Grace/ })).toBeVisible();
}

const patientRows = (page: Page) => page.getByRole('table').getByRole('row').filter({ has: page.getByRole('link') });

/** How many patients `patients.list` answers for these filters (the demo clinic is generated: no pinned numbers). */
async function listed(page: Page, filters: Record<string, string>): Promise<number> {
  const res = await pagePost(page, 'patients.list', filters);
  const body = (await res.json()) as { ok: boolean; value: unknown[] };
  expect(body.ok).toBe(true);
  return body.value.length;
}

test('a patient is found by pump serial from the Patients screen and the record opens', async ({ page }) => {
  await openPatients(page);
  await page.getByRole('searchbox', { name: /pump serial/ }).fill('ngp207781');
  await expect(patientRows(page)).toHaveCount(1);
  const row = page.getByRole('row', { name: /Brennan, Thomas/ });
  await expect(row).toContainText('NGP207781H');
  await row.getByRole('link', { name: 'Brennan, Thomas' }).click();
  await expect(page.getByRole('heading', { name: 'Brennan, Thomas' })).toBeVisible();
  await expect(page.getByRole('heading', { name: /serial NGP207781H/ })).toBeVisible();
});

test('filters by indication and drug, and the empty list names the filters', async ({ page }) => {
  await openPatients(page);
  await page.getByLabel('Indication').selectOption({ label: 'Spasticity' });
  const spasticity = await listed(page, { indication: 'spasticity' });
  expect(spasticity).toBeGreaterThan(2);
  await expect(patientRows(page)).toHaveCount(spasticity);
  await expect(patientRows(page).filter({ hasNotText: 'Spasticity' })).toHaveCount(0);
  await expect(page.getByRole('row', { name: /Brennan, Thomas/ })).toBeVisible();
  await expect(page.getByRole('row', { name: /Fischer, Jonas/ })).toBeVisible();
  // Fischer's pump in place is the replacement, shown in the pump column.
  await expect(page.getByRole('row', { name: /Fischer, Jonas/ })).toContainText('NGP409921H');

  await page.getByLabel('Drug in the pump').selectOption('Ziconotide');
  await expect(page.getByText('No patient has indication Spasticity, has Ziconotide in the last refill.')).toBeVisible();

  await page.getByRole('button', { name: 'Clear filters' }).click();
  await page.getByLabel('Drug in the pump').selectOption('Ziconotide');
  const ziconotide = await listed(page, { drug: 'Ziconotide' });
  expect(ziconotide).toBeGreaterThanOrEqual(1);
  await expect(patientRows(page)).toHaveCount(ziconotide);
  await expect(page.getByRole('row', { name: /Novak, Pavel/ })).toBeVisible();
});

test('edits a patient’s allergies from the record header and shows them on the record', async ({ page }) => {
  await openPatients(page);
  await page.getByRole('link', { name: 'Brennan, Thomas' }).click();
  await expect(page.getByRole('heading', { name: 'Brennan, Thomas' })).toBeVisible();
  const header = page.locator('header.record-header');
  await expect(header).toContainText('None recorded');

  // Escape asks before discarding what was typed; Discard closes the form without saving.
  await page.getByRole('button', { name: 'Edit details' }).click();
  await page.getByLabel('Allergies').fill('Never saved');
  await page.keyboard.press('Escape');
  const discard = page.getByRole('alertdialog', { name: /Discard this edit of the patient/ });
  await expect(discard.getByRole('button', { name: 'Keep editing' })).toBeFocused();
  await discard.getByRole('button', { name: 'Discard' }).click();
  await expect(page.getByRole('form', { name: 'Edit patient details' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Edit details' })).toBeFocused();

  // A bad field is named, nothing is sent.
  await page.getByRole('button', { name: 'Edit details' }).click();
  await page.getByLabel('MRN', { exact: true }).fill('bad mrn!');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('alert').first()).toContainText('Please correct the fields');
  const mrn = page.getByRole('textbox', { name: /^MRN/ });
  await expect(mrn).toHaveAttribute('aria-invalid', 'true');
  await expect(mrn).toHaveAccessibleDescription('May contain only letters, digits and hyphens.');
  await mrn.fill('RSV-1002');

  await page.getByLabel('Allergies').fill('Baclofen oral tablets (rash)');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('form', { name: 'Edit patient details' })).toHaveCount(0);
  await expect(header).toContainText('Baclofen oral tablets (rash)');

  // Marking deceased asks first; going back sends nothing.
  await page.getByRole('button', { name: 'Edit details' }).click();
  await page.getByLabel('Status').selectOption('deceased');
  // A date of death is required (issue 13, item 5).
  await page.getByLabel('Date of death').fill(demoToday());
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('alertdialog')).toContainText(`Record Brennan, Thomas as deceased on ${shownDate(demoToday())}?`);
  await page.getByRole('button', { name: 'Go back' }).click();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByRole('button', { name: 'Yes, record as deceased' }).click();
  await expect(page.getByRole('form', { name: 'Edit patient details' })).toHaveCount(0);
  await expect(header.locator('dd', { hasText: `Deceased ${shownDate(demoToday())}` })).toBeVisible();

  // Reloaded from the database, the allergies are still there.
  await page.reload();
  await expect(page.locator('header.record-header')).toContainText('Baclofen oral tablets (rash)');
});

test('finds a patient by "First Last", "Last, First", birth date as the locale writes it and phone; Enter opens the first match', async ({ page }) => {
  await openPatients(page);
  const search = page.getByRole('searchbox', { name: /birth date, phone/ });
  await search.fill('Grace Okafor');
  await expect(patientRows(page)).toHaveCount(1);
  await expect(page.getByRole('row', { name: /Okafor, Grace/ })).toBeVisible();
  await search.fill('Okafor, Grace');
  await expect(patientRows(page)).toHaveCount(1);
  // The birth date 1958-03-14, as this browser's locale writes it (03/14/1958 in en-US), and in ISO.
  await search.fill(shownDate('1958-03-14'));
  await expect(page.getByRole('row', { name: /Okafor, Grace/ })).toBeVisible();
  await search.fill('1958-03-14');
  await expect(page.getByRole('row', { name: /Okafor, Grace/ })).toBeVisible();
  // The demo's fictional numbers: found by their digits, however they are written.
  await search.fill('312 555 0112');
  await expect(patientRows(page)).toHaveCount(1);
  await expect(page.getByRole('row', { name: /Brennan, Thomas/ })).toBeVisible();
  // Ctrl+K, a name and Enter: the record opens.
  await page.keyboard.press('Control+k');
  await expect(search).toBeFocused();
  await search.fill('Layla Haddad');
  await search.press('Enter');
  await expect(page.getByRole('heading', { name: 'Haddad, Layla' })).toBeVisible();
});

test('edits a patient’s contacts on the record: a wrong number is named, a saved one shows and is found by search', async ({ page }) => {
  await openPatients(page);
  await page.getByRole('link', { name: 'Brennan, Thomas' }).click();
  await expect(page.getByRole('heading', { name: 'Brennan, Thomas' })).toBeVisible();
  const contacts = page.getByRole('definition').filter({ hasText: '(312) 555-0112' });
  await expect(contacts.first()).toBeVisible();
  await page.getByRole('button', { name: 'Edit contacts' }).click();
  await page.getByLabel('Work phone').fill('call the office');
  await page.getByRole('button', { name: 'Save contacts' }).click();
  await expect(page.getByText('may contain only digits, spaces, a leading +, hyphens, dots and parentheses')).toBeVisible();
  await page.getByLabel('Work phone').fill('+1 (312) 555-0177');
  await page.getByLabel('Preferred language').selectOption({ label: 'Spanish' });
  await page.getByRole('button', { name: 'Save contacts' }).click();
  await expect(page.getByRole('definition').filter({ hasText: 'Work +1 (312) 555-0177' })).toBeVisible();
  await expect(page.getByRole('definition').filter({ hasText: 'Spanish (es)' })).toBeVisible();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Patients' }).click();
  await page.getByRole('searchbox', { name: /birth date, phone/ }).fill('555 0177');
  await expect(patientRows(page)).toHaveCount(1);
  await expect(page.getByRole('row', { name: /Brennan, Thomas/ })).toBeVisible();
});
