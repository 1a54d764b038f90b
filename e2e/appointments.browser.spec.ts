import { expect, test, type Page } from '@playwright/test';
import { pagePost, signIn, useShell } from './shell';

/**
 * Issue 16, item 1: refill appointments. A due pump is booked from its worklist row (the date
 * prefilled with its next refill date); today's clinic lists a day's appointment with the expected
 * residual and the volume to prepare; one marked "did not attend" lands on the call list (and the
 * worklist's count) until the call is recorded.
 */
const t = useShell([]);

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

async function post<T>(page: Page, name: string, data: unknown): Promise<T> {
  const body = (await (await pagePost(page, name, data)).json()) as { ok: boolean; value: T; error?: unknown };
  expect(body, `${name}: ${JSON.stringify(body.error)}`).toMatchObject({ ok: true });
  return body.value;
}

/** Morphine 10 mg/mL at 5 mg/day (500 µL/day) filled with 20 mL 28 days ago: 6 mL expected today, due tomorrow. */
async function duePump(page: Page, mrn: string, family: string, serial: string) {
  const patient = await post<{ id: number }>(page, 'patients.create', { mrn, familyName: family, givenName: 'Ada', birthDate: '1961-05-03', sex: 'female', indications: ['cancer_pain'] });
  const devices = await post<{ id: number; model: string; reservoirUl: number }[]>(page, 'devices.list', {});
  const model = devices.find((d) => d.model === 'SynchroMed II' && d.reservoirUl === 20000)!;
  const pump = await post<{ id: number }>(page, 'pumps.implant', { patientId: patient.id, deviceModelId: model.id, serial, implantDate: day(-28) });
  await post(page, 'refills.record', {
    pumpId: pump.id,
    pumpState: 'r0.d0.v0.x0', // just implanted: nothing recorded on it yet
    date: day(-28),
    withdrawnMl: null,
    addedMl: 20,
    drugs: [{ drug: 'Morphine', concentration: { value: 10, unit: 'mg' }, dailyDose: { value: 5, unit: 'mg' } }],
    mode: 'simple_continuous',
    reservoirPortConfirmed: true,
  });
  return { patientId: patient.id, pumpId: pump.id };
}

test('a due pump is booked from the worklist; a missed appointment in today\'s clinic lands on the call list', async ({ page }) => {
  await signIn(page, t.shell, 'clinician');
  const booked = await duePump(page, 'AP-1', 'Aalberg', 'AP-0001');
  const missed = await duePump(page, 'AP-2', 'Brandt', 'AP-0002');
  const origin = new URL(page.url()).origin;

  // The worklist: both due, not booked.
  await page.goto(`${origin}/#/worklist`);
  await expect(page.getByTestId(`booking-${booked.pumpId}`)).toContainText('not booked');
  await expect(page.getByRole('button', { name: /2 due, not booked/ })).toBeVisible();

  // Book Aalberg from the row: the date is the next refill date (tomorrow), a room and a time.
  await page.getByRole('button', { name: 'Book the next refill of Aalberg, Ada' }).click();
  const form = page.getByRole('form', { name: 'Book the next refill' });
  await expect(form.getByLabel('Date')).toHaveValue(day(1));
  await form.getByLabel('Time (clinic)').fill('10:30');
  await form.getByLabel('Room').fill('Room 2');
  await form.getByRole('button', { name: 'Book' }).click();
  await expect(page.getByTestId(`booking-${booked.pumpId}`)).toContainText(/booked for .* 10:30/);
  await expect(page.getByRole('button', { name: /1 due, not booked/ })).toBeVisible();

  // Brandt was booked for today (the desk, through the API) and does not come.
  await post(page, 'appointments.book', { pumpId: missed.pumpId, date: day(0), time: '09:15', room: 'Room 1', homeVisit: false });
  await page.goto(`${origin}/#/clinic`);
  const visits = page.getByRole('table', { name: 'Appointments' });
  const row = visits.getByRole('row', { name: /Brandt/ });
  await expect(row).toContainText('09:15');
  await expect(row).toContainText('6.00 mL'); // expected residual: 20 mL − 28 × 0.5 mL
  await expect(row).toContainText('20.00 mL'); // to prepare: the reservoir volume
  await expect(page.getByRole('table', { name: 'Pharmacy totals' })).toContainText('Morphine');
  // Keyboard: focus "Did not attend" and press Enter.
  await row.getByRole('button', { name: 'Did not attend' }).focus();
  await page.keyboard.press('Enter');
  await expect(row).toContainText('Did not attend');
  const calls = page.getByRole('table', { name: 'Call list' });
  await expect(calls).toContainText('Brandt, Ada');

  // The worklist counts it and marks the row.
  await page.goto(`${origin}/#/worklist`);
  await expect(page.getByTestId('count-call-list')).toContainText('1 to call');
  await expect(page.getByTestId(`booking-${missed.pumpId}`)).toContainText('on the call list');

  // The call recorded: off the list.
  await page.goto(`${origin}/#/clinic`);
  await page.getByLabel('Outcome of the call to Brandt, Ada').fill('Left a message; will call back');
  await page.getByRole('button', { name: 'Record call' }).click();
  await expect(page.getByText('No missed appointment to call about.')).toBeVisible();
});

test('a booking is rescheduled from today\'s clinic and seen at the new time; cancelled from the record with a reason and a confirmation', async ({ page }) => {
  await signIn(page, t.shell, 'clinician');
  const p = await duePump(page, 'AP-3', 'Castell', 'AP-0003');
  const first = await post<{ id: number }>(page, 'appointments.book', { pumpId: p.pumpId, date: day(0), time: '09:00', room: 'Room 1', homeVisit: false });
  const origin = new URL(page.url()).origin;

  await page.goto(`${origin}/#/clinic`);
  const visits = page.getByRole('table', { name: 'Appointments' });
  await expect(visits.getByRole('row', { name: /Castell/ })).toContainText('09:00');
  await page.getByRole('button', { name: /^Reschedule Castell, Ada on .* 09:00$/ }).click();
  const form = page.getByRole('form', { name: /^Reschedule Castell, Ada/ });
  await form.getByLabel('New time (clinic)').fill('13:45');
  await form.getByRole('button', { name: 'Move the appointment' }).click();
  // Seen at the new time; the old one is gone from the day (cancelled, "Rescheduled to …").
  const row = visits.getByRole('row', { name: /Castell/ });
  await expect(row).toContainText('13:45');
  await expect(row).toHaveCount(1);
  const [old] = await post<{ id: number; state: string; cancelReason: string }[]>(page, 'appointments.list', { pumpId: p.pumpId, from: day(0), to: day(0) }).then((l) => l.filter((a) => a.id === first.id));
  expect(old).toMatchObject({ state: 'cancelled', cancelReason: `Rescheduled to ${day(0)} 13:45` });

  // A date after the alarm date is refused, and the booking stays at 13:45.
  await page.getByRole('button', { name: /^Reschedule Castell, Ada on .* 13:45$/ }).click();
  const again = page.getByRole('form', { name: /^Reschedule Castell, Ada/ });
  await again.getByLabel('New date').fill(day(20));
  await again.getByRole('button', { name: 'Move the appointment' }).click();
  await expect(again.getByRole('alert')).toContainText(/alarm date|EMPTY/);
  await again.getByRole('button', { name: 'Keep it as it is' }).click();
  await expect(row).toContainText('13:45');

  // From the record: cancel needs a reason and a confirmation.
  await row.getByRole('link', { name: 'Castell, Ada' }).click();
  await page.getByRole('button', { name: /^Cancel Castell, Ada on .* 13:45$/ }).click();
  const cancel = page.getByRole('form', { name: /^Cancel Castell, Ada/ });
  await cancel.getByLabel('Why is it cancelled?').fill('Patient in hospital');
  await cancel.getByRole('button', { name: 'Cancel the appointment' }).click();
  const dialog = page.getByRole('alertdialog');
  await expect(dialog).toContainText('Reason: Patient in hospital');
  await dialog.getByRole('button', { name: 'Yes, cancel it' }).click();
  await expect(page.getByLabel('Refill appointments')).toContainText('not booked');
});
