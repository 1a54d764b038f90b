import { describe, expect, it } from 'vitest';
import type { DoseChange, Refill } from '../contract/record';
import { dailyVolumeUl } from './flow';
import type { CalendarDate } from './calendar';
import { expectedResidualUl } from './refill';
import { alarmDate, emptyDate, fillPeriod } from './reservoir';
import { pumpTimeline, toRateChanges } from './timeline';
import type { Microlitres } from './units';

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

  it('a refill and a dose change on one date: the refill first whatever the order given (hand-computed, issue 13 item 6)', () => {
    // Baclofen 2000 mcg/mL, 20 mL filled on 2026-01-05 at 500 mcg/day (0.25 mL/day); refilled with
    // 20 mL on day 60 (2026-03-06) and reprogrammed to 600 mcg/day (0.3 mL/day) the same day.
    const refills = [refill('2026-01-05', 500), refill('2026-03-06', 500)];
    const one = pumpTimeline(refills, [change('2026-03-06', 600)]);
    const other = pumpTimeline([...refills].reverse(), [change('2026-03-06', 600)]);
    if (!one.ok || !other.ok) throw new Error('timeline refused');
    expect(other.value).toEqual(one.value);
    const rates = toRateChanges(one.value);
    const first = fillPeriod('2026-01-05' as CalendarDate, 20000 as Microlitres, rates);
    const second = fillPeriod('2026-03-06' as CalendarDate, 20000 as Microlitres, rates);
    if (!first.ok || !second.ok) throw new Error('period refused');
    // Expected residual: 20 − 60 × 0.25 = 5.000 mL (days 0..59; the change counts from day 60).
    expect(expectedResidualUl(first.value, '2026-03-06' as CalendarDate)).toBe(5000);
    // From the refill at 0.3 mL/day: alarm + floor(18 / 0.3) = 60 days, empty + floor(20 / 0.3) = floor(66.67) = 66 days
    // (the day it runs dry: 0.2 mL that morning).
    expect(alarmDate(second.value, 2000 as Microlitres)).toBe('2026-05-05');
    expect(emptyDate(second.value)).toBe('2026-05-11');
  });
});
