import { afterEach, describe, expect, it } from 'vitest';
import type { ReportColumn } from '../../../../shared/contract/reports';
import { localeCellText, paperCellText, urgencyCellClass } from './ReportTable';
import { formatDate, setPrintLocale } from '../../format';

const col = (type: ReportColumn['type'], per: ReportColumn['per'] = null): ReportColumn => ({ key: 'k', label: 'K', type, per });

// The unit tests run without a browser language: en-US, as the end-to-end tests.
describe('report preview cells in the locale', () => {
  it('says a discrepancy in words, never signed (the files keep the number)', () => {
    expect(localeCellText(-1_100, col('discrepancy'))).toBe('1.10 mL less than expected');
    expect(localeCellText(2_500, col('discrepancy'))).toBe('2.50 mL more than expected');
    expect(localeCellText(0, col('discrepancy'))).toBe('as expected');
    expect(localeCellText(-22, col('discrepancy_percent'))).toBe('22.0 % less than expected');
    expect(localeCellText(1_234_560, col('discrepancy'))).toBe('1,234.56 mL more than expected');
  });

  it('shows dates, volumes, counts, percentages and masses as the rest of the console, units kept', () => {
    expect(localeCellText('2026-01-15', col('date'))).toBe('01/15/2026');
    expect(localeCellText(40_000, col('volume'))).toBe('40.000'); // µL → mL, 3 decimals
    expect(localeCellText(1_250_500, col('volume'))).toBe('1,250.500');
    expect(localeCellText(12_345, col('count'))).toBe('12,345');
    expect(localeCellText(12.25, col('percent'))).toBe('12.3');
    // 2,000,000 ng/mL in mcg/mL is 2000 → "2,000"; 37.5 mcg exactly; 7.5 mg/day.
    expect(localeCellText({ ng: 2_000_000, unit: 'mcg' }, col('mass', 'mL'))).toBe('2,000 mcg/mL');
    expect(localeCellText({ ng: 37_500, unit: 'mcg' }, col('mass'))).toBe('37.5 mcg');
    expect(localeCellText({ ng: 7_500_000, unit: 'mg' }, col('mass', 'day'))).toBe('7.5 mg/day');
    expect(localeCellText(true, col('flag'))).toBe('yes');
    expect(localeCellText(null, col('date'))).toBe('');
    expect(localeCellText('Morphine', col('text'))).toBe('Morphine');
  });
});

describe('the refill schedule\'s urgency cells', () => {
  it('carry a colour class by urgency; other columns and values none', () => {
    const urgency: ReportColumn = { key: 'urgency', label: 'Urgency', type: 'text', per: null };
    expect(urgencyCellClass('Empty (estimated)', urgency)).toBe('cell-urgency-empty');
    expect(urgencyCellClass('Alarming', urgency)).toBe('cell-urgency-alarm');
    expect(urgencyCellClass('Overdue', urgency)).toBe('cell-urgency-overdue');
    expect(urgencyCellClass('Due', urgency)).toBe('cell-urgency-due');
    expect(urgencyCellClass('Something else', urgency)).toBeUndefined();
    expect(urgencyCellClass('Alarming', col('text'))).toBeUndefined();
  });
});

describe('dates on paper (the PDF): every date through the one locale formatter', () => {
  afterEach(() => setPrintLocale(null));
  it('writes date cells and dates inside text in the locale the export carried, numbers as the report has them', () => {
    setPrintLocale('de-DE');
    expect(paperCellText('2026-01-15', col('date'))).toBe('15.01.2026');
    expect(paperCellText('2026-01-25: battery end of life', col('text'))).toBe('25.01.2026: battery end of life');
    expect(paperCellText(40_000, col('volume'))).toBe('40.000');
    setPrintLocale('en-US');
    expect(paperCellText('2026-01-15', col('date'))).toBe('01/15/2026');
    expect(formatDate('1971-11-02')).toBe('11/02/1971'); // the charts' axis and tooltips too
  });
  it('writes ISO dates when the export carried no locale (the command line) or an unknown one', () => {
    setPrintLocale(undefined);
    expect(paperCellText('2026-01-15', col('date'))).toBe('2026-01-15');
    setPrintLocale('xx-not-a-locale-!!');
    expect(paperCellText('2026-01-15', col('date'))).toBe('2026-01-15');
  });
});
