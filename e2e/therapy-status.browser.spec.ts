import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { demoToday as today, openBrennan as open, pagePost, shownDate, useShell } from './shell';

/** Issue 13, items 4 and 5: a pump turned off has no projection and can restart; patients who died or moved away. */
const t = useShell(['--demo']);
const openBrennan = (page: Page) => open(page, t.shell);

async function worklist(page: Page): Promise<{ counts: { running: number }; rows: { serial: string }[] }> {
  const r = await pagePost(page, 'worklist.get', {});
  return ((await r.json()) as { value: { counts: { running: number }; rows: { serial: string }[] } }).value;
}

const pumpCard = (page: Page) => page.locator('section[aria-labelledby="pump-title"]');

/** No serious or critical accessibility violation on the page as it is. */
async function accessible(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${what}: ${v.id}: ${v.help}`)).toEqual([]);
}

test('a therapy reversal: the card says therapy stopped with no dates, the worklist drops the pump; Restart therapy puts it back', async ({ page }) => {
  await openBrennan(page);
  const before = await worklist(page);
  expect(before.rows.map((r) => r.serial)).toContain('NGP207781H');

  await page.getByRole('button', { name: 'Therapy reversal' }).click();
  const reversal = page.getByRole('form', { name: /Therapy reversal/ });
  await reversal.getByLabel('Kind').selectOption('turned_off');
  await reversal.getByLabel('Plan').fill('Oral baclofen trial');
  await reversal.getByRole('button', { name: 'Record reversal…' }).click();
  await page.getByRole('button', { name: 'Yes, record the reversal' }).click();
  await expect(reversal).toHaveCount(0);

  // The card: stopped, no daily volume, alarm, empty or due date, nothing "in the reservoir".
  await expect(pumpCard(page).getByTestId('therapy-stopped')).toHaveText(`Therapy stopped on ${shownDate(today())} (turned off) · Plan: Oral baclofen trial`);
  for (const fact of ['Daily volume', 'Alarm date', 'Empty date', 'Next refill due']) await expect(pumpCard(page).locator('dt', { hasText: fact })).toHaveCount(0);
  await expect(pumpCard(page)).not.toContainText('In the reservoir');
  await expect(page.locator('[data-chart="reservoir-level"]').getByRole('img', { name: `therapy stopped on ${shownDate(today())} (the level ends there)` })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Record refill' })).toHaveCount(0);

  // Off the worklist and out of the running count.
  const off = await worklist(page);
  expect(off.rows.map((r) => r.serial)).not.toContain('NGP207781H');
  expect(off.counts.running).toBe(before.counts.running - 1);
  await page.getByRole('link', { name: 'Worklist' }).click();
  await expect(page.getByRole('heading', { name: 'Worklist' })).toBeVisible();
  await expect(page.getByRole('row', { name: /Brennan, Thomas/ })).toHaveCount(0);
  await page.goBack();
  await expect(page.getByRole('heading', { name: 'Brennan, Thomas' })).toBeVisible();

  // Restart therapy: the refill form's fields, pre-filled from the last prescription; keyboard and a confirmation.
  // Offered on the stopped pump's card (and in the toolbar); opened from the keyboard.
  await expect(page.getByRole('toolbar', { name: 'Record an entry' }).getByRole('button', { name: 'Restart therapy', exact: true })).toBeVisible();
  await pumpCard(page).getByRole('button', { name: 'Restart therapy on this pump…' }).focus();
  await page.keyboard.press('Enter');
  const form = page.getByRole('form', { name: /Restart therapy · pump NGP207781H/ });
  await expect(form.getByLabel('Date')).toBeFocused();
  await expect(form.getByLabel('Baclofen daily dose (mcg/day)')).toHaveValue('500');
  await accessible(page, 'stopped pump with the restart form');
  // 5 mL at 0.25 mL/day: alarm (5 − 2) / 0.25 = 12 days away, due 7 days before: on the worklist.
  await form.getByLabel('Volume added (mL)').fill('5');
  await form.getByRole('checkbox', { name: /reservoir port/ }).check();
  await form.getByRole('button', { name: 'Restart therapy…' }).click();
  const confirm = page.getByRole('alertdialog');
  await expect(confirm).toContainText('Restart therapy on pump NGP207781H');
  await page.keyboard.press('Escape'); // back to the filled-in form
  await expect(form.getByLabel('Volume added (mL)')).toHaveValue('5');
  await form.getByRole('button', { name: 'Restart therapy…' }).click();
  await page.getByRole('button', { name: 'Yes, restart therapy' }).click();
  await expect(page.getByRole('status').first()).toContainText('Therapy restarted on pump NGP207781H');
  await expect(form).toHaveCount(0);

  await expect(pumpCard(page).getByTestId('therapy-stopped')).toHaveCount(0);
  await expect(pumpCard(page).locator('dt', { hasText: 'Daily volume' }).locator('xpath=following-sibling::dd[1]')).toHaveText('0.250 mL/day');
  await expect(page.getByText(`Therapy restarted on ${shownDate(today())} on NGP207781H: Baclofen 500 mcg/day`)).toBeVisible();
  const back = await worklist(page);
  expect(back.rows.map((r) => r.serial)).toContain('NGP207781H');
  expect(back.counts.running).toBe(before.counts.running);
  await page.getByRole('link', { name: 'Worklist' }).click();
  await expect(page.getByRole('row', { name: /Brennan, Thomas/ })).toContainText('Due');
});

test('a deceased patient: status shown, off the worklist, a refill refused with the reason; a future birth date refused with the field named', async ({ page }) => {
  await openBrennan(page);
  const header = page.locator('header.record-header');

  // A birth date in the future is refused at its field; nothing is saved.
  await page.getByRole('button', { name: 'Edit details' }).click();
  await page.getByLabel('Birth date', { exact: true }).fill('2099-01-01');
  await page.getByRole('button', { name: 'Save changes' }).click();
  const birth = page.getByRole('textbox', { name: /^Birth date/ });
  await expect(birth).toHaveAttribute('aria-invalid', 'true');
  await expect(birth).toHaveAccessibleDescription(/The birth date 01\/01\/2099 is in the future/);
  await birth.fill('1971-11-02');

  // Deceased needs a date of death: a blank one is refused at its field.
  await page.getByLabel('Status').selectOption('deceased');
  await page.getByRole('button', { name: 'Save changes' }).click();
  const death = page.getByRole('textbox', { name: /^Date of death/ });
  await expect(death).toHaveAttribute('aria-invalid', 'true');
  await expect(death).toHaveAccessibleDescription(/Enter the date of death/);
  await death.fill(today());
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByRole('button', { name: 'Yes, record as deceased' }).click();
  await expect(page.getByRole('form', { name: 'Edit patient details' })).toHaveCount(0);

  await expect(header.getByTestId('patient-status')).toContainText(`Deceased ${shownDate(today())}`);
  await expect(header.getByTestId('patient-status')).toContainText('only a pump removal can be recorded');
  await accessible(page, 'deceased patient');
  // Only a removal is offered.
  const toolbar = page.getByRole('toolbar', { name: 'Record an entry' });
  await expect(toolbar.getByRole('button')).toHaveText(['Removal']);

  const wl = await worklist(page);
  expect(wl.rows.map((r) => r.serial)).not.toContain('NGP207781H');
  await page.getByRole('link', { name: 'Worklist' }).click();
  await expect(page.getByRole('heading', { name: 'Worklist' })).toBeVisible();
  await expect(page.getByRole('row', { name: /Brennan, Thomas/ })).toHaveCount(0);

  // Main refuses a refill, saying why.
  const refill = await pagePost(page, 'refills.record', {
    pumpId: (await pumpId(page)) ?? 0,
    pumpState: await pumpState(page),
    date: today(),
    withdrawnMl: 5,
    addedMl: 20,
    drugs: [{ drug: 'Baclofen', concentration: { value: 2000, unit: 'mcg' }, dailyDose: { value: 500, unit: 'mcg' } }],
    mode: 'simple_continuous',
    reservoirPortConfirmed: true,
  });
  expect(await refill.json()).toMatchObject({
    ok: false,
    error: { code: 'refused', field: 'pumpId', message: `Thomas Brennan is recorded as deceased on ${today()}: only a pump removal can be recorded.` },
  });
});

/** Brennan's pump state, as the record answers it (an entry on a pump carries it). */
async function pumpState(page: Page): Promise<string> {
  const r = await pagePost(page, 'patients.list', { query: 'NGP207781H' });
  const patient = ((await r.json()) as { value: { id: number }[] }).value[0]!;
  const rec = await pagePost(page, 'patients.get', { id: patient.id });
  return ((await rec.json()) as { value: { pumps: { pump: { serial: string }; state: string }[] } }).value.pumps.find((p) => p.pump.serial === 'NGP207781H')!.state;
}

/** Brennan's pump id, as the record answers it. */
async function pumpId(page: Page): Promise<number | null> {
  const r = await pagePost(page, 'patients.list', { query: 'NGP207781H' });
  const patient = ((await r.json()) as { value: { id: number }[] }).value[0];
  if (!patient) return null;
  const rec = await pagePost(page, 'patients.get', { id: patient.id });
  return ((await rec.json()) as { value: { pumps: { pump: { id: number; serial: string } }[] } }).value.pumps.find((p) => p.pump.serial === 'NGP207781H')?.pump.id ?? null;
}
