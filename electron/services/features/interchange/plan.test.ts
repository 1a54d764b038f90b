import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { refillEntryInput } from '../../../../shared/contract/record';
import { Checker } from './plan';
import type { CsvRow } from './read';
import { workspace, type TestDb } from './test-support';

let ws: ReturnType<typeof workspace>;
let db: TestDb;
beforeEach(() => {
  ws = workspace();
  db = ws.db();
});
afterEach(() => ws.cleanup());

/** A cell: mostly a good value, sometimes a mistake people make. */
const cellOf = (good: string[], bad: string[]) => fc.oneof({ arbitrary: fc.constantFrom(...good), weight: 6 }, { arbitrary: fc.constantFrom(...bad), weight: 1 });
const cell = {
  date: cellOf(['2024-02-29', '2025-03-01'], ['2023-02-29', '2025-13-01', '1.3.2025', '']),
  volume: cellOf(['0', '20', '1.5', '18.125'], ['', '40.001', '-1', '1.2345', '101', 'abc', '12,5']),
  drug: cellOf(['Morphine', 'morphine', 'Baclofen'], ['', 'M'.repeat(61), '  ']),
  amount: cellOf(['0', '10', '0.5', '2.125'], ['', '-1', '1.0001', 'abc', '1e3']),
  unit: cellOf(['mg', 'mcg'], ['', 'g', 'MG']),
};

const drugCells = fc.record({ drug: cell.drug, concentration: cell.amount, concentration_unit: cell.unit, daily_dose: cell.amount, dose_unit: cell.unit });

/** A visit: 1 to 6 drug rows repeating the visit's date and volumes. */
const visit = fc
  .record({ date: cell.date, withdrawn_ml: cell.volume, added_ml: cell.volume, drugs: fc.array(drugCells, { minLength: 1, maxLength: 6 }) })
  .map(({ drugs, ...fields }) => drugs.map((d) => ({ ...fields, serial: 'SN-1', ...d })));

describe('parsing refill visits', () => {
  it('relies on refillEntryInput checking each field on its own: it has no check across fields', () => {
    // parseVisit parses each field's values with the field's own schema; a refine or superRefine on
    // the whole object would be skipped. Add one, and parseVisit must parse such visits whole.
    expect(refillEntryInput._zod.def.checks ?? []).toEqual([]);
    expect(refillEntryInput._zod.def.catchall?._zod.def.type).toBe('never'); // strict: parseVisit makes only its fields
  });

  it('answers, for every visit, what parsing the whole visit with refillEntryInput answers, issues included', () => {
    fc.assert(
      fc.property(fc.array(visit, { minLength: 1, maxLength: 8 }), (visits) => {
        // One checker each for the whole run, so that drug rows parsed earlier are reused.
        const split = new Checker(db.ctx);
        const whole = new Checker(db.ctx);
        let line = 2;
        for (const cells of visits) {
          const rows: CsvRow[] = cells.map((values) => ({ line: line++, values, broken: false }));
          expect(split.parseVisit(7, rows)).toEqual(whole.parseVisitWhole(7, rows));
        }
        expect(split.issues.sorted()).toEqual(whole.issues.sorted());
      }),
      { numRuns: 300 },
    );
  });

  it('parses a good visit into the contract input, drugs in row order', () => {
    const rows: CsvRow[] = [
      { line: 2, values: { serial: 'SN-1', date: '2025-03-01', withdrawn_ml: '2.5', added_ml: '18', drug: 'Morphine', concentration: '10', concentration_unit: 'mg', daily_dose: '2.125', dose_unit: 'mg' }, broken: false },
      { line: 3, values: { serial: 'SN-1', date: '2025-03-01', withdrawn_ml: '2.5', added_ml: '18', drug: 'Clonidine', concentration: '50', concentration_unit: 'mcg', daily_dose: '75', dose_unit: 'mcg' }, broken: false },
    ];
    const c = new Checker(db.ctx);
    expect(c.parseVisit(7, rows)).toEqual({
      pumpId: 7,
      date: '2025-03-01',
      withdrawnMl: 2.5,
      addedMl: 18,
      mode: 'simple_continuous',
      reservoirPortConfirmed: true,
      drugs: [
        { drug: 'Morphine', concentration: { value: 10, unit: 'mg' }, dailyDose: { value: 2.125, unit: 'mg' } },
        { drug: 'Clonidine', concentration: { value: 50, unit: 'mcg' }, dailyDose: { value: 75, unit: 'mcg' } },
      ],
    });
    expect(c.issues.size).toBe(0);
  });

  it('reports a bad drug row at its line and column even when the same cells parsed before in another visit', () => {
    const row = (line: number, concentration: string) => ({
      line,
      values: { serial: 'SN-1', date: `2025-03-0${line}`, withdrawn_ml: '2', added_ml: '18', drug: 'Morphine', concentration, concentration_unit: 'mg', daily_dose: '2', dose_unit: 'mg' },
      broken: false,
    });
    const c = new Checker(db.ctx);
    expect(c.parseVisit(7, [row(2, '-1')])).toBeNull();
    expect(c.parseVisit(7, [row(3, '-1')])).toBeNull();
    expect(c.parseVisit(7, [row(4, '10')])).not.toBeNull();
    expect(c.issues.sorted()).toEqual([
      { file: 'refills.csv', line: 2, column: 'concentration', message: 'cannot be negative (got "-1")' },
      { file: 'refills.csv', line: 3, column: 'concentration', message: 'cannot be negative (got "-1")' },
    ]);
  });
});
