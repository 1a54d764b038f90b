import { describe, expect, it } from 'vitest';
import type { DoseChange, Refill } from '../contract/record';
import { dailyVolumeUl } from './flow';
import { pumpTimeline } from './timeline';

const refill = (date: string, doseMcg: number): Pick<Refill, 'date' | 'drugs' | 'mode' | 'extraVolumeUlPerDay'> => ({
  date,
  mode: 'simple_continuous',
  extraVolumeUlPerDay: 0,
  drugs: [{ drugId: 1, drug: 'Baclofen', unit: 'mcg', concentrationNgPerMl: 2_000_000, dailyDoseNgPerDay: doseMcg * 1000, lot: null, expiryDate: null }],
});
const change = (date: string, doseMcg: number): Pick<DoseChange, 'date' | 'drug' | 'dailyDoseNgPerDay'> => ({ date, drug: 'Baclofen', dailyDoseNgPerDay: doseMcg * 1000 });

describe('pumpTimeline', () => {
  it('orders refills and dose changes by date, the refill first on a shared date', () => {
    // Refill at 500 mcg/day (250 µL/day); a change to 600 mcg/day (300 µL/day) on the next refill's
    // date applies on top of that refill's 400 mcg/day prescription.
    const r = pumpTimeline([refill('2026-03-02', 400), refill('2026-01-05', 500)], [change('2026-03-02', 600), change('2026-02-01', 450)]);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.map((s) => [s.date, s.source, dailyVolumeUl(s.rate)])).toEqual([
      ['2026-01-05', 'refill', 250], // 500 / 2000 mL
      ['2026-02-01', 'dose_change', 225], // 450 / 2000
      ['2026-03-02', 'refill', 200], // 400 / 2000
      ['2026-03-02', 'dose_change', 300], // 600 / 2000
    ]);
  });

  it('refuses a dose change before any fill', () => {
    const r = pumpTimeline([refill('2026-03-02', 400)], [change('2026-02-01', 450)]);
    expect(r).toMatchObject({ ok: false, error: { code: 'refused', field: 'date' } });
  });
});
