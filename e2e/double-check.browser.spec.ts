import { expect, test, type Page } from '@playwright/test';
import { apiCall, E2E_PASSWORD, E2E_USERS, loginSession, pagePost, signIn, useShell, type RunningShell } from './shell';

/**
 * Issue 17, item 3: the independent double check. Clinician A records an opioid dose increase; the
 * record shows it awaiting verification and A cannot verify it (no button, a note, and the request
 * itself refused). Clinician B sees the worklist's count, verifies with their password (a wrong one
 * verifies nothing), and the record shows it verified by B.
 */
const t = useShell([]);

const B = { username: 'clinician2', displayName: 'Dr. Ben Second' };

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

async function post<T>(page: Page, name: string, data: unknown): Promise<T> {
  const body = (await (await pagePost(page, name, data)).json()) as { ok: boolean; value: T; error?: unknown };
  expect(body, `${name}: ${JSON.stringify(body.error)}`).toMatchObject({ ok: true });
  return body.value;
}

/** Signs B in (through the API, as signIn does for the role users) and loads `hash`. */
async function signInAsB(page: Page, shell: RunningShell, hash = ''): Promise<void> {
  const origin = new URL(shell.url).origin;
  await page.goto(shell.url);
  const login = await apiCall(shell, 'session.login', { username: B.username, password: E2E_PASSWORD });
  expect(login.body.ok).toBe(true);
  await page.evaluate((id) => window.sessionStorage.setItem('reservoir.session', id), login.session!);
  await page.goto(`${origin}/${hash}`);
  await page.reload();
  await page.getByTestId('current-user').waitFor();
}

test('an opioid dose increase awaits a second clinician: refused to the one who recorded it, verified by another with their password', async ({ browser }) => {
  const a = await browser.newPage();
  await signIn(a, t.shell, 'clinician');
  const admin = await loginSession(t.shell, 'administrator');
  expect((await apiCall(t.shell, 'users.create', { ...B, role: 'clinician', password: E2E_PASSWORD }, admin)).body.ok).toBe(true);

  // A morphine pump: 10 mg/mL at 3 mg/day, filled 9 days ago. The first fill is itself an opioid
  // increase (from nothing): B verifies it through the API so the test is about the dose change.
  const patient = await post<{ id: number }>(a, 'patients.create', { mrn: 'DC-1', familyName: 'Ekwueme', givenName: 'Ada', birthDate: '1961-05-03', sex: 'female', indications: ['cancer_pain'] });
  const devices = await post<{ id: number; model: string; reservoirUl: number }[]>(a, 'devices.list', {});
  const model = devices.find((d) => d.model === 'SynchroMed II' && d.reservoirUl === 20000)!;
  const pump = await post<{ id: number }>(a, 'pumps.implant', { patientId: patient.id, deviceModelId: model.id, serial: 'DC-0001', implantDate: day(-9) });
  const fill = await post<{ verification: { id: number; state: string } }>(a, 'refills.record', {
    pumpId: pump.id,
    pumpState: 'r0.d0.v0.x0', // just implanted: nothing recorded on it yet
    date: day(-9),
    withdrawnMl: null,
    addedMl: 20,
    drugs: [{ drug: 'Morphine', concentration: { value: 10, unit: 'mg' }, dailyDose: { value: 3, unit: 'mg' } }],
    mode: 'simple_continuous',
    reservoirPortConfirmed: true,
  });
  expect(fill.verification.state).toBe('awaiting');
  const bSession = (await apiCall(t.shell, 'session.login', { username: B.username, password: E2E_PASSWORD })).session!;
  expect((await apiCall(t.shell, 'verifications.verify', { id: fill.verification.id, password: E2E_PASSWORD }, bSession)).body).toMatchObject({ ok: true, value: { state: 'verified' } });

  // A raises morphine 3 → 3.5 mg/day through the form.
  await a.goto(`${new URL(a.url()).origin}/#/patients/${patient.id}`);
  await expect(a.getByRole('heading', { name: 'Ekwueme, Ada' })).toBeVisible();
  await a.getByRole('button', { name: 'Dose change' }).click();
  const form = a.getByRole('form', { name: /Dose change/ });
  await form.getByLabel('New daily dose (mg/day)').fill('3.5');
  await form.getByLabel('Date').fill(day(-2));
  await form.getByRole('button', { name: 'Save dose change' }).click();
  await expect(form).toHaveCount(0);

  // The pump card: awaiting, recorded by A; A gets a note, not a button.
  const card = a.getByRole('region', { name: /serial DC-0001/ });
  const awaiting = card.locator('.verification-awaiting');
  await expect(awaiting).toContainText(`Awaiting independent double check — recorded by ${E2E_USERS.clinician} (Clinician) at `);
  await expect(awaiting).toContainText('opioid dose increase: Morphine 3 → 3.5 mg/day');
  await expect(awaiting).toContainText('You recorded this; another clinician must verify it.');
  await expect(card.getByRole('button', { name: 'Verify' })).toHaveCount(0);
  // The timeline entry says so too.
  await expect(a.locator('li.tl-dose_change .verification-line')).toContainText('Awaiting independent double check');
  // Calling the request directly is refused the same way.
  const list = await post<{ total: number; entries: { id: number; kind: string }[] }>(a, 'verifications.list', {});
  expect(list.total).toBe(1);
  const selfVerify = (await (await pagePost(a, 'verifications.verify', { id: list.entries[0]!.id, password: E2E_PASSWORD })).json()) as { ok: boolean; error: { code: string; message: string } };
  expect(selfVerify).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringContaining('You recorded this entry: another clinician must verify or reject it') } });
  await a.close();

  // B: the worklist counts it and lists it; B opens the record from there.
  const b = await browser.newPage();
  await signInAsB(b, t.shell);
  await expect(b.getByTestId('count-double-check')).toHaveText('1 awaiting double check');
  const checks = b.getByRole('region', { name: 'Awaiting independent double check' });
  await expect(checks.getByRole('row', { name: /Ekwueme, Ada/ })).toContainText('Dose change');
  await expect(checks.getByRole('row', { name: /Ekwueme, Ada/ })).toContainText(E2E_USERS.clinician);
  await checks.getByRole('link', { name: 'Ekwueme, Ada' }).click();
  await expect(b.getByRole('heading', { name: 'Ekwueme, Ada' })).toBeVisible();

  const bCard = b.getByRole('region', { name: /serial DC-0001/ });
  await expect(bCard.locator('.verification-awaiting')).not.toContainText('You recorded this');
  await bCard.getByRole('button', { name: 'Verify' }).click();
  const verify = b.getByRole('form', { name: 'Verify this dose change' });
  await expect(verify).toContainText(`Verifying as ${B.displayName}, clinician`);
  await verify.getByLabel('Your password').fill('not my password');
  await verify.getByRole('button', { name: 'Verify' }).click();
  await expect(verify.getByRole('alert')).toContainText('Wrong password: nothing was verified.');
  await verify.getByLabel('Your password').fill(E2E_PASSWORD);
  await verify.getByRole('button', { name: 'Verify' }).click();
  await expect(verify).toHaveCount(0);

  // Verified by B: the timeline keeps both people; the pump card no longer lists it; the count is 0.
  const line = b.locator('li.tl-dose_change .verification-line');
  await expect(line).toContainText(`Verified (independent double check) by ${B.displayName} (Clinician) at `);
  await expect(line).toContainText(`recorded by ${E2E_USERS.clinician} (Clinician)`);
  await expect(bCard.locator('.verification-awaiting')).toHaveCount(0);
  await b.goto(`${new URL(b.url()).origin}/#/worklist`);
  await expect(b.getByTestId('count-double-check')).toHaveText('0 awaiting double check');
  await b.close();
});
