import { describe, expect, it } from 'vitest';
import type { PumpHistory } from '../../../../../shared/contract/record';
import type { CalendarDate } from '../../../../../shared/domain/calendar';
import { doseLines, pumpSeries } from './series';

describe('the dose chart after an admixture dose change (issue 17, item 2)', () => {
  it('a stored change of morphine alone steps bupivacaine too: both 8 → 10 mg/day on its date', () => {
    // Morphine 10 mg/mL + bupivacaine 10 mg/mL at 8 mg/day each (0.8 mL/day); morphine to 10 mg/day on
    // 2026-01-06 → 1.0 mL/day, bupivacaine 1.0 × 10 = 10 mg/day (derived from the rate: the row names morphine only).
    const history = {
      pump: { id: 1, serial: 'SM-1', implantDate: '2026-01-01', reservoirUl: 20000, alarmUl: 2000, status: 'active' },
      refills: [
        {
          id: 1,
          date: '2026-01-01',
          addedUl: 20000,
          withdrawnUl: null,
          mode: 'simple_continuous',
          extraVolumeUlPerDay: 0,
          drugs: [
            { drugId: 1, drug: 'Morphine', unit: 'mg', concentrationNgPerMl: 10_000_000, dailyDoseNgPerDay: 8_000_000, lot: null, expiryDate: null },
            { drugId: 2, drug: 'Bupivacaine', unit: 'mg', concentrationNgPerMl: 10_000_000, dailyDoseNgPerDay: 8_000_000, lot: null, expiryDate: null },
          ],
        },
      ],
      doseChanges: [{ id: 1, date: '2026-01-06', drugId: 1, drug: 'Morphine', unit: 'mg', dailyDoseNgPerDay: 10_000_000 }],
      removal: null,
      reversals: [],
      restarts: [],
    } as unknown as PumpHistory;
    const series = pumpSeries(history, '2026-01-10' as CalendarDate, { smallUl: 1000, largeUl: 2000, smallReservoirMaxUl: 20000 });
    const { lines } = doseLines([series]);
    const byDrug = Object.fromEntries(lines.map((l) => [l.drug, l.points.map((p) => [p.date, p.value])]));
    expect(byDrug.Morphine).toEqual([
      ['2026-01-01', 8],
      ['2026-01-06', 10],
      ['2026-01-10', 10],
    ]);
    expect(byDrug.Bupivacaine).toEqual(byDrug.Morphine);
  });
});
