import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildFixture } from '../services/features/reports/fixture';
import { tempDir } from '../services/testing/temp';
import { useTestServices } from '../services/testing/services';
import { mainAsync } from './main';

const NOW = Date.UTC(2026, 2, 1, 12);
const t = useTestServices(NOW);
let out: ReturnType<typeof tempDir>;
beforeEach(async () => {
  await buildFixture(t);
  out = tempDir('reservoir-report-cli-');
});
afterEach(() => out.cleanup());

async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await mainAsync(args, { out: (s) => void (stdout += s), err: (s) => void (stderr += s), now: () => NOW });
  return { code, out: stdout, err: stderr };
}

const JANUARY = ['--from', '2026-01-01', '--to', '2026-01-31'];

describe('reservoir report', () => {
  it('--help lists every report and its tables', async () => {
    const r = await run(['report', '--help']);
    expect(r.code).toBe(0);
    for (const name of ['refill-schedule', 'activity', 'safety', 'device-inventory', 'patient-summary']) expect(r.out).toContain(name);
    expect(r.out).toContain('drug-usage');
    expect((await run(['help', 'report'])).out).toContain('--format csv|xlsx|pdf|json|fhir');
  });

  it('writes the pharmacy CSV, the same as the app, and records the export in the audit trail', async () => {
    const file = path.join(out.dir, 'pharmacy.csv');
    const r = await run(['report', 'activity', '--db', t.databasePath, ...JANUARY, '--format', 'csv', '--out', file]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('4 patients');
    expect(parse(fs.readFileSync(file, 'utf8'))).toEqual([
      ['drug', 'concentration', 'concentration_unit', 'visits', 'volume_added_ml', 'amount_added', 'amount_added_unit'],
      ['Baclofen', '2000', 'mcg/mL', '2', '40.000', '80000', 'mcg'],
      ['Clonidine', '37.5', 'mcg/mL', '1', '18.000', '675', 'mcg'],
      ['Morphine', '25', 'mg/mL', '1', '18.000', '450', 'mg'],
    ]);
    const entries = await t.must<{ username: string; entity: string; detail: Record<string, unknown> }[]>('audit.list', { action: 'export' });
    const entry = entries.find((e) => e.entity === 'report');
    expect(entry?.detail).toMatchObject({ report: 'activity', format: 'csv', from: '2026-01-01', to: '2026-01-31', patients: 4 });
    expect(fs.readdirSync(out.dir)).toEqual(['pharmacy.csv']); // no partial file left beside it
  });

  it('writes the pharmacy preparation list as CSV (per visit, and the totals section)', async () => {
    const pumps = await t.must<{ pumps: { pump: { id: number; status: string } }[] }>('patients.get', { id: 1 });
    const pumpId = pumps.pumps.find((p) => p.pump.status === 'active')!.pump.id;
    await t.must('appointments.book', { pumpId, date: '2026-03-02', time: '09:00', room: 'Room 1', homeVisit: false });
    const file = path.join(out.dir, 'pharmacy-2026-03-02.csv');
    const r = await run(['report', 'pharmacy-preparation', '--db', t.databasePath, '--from', '2026-03-02', '--format', 'csv', '--out', file]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Pharmacy preparation (csv), 1 patient');
    expect(parse(fs.readFileSync(file, 'utf8'))).toEqual([
      ['date', 'time', 'patient', 'mrn', 'serial', 'drug', 'concentration', 'concentration_unit', 'volume_ml', 'place', 'clinician'],
      ['2026-03-02', '09:00', 'Able, Ann', 'A1', 'NGP1001', 'Baclofen', '2000', 'mcg/mL', '20.000', 'Room 1', ''],
    ]);
    const totals = path.join(out.dir, 'totals.csv');
    expect((await run(['report', 'pharmacy-preparation', '--db', t.databasePath, '--from', '2026-03-02', '--format', 'csv', '--section', 'totals', '--out', totals])).code).toBe(0);
    expect(parse(fs.readFileSync(totals, 'utf8'))).toEqual([
      ['drug', 'concentration', 'concentration_unit', 'visits', 'volume_ml', 'amount', 'amount_unit'],
      ['Baclofen', '2000', 'mcg/mL', '1', '20.000', '40000', 'mcg'],
    ]);
    const tooLong = await run(['report', 'pharmacy-preparation', '--db', t.databasePath, '--from', '2026-03-01', '--to', '2026-04-15', '--format', 'csv', '--out', file]);
    expect(tooLong.code).toBe(2);
    expect(tooLong.err).toContain('--to must be at most 31 days');
  });

  it('writes the safety workbook and a CSV section with a BOM', async () => {
    const xlsx = path.join(out.dir, 'safety.xlsx');
    expect((await run(['report', 'safety', '--db', t.databasePath, ...JANUARY, '--format', 'xlsx', '--out', xlsx])).code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsx);
    expect(wb.worksheets[0]!.name).toBe('Flagged residual discrepancies');
    expect(wb.worksheets[0]!.getCell('G2').value).toBe(2.5); // the signed number for machines, words only for people
    expect(wb.worksheets[0]!.getCell('G1').value).toBe('Discrepancy (mL, withdrawn − expected)');
    expect(wb.worksheets[0]!.getCell('H1').value).toBe('Discrepancy (% of expected)');
    const csv = path.join(out.dir, 'mri.csv');
    expect((await run(['report', 'safety', '--db', t.databasePath, ...JANUARY, '--format', 'csv', '--section', 'mri-unchecked', '--bom', '--out', csv])).code).toBe(0);
    const bytes = fs.readFileSync(csv);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(parse(bytes.toString('utf8'), { bom: true })[1]).toEqual(['2026-01-08', 'Able, Ann', 'A1', 'NGP1001', 'SynchroMed II', 'yes', '52', 'Test clinician (Clinician)', 'Lumbar MRI']);
  });

  it('writes the device inventory as JSON and a patient FHIR bundle', async () => {
    const json = path.join(out.dir, 'devices.json');
    expect((await run(['report', 'device-inventory', '--db', t.databasePath, '--to', '2026-03-01', '--months', '12', '--format', 'json', '--out', json])).code).toBe(0);
    const data = JSON.parse(fs.readFileSync(json, 'utf8'));
    expect(data.sections[1].rows).toEqual([
      { replacement_from: '2026-03-01', status: 'due now', patient: 'Evans, Eve', mrn: 'E5', model: 'Medtronic SynchroMed II', serial: 'NGP6006', implant_date: '2019-09-01', pump_status: 'running' },
    ]);
    const fhir = path.join(out.dir, 'patient.json');
    expect((await run(['report', 'patient-summary', '--db', t.databasePath, '--patient', '2', '--format', 'fhir', '--out', fhir])).code).toBe(0);
    expect(JSON.parse(fs.readFileSync(fhir, 'utf8')).resourceType).toBe('Bundle');
  });

  it('answers 2 for bad usage, naming the option, and writes nothing', async () => {
    const file = path.join(out.dir, 'x.csv');
    const base = ['--db', t.databasePath, '--format', 'csv', '--out', file];
    const cases: [string[], string][] = [
      [['report', ...base], 'name a report'],
      [['report', 'pharmacy', ...base], 'unknown report "pharmacy"'],
      [['report', 'activity', '--db', t.databasePath, '--format', 'docx', '--out', file], '--format must be one of csv, xlsx, pdf, json, fhir'],
      [['report', 'activity', ...base, '--from', '2026-02-30'], '--from must be a real date'],
      [['report', 'activity', ...base, '--from', '2026-02-01', '--to', '2026-01-01'], '--to must be on or after the start of the period'],
      [['report', 'patient-summary', ...base], '--patient is required'],
      [['report', 'device-inventory', ...base, '--months', 'twelve'], '--months must be a whole number'],
      [['report', 'safety', ...base, '--drug', 'Morphine'], '--drug is not used by the safety report'],
      [['report', 'activity', ...base, '--section', 'nope'], '--section must be one of'],
      [['report', 'safety', '--db', t.databasePath, '--format', 'fhir', '--out', file], '--format fhir is for the activity and patient-summary'],
      [['report', 'activity', '--db', t.databasePath, '--format', 'csv'], '--out is required'],
      [['report', 'activity', ...base, '--colour', 'red'], "Unknown option '--colour'"],
      [['report', 'activity', '--db', t.databasePath, '--format', 'csv', '--out', out.dir], '--out must name a file, not a folder'],
    ];
    for (const [args, message] of cases) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toContain(message);
    }
    expect(fs.readdirSync(out.dir)).toEqual([]);
  });

  it('answers 1 for a missing database, an unknown patient or a missing folder, and writes nothing', async () => {
    const file = path.join(out.dir, 'x.csv');
    const missing = await run(['report', 'activity', '--db', path.join(out.dir, 'none.db'), '--format', 'csv', '--out', file]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('no database at');
    const nobody = await run(['report', 'patient-summary', '--db', t.databasePath, '--patient', '999', '--format', 'csv', '--out', file]);
    expect(nobody.code).toBe(1);
    expect(nobody.err).toContain('There is no patient with id 999');
    const folder = await run(['report', 'activity', '--db', t.databasePath, '--format', 'csv', '--out', path.join(out.dir, 'no', 'x.csv')]);
    expect(folder.code).toBe(1);
    expect(fs.readdirSync(out.dir).filter((f) => f !== 'none.db')).toEqual([]);
  });
});
