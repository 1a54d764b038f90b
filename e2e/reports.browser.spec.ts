/**
 * Reports: the screen (choose, preview, export with progress), errors next to the field, the role
 * limits, and PDF through headless Chromium — from the browser shell and from `reservoir report` —
 * checked with pdftotext and pdfinfo. The clinic is the hand-checked fixture of the unit tests
 * (electron/services/features/reports/fixture.ts), recorded through the HTTP API.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Download, type Page } from '@playwright/test';
import { parse } from 'csv-parse/sync';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REQUEST_POLICY } from '../shared/contract/roles';
import { lastMonthIn } from '../shared/domain/periods';
import type { RequestName } from '../shared/contract/names';
import { buildFixture } from '../electron/services/features/reports/fixture';
import type { TestServices } from '../electron/services/testing/services';
import { apiCall, ensureUsers, keysEnv, loginSession, signIn, type RunningShell, useShell } from './shell';

const root = path.resolve(import.meta.dirname, '..');
const t = useShell();

/** Records the fixture clinic through the API, each request as a role allowed to make it. */
async function seedFixture(s: RunningShell): Promise<void> {
  await ensureUsers(s);
  const sessions: Record<string, string> = {};
  for (const role of ['administrator', 'clinician'] as const) sessions[role] = await loginSession(s, role);
  // Which patient each pump belongs to, so an entry on it can send the pump state its form would
  // have read (`pumpState`, required from clients: several people at once).
  const patientOfPump = new Map<number, number>();
  const call = async (name: string, input: unknown) => {
    const roles = REQUEST_POLICY[name as RequestName].roles;
    const role = Array.isArray(roles) && roles.includes('clinician') ? 'clinician' : 'administrator';
    const r = await apiCall(s, name, input, sessions[role]);
    if (!r.body.ok) throw new Error(`${name}: ${JSON.stringify(r.body)}`);
    return r.body.value;
  };
  const stateOf = async (pumpId: number) => {
    const record = (await call('patients.get', { id: patientOfPump.get(pumpId) })) as { pumps: { pump: { id: number }; state: string }[] };
    return record.pumps.find((p) => p.pump.id === pumpId)!.state;
  };
  const must = async (name: string, input: unknown) => {
    const i = input as Record<string, unknown>;
    const entry = ['refills.record', 'doseChanges.record', 'reversals.record', 'removals.record', 'restarts.record'].includes(name);
    const value = await call(name, entry && !('pumpState' in i) ? { ...i, pumpState: await stateOf(i.pumpId as number) } : input);
    if (name === 'pumps.implant') patientOfPump.set((value as { id: number }).id, i.patientId as number);
    if (name === 'removals.record') {
      const replacement = (value as { replacement?: { id: number } | null }).replacement;
      if (replacement) patientOfPump.set(replacement.id, patientOfPump.get(i.pumpId as number)!);
    }
    return value;
  };
  const deviceId = async (model: string, reservoirUl: number) =>
    ((await must('devices.list', {})) as { id: number; model: string; reservoirUl: number }[]).find((d) => d.model === model && d.reservoirUl === reservoirUl)!.id;
  await buildFixture({ must, deviceId } as unknown as TestServices);
}

async function openReports(page: Page, role: 'administrator' | 'clinician' = 'administrator') {
  await t.start();
  await seedFixture(t.shell);
  // Signed in through the API (the page keeps the session), then the Reports screen.
  await signIn(page, t.shell, role, '#/reports');
  await expect(page.getByRole('heading', { name: 'Reports' })).toBeVisible();
}

async function choose(page: Page, report: string, from: string, to: string) {
  await page.getByRole('combobox', { name: 'Report', exact: true }).selectOption({ label: report });
  if (from) await page.getByRole('textbox', { name: /^From/ }).fill(from);
  await page.getByRole('textbox', { name: /^(To|As of)/ }).fill(to);
  await page.getByRole('button', { name: 'Preview' }).click();
}

async function exportAs(page: Page, format: string): Promise<Download> {
  await page.getByRole('combobox', { name: 'Format' }).selectOption({ label: format });
  const download = page.waitForEvent('download', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Export' }).click();
  return download;
}

const savedFile = async (d: Download, name: string) => {
  const file = path.join(t.data.dir, name);
  await d.saveAs(file);
  return file;
};
const pdfPages = (file: string) => Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
const pdfText = (file: string) => execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });

test('an administrator previews the pharmacy figures for January and downloads them as CSV and Excel', async ({ page }) => {
  await openReports(page);
  await choose(page, 'Activity', '2026-01-01', '2026-01-31');
  const usage = page.locator('[data-section="drug-usage"]');
  await expect(usage.getByRole('heading', { name: 'Drug used per concentration (pharmacy)' })).toBeVisible();
  await expect(usage.getByRole('row', { name: /Baclofen/ }).getByRole('cell')).toHaveText(['Baclofen', '2,000 mcg/mL', '2', '40.000', '80,000 mcg']); // en-US, as the rest of the console
  await expect(usage.getByRole('row', { name: /Clonidine/ }).getByRole('cell')).toHaveText(['Clonidine', '37.5 mcg/mL', '1', '18.000', '675 mcg']);
  await expect(usage.getByRole('row', { name: /Morphine/ }).getByRole('cell')).toHaveText(['Morphine', '25 mg/mL', '1', '18.000', '450 mg']);
  await expect(page.getByText('Reservoir clinic · 4 patients')).toBeVisible();
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`)).toEqual([]);

  await page.getByRole('combobox', { name: 'Format' }).selectOption({ label: 'CSV (one table)' });
  await expect(page.getByRole('combobox', { name: 'Table' })).toHaveValue('drug-usage');
  const csv = await exportAs(page, 'CSV (one table)');
  expect(csv.suggestedFilename()).toBe('reservoir-activity-2026-01-01-to-2026-01-31.csv');
  expect(parse(fs.readFileSync(await savedFile(csv, 'a.csv'), 'utf8'))).toEqual([
    ['drug', 'concentration', 'concentration_unit', 'visits', 'volume_added_ml', 'amount_added', 'amount_added_unit'],
    ['Baclofen', '2000', 'mcg/mL', '2', '40.000', '80000', 'mcg'],
    ['Clonidine', '37.5', 'mcg/mL', '1', '18.000', '675', 'mcg'],
    ['Morphine', '25', 'mg/mL', '1', '18.000', '450', 'mg'],
  ]);
  await expect(page.getByText('Downloaded reservoir-activity-2026-01-01-to-2026-01-31.csv')).toBeVisible();

  const xlsx = await exportAs(page, 'Excel workbook (.xlsx)');
  expect(xlsx.suggestedFilename()).toBe('reservoir-activity-2026-01-01-to-2026-01-31.xlsx');
  expect(fs.readFileSync(await savedFile(xlsx, 'a.xlsx')).subarray(0, 2).toString()).toBe('PK');

  // What is exported is what was previewed: a changed period hides the export until the next preview.
  await page.getByRole('textbox', { name: /^To/ }).fill('2026-02-28');
  await expect(page.getByRole('heading', { name: 'Export' })).toHaveCount(0);
});

test('bad parameters are shown next to the field and nothing is previewed; an empty period is clearly empty', async ({ page }) => {
  await openReports(page);
  await choose(page, 'Safety', '2026-02-01', '2026-01-01');
  await expect(page.getByText('Must be on or after the start of the period (2026-02-01).')).toBeVisible();
  await expect(page.getByRole('textbox', { name: /^To/ })).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('[data-section]')).toHaveCount(0);

  await choose(page, 'Safety', '2024-01-01', '2024-01-31');
  await expect(page.getByText('No flagged discrepancies in this period.')).toBeVisible();
  await expect(page.getByText('No adverse events in this period.').first()).toBeVisible();
});

test('a clinician can make only the patient summary and the pharmacy preparation list', async ({ page }) => {
  await openReports(page, 'clinician');
  const options = await page.getByRole('combobox', { name: 'Report', exact: true }).locator('option').allTextContents();
  expect(options).toEqual(['Patient summary', 'Pharmacy preparation']);
  // The picker is the patient search: nobody is listed until something is typed.
  await expect(page.getByRole('combobox', { name: 'Patient' }).locator('option')).toHaveCount(1);
  await page.getByRole('searchbox', { name: 'Find patient' }).fill('Bob Baker');
  await expect(page.getByRole('combobox', { name: 'Patient' }).locator('option', { hasText: 'Baker, Bob (B2)' })).toHaveCount(1);
  await page.getByRole('combobox', { name: 'Patient' }).selectOption({ label: 'Baker, Bob (B2)' });
  await page.getByRole('button', { name: 'Preview' }).click();
  await expect(page.locator('[data-section="refills"]').getByRole('row', { name: /01\/15\/2026/ })).toContainText('Morphine 25 mg/mL, 5 mg/day + Clonidine 37.5 mcg/mL, 7.5 mcg/day');

  // Its CSV carries the history, not only the patient's details: all tables, a section column.
  await page.getByRole('combobox', { name: 'Format' }).selectOption({ label: 'CSV (one table)' });
  await expect(page.getByRole('combobox', { name: 'Table' })).toHaveValue('all');
  const csv = await exportAs(page, 'CSV (one table)');
  const rows = parse(fs.readFileSync(await savedFile(csv, 'baker.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
  expect(rows.find((r) => r.section === 'patient' && r.field === 'MRN')?.value).toBe('B2');
  expect(rows.filter((r) => r.section === 'refills').map((r) => [r.date, r.withdrawn_ml, r.discrepancy_ml])).toEqual([
    ['2026-01-15', '7.500', '2.500'],
    ['2025-11-01', '', ''],
  ]);
  expect(rows.find((r) => r.section === 'events' && r.kind === 'adverse event')?.details).toBe('pocket fill, severe, open');
  // The pharmacy preparation list (no visit booked in this clinic): both tables, each saying so.
  await page.getByRole('combobox', { name: 'Report', exact: true }).selectOption({ label: 'Pharmacy preparation' });
  await page.getByRole('button', { name: 'Preview' }).click();
  await expect(page.getByText('No refill visit is booked in this period.')).toBeVisible();
  await expect(page.getByText('Nothing to prepare in this period.')).toBeVisible();
});

test('the activity and safety reports open on last month in the clinic’s time zone', async ({ page }) => {
  await openReports(page);
  const zone = ((await apiCall(t.shell, 'settings.get', {}, await loginSession(t.shell, 'administrator'))).body as { value: { timeZone: string } }).value.timeZone;
  const last = lastMonthIn(zone, Date.now());
  await page.getByRole('combobox', { name: 'Report', exact: true }).selectOption({ label: 'Activity' });
  await expect(page.getByRole('textbox', { name: /^From/ })).toHaveValue(last.from);
  await expect(page.getByRole('textbox', { name: /^To/ })).toHaveValue(last.to);
  // The refill schedule looks ahead from today: its own default, empty fields.
  await page.getByRole('combobox', { name: 'Report', exact: true }).selectOption({ label: 'Refill schedule' });
  await expect(page.getByRole('textbox', { name: /^From/ })).toHaveValue('');
});

test('the safety report as PDF: page header with clinic, report and period; footer with page numbers and the time', async ({ page }) => {
  await openReports(page);
  await choose(page, 'Safety', '2026-01-01', '2026-01-31');
  const pdf = await exportAs(page, 'PDF');
  expect(pdf.suggestedFilename()).toBe('reservoir-safety-2026-01-01-to-2026-01-31.pdf');
  const file = await savedFile(pdf, 'safety.pdf');
  const pages = pdfPages(file);
  expect(pages).toBeGreaterThanOrEqual(1);
  const text = pdfText(file);
  const perPage = text.split('\f').filter((p) => p.trim() !== '');
  expect(perPage).toHaveLength(pages);
  perPage.forEach((p, i) => {
    expect(p).toContain('Reservoir clinic');
    // Every date in the user's locale (en-US here), the time in the clinic's zone (the fixture's: UTC).
    expect(p).toContain('Safety: 01/01/2026 to 01/31/2026');
    expect(p).toContain(`Page ${i + 1} of ${pages}`);
    expect(p).toMatch(/Made \d{2}\/\d{2}\/\d{4}, \d{2}:\d{2} UTC by Reservoir/);
  });
  expect(text).toContain('Flagged residual discrepancies');
  // "Bob" wraps in its cell, and the discrepancy's words since the Double check column (issue 17).
  expect(text).not.toMatch(/\b2026-\d{2}-\d{2}\b/); // no ISO date left beside the locale's
  expect(text).toMatch(/01\/15\/2026\s+Baker,\s+B2\s+PRO2002\s+7\.500\s+5\.000\s+2\.50 mL more\s+50\.0 % more\s/);
  // Baker's morphine raise awaits its independent double check: unverified in the table and the header.
  expect(text).toContain('UNVERIFIED:');
  expect(text).toContain('Independent double check: 2 entries are UNVERIFIED (awaiting a second clinician)');
  // In words for people (issue 13 item 10), never the signed number the CSV keeps.
  expect(text).not.toMatch(/[-−+]2\.50?\b/);
  expect(text).toContain('MRI scans without a recorded post-scan check');
});

test('reservoir report prints a patient summary with its charts to PDF from the command line', async () => {
  await t.start();
  await seedFixture(t.shell);
  const out = path.join(t.data.dir, 'baker.pdf');
  const r = spawnSync(process.execPath, [path.join(root, 'bin/reservoir.mjs'), 'report', 'patient-summary', '--db', t.data.db, '--patient', '2', '--format', 'pdf', '--out', out], {
    cwd: root,
    encoding: 'utf8',
    env: keysEnv(t.data.db),
    timeout: 90_000,
  });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(r.stdout).toContain(`Wrote ${out}: Patient summary (pdf), 1 patient`);
  const pages = pdfPages(out);
  const text = pdfText(out);
  expect(text).toContain('Patient summary: whole history');
  expect(text).toContain(`Page ${pages} of ${pages}`);
  expect(text).toContain('Reservoir level');
  expect(text).toContain('Residual'); // the refill's note (wrapped in its cell: narrower since the recorded_by and double_check columns)
  expect(text).toContain('Independent double check: 2 entries are UNVERIFIED (awaiting a second clinician)');
  expect(text).toContain('Recorded by');
  expect(text).toContain('interrogated');
});

test('a running export shows its progress and can be cancelled', async ({ page }) => {
  await openReports(page);
  await choose(page, 'Activity', '2026-01-01', '2026-01-31');
  await page.getByRole('combobox', { name: 'Format' }).selectOption({ label: 'PDF' });
  await page.getByRole('button', { name: 'Export' }).click();
  // Printing a PDF takes Chromium a few seconds: the job is running meanwhile.
  await expect(page.getByRole('progressbar', { name: 'Export progress' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Export' })).toBeDisabled();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByText('Export cancelled; nothing was written.')).toBeVisible();
  await expect(page.getByRole('progressbar')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Export' })).toBeEnabled();
});
