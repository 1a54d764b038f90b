import { expect, test, type Page } from '@playwright/test';
import { demoToday as today, E2E_USERS, openBrennan as open, shownDate, useShell } from './shell';

const t = useShell(['--demo']);
const openBrennan = (page: Page) => open(page, t.shell);

test('who recorded each entry: the Clinician field starts with the signed-in clinician, and the timeline names the recorder', async ({ page }) => {
  await openBrennan(page); // signed in as the clinician
  const timeline = page.getByRole('region', { name: 'Timeline' });
  // The demo clinic is recorded by Reservoir itself.
  await expect(timeline.locator('li', { hasText: 'Implant:' }).first()).toContainText('recorded by system');

  await page.getByRole('button', { name: 'Dose change' }).click();
  const form = page.getByRole('form', { name: /Dose change/ });
  // Pre-filled with the signed-in clinician, and still editable.
  await expect(form.getByLabel('Clinician')).toHaveValue(E2E_USERS.clinician);
  await expect(form.getByLabel('Clinician')).toBeEditable();
  await form.getByLabel('New daily dose (mcg/day)').fill('600');
  await form.getByRole('button', { name: 'Save dose change' }).click();
  await expect(page.getByRole('status')).toContainText(`Dose change recorded: Baclofen 600 mcg/day from ${shownDate(today())}`);

  const entry = timeline.locator('li', { hasText: 'Dose change: Baclofen to 600 mcg/day' });
  await expect(entry).toContainText(`recorded by ${E2E_USERS.clinician} (Clinician)`);
});
