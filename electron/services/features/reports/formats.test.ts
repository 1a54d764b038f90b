import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ReportSection } from '../../../../shared/contract/reports';
import { cellText } from '../../../../shared/contract/reports';
import { sectionCsv } from './formats';
import { sheetName } from './xlsx';

const section: ReportSection = {
  key: 'x',
  title: 'X',
  columns: [
    { key: 'note', label: 'Note', type: 'text' },
    { key: 'dose', label: 'Dose', type: 'mass', per: 'day' },
    { key: 'volume_ml', label: 'Volume (mL)', type: 'volume' },
    { key: 'diff_ml', label: 'Diff (mL)', type: 'volume' },
    { key: 'flag', label: 'Flag', type: 'flag' },
  ],
  rows: [
    ['=HYPERLINK("http://x")', { ng: 250_000, unit: 'mg' }, 1, -1200, true],
    ['-stable, "fine"', { ng: 7_500, unit: 'mcg' }, 20_000, null, null],
  ],
  totalRows: 2,
  empty: '',
};

describe('CSV cells', () => {
  it('writes masses as number and unit, volumes in mL with 3 decimals, and defuses formula-like text', () => {
    expect(sectionCsv(section)).toBe(
      [
        'note,dose,dose_unit,volume_ml,diff_ml,flag',
        `"'=HYPERLINK(""http://x"")",0.25,mg/day,0.001,-1.200,yes`,
        `"'-stable, ""fine""",7.5,mcg/day,20.000,,`,
        '',
      ].join('\r\n'),
    );
  });

  it('no text cell begins with = + - @, tab or CR as a spreadsheet reads it, whatever the text', () => {
    const text = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', "'", '"', ',', 'x') }));
    fc.assert(
      fc.property(text, (note) => {
        const csv = sectionCsv({ ...section, columns: [section.columns[0]!], rows: [[note]], totalRows: 1 });
        const rows = parse(csv, { relax_column_count: true }) as string[][];
        expect(rows).toHaveLength(2);
        expect(rows[1]![0]).not.toMatch(/^[=+\-@\t\r]/);
      }),
      { numRuns: 1000 },
    );
  });

  it('shows the same cells to people with their units', () => {
    const [note, dose, volume, diff, flag] = section.columns;
    expect(cellText({ ng: 250_000, unit: 'mg' }, dose!)).toBe('0.25 mg/day');
    expect(cellText(1, volume!)).toBe('0.001');
    expect(cellText(-1200, diff!)).toBe('-1.200');
    expect(cellText(true, flag!)).toBe('yes');
    expect(cellText(null, note!)).toBe('');
  });
});

describe('XLSX sheet names', () => {
  it('cuts to 31 characters, drops []:*?/\\ and keeps names unique', () => {
    const used = new Set<string>();
    expect(sheetName('Drug used per concentration (pharmacy)', used)).toBe('Drug used per concentration (ph');
    expect(sheetName('Drug used per concentration (pharmacy)', used)).toBe('Drug used per concentration ( 2'); // 29 + ' 2'
    expect(sheetName('A/B: [c]?', used)).toBe('A B   c');
  });
});
