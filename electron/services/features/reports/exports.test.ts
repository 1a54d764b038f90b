import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ExportJobStatus, ExportSaveResult, ReportData } from '../../../../shared/contract/reports';
import { useTestServices } from '../../testing/services';
import { buildFixture, type Fixture } from './fixture';

const t = useTestServices(Date.UTC(2026, 2, 1, 12));
let f: Fixture;
beforeEach(async () => {
  f = await buildFixture(t);
});

const JANUARY = { report: 'activity', from: '2026-01-01', to: '2026-01-31' };

/** Starts an export, waits for it in the worker, and answers its status. */
async function exportDone(input: Record<string, unknown>): Promise<ExportJobStatus> {
  const started = await t.must<ExportJobStatus>('reports.export.start', input);
  expect(started.state).toBe('running');
  const status = await t.raw.reports!.settle(started.jobId);
  expect(status?.error ?? null).toBeNull();
  expect(status?.state).toBe('done');
  return status!;
}

/** Saves it as the browser shell does (a one-time download) and answers the bytes. */
async function download(job: ExportJobStatus): Promise<Buffer> {
  const saved = await t.must<ExportSaveResult>('reports.export.save', { jobId: job.jobId });
  if (saved.kind !== 'download') throw new Error('expected a download');
  const [, , id, key] = saved.url.split('/');
  const file = t.raw.reports!.takeDownload(id!, key!);
  expect(file).not.toBeNull();
  expect(t.raw.reports!.takeDownload(id!, key!)).toBeNull(); // once only
  return file!.data;
}

describe('CSV export', () => {
  it('writes the pharmacy table as RFC 4180 CSV that parses back, units in their own column', async () => {
    const job = await exportDone({ params: JANUARY, format: 'csv' });
    expect(job.fileName).toBe('reservoir-activity-2026-01-01-to-2026-01-31.csv');
    expect(job.patientCount).toBe(4);
    const text = (await download(job)).toString('utf8');
    expect(text.charCodeAt(0)).not.toBe(0xfeff);
    expect(text).toContain('\r\n');
    expect(parse(text)).toEqual([
      ['drug', 'concentration', 'concentration_unit', 'visits', 'volume_added_ml', 'amount_added', 'amount_added_unit'],
      ['Baclofen', '2000', 'mcg/mL', '2', '40.000', '80000', 'mcg'],
      ['Clonidine', '37.5', 'mcg/mL', '1', '18.000', '675', 'mcg'],
      ['Morphine', '25', 'mg/mL', '1', '18.000', '450', 'mg'],
    ]);
  });

  it('writes the section asked for, with a BOM for Excel, quoting notes with commas', async () => {
    const job = await exportDone({ params: { report: 'safety', from: '2026-01-01', to: '2026-01-31' }, format: 'csv', section: 'discrepancies', bom: true });
    expect(job.fileName).toBe('reservoir-safety-2026-01-01-to-2026-01-31.csv'); // the report's first section: no suffix
    const bytes = await download(job);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(bytes.toString('utf8'), { bom: true }) as string[][];
    expect(rows[1]).toEqual(['2026-01-15', 'Baker, Bob', 'B2', 'PRO2002', '7.500', '5.000', '2.500', '50.0', 'Nurse Kim', 'Test clinician (Clinician)', 'UNVERIFIED: awaiting independent double check', 'Residual larger than expected; pump interrogated']);
    expect(bytes.toString('utf8')).toContain('"Baker, Bob"');
  });

  it('refuses a section the report does not have', async () => {
    expect(await t.refused('reports.export.start', { params: JANUARY, format: 'csv', section: 'pocket-fills' })).toMatchObject({ code: 'invalid_input', field: 'section' });
  });

  it("writes the patient summary's whole history by default: one long table with a section column (issue 16, item 5)", async () => {
    // Able: two refill visits, a dose change, an infection and an MRI; a note that starts like a formula.
    await t.must('events.record', { patientId: f.able, date: '2026-02-10', kind: 'note', note: '=HYPERLINK("http://x.example","click")' });
    const job = await exportDone({ params: { report: 'patient-summary', patientId: f.able }, format: 'csv' });
    expect(job.fileName).toBe(`reservoir-patient-summary-patient-${f.able}-current.csv`);
    const rows = parse((await download(job)).toString('utf8'), { columns: true }) as Record<string, string>[];
    const of = (section: string) => rows.filter((r) => r.section === section);
    expect(new Set(rows.map((r) => r.section))).toEqual(new Set(['patient', 'pumps', 'refills', 'dose-changes', 'events']));
    expect(of('patient').find((r) => r.field === 'MRN')?.value).toBe('A1');
    // Newest first: the refill of 2026-01-20 (withdrawn 7.5 mL, as expected), then the first fill.
    expect(of('refills').map((r) => [r.date, r.serial, r.withdrawn_ml, r.expected_ml, r.discrepancy_ml, r.added_ml])).toEqual([
      ['2026-01-20', 'NGP1001', '7.500', '7.500', '0.000', '20.000'],
      ['2025-12-01', 'NGP1001', '', '', '', '20.000'],
    ]);
    expect(of('dose-changes').map((r) => [r.date, r.drug, r.daily_dose, r.daily_dose_unit])).toEqual([['2026-02-01', 'Baclofen', '600', 'mcg/day']]);
    expect(of('events').map((r) => [r.date, r.kind])).toEqual([
      ['2025-12-01', 'implant'],
      ['2026-01-05', 'adverse event'],
      ['2026-01-08', 'mri'],
      ['2026-02-10', 'note'],
    ]);
    expect(of('events').find((r) => r.kind === 'adverse event')?.details).toBe('infection, mild, resolved');
    // A formula in free text is defused, as in every other export.
    expect(of('events').find((r) => r.kind === 'note')?.note).toBe('\'=HYPERLINK("http://x.example","click")');
    // A refill row fills only its own columns.
    expect(of('refills')[0]!.kind).toBe('');
  });

  it("carries removals and therapy reversals in the patient summary's CSV; one table still on request", async () => {
    const clark = parse((await download(await exportDone({ params: { report: 'patient-summary', patientId: f.clark }, format: 'csv' }))).toString('utf8'), { columns: true }) as Record<string, string>[];
    expect(clark.find((r) => r.section === 'events' && r.kind === 'removal')?.details).toMatch(/^NGP3003: .*catheter left in place$/);
    const dunn = parse((await download(await exportDone({ params: { report: 'patient-summary', patientId: f.dunn }, format: 'csv' }))).toString('utf8'), { columns: true }) as Record<string, string>[];
    expect(dunn.find((r) => r.section === 'events' && r.kind === 'therapy reversal')?.date).toBe('2026-01-28');
    const only = await exportDone({ params: { report: 'patient-summary', patientId: f.able }, format: 'csv', section: 'patient' });
    expect(only.fileName).toBe(`reservoir-patient-summary-patient-${f.able}-patient-current.csv`);
    expect(parse((await download(only)).toString('utf8'))[0]).toEqual(['field', 'value']);
    // Any report offers all its tables in one file.
    const all = parse((await download(await exportDone({ params: JANUARY, format: 'csv', section: 'all' }))).toString('utf8')) as string[][];
    expect(all[0]![0]).toBe('section');
    expect(new Set(all.slice(1).map((r) => r[0]))).toContain('drug-usage');
  });

  it('writes only the header row for an empty period', async () => {
    const job = await exportDone({ params: { report: 'activity', from: '2024-01-01', to: '2024-01-31' }, format: 'csv' });
    expect(parse((await download(job)).toString('utf8'))).toEqual([['drug', 'concentration', 'concentration_unit', 'visits', 'volume_added_ml', 'amount_added', 'amount_added_unit']]);
  });
});

describe('XLSX export', () => {
  it('has one sheet a section with typed cells, real dates and a frozen header row', async () => {
    const job = await exportDone({ params: JANUARY, format: 'xlsx' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await download(job)) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      'Drug used per concentration (ph',
      'Summary',
      'Refill visits',
      'Implants and replacements',
      'Removals',
      'Therapy reversals',
      'Therapy restarts',
      'About',
    ]);
    const usage = wb.worksheets[0]!;
    expect(usage.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(usage.getRow(1).values).toEqual([undefined, 'Drug', 'Concentration', 'Concentration: unit', 'Refill visits', 'Volume added (mL)', 'Amount added', 'Amount added: unit']);
    expect(usage.getRow(2).values).toEqual([undefined, 'Baclofen', 2000, 'mcg/mL', 2, 40, 80000, 'mcg']);
    expect(usage.getRow(4).values).toEqual([undefined, 'Morphine', 25, 'mg/mL', 1, 18, 450, 'mg']);
    const visits = wb.getWorksheet('Refill visits')!;
    const date = visits.getCell('A2').value;
    expect(date).toBeInstanceOf(Date);
    expect((date as Date).toISOString()).toBe('2026-01-15T00:00:00.000Z');
    expect(visits.getCell('A2').numFmt).toBe('yyyy-mm-dd');
    expect(visits.getCell('F2').value).toBe(7.5); // withdrawn, mL
    expect(visits.getCell('I2').value).toBe(true); // flagged
    const about = wb.getWorksheet('About')!;
    expect(about.getCell('B2').value).toBe('Reservoir clinic');
    expect(about.getCell('B4').value).toBe('2026-01-01 to 2026-01-31');
  });
});

describe('JSON export', () => {
  it('writes the whole report with units kept next to every amount', async () => {
    const job = await exportDone({ params: JANUARY, format: 'json' });
    const json = JSON.parse((await download(job)).toString('utf8'));
    expect(json.generated_at).toBe('2026-03-01T12:00:00.000Z');
    expect(json.sections[0].rows[2]).toEqual({
      drug: 'Morphine',
      concentration: { value: 25, unit: 'mg/mL' },
      visits: 1,
      volume_added_ml: 18,
      amount_added: { value: 450, unit: 'mg' },
    });
  });
});

describe('export jobs', () => {
  it('records every export handed out in the audit trail: who, report, period, patients', async () => {
    const job = await exportDone({ params: JANUARY, format: 'json' });
    await download(job);
    const entries = await t.must<{ action: string; entity: string; entityId: string; actor?: string; username?: string; detail: Record<string, unknown> }[]>('audit.list', { action: 'export' });
    const entry = entries.find((e) => e.entity === 'report');
    expect(entry).toMatchObject({ entityId: 'activity', detail: { report: 'activity', format: 'json', from: '2026-01-01', to: '2026-01-31', patients: 4 } });
    expect(entry).toMatchObject({ username: 'administrator' });
  });

  it('records the period the export covered, defaults filled in', async () => {
    // Only `to`: the safety report covers that month.
    await download(await exportDone({ params: { report: 'safety', to: '2026-01-31' }, format: 'csv' }));
    const entries = await t.must<{ entity: string; detail: Record<string, unknown> }[]>('audit.list', { action: 'export' });
    expect(entries.find((e) => e.entity === 'report')?.detail).toMatchObject({ report: 'safety', from: '2026-01-01', to: '2026-01-31', patients: 2 });
  });

  it('cancelling a running export stops it and leaves no file', async () => {
    const started = await t.must<ExportJobStatus>('reports.export.start', { params: JANUARY, format: 'xlsx' });
    const cancelled = await t.must<ExportJobStatus>('reports.export.cancel', { jobId: started.jobId });
    expect(cancelled.state).toBe('cancelled');
    await new Promise((r) => setTimeout(r, 300));
    const dir = (t.raw.reports as unknown as { dir: string }).dir;
    expect(fs.readdirSync(dir)).toEqual([]);
    expect(await t.refused('reports.export.save', { jobId: started.jobId })).toMatchObject({ code: 'conflict' });
  });

  it('cancelling while the PDF prints discards it: no file when the printer finishes', async () => {
    let finish: (b: Buffer) => void = () => {};
    let asked: ReportData | null = null;
    t.raw.reports!.configure({
      pdf: (d) => {
        asked = d;
        return new Promise<Buffer>((resolve) => (finish = resolve));
      },
    });
    const started = await t.must<ExportJobStatus>('reports.export.start', { params: JANUARY, format: 'pdf' });
    await vi.waitFor(() => expect(asked).not.toBeNull(), { timeout: 20_000 });
    expect(asked!.sections[0]!.rows).toHaveLength(3); // the printer got the whole report's data
    expect((await t.must<ExportJobStatus>('reports.export.status', { jobId: started.jobId })).progress).toBe(0.5);
    expect((await t.must<ExportJobStatus>('reports.export.cancel', { jobId: started.jobId })).state).toBe('cancelled');
    finish(Buffer.from('%PDF-1.4 late'));
    await new Promise((r) => setTimeout(r, 50));
    expect(fs.readdirSync((t.raw.reports as unknown as { dir: string }).dir)).toEqual([]);
    expect((await t.must<ExportJobStatus>('reports.export.status', { jobId: started.jobId })).state).toBe('cancelled');
  });

  it('refuses an unknown job and PDF where no printer is configured', async () => {
    expect(await t.refused('reports.export.status', { jobId: '0'.repeat(32) })).toMatchObject({ code: 'not_found', field: 'jobId' });
    expect(await t.refused('reports.export.status', { jobId: '../etc' })).toMatchObject({ code: 'invalid_input', field: 'jobId' });
    expect(await t.refused('reports.export.start', { params: JANUARY, format: 'pdf' })).toMatchObject({ code: 'refused', field: 'format' });
  });

  it('exports the FHIR bundle of a patient', async () => {
    const job = await exportDone({ params: { report: 'patient-summary', patientId: 1 }, format: 'fhir' });
    const bundle = JSON.parse((await download(job)).toString('utf8'));
    expect(bundle.resourceType).toBe('Bundle');
    expect(bundle.entry.filter((e: { resource: { resourceType: string } }) => e.resource.resourceType === 'Patient')).toHaveLength(1);
    expect(job.patientCount).toBe(1);
  });
});

describe('temporary export files', () => {
  it('a folder of unsaved exports left by a crash a day ago is deleted at the next start; a recent one is kept', async () => {
    const { sweepStaleExports } = await import('./files');
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sweep-test-'));
    try {
      fs.mkdirSync(path.join(tmp, 'reservoir-exports-old'));
      fs.writeFileSync(path.join(tmp, 'reservoir-exports-old', 'x.csv'), 'mrn\n');
      fs.mkdirSync(path.join(tmp, 'reservoir-exports-new'));
      fs.mkdirSync(path.join(tmp, 'someone-else-old'));
      const now = Date.now();
      const twoDaysAgo = new Date(now - 2 * 24 * 3600 * 1000);
      fs.utimesSync(path.join(tmp, 'reservoir-exports-old'), twoDaysAgo, twoDaysAgo);
      fs.utimesSync(path.join(tmp, 'someone-else-old'), twoDaysAgo, twoDaysAgo);
      expect(sweepStaleExports(tmp, now)).toEqual(['reservoir-exports-old']);
      expect(fs.readdirSync(tmp).sort()).toEqual(['reservoir-exports-new', 'someone-else-old']);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
