import { expect, test, type Page } from '@playwright/test';
import { freshDataDir, signIn, startShell, type RunningShell } from './shell';

async function openPatients(page: Page, shell: RunningShell) {
  await signIn(page, shell);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Patients' }).click();
  await expect(page.getByRole('heading', { name: 'Patients', level: 2 })).toBeVisible();
}

async function createPatient(page: Page) {
  await page.getByRole('button', { name: 'New patient' }).click();
  await page.getByLabel('MRN', { exact: true }).fill('E2E-0042');
  await page.getByLabel('Family name').fill('Lindgren');
  await page.getByLabel('Given name').fill('Maja');
  await page.getByLabel('Birth date', { exact: true }).fill('1975-06-30');
  await page.getByLabel('Sex').selectOption('female');
  await page.getByRole('checkbox', { name: 'Spasticity' }).check();
  await page.getByRole('button', { name: 'Save patient' }).click();
}

test('a patient created in the browser shell is still there after a restart on the same database', async ({ page }) => {
  const data = freshDataDir();
  let shell = await startShell(data.db);
  try {
    await openPatients(page, shell);
    await expect(page.getByText('No patients yet')).toBeVisible();
    await createPatient(page);
    await expect(page.getByRole('status')).toContainText('Saved Lindgren, Maja');
    await expect(page.getByRole('cell', { name: 'Lindgren, Maja' })).toBeVisible();

    await shell.stop();
    shell = await startShell(data.db);
    await openPatients(page, shell);
    const row = page.getByRole('row', { name: /Lindgren, Maja/ });
    await expect(row).toBeVisible();
    await expect(row).toContainText('E2E-0042');
    await expect(row).toContainText('Spasticity');
  } finally {
    await shell.stop();
    data.cleanup();
  }
});

test('the new-patient form names each bad field and saves nothing', async ({ page }) => {
  const data = freshDataDir();
  const shell = await startShell(data.db);
  try {
    await openPatients(page, shell);
    await page.getByRole('button', { name: 'New patient' }).click();
    await page.getByLabel('MRN', { exact: true }).fill('bad mrn!');
    await page.getByRole('button', { name: 'Save patient' }).click();
    await expect(page.getByRole('alert').first()).toContainText('Please correct the fields');
    await expect(page.getByText('May contain only letters, digits and hyphens.')).toBeVisible();
    await expect(page.getByLabel('Family name')).toHaveAttribute('aria-invalid', 'true');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('alertdialog', { name: /Discard this new patient/ }).getByRole('button', { name: 'Discard' }).click();
    await expect(page.getByText('No patients yet')).toBeVisible();
  } finally {
    await shell.stop();
    data.cleanup();
  }
});

test('a name beginning like a spreadsheet formula, or holding a hidden control, is refused at its field and nothing is saved', async ({ page }) => {
  const data = freshDataDir();
  const shell = await startShell(data.db);
  try {
    await openPatients(page, shell);
    await page.getByRole('button', { name: 'New patient' }).click();
    await page.getByLabel('MRN', { exact: true }).fill('E2E-0043');
    await page.getByLabel('Family name').fill('=HYPERLINK("http://attacker.example","Lindgren")');
    await page.getByLabel('Given name').fill('Maja\u202Eajam');
    await page.getByLabel('Birth date', { exact: true }).fill('1975-06-30');
    await page.getByLabel('Sex').selectOption('female');
    await page.getByRole('checkbox', { name: 'Spasticity' }).check();
    await page.getByRole('button', { name: 'Save patient' }).click();
    await expect(page.getByRole('alert').first()).toContainText('Please correct the fields');
    await expect(page.getByText('Must not begin with =, +, - or @ (a spreadsheet would run it as a formula).')).toBeVisible();
    await expect(page.getByText('Must not contain text-direction controls (U+202E at character 5).')).toBeVisible();
    await expect(page.getByLabel('Family name')).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByLabel('Given name')).toHaveAttribute('aria-invalid', 'true');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('alertdialog', { name: /Discard this new patient/ }).getByRole('button', { name: 'Discard' }).click();
    await expect(page.getByText('No patients yet')).toBeVisible();
  } finally {
    await shell.stop();
    data.cleanup();
  }
});

test('a duplicate MRN is refused by the main side with the field named', async ({ page }) => {
  const data = freshDataDir();
  const shell = await startShell(data.db);
  try {
    await openPatients(page, shell);
    await createPatient(page);
    await expect(page.getByRole('status')).toContainText('Saved');
    await createPatient(page);
    await expect(page.getByText('A patient with MRN E2E-0042 already exists.').first()).toBeVisible();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('alertdialog', { name: /Discard this new patient/ }).getByRole('button', { name: 'Discard' }).click();
    await expect(page.getByRole('row', { name: /Lindgren/ })).toHaveCount(1);
  } finally {
    await shell.stop();
    data.cleanup();
  }
});

test('without the token the shell shows no data, only how to open it', async ({ page }) => {
  const data = freshDataDir();
  const shell = await startShell(data.db, ['--demo']);
  try {
    // The app's files need no token (they hold no patient data); every request for data does.
    const bare = shell.url.replace(/\?token=.*$/, '');
    const res = await page.goto(bare);
    expect(res?.status()).toBe(200);
    await expect(page.getByRole('alert')).toContainText('This page has no valid token. Open the address printed by `npm run web`.');
    await expect(page.locator('body')).not.toContainText('Brennan');
    // An old run's address (a wrong token) is refused by the shell itself.
    const stale = await page.goto(`${bare}?token=not-this-runs-token`);
    expect(stale?.status()).toBe(401);
    await expect(page.locator('body')).toContainText('Unauthorized');
  } finally {
    await shell.stop();
    data.cleanup();
  }
});
