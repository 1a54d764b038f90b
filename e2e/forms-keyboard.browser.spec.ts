import { expect, test, type Page } from '@playwright/test';
import { demoToday as today, openBrennan as open, shownDate, signIn, useShell } from './shell';

const t = useShell(['--demo']);
const openBrennan = (page: Page) => open(page, t.shell);

test('Escape at the removal’s confirmation step goes back to the filled-in form, not out of it', async ({ page }) => {
  await openBrennan(page);
  await page.getByRole('button', { name: 'Removal' }).click();
  const form = page.getByRole('form', { name: /Removal/ });
  await expect(form.getByLabel('Date')).toHaveAttribute('max', today());
  await form.getByRole('checkbox', { name: 'Lack of efficacy' }).check();
  await form.getByRole('radio', { name: 'No, left in place' }).check();
  await form.getByRole('textbox', { name: 'Note' }).fill('Explanted at the patient’s request.');
  await form.getByRole('button', { name: 'Record removal…' }).click();
  const confirm = form.getByRole('alertdialog');
  await expect(confirm.getByRole('button', { name: 'Go back' })).toBeFocused();
  await expect(form.getByRole('button', { name: 'Cancel' })).toHaveCount(0); // the confirmation's buttons stand for the form's
  await page.keyboard.press('Escape');
  await expect(confirm).toHaveCount(0);
  await expect(form).toBeVisible();
  await expect(form.getByRole('checkbox', { name: 'Lack of efficacy' })).toBeChecked();
  await expect(form.getByRole('textbox', { name: 'Note' })).toHaveValue('Explanted at the patient’s request.');
});

test('a refill with typed values asks before Escape or Cancel discards it; an untouched one closes at once', async ({ page }) => {
  await openBrennan(page);
  const refillButton = page.getByRole('button', { name: 'Record refill' });
  await refillButton.click();
  const form = page.getByRole('form', { name: /Record refill/ });
  await expect(form.getByLabel('Date')).toHaveAttribute('max', today());

  const withdrawn = form.getByLabel('Withdrawn residual (mL)');
  await withdrawn.fill('3.3');
  await form.getByRole('textbox', { name: /^Note/ }).fill('Long note about the pocket, the interrogation and the catheter study booked for next week.');

  // Escape: asked, "Keep editing" focused; Escape again (or Keep editing) is "keep editing".
  await page.keyboard.press('Escape');
  const ask = form.getByRole('alertdialog', { name: 'Discard this refill? What you typed will be lost.' });
  await expect(ask).toBeVisible();
  await expect(ask.getByRole('button', { name: 'Keep editing' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(ask).toHaveCount(0);
  await expect(form).toBeVisible();
  await expect(withdrawn).toHaveValue('3.3');

  // Cancel asks too; Enter on the focused "Keep editing" keeps everything.
  await form.getByRole('button', { name: 'Cancel' }).click();
  await expect(ask.getByRole('button', { name: 'Keep editing' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(ask).toHaveCount(0);
  await expect(withdrawn).toHaveValue('3.3');

  // Another toolbar button asks as well instead of dropping the refill.
  await page.getByRole('button', { name: 'Dose change' }).click();
  await expect(ask).toBeVisible();
  await ask.getByRole('button', { name: 'Keep editing' }).click();
  await expect(withdrawn).toHaveValue('3.3');

  // Discard, by keyboard: the form closes and focus returns to its button.
  await withdrawn.focus();
  await page.keyboard.press('Escape');
  await page.keyboard.press('Shift+Tab');
  await expect(ask.getByRole('button', { name: 'Discard' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(form).toHaveCount(0);
  await expect(refillButton).toBeFocused();

  // Untouched: Escape closes at once.
  await page.keyboard.press('Enter');
  await expect(form).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(form).toHaveCount(0);
});

test('a refusal from main about the volume added marks the Volume added field', async ({ page }) => {
  await openBrennan(page);
  await page.getByRole('button', { name: 'Record refill' }).click();
  const form = page.getByRole('form', { name: /Record refill/ });
  await form.getByLabel('Withdrawn residual (mL)').fill('6.5');
  const added = form.getByLabel('Volume added (mL)');
  await added.fill('25');
  await form.getByRole('checkbox', { name: /reservoir port/ }).check();
  await form.getByRole('button', { name: 'Save refill' }).click();
  await expect(form.getByRole('alert')).toContainText('more than the reservoir holds');
  await expect(added).toHaveAttribute('aria-invalid', 'true');
  await expect(added).toHaveAttribute('aria-describedby', 'refill-form-addedMl-error');
  await expect(form.locator('#refill-form-addedMl-error')).toContainText('more than the reservoir holds');
});

test('the reversal’s kind, left empty, is asked for in words, and the preview names fields by their labels', async ({ page }) => {
  await openBrennan(page);
  await page.getByRole('button', { name: 'Therapy reversal' }).click();
  const reversal = page.getByRole('form', { name: /Therapy reversal/ });
  await reversal.getByRole('button', { name: 'Record reversal…' }).click();
  await expect(reversal.locator('#reversal-form-kind-error')).toHaveText('Choose what was done: turned off, drained or weaned.');
  await reversal.getByRole('button', { name: 'Cancel' }).click();
  await expect(reversal).toHaveCount(0);

  await page.getByRole('button', { name: 'Record refill' }).click();
  const form = page.getByRole('form', { name: /Record refill/ });
  await form.getByLabel('Volume added (mL)').fill('');
  await expect(form.getByRole('region', { name: 'Refill preview' })).toContainText(/Volume added: /);
  await expect(form.getByRole('region', { name: 'Refill preview' })).not.toContainText('addedMl');
});

test('a dose change above the hard limit is refused naming its source; above the soft limit it needs an override reason, shown on the timeline', async ({ page }) => {
  await openBrennan(page);
  await page.getByRole('button', { name: 'Dose change' }).click();
  const form = page.getByRole('form', { name: /Dose change/ });
  const dose = form.getByLabel('New daily dose (mcg/day)');
  await dose.fill('5000'); // above baclofen's hard 2000 mcg/day
  await form.getByRole('button', { name: 'Save dose change' }).click();
  await expect(form).toContainText(/Baclofen daily dose 5,?000 mcg\/day is above the hard maximum of 2,?000 mcg\/day/);
  await expect(form).toContainText('Lioresal Intrathecal label');
  await expect(page.getByRole('status').filter({ hasText: 'Dose change recorded' })).toHaveCount(0);

  await dose.fill('1050'); // above the soft 1000 mcg/day: the override reason is asked inline
  const reason = form.getByLabel(/Override reason/);
  await expect(reason).toBeVisible();
  await form.getByRole('button', { name: 'Save dose change' }).click();
  await expect(form).toContainText('give an override reason to record it');
  await expect(page.getByRole('status').filter({ hasText: 'Dose change recorded' })).toHaveCount(0);
  await reason.fill('Severe spasticity; bolus trial responded at this dose.');
  await form.getByRole('button', { name: 'Save dose change' }).click();
  await expect(page.getByText(/Dose change recorded: Baclofen 1,?050 mcg\/day/)).toBeVisible();
  await expect(page.getByText(/soft limit overridden: Severe spasticity; bolus trial responded at this dose\./)).toBeVisible();
});

test('the safety report lists the demo\'s soft-limit override (Quinn, morphine 21 mg/day) with the limit, its source and the reason', async ({ page }) => {
  await signIn(page, t.shell, 'administrator', '#/reports');
  await page.getByRole('combobox', { name: 'Report', exact: true }).selectOption({ label: 'Safety' });
  const from = new Date(Date.parse(`${today()}T00:00:00Z`) - 60 * 86_400_000).toISOString().slice(0, 10);
  await page.getByRole('textbox', { name: /^From/ }).fill(from);
  await page.getByRole('textbox', { name: /^To/ }).fill(today());
  await page.getByRole('button', { name: 'Preview' }).click();
  const section = page.getByRole('region', { name: 'Soft-limit overrides' });
  const row = section.getByRole('row', { name: /Quinn/ });
  await expect(row).toContainText('Dose change');
  await expect(row).toContainText('Morphine daily dose soft maximum 20 mg/day');
  await expect(row).toContainText('2 × the PACC 2017 recommended maximum of 15 mg/day');
  await expect(row).toContainText('End-of-life care: pain 9/10 on 4 mg/day');
});

test('a refill dated tomorrow is refused at its date, in the screen\'s date format, and nothing is saved', async ({ page }) => {
  await openBrennan(page);
  await page.getByRole('button', { name: 'Record refill' }).click();
  const form = page.getByRole('form', { name: /Record refill/ });
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  const dateInput = form.getByLabel('Date');
  await dateInput.fill(tomorrow);
  await form.getByLabel('Withdrawn residual (mL)').fill('6.5');
  await form.getByRole('checkbox', { name: /reservoir port/ }).check();
  await form.getByRole('button', { name: 'Save refill' }).click();
  const message = `The date ${shownDate(tomorrow)} is after today (${shownDate(today())}): record what has happened, on the day it happened.`;
  await expect(form.getByRole('alert')).toContainText(message);
  await expect(dateInput).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('status').filter({ hasText: 'Refill recorded' })).toHaveCount(0);
});
