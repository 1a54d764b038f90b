import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReportData } from '../../../../shared/contract/reports';
import { writeReportXlsx } from './xlsx';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'reservoir-xlsx-'));
  dirs.push(d);
  return d;
}

/** A report of `rows` refill visits: date, volume in µL, flag. */
function report(rows: number): ReportData {
  return {
    report: 'activity',
    title: 'Activity',
    clinicName: 'Test clinic',
    period: { from: '2026-01-01', to: '2026-01-31' },
    periodLabel: '2026-01-01 to 2026-01-31',
    filters: [],
    generatedAtMs: Date.UTC(2026, 1, 1, 12),
    timeZone: 'Europe/London',
    patientCount: rows,
    patientRecord: null,
    sections: [
      {
        key: 'visits',
        title: 'Refill visits',
        columns: [
          { key: 'date', label: 'Date', type: 'date' },
          { key: 'added_ml', label: 'Added (mL)', type: 'volume' },
          { key: 'flagged', label: 'Flagged', type: 'flag' },
        ],
        rows: Array.from({ length: rows }, (_, i) => [`2026-01-${String((i % 28) + 1).padStart(2, '0')}`, 20_000 + i, i % 7 === 0]),
        totalRows: rows,
        empty: 'No refill visits in this period.',
      },
      { key: 'none', title: 'Removals', columns: [{ key: 'date', label: 'Date', type: 'date' }], rows: [], totalRows: 0, empty: 'No removals in this period.' },
    ],
  };
}

describe('XLSX written as a stream', () => {
  it('writes every row, typed, with a bold frozen header, and answers the file size', async () => {
    const file = path.join(tempDir(), 'r.xlsx');
    let rowsSeen = 0;
    const bytes = await writeReportXlsx(report(5_000), file, () => rowsSeen++);
    expect(rowsSeen).toBe(5_000);
    expect(bytes).toBe(fs.statSync(file).size);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Refill visits', 'Removals', 'About']);
    const visits = wb.getWorksheet('Refill visits')!;
    expect(visits.rowCount).toBe(5_001);
    expect(visits.getRow(1).font?.bold).toBe(true);
    expect(visits.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect((visits.getCell('A2').value as Date).toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(visits.getCell('B5001').value).toBe(24.999); // 20,000 + 4,999 µL
    expect(visits.getCell('B5001').numFmt).toBe('0.000');
    expect(visits.getCell('C2').value).toBe(true);
    expect(wb.getWorksheet('Removals')!.getCell('A2').value).toBe('No removals in this period.');
    expect(wb.getWorksheet('About')!.getCell('B2').value).toBe('Test clinic');
  });

  it('fails, rather than waiting forever, when the file cannot be written', async () => {
    const file = path.join(tempDir(), 'no-such-folder', 'r.xlsx');
    await expect(writeReportXlsx(report(10), file)).rejects.toThrow(/ENOENT/);
  });
});
