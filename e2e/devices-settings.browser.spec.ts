import { expect, test, type Page } from '@playwright/test';
import { isoFromShown, shownDate, signIn, useShell, pagePost } from './shell';

/** The demo clinic's dates are relative to today in its time zone (UTC). */
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

const t = useShell(['--demo']);

async function open(page: Page, link: 'Devices' | 'Settings' | 'Worklist') {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link }).click();
  await expect(page.getByRole('heading', { name: link, level: 2 })).toBeVisible();
}

test('the devices list shows every demo pump with its patient, and filters by status', async ({ page }) => {
  await signIn(page, t.shell, 'administrator');
  await open(page, 'Devices');
  const list = page.getByRole('region', { name: 'All pumps' });
  const table = list.getByRole('table', { name: 'Pumps' });
  // The demo clinic is generated around eight hand-written patients: the counts are the answer's own.
  const all = await pumpCounts(page, {});
  expect(all.total).toBeGreaterThan(30);
  for (const n of [all.active, all.off, all.explanted]) expect(n).toBeGreaterThan(0);
  await expect(table.getByRole('row')).toHaveCount(all.total + 1); // header + every pump
  const counts = list.getByRole('list', { name: 'Pump counts' });
  await expect(counts).toContainText(`${all.total} pumps`);
  await expect(counts).toContainText(`${all.active} active`);
  await expect(counts).toContainText(`${all.off} off`);
  await expect(counts).toContainText(`${all.explanted} explanted`);

  const brennan = table.getByRole('row', { name: /Brennan, Thomas/ });
  await expect(brennan).toContainText('RSV-1002');
  await expect(brennan).toContainText('SynchroMed II 20 mL');
  await expect(brennan).toContainText('NGP207781H');
  await expect(brennan).toContainText(shownDate(day(-200)));
  await expect(brennan).toContainText('Active');
  await expect(brennan.getByRole('link', { name: 'Brennan, Thomas' })).toHaveAttribute('href', /#\/patients\/\d+$/);

  await list.getByLabel('Status').selectOption('off');
  await expect(table.getByRole('row')).toHaveCount(all.off + 1);
  await expect(table.getByRole('cell', { name: 'Active', exact: true })).toHaveCount(0);
  await expect(table.getByRole('row', { name: /Sato, Emi/ })).toContainText('NGP203344H');

  await list.getByLabel('Status').selectOption('explanted');
  await expect(table.getByRole('row')).toHaveCount(all.explanted + 1);
  await expect(table.getByRole('row', { name: /Fischer, Jonas/ })).toContainText('NGP190001H');

  await list.getByLabel('Status').selectOption('');
  await list.getByLabel('Implanted from').fill(day(-160));
  await list.getByLabel('Implanted to').fill(day(-30));
  const window = await pumpCounts(page, { implantedFrom: day(-160), implantedTo: day(-30) });
  expect(window.total).toBeGreaterThanOrEqual(3); // Haddad −150, Novak −70, Fischer's replacement −35
  expect(window.total).toBeLessThan(all.total);
  await expect(table.getByRole('row')).toHaveCount(window.total + 1);
  await expect(table).toContainText('Novak, Pavel');
  await expect(table).toContainText('Haddad, Layla');
  await expect(table).not.toContainText('Brennan');
});

/** The pump counts `pumps.search` answers for these filters (as the signed-in page). */
async function pumpCounts(page: Page, filters: Record<string, string>): Promise<{ total: number; active: number; off: number; explanted: number }> {
  const res = await pagePost(page, 'pumps.search', filters);
  const body = (await res.json()) as { ok: boolean; value: { counts: { total: number; active: number; off: number; explanted: number } } };
  expect(body.ok).toBe(true);
  return body.value.counts;
}

test('the recall look-up finds the SynchroMed II 20 mL pumps implanted in a window, and says when none match', async ({ page }) => {
  await signIn(page, t.shell, 'administrator');
  await open(page, 'Devices');
  const recall = page.getByRole('region', { name: 'Recall look-up' });
  await recall.getByLabel('Device model').selectOption({ label: 'Medtronic SynchroMed II 20 mL' });
  // The hand-written demo pumps' serials (10 characters; the generated ones have 13, so they are outside the range).
  await recall.getByLabel('Serial from').fill('NGP190000H');
  await recall.getByLabel('Serial to').fill('NGP209999H');
  await recall.getByLabel('Implanted from').fill(day(-320));
  await recall.getByLabel('Implanted to').fill(day(-60));
  await recall.getByRole('button', { name: 'Look up' }).click();

  const table = recall.getByRole('table', { name: 'Pumps matching the recall' });
  await expect(table.getByRole('row')).toHaveCount(4);
  await expect(table.getByRole('row', { name: /Brennan, Thomas/ })).toContainText('RSV-1002');
  await expect(table.getByRole('row', { name: /Novak, Pavel/ })).toContainText('RSV-1004');
  await expect(table.getByRole('row', { name: /Sato, Emi/ })).toContainText('Off');
  await expect(recall.getByRole('status')).toContainText('3 pumps still in place; 0 explanted matches');

  // Without a window, Fischer's explanted 2019 pump is counted, not listed.
  await recall.getByLabel('Implanted from').fill('');
  await recall.getByLabel('Implanted to').fill('');
  await recall.getByRole('button', { name: 'Look up' }).click();
  await expect(recall.getByRole('status')).toContainText('3 pumps still in place; 1 explanted match');

  // An upside-down window is refused with the field named.
  await recall.getByLabel('Implanted from').fill(day(-10));
  await recall.getByLabel('Implanted to').fill(day(-20));
  await recall.getByRole('button', { name: 'Look up' }).click();
  await expect(recall.getByText(/Must be on or after the start of the window/)).toBeVisible();
  await expect(recall.getByLabel('Implanted to')).toHaveAttribute('aria-invalid', 'true');

  await recall.getByLabel('Implanted from').fill(day(-30));
  await recall.getByLabel('Implanted to').fill(day(-1));
  await recall.getByRole('button', { name: 'Look up' }).click();
  await expect(recall.getByText('No pump matches.')).toBeVisible();
});

/** Brennan's next due on the worklist; `asOf` looks ahead (the worklist lists only pumps due within its window). */
async function brennanNextDue(page: Page, asOf?: string): Promise<string> {
  await open(page, 'Worklist');
  if (asOf !== undefined) await page.getByLabel('As of').fill(asOf);
  const row = page.getByRole('row', { name: /Brennan, Thomas/ });
  await expect(row).toBeVisible();
  const text = (await row.getByRole('cell').nth(7).textContent()) ?? '';
  expect(text).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
  return isoFromShown(text);
}

test('a smaller safety margin, once confirmed, moves Brennan’s next due on the worklist', async ({ page }) => {
  await signIn(page, t.shell, 'administrator');
  const before = await brennanNextDue(page);

  await open(page, 'Settings');
  const form = page.getByRole('form', { name: 'Clinic settings' });
  const margin = form.getByLabel('Safety margin (days before the alarm)');
  await expect(margin).toHaveValue('7');
  await expect(form).toContainText('recomputes every pump’s projection');
  await margin.fill('3');
  await form.getByRole('button', { name: 'Save settings' }).click();
  const confirm = form.getByRole('group', { name: 'Confirm settings change' });
  await expect(confirm).toContainText('This changes the due dates of every pump');
  await confirm.getByRole('button', { name: 'Confirm and save' }).click();
  await expect(form.getByRole('status')).toContainText('Settings saved');

  // 4 days later: past today's 14-day window, so looked at as of the old due date.
  expect(await brennanNextDue(page, before)).toBe(addDays(before, 4));
});

test('a bad time zone shows a field error and saves nothing', async ({ page }) => {
  await signIn(page, t.shell, 'administrator');
  await open(page, 'Settings');
  const form = page.getByRole('form', { name: 'Clinic settings' });
  await form.getByLabel('Time zone').fill('Mars/Olympus_Mons');
  await form.getByLabel('Safety margin (days before the alarm)').fill('3');
  await form.getByRole('button', { name: 'Save settings' }).click();
  await expect(form.getByText('Is not a known time zone (e.g. Europe/London).')).toBeVisible();
  await expect(form.getByLabel('Time zone')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByRole('group', { name: 'Confirm settings change' })).toHaveCount(0);

  // Nothing was saved: a fresh visit shows the old values.
  await page.reload();
  await open(page, 'Settings');
  await expect(form.getByLabel('Time zone')).toHaveValue('UTC');
  await expect(form.getByLabel('Safety margin (days before the alarm)')).toHaveValue('7');
});

test('the drug list and device catalog can be edited; a drug’s unit is fixed once saved', async ({ page }) => {
  await signIn(page, t.shell, 'administrator');
  await open(page, 'Settings');
  const drugs = page.getByRole('region', { name: 'Drug list' });
  await expect(drugs.getByRole('row', { name: /Baclofen/ })).toContainText('mcg');
  await drugs.getByRole('button', { name: 'Edit Baclofen' }).click();
  await expect(drugs.getByRole('combobox', { name: /^Unit/ })).toBeDisabled();
  await drugs.getByLabel('Stability (days)').fill('95');
  await drugs.getByRole('button', { name: 'Save drug' }).click();
  await expect(drugs.getByRole('status')).toContainText('Saved Baclofen');
  await expect(drugs.getByRole('row', { name: /Baclofen/ })).toContainText('95 days');
  // Its withdrawal warning (issue 13), seeded with its source, is kept by an edit of another field.
  await expect(drugs.getByRole('row', { name: /Baclofen/ })).toContainText('(Boxed warning, Lioresal Intrathecal and Gablofen labels.)');

  await drugs.getByRole('button', { name: 'Add drug' }).click();
  await drugs.getByLabel('Name').fill('Clonidine');
  await drugs.getByRole('combobox', { name: /^Unit/ }).selectOption('mcg');
  await drugs.getByRole('button', { name: 'Save drug' }).click();
  await expect(drugs.getByRole('alert')).toContainText('The drug list already has Clonidine.');
  await expect(drugs.getByLabel('Name')).toHaveAttribute('aria-invalid', 'true');
  await drugs.getByLabel('Name').fill('Ropivacaine');
  await drugs.getByRole('combobox', { name: /^Unit/ }).selectOption('mg');
  await drugs.getByLabel('Daily dose hard maximum (mg/day)').fill('22.5');
  await drugs.getByLabel(/^Withdrawal warning/).fill('None known for a local anaesthetic (clinic pharmacist, 2026).');
  await drugs.getByRole('button', { name: 'Save drug' }).click();
  await expect(drugs.getByRole('row', { name: /Ropivacaine/ })).toContainText('22.5 mg/day');
  await expect(drugs.getByRole('row', { name: /Ropivacaine/ })).toContainText('None known for a local anaesthetic (clinic pharmacist, 2026).');

  const catalog = page.getByRole('region', { name: 'Device catalog' });
  await catalog.getByRole('button', { name: 'Add device model' }).click();
  await catalog.getByLabel('Manufacturer').fill('Acme');
  await catalog.getByLabel('Model', { exact: true }).fill('Flow 10');
  await catalog.getByLabel('Reservoir (mL)').fill('10');
  await catalog.getByLabel('Default low-reservoir alarm (mL)').fill('12');
  await catalog.getByRole('button', { name: 'Save device model' }).click();
  await expect(catalog.getByText('The default alarm volume must be below the reservoir volume.').first()).toBeVisible();
  await catalog.getByLabel('Default low-reservoir alarm (mL)').fill('1');
  await catalog.getByRole('button', { name: 'Save device model' }).click();
  await expect(catalog.getByRole('row', { name: /Acme Flow 10/ })).toContainText('10 mL');
});

test('the drug list says plainly which limits are Soft and which Hard, with their source, and marks unconfirmed ones (1280 px)', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await signIn(page, t.shell, 'administrator');
  await open(page, 'Settings');
  const drugs = page.getByRole('region', { name: 'Drug list' });
  const table = drugs.getByRole('region', { name: 'Drugs' }); // the focusable scroll box around the table
  await expect(table).toHaveAttribute('tabindex', '0');
  const headers = await table.getByRole('columnheader').allInnerTexts();
  expect(headers.slice(0, 9)).toEqual([
    'Drug',
    'Unit',
    'Daily dose soft range',
    'Daily dose hard max',
    'Concentration soft range',
    'Concentration hard max',
    'Step up soft max',
    'Step up hard max',
    'Source of the limits',
  ]);
  // Morphine: soft 0.2–20 mg/day, hard 30 mg/day, its PACC 2017 source marked Unconfirmed.
  const morphine = table.getByRole('row', { name: /^Morphine/ });
  await expect(morphine).toContainText('0.2 mg–20 mg/day');
  await expect(morphine).toContainText('30 mg/day');
  await expect(morphine.getByText('Unconfirmed', { exact: true })).toBeVisible();
  // Ziconotide: the Prialt label confirms its limits: no mark; its step ups are soft.
  const zic = table.getByRole('row', { name: /^Ziconotide/ });
  await expect(zic).toContainText('2.4 mcg/day per change; 7.2 mcg/day per 7 days');
  await expect(zic).toContainText('Prialt label');
  await expect(zic.getByText('Unconfirmed', { exact: true })).toHaveCount(0);
  // The page itself never scrolls sideways; the table scrolls inside its box.
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  await drugs.screenshot({ path: 'test-results/screenshots/settings-drug-list-1280.png' });
  // The form's fields say Soft and Hard too.
  await drugs.getByRole('button', { name: 'Edit Morphine' }).click();
  await expect(drugs.getByLabel('Daily dose soft range to (mg/day)')).toHaveValue('20');
  await expect(drugs.getByLabel('Daily dose hard maximum (mg/day)')).toHaveValue('30');
  await expect(drugs.getByLabel('Concentration hard maximum (mg/mL)')).toHaveValue('');
});

test('stability with its source in the drug list; a model without a service life says so in Settings and on the record until it is set', async ({ page }) => {
  await signIn(page, t.shell, 'administrator');
  await open(page, 'Settings');
  const drugs = page.getByRole('region', { name: 'Drug list' });
  const zic = drugs.getByRole('row', { name: /Ziconotide/ });
  await expect(zic).toContainText('40 days diluted; 84 days undiluted (100 mcg/mL, the drug alone); 14 days after a new pump’s first fill');
  await expect(zic).toContainText('Prialt (ziconotide) prescribing information');
  await expect(drugs.getByRole('row', { name: /Morphine/ })).toContainText('UW pump-refill guidance');

  const catalog = page.getByRole('region', { name: 'Device catalog' });
  const prometra = catalog.getByRole('row', { name: /Flowonix Prometra II Prometra 2 13827/ });
  await expect(prometra).toContainText('Service life not set');
  await expect(catalog.getByRole('row', { name: /Medtronic SynchroMed II SynchroMed 2 8637-20/ })).toContainText('84 months');

  // Haddad's Prometra II 20 mL (demo): the pump card says so instead of showing no replacement date.
  await open(page, 'Worklist');
  await page.getByRole('link', { name: 'Haddad, Layla' }).first().click();
  const card = page.getByRole('region', { name: /serial PII-13827-0451/ });
  await expect(card).toContainText('Service life not set');

  await open(page, 'Settings');
  await prometra.getByRole('button', { name: 'Edit Flowonix Prometra II 20 mL' }).click();
  await catalog.getByLabel(/^Service life \(months/).fill('0');
  await catalog.getByRole('button', { name: 'Save device model' }).click();
  await expect(catalog.getByRole('alert').first()).toBeVisible();
  await catalog.getByLabel(/^Service life \(months/).fill('120');
  await catalog.getByRole('button', { name: 'Save device model' }).click();
  await expect(catalog.getByRole('status')).toContainText('Saved Flowonix Prometra II');
  await expect(prometra).toContainText('120 months');
  await open(page, 'Worklist');
  await page.getByRole('link', { name: 'Haddad, Layla' }).first().click();
  await expect(card).not.toContainText('Service life not set');
});

test('the browser has no "This workstation" section: it belongs to the desktop app', async ({ page }) => {
  await signIn(page, t.shell, 'administrator');
  await open(page, 'Settings');
  await expect(page.getByRole('heading', { name: 'Backups' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'This workstation' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Use this computer only' })).toHaveCount(0);
});
