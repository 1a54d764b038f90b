import { describe, expect, it } from 'vitest';
import type { PumpHistory } from '../../../../../shared/contract/record';
import { toEpochDay, type CalendarDate } from '../../../../../shared/domain/calendar';
import { AHEAD_MAX_DAYS, AHEAD_MIN_DAYS, barWidthPx, chartEnd, doseLines, MAX_BAR_PX, pumpSeries, type PumpSeries } from './series';

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

describe('the time axis of the refill and dose charts', () => {
  const series = (status: 'active' | 'explanted', nextDueDate: string | null) =>
    ({ history: { pump: { status }, projection: nextDueDate === null ? null : { nextDueDate } } }) as unknown as PumpSeries;
  const today = '2026-12-07' as CalendarDate;
  const t = toEpochDay(today);
  it('runs past today to the running pump’s next refill due, at least 4 weeks, at most 6 months', () => {
    expect(chartEnd([series('active', '2027-02-01')], today)).toBe(toEpochDay('2027-02-01' as CalendarDate));
    expect(chartEnd([series('active', '2026-12-10')], today)).toBe(t + AHEAD_MIN_DAYS);
    expect(chartEnd([series('active', '2026-11-01')], today)).toBe(t + AHEAD_MIN_DAYS); // overdue: still past today
    expect(chartEnd([series('active', '2028-01-01')], today)).toBe(t + AHEAD_MAX_DAYS);
    expect(chartEnd([series('explanted', '2027-03-01'), series('active', null)], today)).toBe(t + AHEAD_MIN_DAYS);
  });
  it('gives a single visit the widest bar, closer visits narrower ones, and lines when bars would overlap', () => {
    expect(barWidthPx([20000], 2)).toBe(MAX_BAR_PX);
    expect(barWidthPx([], 2)).toBe(MAX_BAR_PX);
    expect(barWidthPx([20000, 20030], 0.2)).toBe(2); // 30 days × 0.2 px = 6 px apart → 2 px bars
    expect(barWidthPx([20000, 20030, 20060], 0.1)).toBeNull(); // 3 px apart: lines
    expect(barWidthPx([20000, 20000, 20060], 1)).toBe(MAX_BAR_PX); // two pumps' visits on one day do not count as 0 apart
  });
});
