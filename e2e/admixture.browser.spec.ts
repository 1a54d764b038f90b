import { expect, test, type Page } from '@playwright/test';
import { demoToday as today, pagePost, shownDate, signIn, useShell } from './shell';

const t = useShell([]);

/** A date `n` days from the clinic's today (UTC), as YYYY-MM-DD. */
const day = (n: number): string => new Date(Date.parse(`${today()}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

async function post<T>(page: Page, name: string, data: unknown): Promise<T> {
  const body = (await (await pagePost(page, name, data)).json()) as { ok: boolean; value: T; error?: unknown };
  expect(body, `${name}: ${JSON.stringify(body.error)}`).toMatchObject({ ok: true });
  return body.value;
}

const drug = (name: string, conc: number, dose: number) => ({ drug: name, concentration: { value: conc, unit: 'mg' }, dailyDose: { value: dose, unit: 'mg' } });

test('an admixture dose change: previewed with both drugs, recorded with both, then the refill pre-filled at one rate saves without edits', async ({ page }) => {
  await signIn(page, t.shell);
  // Morphine 10 mg/mL + bupivacaine 10 mg/mL at 8 mg/day each (0.8 mL/day), 20 mL in a 20 mL pump (alarm 2 mL), 9 days ago.
  const patient = await post<{ id: number }>(page, 'patients.create', { mrn: 'ADM-1', familyName: 'Okafor', givenName: 'Ada', birthDate: '1962-04-09', sex: 'female', indications: ['cancer_pain'] });
  const devices = await post<{ id: number; model: string; reservoirUl: number }[]>(page, 'devices.list', {});
  const model = devices.find((d) => d.model === 'SynchroMed II' && d.reservoirUl === 20000)!;
  const pump = await post<{ id: number }>(page, 'pumps.implant', { patientId: patient.id, deviceModelId: model.id, serial: 'ADM-0001', implantDate: day(-9) });
  await post(page, 'refills.record', { pumpId: pump.id, pumpState: 'r0.d0.v0.x0', date: day(-9), withdrawnMl: null, addedMl: 20, drugs: [drug('Morphine', 10, 8), drug('Bupivacaine', 10, 8)], mode: 'simple_continuous', reservoirPortConfirmed: true });

  await page.goto(`${new URL(page.url()).origin}/#/patients/${patient.id}`);
  await expect(page.getByRole('heading', { name: 'Okafor, Ada' })).toBeVisible();
  await page.getByRole('button', { name: 'Dose change' }).click();
  const form = page.getByRole('form', { name: /Dose change/ });
  await expect(form.getByLabel('Drug')).toBeFocused();
  // Keyboard only: Morphine is the first drug; type the dose, then the date 5 days after the fill.
  await page.keyboard.press('Tab');
  await expect(form.getByLabel('New daily dose (mg/day)')).toBeFocused();
  await page.keyboard.type('10');
  await form.getByLabel('Date').fill(day(-4));

  // The preview: 10 ÷ 10 = 1.0 mL/day, so bupivacaine 1.0 × 10 = 10 mg/day too.
  const preview = form.getByRole('region', { name: 'Dose change preview' });
  await expect(preview.getByTestId('dose-preview-admixture')).toHaveText('The drugs in this reservoir flow at one rate: changing Morphine changes Bupivacaine too.');
  const rows = preview.getByTestId('dose-preview-drugs').getByRole('row');
  await expect(rows.nth(1)).toHaveText(/Morphine\s*8 mg\/day\s*10 mg\/day/);
  await expect(rows.nth(2)).toHaveText(/Bupivacaine \(follows the flow rate\)\s*8 mg\/day\s*10 mg\/day/);
  await expect(preview.getByTestId('dose-preview-volume')).toContainText('0.800 mL/day');
  await expect(preview.getByTestId('dose-preview-volume')).toContainText('1.000 mL/day');
  // Alarm: floor(18 / 0.8) = 22 days after the fill; with the change 5 × 0.8 = 4 mL used, then 14 / 1.0 = 14 days: day 19.
  await expect(preview.getByTestId('dose-preview-alarm')).toHaveText(`Alarm date${shownDate(day(13))}${shownDate(day(10))}3 days sooner`);
  // Empty: floor(20 / 0.8) = 25 → day 25; with the change 16 / 1.0 = 16 more → day 21.
  await expect(preview.getByTestId('dose-preview-empty')).toHaveText(`Empty date${shownDate(day(16))}${shownDate(day(12))}4 days sooner`);

  await form.getByRole('button', { name: 'Save dose change' }).click();
  await expect(page.getByRole('status')).toContainText(`Dose change recorded: Morphine 8 → 10 mg/day; Bupivacaine 8 → 10 mg/day (same flow rate) from ${shownDate(day(-4))}`);
  await expect(page.getByText('Dose change: Morphine 8 → 10 mg/day; Bupivacaine 8 → 10 mg/day (same flow rate)')).toBeVisible();

  // The next refill: pre-filled with both drugs at the current rate, saved with no dose edited.
  await page.getByRole('button', { name: 'Record refill' }).click();
  const refill = page.getByRole('form', { name: /Record refill/ });
  await expect(refill.getByLabel('Morphine daily dose (mg/day)')).toHaveValue('10');
  await expect(refill.getByLabel('Bupivacaine daily dose (mg/day)')).toHaveValue('10');
  // Expected residual today: 20 − 5 × 0.8 − 4 × 1.0 = 12 mL.
  await refill.getByLabel('Withdrawn residual (mL)').fill('12');
  await expect(refill.getByRole('region', { name: 'Refill preview' }).getByTestId('preview-expected')).toHaveText('12.00 mL');
  await refill.getByRole('checkbox', { name: /reservoir port/ }).check();
  await refill.getByRole('button', { name: 'Save refill' }).click();
  await expect(page.getByRole('status')).toContainText('Refill recorded: next due');
  await expect(refill).toHaveCount(0);
});
