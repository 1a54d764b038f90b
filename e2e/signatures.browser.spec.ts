import { expect, test } from '@playwright/test';
import { E2E_PASSWORD, E2E_USERS, signIn, useShell } from './shell';

const t = useShell(['--demo']);

const SIGNED_AT = /\d{2}\/\d{2}\/\d{4}, \d{2}:\d{2}/;

test('a clinician records a refill, signs it with the password, amends its note with a reason, and sees the signature and both versions', async ({ page }) => {
  const name = E2E_USERS.clinician;
  await signIn(page, t.shell, 'clinician');
  await page.getByRole('row', { name: /Brennan, Thomas/ }).getByRole('link', { name: 'Brennan, Thomas' }).click();
  await expect(page.getByRole('heading', { name: 'Brennan, Thomas' })).toBeVisible();

  // Record a refill (pre-filled from the prescription; 6.6 mL withdrawn is within the threshold).
  await page.getByRole('button', { name: 'Record refill' }).click();
  const form = page.getByRole('form', { name: /Record refill/ });
  await form.getByLabel('Withdrawn residual (mL)').fill('6.6');
  await form.getByRole('checkbox', { name: /reservoir port/ }).check();
  await form.getByRole('textbox', { name: /^Note/ }).fill('Pocket site clean.');
  await form.getByRole('button', { name: 'Save refill' }).click();
  await expect(form).toHaveCount(0);

  const entry = page.locator('li.tl-refill', { hasText: 'Pocket site clean.' });
  await expect(entry.locator('.signature-line')).toHaveText('Not signed');

  // A wrong password signs nothing.
  await entry.getByRole('button', { name: 'Sign', exact: true }).click();
  const sign = page.getByRole('form', { name: 'Sign this refill visit' });
  await expect(sign).toContainText(`Signing as ${name}, clinician. Meaning of the signature: performed refill.`);
  await expect(sign.getByLabel('Your password')).toBeFocused();
  await sign.getByLabel('Your password').fill('not my password');
  await sign.getByRole('button', { name: 'Sign' }).click();
  await expect(sign.getByRole('alert')).toContainText('Wrong password: nothing was signed.');
  await expect(sign.getByLabel('Your password')).toHaveAttribute('aria-invalid', 'true');
  await expect(entry.locator('.signature-line')).toHaveText('Not signed');

  // The right password signs it: printed name, role, meaning and time.
  await sign.getByLabel('Your password').fill(E2E_PASSWORD);
  await sign.getByRole('button', { name: 'Sign' }).click();
  await expect(sign).toHaveCount(0);
  const signature = entry.locator('.signature-line');
  await expect(signature).toContainText(`Signed by ${name}, clinician — performed refill — `);
  await expect(signature).toHaveText(SIGNED_AT);
  await expect(entry.getByRole('button', { name: 'Sign', exact: true })).toHaveCount(0);
  const refills = page.getByRole('region', { name: /Refills of pump/ });
  await expect(refills.getByRole('row').nth(1)).toContainText(name);

  // Amend the note: a reason is required; the amendment is signed with the password.
  await entry.getByRole('button', { name: 'Amend' }).click();
  const amend = page.getByRole('form', { name: 'Amend this refill visit' });
  await expect(amend.getByRole('textbox', { name: 'Note' })).toHaveValue('Pocket site clean.');
  await amend.getByRole('textbox', { name: 'Note' }).fill('Pocket site clean; mild redness at the catheter site.');
  await amend.getByLabel('Your password').fill(E2E_PASSWORD);
  await amend.getByRole('button', { name: 'Save amendment' }).click();
  await expect(amend.getByRole('alert')).toContainText('Nothing was saved.');
  await expect(amend.getByLabel('Reason for the amendment')).toHaveAttribute('aria-invalid', 'true');
  await amend.getByLabel('Reason for the amendment').fill('Redness was seen but left out of the note.');
  await amend.getByLabel('Your password').fill(E2E_PASSWORD);
  await amend.getByRole('button', { name: 'Save amendment' }).click();
  await expect(amend).toHaveCount(0);

  // Both versions stay visible: the original note as signed, and the amendment linked under it.
  await expect(entry.locator('.tl-note')).toHaveText('Pocket site clean.');
  await expect(signature).toContainText(`Signed by ${name}, clinician — performed refill`);
  const amendment = entry.getByRole('list', { name: 'Amendments' }).getByRole('listitem').first();
  await expect(amendment.locator('.amendment-by')).toContainText(`Amended by ${name}, clinician — amended refill record — `);
  await expect(amendment).toContainText('Reason: Redness was seen but left out of the note.');
  await expect(amendment).toContainText('Note: Pocket site clean. → Pocket site clean; mild redness at the catheter site.');
  await expect(refills.getByRole('row').nth(1)).toContainText(`${name} · amended 1×`);

  // After a reload, the same: nothing was edited in place.
  await page.reload();
  await expect(page.locator('li.tl-refill', { hasText: 'Pocket site clean.' }).getByRole('list', { name: 'Amendments' })).toContainText('mild redness');
});

test('staff see signatures but cannot sign or amend', async ({ page }) => {
  await signIn(page, t.shell, 'staff');
  await page.getByRole('row', { name: /Brennan, Thomas/ }).getByRole('link', { name: 'Brennan, Thomas' }).click();
  await expect(page.getByRole('heading', { name: 'Brennan, Thomas' })).toBeVisible();
  await expect(page.locator('li.tl-refill').first().locator('.signature-line')).toHaveText('Not signed');
  await expect(page.getByRole('button', { name: 'Sign', exact: true })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Amend', exact: true })).toHaveCount(0);
});

