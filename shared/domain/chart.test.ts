import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addDays, calendarDate, compareDates, toEpochDay, type CalendarDate } from './calendar';
import { downsample, levelSeries, type LevelPoint, type LevelSeries, type LevelSeriesInput } from './chart';
import { compareFlowRates, dailyVolumeUl, type FlowRate } from './flow';
import { assessRefills, DEFAULT_DISCREPANCY_THRESHOLDS } from './refill';
import { alarmDate, emptyDate, levelUlOn, type RateChange } from './reservoir';
import type { Microlitres } from './units';
import { must } from './test-fixtures';

const d = calendarDate;
const ul = (n: number) => n as Microlitres;
const rate = (num: number, den = 1): FlowRate => ({ num, den });

/** The level `days` after a fill of `addedUl` at `rateUl` a day, never below 0 (hand arithmetic, for the property). */
function levelAtDay(addedUl: number, rateUl: number, days: number): number {
  return Math.max(0, addedUl - rateUl * days);
}

describe('levelSeries with a therapy reversal and a restart', () => {
  // Fill 2025-01-01 (20 mL) at 250 µL/day; turned off 2025-01-21; restarted 2025-03-01 with 20 mL at
  // 200 µL/day (after a residual of 14 mL was withdrawn); today 2025-03-11.
  const base: LevelSeriesInput = {
    refills: [
      { date: d('2025-01-01'), withdrawnUl: null, addedUl: ul(20_000) },
      { date: d('2025-03-01'), withdrawnUl: ul(14_000), addedUl: ul(20_000) },
    ],
    rates: [
      { from: d('2025-01-01'), rate: rate(250) },
      { from: d('2025-03-01'), rate: rate(200) },
    ],
    today: d('2025-03-11'),
    alarmUl: ul(2_000),
    reservoirUl: ul(20_000),
    stops: [{ from: d('2025-01-21'), to: d('2025-03-01') }],
  };

  it('ends the level on the reversal day; the restart has no expected residual nor residual check', () => {
    const s = must(levelSeries(base));
    expect(s.levels.map((p) => [p.date, p.kind, p.levelUl])).toEqual([
      ['2025-01-01', 'after_refill', 20_000],
      ['2025-01-21', 'estimate', 15_000], // 20000 − 20 × 250, the last point before the restart
      ['2025-03-01', 'after_refill', 20_000],
      ['2025-03-11', 'estimate', 18_000], // 20000 − 10 × 200
    ]);
    expect(s.residuals).toEqual([]);
    // Running again: alarm after (20000 − 2000) / 200 = 90 days, 2025-03-01 + 90 = 2025-05-30.
    expect(s.alarmDate).toBe('2025-05-30');
    expect(s.projection.length).toBeGreaterThan(0);
  });

  it('property: with the pump off from a day on, the level is the running pump’s up to that day and ends there', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: 40_000 }), fc.integer({ min: 1, max: 2000 }), fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 400 }), (addedUl, rateUl, stopAfter, todayAfter) => {
        const fillDate = d('2025-01-01');
        const stopDay = addDays(fillDate, stopAfter);
        const today = addDays(fillDate, Math.max(stopAfter, todayAfter));
        const input: LevelSeriesInput = {
          refills: [{ date: fillDate, withdrawnUl: null, addedUl: ul(addedUl) }],
          rates: [{ from: fillDate, rate: rate(rateUl) }],
          today,
          alarmUl: ul(500),
          reservoirUl: ul(40_000),
        };
        const running = must(levelSeries(input));
        const off = must(levelSeries({ ...input, stops: [{ from: stopDay, to: null }] }));
        const stop = toEpochDay(stopDay);
        expect(off.levels.every((p) => p.day <= stop)).toBe(true);
        // The points before the stop are the running pump's; the last one is the stop day (or the fill).
        const before = running.levels.filter((p) => p.day < stop);
        expect(off.levels.slice(0, before.length)).toEqual(before);
        expect(off.levels.at(-1)!.day).toBe(stop);
        expect(off.levels.at(-1)!.levelUl).toBe(levelAtDay(addedUl, rateUl, stopAfter));
        expect(off).toMatchObject({ projection: [], alarmDate: null, emptyDate: null });
      }),
    );
  });

  it('a pump still off has no projection, alarm or empty date', () => {
    const s = must(levelSeries({ ...base, refills: base.refills.slice(0, 1), rates: base.rates.slice(0, 1), stops: [{ from: d('2025-01-21'), to: null }] }));
    expect(s.levels.map((p) => [p.date, p.levelUl])).toEqual([
      ['2025-01-01', 20_000],
      ['2025-01-21', 15_000],
    ]);
    expect(s).toMatchObject({ projection: [], alarmDate: null, emptyDate: null });
  });
});

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

  it('points only where the line bends or an interval ends; two on a refill day (expected residual, then volume added)', () => {
    // Jan 1 refill; Jan 21 dose change (bend); Feb 9 the day before the next refill; Feb 10 expected
    // residual and volume added; Feb 15 today. Neither alarm nor empty falls before today.
    expect(s.levels.map((p) => [p.date, p.kind, p.levelUl])).toEqual([
      ['2025-01-01', 'after_refill', 20_000],
      ['2025-01-21', 'estimate', 15_000], // 20000 − 20 × 250
      ['2025-02-09', 'estimate', 9_300], // 15000 − 19 × 300
      ['2025-02-10', 'before_refill', 9_000], // 15000 − 20 × 300
      ['2025-02-10', 'after_refill', 20_000],
      ['2025-02-15', 'estimate', 18_750], // 20000 − 5 × 250
    ]);
    expect(s.levels.map((p) => p.day)).toEqual([...s.levels.map((p) => p.day)].sort((a, b) => a - b));
  });

  it('the alarm date, the empty date and the first day at 0 are points of the line', () => {
    // 1000 µL added on 2024-02-27 at 300 µL/day, alarm 500 µL, today 2024-03-10 (a leap year):
    // Feb 28 700, Feb 29 400 → alarm date Feb 28 (last day ≥ 500); Mar 1 100 (empty date: floor(1000 / 300) = 3 days,
    // the day it runs dry); Mar 2 0 (the first morning at 0); flat at 0 to today.
    const t = must(
      levelSeries({
        refills: [{ date: d('2024-02-27'), withdrawnUl: null, addedUl: ul(1_000) }],
        rates: [{ from: d('2024-02-27'), rate: rate(300) }],
        today: d('2024-03-10'),
        alarmUl: ul(500),
        reservoirUl: ul(20_000),
      }),
    );
    expect(t.levels.map((p) => [p.date, p.levelUl])).toEqual([
      ['2024-02-27', 1_000],
      ['2024-02-28', 700],
      ['2024-03-01', 100],
      ['2024-03-02', 0],
      ['2024-03-10', 0],
    ]);
    expect([t.alarmDate, t.emptyDate]).toEqual(['2024-02-28', '2024-03-01']);
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
    // (20000 / 250 = 80 exactly: 0 that morning, so no separate 'dry' point)
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

  it('a pump that runs dry during its empty date: the projection reaches 0 the next morning', () => {
    // 1000 µL on 2024-02-27 at 300 µL/day, today Feb 28: empty floor(1000 / 300) = 3 → Mar 1 (100 µL that morning), 0 on Mar 2.
    const t = must(
      levelSeries({
        refills: [{ date: d('2024-02-27'), withdrawnUl: null, addedUl: ul(1_000) }],
        rates: [{ from: d('2024-02-27'), rate: rate(300) }],
        today: d('2024-02-28'),
        alarmUl: ul(500),
        reservoirUl: ul(20_000),
      }),
    );
    expect(t.projection.map((p) => [p.date, p.marker, p.levelUl])).toEqual([
      ['2024-02-28', 'today', 700],
      ['2024-02-28', 'alarm', 700],
      ['2024-03-01', 'empty', 100],
      ['2024-03-02', 'dry', 0],
    ]);
  });

  it('empty before the first refill', () => {
    const t = must(levelSeries({ ...input, today: d('2024-12-31') }));
    expect(t).toEqual({ levels: [], residuals: [], projection: [], alarmDate: null, emptyDate: null, doseChanges: [] });
  });
});

/**
 * The straightforward series, one point a day: every day from each refill to the day before the
 * next (or today) at `levelUlOn`, with residuals from `assessRefills` over the whole rate history.
 */
function dayByDay(input: LevelSeriesInput): Omit<LevelSeries, 'projection'> {
  const past = input.refills.filter((r) => compareDates(r.date, input.today) <= 0);
  const history = must(assessRefills(past, input.rates, input.reservoirUl, input.thresholds ?? DEFAULT_DISCREPANCY_THRESHOLDS));
  const levels: LevelPoint[] = [];
  const point = (date: CalendarDate, levelUl: Microlitres, kind: LevelPoint['kind']): LevelPoint => ({ date, day: toEpochDay(date), levelUl, kind });
  history.forEach((a, i) => {
    if (a.expectedUl !== null) levels.push(point(a.refill.date, a.expectedUl, 'before_refill'));
    levels.push(point(a.refill.date, a.refill.addedUl, 'after_refill'));
    const next = history[i + 1];
    const last = next === undefined ? input.today : addDays(next.refill.date, -1);
    for (let day = addDays(a.refill.date, 1); compareDates(day, last) <= 0; day = addDays(day, 1)) levels.push(point(day, levelUlOn(a.period, day), 'estimate'));
  });
  const residuals = history.flatMap((a) => (a.residual === null ? [] : [{ date: a.refill.date, day: toEpochDay(a.refill.date), ...a.residual }]));
  const current = history.at(-1)?.period;
  // Dose changes: each date after the first refill, up to today, whose rate in effect differs from the day before's.
  const inEffect = (date: CalendarDate) => input.rates.filter((r) => compareDates(r.from, date) <= 0).sort((a, b) => compareDates(a.from, b.from)).at(-1)?.rate ?? null;
  const first = history[0]?.refill.date;
  const dates = [...new Set(input.rates.map((r) => r.from))].filter((x) => first !== undefined && compareDates(x, first) > 0 && compareDates(x, input.today) <= 0).sort(compareDates);
  const doseChanges = dates.flatMap((date) => {
    const now = inEffect(date);
    const before = inEffect(addDays(date, -1));
    if (now === null || (before !== null && compareFlowRates(now, before) === 0)) return [];
    return [{ date, day: toEpochDay(date), levelUl: levels.find((p) => p.date === date && p.kind !== 'before_refill')?.levelUl ?? ul(0), rate: now, dailyVolumeUl: dailyVolumeUl(now) }];
  });
  return { levels, residuals, alarmDate: current ? alarmDate(current, input.alarmUl) : null, emptyDate: current ? emptyDate(current) : null, doseChanges };
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
const reduced = (num: number, den: number): FlowRate => ({ num: num / gcd(num, den), den: den / gcd(num, den) });

/** Random pump histories around the leap days of 2020, 2024 and 2028, with dose changes anywhere. */
const histories = fc
  .record({
    start: fc.integer({ min: toEpochDay(d('2019-11-01')), max: toEpochDay(d('2028-02-20')) }),
    refills: fc.array(fc.record({ gap: fc.integer({ min: 0, max: 110 }), addedUl: fc.integer({ min: 0, max: 40_000 }), withdrawnUl: fc.option(fc.integer({ min: 0, max: 40_000 })) }), {
      minLength: 1,
      maxLength: 7,
    }),
    rates: fc.array(fc.record({ num: fc.integer({ min: 0, max: 3_000 }), den: fc.integer({ min: 1, max: 9 }) }), { minLength: 7, maxLength: 7 }),
    changes: fc.array(fc.record({ offset: fc.integer({ min: -20, max: 500 }), num: fc.integer({ min: 0, max: 3_000 }), den: fc.integer({ min: 1, max: 9 }) }), { maxLength: 8 }),
    todayOffset: fc.integer({ min: 0, max: 600 }),
    alarmUl: fc.integer({ min: 0, max: 6_000 }),
  })
  .map(({ start, refills, rates, changes, todayOffset, alarmUl }): LevelSeriesInput => {
    const first = calendarDate('1970-01-01');
    let day = start;
    const dated = refills.map((r) => ({ date: addDays(first, (day += r.gap)), withdrawnUl: r.withdrawnUl === null ? null : ul(r.withdrawnUl), addedUl: ul(r.addedUl) }));
    const rateChanges: RateChange[] = [
      ...dated.map((r, i) => ({ from: r.date, rate: reduced(rates[i]?.num ?? 0, rates[i]?.den ?? 1) })),
      ...changes.map((c) => ({ from: addDays(first, start + c.offset), rate: reduced(c.num, c.den) })),
    ];
    return { refills: dated, rates: rateChanges, today: addDays(first, start + todayOffset), alarmUl: ul(alarmUl), reservoirUl: ul(40_000) };
  });

describe('levelSeries against the day-by-day reference', () => {
  it('property: same refill points, residuals, dose changes, alarm and empty; each breakpoint exact; every day on the line within 1 µL', () => {
    fc.assert(
      fc.property(histories, (input) => {
        const s = must(levelSeries(input));
        const ref = dayByDay(input);
        expect(s.residuals).toEqual(ref.residuals);
        expect([s.alarmDate, s.emptyDate]).toEqual([ref.alarmDate, ref.emptyDate]);
        expect(s.doseChanges.map((m) => [m.date, m.levelUl, compareFlowRates(m.rate, ref.doseChanges.find((r) => r.date === m.date)?.rate ?? { num: -1, den: 1 })])).toEqual(
          ref.doseChanges.map((m) => [m.date, m.levelUl, 0]),
        );
        expect(s.levels.filter((p) => p.kind !== 'estimate')).toEqual(ref.levels.filter((p) => p.kind !== 'estimate'));
        const byDay = new Map(ref.levels.filter((p) => p.kind === 'estimate').map((p) => [p.day, p]));
        for (const p of s.levels.filter((q) => q.kind === 'estimate')) expect(p).toEqual(byDay.get(p.day));
        // Walk the reference: each day lies on the segment between the two fast points around it.
        let j = 0;
        for (const r of ref.levels) {
          while (j < s.levels.length - 1 && (s.levels[j + 1]?.day ?? Infinity) < r.day) j++;
          if (r.kind !== 'estimate') continue;
          const a = s.levels[j];
          const b = s.levels[j + 1];
          if (a === undefined || b === undefined || b.kind === 'before_refill' || a.day === b.day) {
            expect(a?.day === r.day || b?.day === r.day).toBe(true);
            continue;
          }
          const onLine = a.levelUl + ((b.levelUl - a.levelUl) * (r.day - a.day)) / (b.day - a.day);
          expect(Math.abs(onLine - r.levelUl)).toBeLessThanOrEqual(1);
        }
        const levelsOf = (xs: readonly LevelPoint[]) => xs.map((p) => p.levelUl);
        if (ref.levels.length > 0) {
          expect(Math.min(...levelsOf(s.levels))).toBe(Math.min(...levelsOf(ref.levels)));
          expect(Math.max(...levelsOf(s.levels))).toBe(Math.max(...levelsOf(ref.levels)));
        }
      }),
      { numRuns: 200 },
    );
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
