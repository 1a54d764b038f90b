/**
 * Several people at once (issue 14, item 4): two browser contexts — two workstations — signed in as
 * two users on one browser shell. A refill recorded in one appears in the other's worklist without
 * a reload; two edits of one patient give the second editor the conflict message, keep what they
 * typed, and their change saved again lands on top of the first.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import { E2E_USERS, signIn, useShell, type E2eRole } from './shell';

const t = useShell(['--demo']);

/** A second workstation: its own browser context (its own tab storage), signed in as `role`. */
async function workstation(browser: Browser, role: E2eRole, hash = ''): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await signIn(page, t.shell, role, hash);
  return page;
}

test('a refill recorded in one workstation appears in the other’s worklist within 5 seconds, without a reload', async ({ page, browser }) => {
  // Room 2: the front desk watches the worklist, where Brennan is due.
  const desk = await workstation(browser, 'staff');
  await desk.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Worklist' }).click();
  const brennanRow = desk.getByRole('row', { name: /Brennan, Thomas/ });
  await expect(brennanRow).toBeVisible();
  let reloaded = false;
  desk.on('load', () => (reloaded = true));

  // Room 1: the clinician records Brennan's refill (the residual as expected: nothing flagged).
  await signIn(page, t.shell, 'clinician');
  await page.getByRole('row', { name: /Brennan, Thomas/ }).getByRole('link', { name: 'Brennan, Thomas' }).click();
  await page.getByRole('button', { name: 'Record refill' }).click();
  const form = page.getByRole('form', { name: /Record refill/ });
  await form.getByLabel('Withdrawn residual (mL)').fill('6.65');
  await expect(form.getByRole('region', { name: 'Refill preview' }).getByTestId('preview-flag')).not.toHaveText('Flagged');
  await form.getByRole('checkbox', { name: /reservoir port/ }).check();
  await form.getByRole('button', { name: 'Save refill' }).click();
  await expect(page.getByRole('status')).toContainText('Refill recorded');

  // Room 2's worklist follows within 5 s: Brennan is no longer due. No reload happened.
  await expect(brennanRow).toHaveCount(0, { timeout: 5_000 });
  expect(reloaded).toBe(false);
  await desk.context().close();
});

test('two edits of one patient: the second editor gets the conflict message, keeps what they typed, and saves it on top', async ({ page, browser }) => {
  const open = async (p: Page) => {
    await p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Patients' }).click();
    await p.getByRole('link', { name: 'Okafor, Grace' }).click();
    await expect(p.getByRole('heading', { name: 'Okafor, Grace' })).toBeVisible();
    await p.getByRole('button', { name: 'Edit details' }).click();
    return p.getByRole('form', { name: 'Edit patient details' });
  };
  // Both open the edit form on the same version.
  await signIn(page, t.shell, 'staff');
  const desk = await workstation(browser, 'clinician');
  const first = await open(page);
  const second = await open(desk);

  await first.getByLabel('Allergies').fill('Latex');
  await first.getByRole('button', { name: 'Save changes' }).click();
  await expect(first).toHaveCount(0);
  await expect(page.locator('.record-header')).toContainText('Latex');

  await second.getByLabel('Treating clinician').fill('Dr. Second Opinion');
  await second.getByRole('button', { name: 'Save changes' }).click();
  await expect(second.getByRole('alert')).toContainText(`Changed by ${E2E_USERS.staff} at`);
  await expect(second.getByRole('alert')).toContainText('review the current values and make your change again. Nothing was saved.');
  // The values now beside the form, and what was typed still in it.
  await expect(second.getByTestId('conflict-values')).toContainText('Latex');
  await expect(second.getByLabel('Treating clinician')).toHaveValue('Dr. Second Opinion');

  // Saved again, on the version now: both changes are on the record.
  await second.getByRole('button', { name: 'Save changes' }).click();
  await expect(second).toHaveCount(0);
  const header = desk.locator('.record-header');
  await expect(header).toContainText('Latex');
  await expect(header).toContainText('Dr. Second Opinion');
  // And the first workstation's record follows without a reload.
  await expect(page.locator('.record-header')).toContainText('Dr. Second Opinion', { timeout: 5_000 });
  await desk.context().close();
});

test('two refills of one pump from two rooms: the first is saved, the second is refused naming it, and nothing else is recorded', async ({ page, browser }) => {
  const openRefill = async (p: Page) => {
    await p.getByRole('row', { name: /Brennan, Thomas/ }).getByRole('link', { name: 'Brennan, Thomas' }).click();
    await p.getByRole('button', { name: 'Record refill' }).click();
    const form = p.getByRole('form', { name: /Record refill/ });
    await form.getByLabel('Withdrawn residual (mL)').fill('6.65');
    await form.getByRole('checkbox', { name: /reservoir port/ }).check();
    return form;
  };
  await signIn(page, t.shell, 'clinician');
  const room2 = await workstation(browser, 'clinician');
  const first = await openRefill(page);
  const second = await openRefill(room2);

  await first.getByLabel('Volume added (mL)').fill('12');
  await first.getByRole('button', { name: 'Save refill' }).click();
  await expect(page.getByRole('status')).toContainText('Refill recorded');

  await second.getByRole('button', { name: 'Save refill' }).click();
  await expect(second.getByRole('alert')).toContainText(`A refill of this pump was recorded at`);
  await expect(second.getByRole('alert')).toContainText(`by ${E2E_USERS.clinician} (12 mL added on`);
  await expect(second.getByRole('alert')).toContainText('after you opened this form; review it before recording another.');
  // Room 2's record shows the refill just recorded (read again behind the form): one new refill only.
  const refills = room2.getByRole('region', { name: /Refills of pump NGP207781H/ });
  await expect(refills.getByRole('row')).toHaveCount(5);
  await expect(second.getByLabel('Withdrawn residual (mL)')).toHaveValue('6.65');
  await room2.context().close();
});
