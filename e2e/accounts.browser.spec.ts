import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { apiCall, E2E_PASSWORD, ensureUsers, signIn, useShell, loginSession, pagePost, shownDate } from './shell';

const t = useShell();

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' });
/** Every refused sign-in says this, whatever the reason (unknown user, wrong password, locked account). */
const REFUSED = 'Wrong username or password. After 5 failed attempts an account is locked for 15 minutes; an administrator can lift the lock.';

/** No serious or critical accessibility violations on the screen shown. */
async function expectAccessible(page: Page, screen: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${screen}: ${v.id}: ${v.help}`)).toEqual([]);
}

async function fillLogin(page: Page, username: string, password: string) {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('first run: create the administrator, add a clinician, sign out; a wrong password is refused; the clinician signs in', async ({ page }) => {
  await t.start();
  await page.goto(t.shell.url);
  await expect(page.getByRole('heading', { name: 'Create the administrator' })).toBeVisible();
  await expectAccessible(page, 'first run');
  // The policy is checked before anything is sent, with the field named.
  await page.getByLabel('Username').fill('ada');
  await page.getByLabel('Full name').fill('Ada Lovelace');
  await page.getByLabel(/^Password/).fill('short');
  await page.getByLabel('Repeat the password').fill('short');
  await page.getByRole('button', { name: 'Create administrator' }).click();
  await expect(page.getByText('Must be at least 10 characters.')).toBeVisible();
  await page.getByLabel(/^Password/).fill('a good long password');
  await page.getByLabel('Repeat the password').fill('a good long password');
  await page.getByRole('button', { name: 'Create administrator' }).click();
  await expect(page.getByTestId('current-user')).toHaveText('Ada Lovelace');

  // The administrator's navigation: users and the audit trail, no clinical entry buttons.
  await nav(page).getByRole('link', { name: 'Users' }).click();
  await expect(page.getByRole('heading', { name: 'Users', level: 2 })).toBeVisible();
  const form = page.getByRole('form', { name: 'New user' });
  await form.getByLabel('Username').fill('lena');
  await form.getByLabel('Full name').fill('Dr. Lena Lindqvist');
  await form.getByLabel('Role').selectOption('clinician');
  await form.getByLabel(/^Password/).fill('clinician password');
  await form.getByRole('button', { name: 'Create user' }).click();
  await expect(page.getByRole('status')).toContainText('User lena created (Clinician)');
  await expect(page.getByRole('table', { name: 'Users' }).getByRole('row')).toHaveCount(3);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await fillLogin(page, 'lena', 'not the password');
  await expect(page.getByRole('alert')).toHaveText(REFUSED);
  await expectAccessible(page, 'sign in');
  await fillLogin(page, 'LENA', 'clinician password');
  await expect(page.getByTestId('current-user')).toHaveText('Dr. Lena Lindqvist');
  await expect(nav(page).getByRole('link', { name: 'Users' })).toHaveCount(0);
  await expect(nav(page).getByRole('link', { name: 'Audit trail' })).toHaveCount(0);

  // The clinician replaces the password the administrator chose.
  await page.getByTestId('current-user').click();
  await expect(page.getByRole('heading', { name: 'My account' })).toBeVisible();
  await page.getByLabel('Current password').fill('clinician password');
  await page.getByLabel(/^New password/).fill('only lena knows this');
  await page.getByLabel('Repeat the new password').fill('only lena knows this');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByRole('status')).toContainText('Password changed.');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await fillLogin(page, 'lena', 'clinician password');
  await expect(page.getByRole('alert')).toHaveText(REFUSED);
  await fillLogin(page, 'lena', 'only lena knows this');
  await expect(page.getByTestId('current-user')).toHaveText('Dr. Lena Lindqvist');
});

test('five wrong passwords lock the account: the right password is refused the same way until an administrator unlocks it', async ({ page }) => {
  await t.start();
  await ensureUsers(t.shell);
  await page.goto(t.shell.url);
  for (let i = 1; i <= 5; i++) {
    await fillLogin(page, 'staff', `wrong password ${i}`);
    await expect(page.getByRole('alert')).toHaveText(REFUSED);
  }
  // Locked: the right password gets the same answer (the screen does not tell that the account exists).
  await fillLogin(page, 'staff', E2E_PASSWORD);
  await expect(page.getByRole('alert')).toHaveText(REFUSED);
  await expect(page.getByTestId('current-user')).toHaveCount(0);

  // The administrator sees the lock on the Users screen and lifts it.
  await signIn(page, t.shell, 'administrator', '#/users');
  const row = page.getByRole('table', { name: 'Users' }).getByRole('row').filter({ hasText: 'Sam Staff' });
  await expect(row).toContainText('Locked after failed sign-ins');
  await row.getByRole('button', { name: 'Unlock staff' }).click();
  await expect(page.getByRole('status')).toContainText('staff is unlocked');
  await expect(row).toContainText('Active');
  await expect(row.getByRole('button', { name: 'Unlock staff' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await fillLogin(page, 'staff', E2E_PASSWORD);
  await expect(page.getByTestId('current-user')).toHaveText('Sam Staff');
});

test('after inactivity the console locks and asks for the password again', async ({ page }) => {
  await t.start(['--demo', '--lock-after-seconds', '3']);
  await signIn(page, t.shell, 'clinician', '#/patients');
  await page.getByRole('searchbox').fill('Brennan');
  await expect(page.getByRole('row', { name: /Brennan, Thomas/ })).toBeVisible();
  // No input for 3 s: the lock screen, and nothing of the record behind it.
  await expect(page.getByRole('heading', { name: 'Locked' })).toBeVisible({ timeout: 15_000 });
  await expect(page.getByRole('row', { name: /Brennan, Thomas/ })).toHaveCount(0);
  await expect(page.getByRole('searchbox')).toHaveCount(0);
  // Not hidden but gone: nothing of the patient, nor what was typed, is left anywhere in the page.
  const leftInPage = await page.evaluate(() => ({
    html: document.documentElement.outerHTML,
    values: [...document.querySelectorAll('input, textarea')].map((e) => (e as HTMLInputElement).value),
  }));
  expect(leftInPage.html).not.toContain('Brennan');
  expect(leftInPage.values.join('|')).not.toContain('Brennan');
  await expectAccessible(page, 'locked');
  // Main refuses requests from the locked session too.
  const direct = await pagePost(page, 'worklist.get', {});
  expect(await direct.json()).toMatchObject({ ok: false, error: { code: 'session_locked' } });
  await page.getByLabel('Password').fill('wrong password!');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('alert')).toHaveText('Wrong password.');
  await page.getByLabel('Password').fill(E2E_PASSWORD);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByTestId('current-user')).toHaveText('Dr. Lena Lindqvist');
  // Where they were, with what they had typed.
  await expect(page.getByRole('searchbox')).toHaveValue('Brennan');
  await expect(page.getByRole('row', { name: /Brennan, Thomas/ })).toBeVisible();
});

test('staff cannot record a refill (no button, and main refuses the request); the auditor sees the refill a clinician recorded', async ({ page }) => {
  await t.start(['--demo']);
  await signIn(page, t.shell, 'staff');
  await nav(page).getByRole('link', { name: 'Patients' }).click();
  await page.getByRole('link', { name: 'Brennan, Thomas' }).click();
  await expect(page.getByRole('heading', { name: 'Reservoir level' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Record refill' })).toHaveCount(0);
  await expect(nav(page).getByRole('link', { name: 'Audit trail' })).toHaveCount(0);

  const pumps = await pagePost(page, 'pumps.list', {});
  const pump = ((await pumps.json()) as { value: { id: number; serial: string; patientId: number }[] }).value.find((p) => p.serial === 'NGP207781H')!;
  const record = await pagePost(page, 'patients.get', { id: pump.patientId });
  const state = ((await record.json()) as { value: { pumps: { pump: { id: number }; state: string }[] } }).value.pumps.find((h) => h.pump.id === pump.id)!.state;
  const refill = {
    pumpId: pump.id,
    pumpState: state,
    date: new Date().toISOString().slice(0, 10),
    withdrawnMl: 10,
    addedMl: 18,
    drugs: [{ drug: 'Baclofen', concentration: { value: 2000, unit: 'mcg' }, dailyDose: { value: 500, unit: 'mcg' } }],
    mode: 'simple_continuous',
    reservoirPortConfirmed: true,
  };
  // The staff member's own session, sent directly: refused by main, nothing saved.
  const refused = await pagePost(page, 'refills.record', refill);
  expect(await refused.json()).toMatchObject({ ok: false, error: { code: 'forbidden' } });

  // A clinician records it (through the same HTTP API), withdrawing the expected residual.
  const clinician = await loginSession(t.shell, 'clinician');
  const preview = await apiCall(t.shell, 'refills.preview', refill, clinician);
  refill.withdrawnMl = (preview.body.value as { expectedResidualUl: number }).expectedResidualUl / 1000;
  const recorded = await apiCall(t.shell, 'refills.record', refill, clinician);
  expect(recorded.body, JSON.stringify(recorded.body)).toMatchObject({ ok: true });
  const refillId = (recorded.body.value as { refill: { id: number } }).refill.id;

  await page.getByRole('button', { name: 'Sign out' }).click();
  await fillLogin(page, 'auditor', E2E_PASSWORD);
  await nav(page).getByRole('link', { name: 'Audit trail' }).click();
  await expect(page.getByTestId('chain-status')).toContainText('Chain intact');
  const filters = page.getByRole('form', { name: 'Filter the audit trail' });
  await filters.getByLabel('Action').selectOption('create');
  await filters.getByRole('button', { name: 'Apply' }).click();
  // In words: who, which pump, whose, when, how much (issue 16, item 5); the entry's number is its row's.
  const row = page.getByRole('table', { name: 'Audit entries' }).locator(`tr[data-seq]`).filter({ hasText: 'Dr. Lena Lindqvist recorded a refill of pump NGP207781H' });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('clinician (Clinician)');
  await expect(row).toContainText(`Dr. Lena Lindqvist recorded a refill of pump NGP207781H (Thomas Brennan, MRN RSV-1002) on ${shownDate(refill.date)}: 18.00 mL added, Baclofen 500 mcg/day.`);
  await row.getByText('Technical details').click();
  await expect(row).toContainText(`"entityId": "${refillId}"`);

  // The refused attempt is in the trail too.
  await filters.getByLabel('Action').selectOption('denied');
  await filters.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByRole('table', { name: 'Audit entries' }).getByRole('row').filter({ hasText: 'refills.record' })).toContainText('staff');

  // CSV export of what is shown.
  const download = page.waitForEvent('download');
  await filters.getByRole('button', { name: 'Export CSV' }).click();
  expect((await download).suggestedFilename()).toMatch(/^reservoir-audit-\d{4}-\d{2}-\d{2}\.csv$/);
});

test('a role change made on the Users screen, once confirmed, ends that user’s session at once', async ({ page }) => {
  await t.start();
  await ensureUsers(t.shell);
  const staff = await loginSession(t.shell, 'staff');
  expect((await apiCall(t.shell, 'patients.list', {}, staff)).body).toMatchObject({ ok: true });

  await signIn(page, t.shell, 'administrator', '#/users');
  const row = page.getByRole('table', { name: 'Users' }).getByRole('row').filter({ hasText: 'Sam Staff' });
  // Asked first; Cancel changes nothing.
  await row.getByLabel('Role of staff').selectOption('clinician');
  const confirm = page.getByRole('alertdialog', { name: 'Confirm: Change role staff' });
  await expect(confirm).toContainText('Change staff from Staff to Clinician?');
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirm).toHaveCount(0);
  await expect(row.getByLabel('Role of staff')).toHaveValue('staff');
  expect((await apiCall(t.shell, 'patients.list', {}, staff)).body).toMatchObject({ ok: true });
  await row.getByLabel('Role of staff').selectOption('clinician');
  await confirm.getByRole('button', { name: 'Change role' }).click();
  await expect(page.getByRole('status')).toContainText('staff is now Clinician; their sessions ended.');
  expect((await apiCall(t.shell, 'patients.list', {}, staff)).body).toMatchObject({ ok: false, error: { code: 'unauthorized' } });

  // Deactivated: no sign-in at all.
  await row.getByRole('button', { name: 'Deactivate' }).click();
  await page.getByRole('alertdialog', { name: 'Confirm: Deactivate staff' }).getByRole('button', { name: 'Deactivate' }).click();
  await expect(row).toContainText('Deactivated');
  expect((await apiCall(t.shell, 'session.login', { username: 'staff', password: E2E_PASSWORD })).body).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
});
