import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Result } from '../contract/result';
import { calendarDate } from './calendar';
import { downsample, levelSeries, type LevelSeriesInput } from './chart';
import type { FlowRate } from './flow';
import type { Microlitres } from './units';

function must<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r.value;
}
const d = calendarDate;
const ul = (n: number) => n as Microlitres;
const rate = (num: number, den = 1): FlowRate => ({ num, den });

describe('levelSeries', () => {
  // Refill 2025-01-01 (20 mL) at 250 µL/day; dose change 2025-01-21 to 300 µL/day;
  // refill 2025-02-10 (withdrew 8.2 mL, added 20 mL), reprogrammed to 250 µL/day; today 2025-02-15.
  const input: LevelSeriesInput = {
    refills: [
      { date: d('2025-01-01'), withdrawnUl: null, addedUl: ul(20_000) },
      { date: d('2025-02-10'), withdrawnUl: ul(8_200), addedUl: ul(20_000) },
      { date: d('2025-03-01'), withdrawnUl: ul(1_000), addedUl: ul(20_000) }, // after today: ignored
    ],
    rates: [
      { from: d('2025-01-01'), rate: rate(250) },
      { from: d('2025-01-21'), rate: rate(300) },
      { from: d('2025-02-10'), rate: rate(250) },
    ],
    today: d('2025-02-15'),
    alarmUl: ul(2_000),
    reservoirUl: ul(20_000),
  };
  const s = must(levelSeries(input));

  it('one point per day, two on a refill day (expected residual, then volume added)', () => {
    // Jan 1 .. Feb 9 = 40 days (1 after_refill + 39 estimates); Feb 10: 2 points; Feb 11 .. Feb 15: 5
    expect(s.levels).toHaveLength(47);
    const at = (date: string) => s.levels.filter((p) => p.date === date).map((p) => [p.kind, p.levelUl]);
    expect(at('2025-01-01')).toEqual([['after_refill', 20_000]]);
    expect(at('2025-01-02')).toEqual([['estimate', 19_750]]);
    expect(at('2025-01-21')).toEqual([['estimate', 15_000]]); // 20000 − 20 × 250
    expect(at('2025-02-09')).toEqual([['estimate', 9_300]]); // 15000 − 19 × 300
    expect(at('2025-02-10')).toEqual([
      ['before_refill', 9_000], // 15000 − 20 × 300
      ['after_refill', 20_000],
    ]);
    expect(at('2025-02-15')).toEqual([['estimate', 18_750]]); // 20000 − 5 × 250
    expect(s.levels.map((p) => p.day)).toEqual([...s.levels.map((p) => p.day)].sort((a, b) => a - b));
  });

  it('the measured residual with its check', () => {
    expect(s.residuals).toEqual([
      {
        date: '2025-02-10',
        day: 20_129, // 2025-01-01 is epoch day 20089 (55 years × 365 + 14 leap days); + 40
        withdrawnUl: 8_200,
        expectedUl: 9_000,
        discrepancyUl: -800,
        discrepancyPercent: (-800 / 9000) * 100,
        thresholdUl: 1_000,
        flagged: false,
      },
    ]);
  });

  it('projection from today to the alarm and empty dates', () => {
    // from 2025-02-10: alarm + 72 = 2025-04-23 (Feb 10 + 18 → Feb 28, + 31 → Mar 31 (49), + 23 → Apr 23); empty + 80 = May 1
    expect(s.alarmDate).toBe('2025-04-23');
    expect(s.emptyDate).toBe('2025-05-01');
    expect(s.projection.map((p) => [p.date, p.marker, p.levelUl])).toEqual([
      ['2025-02-15', 'today', 18_750],
      ['2025-04-23', 'alarm', 2_000],
      ['2025-05-01', 'empty', 0],
    ]);
  });

  it('dose-change markers where the rate changed', () => {
    expect(s.doseChanges.map((m) => [m.date, m.dailyVolumeUl, m.levelUl])).toEqual([
      ['2025-01-21', 300, 15_000],
      ['2025-02-10', 250, 20_000],
    ]);
  });

  it('a restated rate that does not change the flow is not a marker', () => {
    const t = must(levelSeries({ ...input, rates: [...input.rates, { from: d('2025-01-10'), rate: rate(500, 2) }] })); // 500/2 = 250
    expect(t.doseChanges.map((m) => m.date)).toEqual(['2025-01-21', '2025-02-10']);
  });

  it('a scheduled dose change after today appears in the projection', () => {
    // from 2025-02-10 at 250: Feb 20 level 17500; then 500 µL/day: (17500 − 2000) / 500 = 31 → Mar 23; 17500 / 500 = 35 → Mar 27
    const t = must(levelSeries({ ...input, rates: [...input.rates, { from: d('2025-02-20'), rate: rate(500) }] }));
    expect(t.projection.map((p) => [p.date, p.marker, p.levelUl])).toEqual([
      ['2025-02-15', 'today', 18_750],
      ['2025-02-20', 'rate_change', 17_500],
      ['2025-03-23', 'alarm', 2_000],
      ['2025-03-27', 'empty', 0],
    ]);
  });

  it('empty before the first refill', () => {
    const t = must(levelSeries({ ...input, today: d('2024-12-31') }));
    expect(t).toEqual({ levels: [], residuals: [], projection: [], alarmDate: null, emptyDate: null, doseChanges: [] });
  });
});

describe('downsample', () => {
  const pts = (values: number[]) => values.map((levelUl, i) => ({ i, levelUl }));

  it('returns a copy when the series fits', () => {
    const p = pts([3, 1, 2]);
    const out = downsample(p, 3);
    expect(out).toEqual(p);
    expect(out).not.toBe(p);
  });

  it('keeps the sawtooth peaks and troughs', () => {
    // 4 refills of 10 days each: 1000 down by 100 to 100, then back to 1000
    const values = Array.from({ length: 40 }, (_, i) => 1000 - (i % 10) * 100);
    const out = downsample(pts(values), 10); // first, last + 4 buckets × (min, max)
    expect(out.length).toBeLessThanOrEqual(10);
    expect(out.map((p) => p.levelUl)).toContain(100);
    expect(out.map((p) => p.levelUl)).toContain(1000);
    // every peak (i = 0, 10, 20, 30: 1000) and trough (i = 9, 19, 29, 39: 100) survives
    const kept = out.map((p) => p.i);
    for (const i of [0, 9, 10, 19, 20, 29, 30, 39]) expect(kept).toContain(i);
    // inner points 1..38 in 4 buckets [1 + ⌊b·38/4⌋, 1 + ⌊(b+1)·38/4⌋): [1,10) [10,20) [20,29) [29,39);
    // (max, min) per bucket: (1, 9), (10, 19), (20, 28: 200 is the lowest of 20..28), (30, 29); plus 0 and 39
    expect(kept).toEqual([0, 1, 9, 10, 19, 20, 28, 29, 30, 39]);
  });

  it('small budgets keep the extremes', () => {
    const p = pts([5, 9, 1, 7]);
    expect(downsample(p, 2).map((x) => x.levelUl)).toEqual([9, 1]); // order of the series: max at 1, min at 2
    expect(downsample(p, 3).map((x) => x.i)).toEqual([0, 1, 2]);
    expect(downsample(p, 1).map((x) => x.levelUl)).toEqual([1]);
    expect(downsample(p, 0)).toEqual([]);
  });

  it('property: never more than maxPoints, keeps the global min and max, keeps order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -50_000, max: 50_000 }), { minLength: 1, maxLength: 400 }), fc.integer({ min: 2, max: 120 }), (values, max) => {
        const out = downsample(pts(values), max);
        expect(out.length).toBeLessThanOrEqual(max);
        const levels = out.map((p) => p.levelUl);
        expect(Math.min(...levels)).toBe(Math.min(...values));
        expect(Math.max(...levels)).toBe(Math.max(...values));
        const idx = out.map((p) => p.i);
        expect(idx).toEqual([...new Set(idx)].sort((a, b) => a - b));
      }),
    );
  });
});
