/**
 * The safety report lists every soft-limit override of the drug library (issue 17, item 1): date,
 * patient, pump, entry, drugs and doses, the limit crossed with its value and source as it stood
 * when recorded, the reason typed and who recorded it; in the preview, the CSV export and the XLSX.
 * Seeded limits: morphine soft daily maximum 20 mg/day, hard 30 (source: 2 × PACC 2017 15 mg/day).
 */
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import type { ExportJobStatus, ExportSaveResult, ReportData } from '../../../../shared/contract/reports';
import type { DoseChange, Refill } from '../../../../shared/contract/record';
import { useTestServices } from '../../testing/services';
import { LIMITS_NOT_KEPT } from './overrides';

// The clinic's today: 2026-06-01.
const t = useTestServices(Date.UTC(2026, 5, 1, 12));
const { must, deviceId } = t;
const MORPHINE_SOURCE = '2 × the PACC 2017 recommended maximum of 15 mg/day; PACC 2017 figure UNCONFIRMED against the paper';

async function morphinePump(serial: string, family: string, dailyMg: number) {
  const patient = await must<{ id: number }>('patients.create', {
    mrn: `MRN-${serial}`, familyName: family, givenName: 'Ann', birthDate: '1960-02-03', sex: 'female', indications: ['cancer_pain'],
  });
  const pump = await must<{ id: number }>('pumps.implant', { patientId: patient.id, deviceModelId: await deviceId('SynchroMed II', 40000), serial, implantDate: '2026-05-01' });
  await must('refills.record', fill(pump.id, '2026-05-01', dailyMg, null));
  return pump.id;
}
const fill = (pumpId: number, date: string, dailyMg: number, withdrawnMl: number | null, extra: object = {}) => ({
  pumpId, date, withdrawnMl, addedMl: 40, mode: 'simple_continuous', reservoirPortConfirmed: true,
  drugs: [{ drug: 'Morphine', concentration: { value: 25, unit: 'mg' }, dailyDose: { value: dailyMg, unit: 'mg' } }],
  ...extra,
});
const preview = (params: object) => must<ReportData>('reports.preview', { params: { report: 'safety', from: '2026-05-01', to: '2026-05-31', ...params } });
const overrides = (d: ReportData) => d.sections.find((s) => s.key === 'soft-limit-overrides')!;

async function twoOverrides() {
  const a = await morphinePump('OV-A', 'Able', 16);
  // 16 → 25 mg/day: above the soft 20 mg/day.
  const change = await must<{ doseChange: DoseChange }>('doseChanges.record', {
    pumpId: a, date: '2026-05-20', drug: 'Morphine', dailyDose: { value: 25, unit: 'mg' }, clinician: 'Dr Hale', overrideReason: 'Pain crisis, palliative: agreed with Dr Hale.',
  });
  const b = await morphinePump('OV-B', 'Baker', 16);
  // A refill at 24 mg/day on 2026-05-10 (withdrawn 31.6 mL = 40 − 9 days × 0.64 mL/day: no discrepancy).
  const refill = await must<{ refill: Refill }>('refills.record', fill(b, '2026-05-10', 24, 34.24, { overrideReason: 'Tolerant; titration plan.' }));
  return { change: change.doseChange, refill: refill.refill };
}

describe('the safety report\'s soft-limit overrides', () => {
  it('lists each override in date order with the limit crossed, its value and source, the reason and who recorded it', async () => {
    await twoOverrides();
    const d = await preview({});
    const s = overrides(d);
    expect(s.title).toBe('Soft-limit overrides');
    expect(s.columns.map((c) => c.key)).toEqual(['date', 'patient', 'mrn', 'serial', 'entry', 'drugs', 'limit', 'source', 'reason', 'clinician', 'recorded_by']);
    expect(s.rows).toEqual([
      ['2026-05-10', 'Baker, Ann', 'MRN-OV-B', 'OV-B', 'Refill', 'Morphine 25 mg/mL, 24 mg/day', 'Morphine daily dose soft maximum 20 mg/day', `Morphine: ${MORPHINE_SOURCE}`, 'Tolerant; titration plan.', null, 'Test clinician (Clinician)'],
      ['2026-05-20', 'Able, Ann', 'MRN-OV-A', 'OV-A', 'Dose change', 'Morphine 25 mg/day', 'Morphine daily dose soft maximum 20 mg/day', `Morphine: ${MORPHINE_SOURCE}`, 'Pain crisis, palliative: agreed with Dr Hale.', 'Dr Hale', 'Test clinician (Clinician)'],
    ]);
    expect(d.sections.find((x) => x.key === 'summary')!.rows).toContainEqual(['Soft-limit overrides', 2]);
    expect(d.patientCount).toBe(2);
    // Entries within the limits are not listed: the first fills at 16 mg/day.
    expect(s.rows.map((r) => r[0])).not.toContain('2026-05-01');
  });

  it('follows the period and the clinician filter (the clinician written on the entry or who recorded it)', async () => {
    await twoOverrides();
    expect(overrides(await preview({ from: '2026-05-15', to: '2026-05-31' })).rows.map((r) => r[3])).toEqual(['OV-A']);
    expect(overrides(await preview({ clinician: 'dr hale' })).rows.map((r) => r[3])).toEqual(['OV-A']);
    expect(overrides(await preview({ clinician: 'Test clinician' })).rows).toHaveLength(2);
    const none = await preview({ clinician: 'Someone Else' });
    expect(overrides(none).rows).toEqual([]);
    expect(overrides(none).empty).toBe('No entry in this period was recorded beyond a soft limit.');
  });

  it('says so when an entry\'s limits were recorded before Reservoir kept them, and never edits them later', async () => {
    const { refill } = await twoOverrides();
    // The refill as a database from before migration 13 holds it: a reason, no limits kept.
    const db = new Database(t.databasePath);
    db.prepare('UPDATE refills SET override_limits_json = NULL WHERE id = ?').run(refill.id);
    db.close();
    const rows = overrides(await preview({})).rows;
    expect(rows.map((r) => [r[3], r[6], r[7], r[8]])).toEqual([
      ['OV-B', LIMITS_NOT_KEPT, null, 'Tolerant; titration plan.'],
      ['OV-A', 'Morphine daily dose soft maximum 20 mg/day', `Morphine: ${MORPHINE_SOURCE}`, 'Pain crisis, palliative: agreed with Dr Hale.'],
    ]);
  });

  it('is exported: the CSV of the section and a sheet of the XLSX', async () => {
    await twoOverrides();
    const exportDone = async (input: object): Promise<Buffer> => {
      const started = await must<ExportJobStatus>('reports.export.start', input);
      const status = await t.raw.reports!.settle(started.jobId);
      expect(status?.state).toBe('done');
      const saved = await must<ExportSaveResult>('reports.export.save', { jobId: started.jobId });
      if (saved.kind !== 'download') throw new Error('expected a download');
      const [, , id, key] = saved.url.split('/');
      return t.raw.reports!.takeDownload(id!, key!)!.data;
    };
    const params = { report: 'safety', from: '2026-05-01', to: '2026-05-31' };
    const csv = parse((await exportDone({ params, format: 'csv', section: 'soft-limit-overrides' })).toString('utf8')) as string[][];
    expect(csv[0]).toEqual(['date', 'patient', 'mrn', 'serial', 'entry', 'drugs', 'limit', 'source', 'reason', 'clinician', 'recorded_by']);
    expect(csv.slice(1).map((r) => [r[0], r[4], r[6], r[8]])).toEqual([
      ['2026-05-10', 'Refill', 'Morphine daily dose soft maximum 20 mg/day', 'Tolerant; titration plan.'],
      ['2026-05-20', 'Dose change', 'Morphine daily dose soft maximum 20 mg/day', 'Pain crisis, palliative: agreed with Dr Hale.'],
    ]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await exportDone({ params, format: 'xlsx' })) as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('Soft-limit overrides')!;
    expect(sheet.getRow(1).getCell(7).value).toBe('Soft limit exceeded');
    expect(sheet.getRow(3).getCell(9).value).toBe('Pain crisis, palliative: agreed with Dr Hale.');
  });
});
