import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addDays, calendarDate, compareDates, daysBetween, toEpochDay, type CalendarDate } from './calendar';

const toEpochDayOf = (d: CalendarDate) => toEpochDay(d);
import { PUMP_OFF, type FlowRate } from './flow';
import { cmp, ratInt } from './rational';
import { alarmDate, bigIntReference, emptyDate, fillPeriod, levelExact, levelUlOn, rateOn, type FillPeriod, type RateChange } from './reservoir';
import type { Microlitres } from './units';
import { must } from './test-fixtures';

const d = calendarDate;
const ul = (n: number) => n as Microlitres;
const rate = (num: number, den = 1): FlowRate => ({ num, den });
const period = (refill: string, added: number, ...rates: [string, FlowRate][]): FillPeriod =>
  must(fillPeriod(d(refill), ul(added), rates.map(([from, r]) => ({ from: d(from), rate: r }))));

describe('reference example: baclofen 2000 mcg/mL at 500 mcg/day, 20 mL pump filled to 20 mL, alarm 2 mL', () => {
  // rate 250 µL/day (see prescription.test.ts); refill 2025-01-01
  const p = period('2025-01-01', 20_000, ['2025-01-01', rate(250)]);

  it('level(R + n) = 20000 − 250·n, never below 0', () => {
    expect(levelUlOn(p, d('2025-01-01'))).toBe(20_000);
    expect(levelUlOn(p, d('2025-01-02'))).toBe(19_750); // 20000 − 250
    expect(levelUlOn(p, d('2025-03-14'))).toBe(2_000); // R + 72: 20000 − 72·250
    expect(levelUlOn(p, d('2025-03-15'))).toBe(1_750); // R + 73
    expect(levelUlOn(p, d('2025-03-22'))).toBe(0); // R + 80: 20000 − 80·250
    expect(levelUlOn(p, d('2025-04-10'))).toBe(0); // R + 99: would be −4750, floored at 0
    expect(levelUlOn(p, d('2024-12-01'))).toBe(20_000); // before the refill: the volume added
  });

  it('alarm after (20 − 2) / 0.25 = 72 days; empty after 20 / 0.25 = 80 days', () => {
    // 2025-01-01 + 72: +30 → Jan 31, +28 → Feb 28 (58), +14 → Mar 14 (72)
    expect(alarmDate(p, ul(2_000))).toBe('2025-03-14');
    // floor(20000 / 250) = 80 exactly: the level is 0 at the start of R + 80 (Mar 14 + 8 → Mar 22): that day.
    expect(emptyDate(p)).toBe('2025-03-22');
  });
});

describe('the empty date is the day the reservoir runs dry (issue 13)', () => {
  it('0.1 mL on the morning of 11/30 at 0.3 mL/day: empty on 11/30, not 12/01', () => {
    // Refill 2026-11-01 with 8800 µL at 300 µL/day: level(11/30) = 8800 − 29 × 300 = 100 µL (0.1 mL);
    // during 11/30 the pump needs 300 µL and runs dry. floor(8800 / 300) = floor(29.33) = 29 → 11/01 + 29 = 11/30.
    const p = period('2026-11-01', 8_800, ['2026-11-01', rate(300)]);
    expect(levelUlOn(p, d('2026-11-30'))).toBe(100);
    expect(emptyDate(p)).toBe('2026-11-30');
    expect(bigIntReference.emptyDate(p)).toBe('2026-11-30');
  });
  it('20000 µL at 300 µL/day: refill + floor(66.67) = 66 days', () => {
    // 66 × 300 = 19800 → 200 µL left on the morning of day 66; day 67 would start at −100.
    const p = period('2025-01-01', 20_000, ['2025-01-01', rate(300)]);
    expect(emptyDate(p)).toBe('2025-03-08'); // Jan 1 + 30 → Jan 31, + 28 → Feb 28 (58), + 8 → Mar 8 (66)
    expect(levelUlOn(p, d('2025-03-08'))).toBe(200);
  });
  it('20000 µL at 250 µL/day: exactly 0 at the start of day 80 → day 80', () => {
    // 80 × 250 = 20000: the level is exactly 0 on the morning of R + 80.
    const p = period('2025-01-01', 20_000, ['2025-01-01', rate(250)]);
    expect(emptyDate(p)).toBe('2025-03-22');
    expect(levelUlOn(p, d('2025-03-22'))).toBe(0);
    expect(levelUlOn(p, d('2025-03-21'))).toBe(250);
  });
  it('nothing added: the refill date', () => {
    expect(emptyDate(period('2025-01-01', 0, ['2025-01-01', rate(250)]))).toBe('2025-01-01');
  });
  it('a dose change mid-interval', () => {
    // 10000 µL at 200 µL/day from Jan 1; 500 µL/day from Jan 11.
    // Jan 1..Jan 10 at 200 = 2000 → 8000 µL on Jan 11; floor(8000 / 500) = 16 → Jan 11 + 16 = Jan 27 (level 0 that morning).
    const p = period('2025-01-01', 10_000, ['2025-01-01', rate(200)], ['2025-01-11', rate(500)]);
    expect(emptyDate(p)).toBe('2025-01-27');
    // with 10100 µL: 8100 on Jan 11, floor(8100 / 500) = floor(16.2) = 16 → still Jan 27 (100 µL that morning)
    const q = period('2025-01-01', 10_100, ['2025-01-01', rate(200)], ['2025-01-11', rate(500)]);
    expect(emptyDate(q)).toBe('2025-01-27');
    expect(levelUlOn(q, d('2025-01-27'))).toBe(100);
  });
  it('exactly 0 at a segment boundary, then rate 0: the boundary day', () => {
    // 2500 µL at 250 µL/day from Jan 1 (Jan 1..Jan 10 deliver 2500); the pump is turned off on Jan 11.
    // The level is exactly 0 on the morning of Jan 11 and stays 0: empty on Jan 11.
    const p = period('2025-01-01', 2_500, ['2025-01-01', rate(250)], ['2025-01-11', PUMP_OFF]);
    expect(levelUlOn(p, d('2025-01-11'))).toBe(0);
    expect(emptyDate(p)).toBe('2025-01-11');
    expect(bigIntReference.emptyDate(p)).toBe('2025-01-11');
    // one µL more: 1 µL left for ever, never empty
    expect(emptyDate(period('2025-01-01', 2_501, ['2025-01-01', rate(250)], ['2025-01-11', PUMP_OFF]))).toBeNull();
  });
});

describe('exact arithmetic where floats misplace a boundary', () => {
  it('1 mg/day at 3 mg/mL (1000/3 µL/day) in a 20 mL pump', () => {
    const p = period('2025-01-01', 20_000, ['2025-01-01', rate(1000, 3)]);
    expect(levelUlOn(p, d('2025-01-02'))).toBe(19_667); // 20000 − 333.33… = 19666.67 → 19667
    expect(levelUlOn(p, d('2025-01-04'))).toBe(19_000); // 20000 − 3 × 1000/3 = 19000 exactly
    // alarm: floor((20000 − 2000) × 3 / 1000) = floor(54) = 54 → level on R+54 is exactly 2000.000
    expect(cmp(levelExact(p, addDays(d('2025-01-01'), 54)), ratInt(2000))).toBe(0);
    expect(alarmDate(p, ul(2_000))).toBe(addDays(d('2025-01-01'), 54));
    expect(alarmDate(p, ul(2_000))).toBe('2025-02-24'); // Jan 1 + 30 → Jan 31, + 24 → Feb 24
    // empty: floor(20000 × 3 / 1000) = 60 exactly (level 0.000 on the morning of R+60)
    expect(emptyDate(p)).toBe('2025-03-02'); // Feb 24 + 6 → Mar 2
  });

  it('0.4 mg/day at 3 mg/mL (400/3 µL/day), 10 mL pump, 2 mL alarm: 60 days, not 59', () => {
    // exact: (10000 − 2000) × 3 / 400 = 60 exactly; a float rate 133.33333333333334 gives 59.99999999999999 → 59
    const p = period('2025-01-01', 10_000, ['2025-01-01', rate(400, 3)]);
    expect(alarmDate(p, ul(2_000))).toBe('2025-03-02'); // Jan 1 + 60: +30 → Jan 31, +28 → Feb 28 (58), +2 → Mar 2
    expect(emptyDate(p)).toBe('2025-03-17'); // 10000 × 3 / 400 = 75 exactly → Mar 2 + 15
  });

  it('100 µL/day in an 18 mL pump is empty after 180 days', () => {
    // 0.3 mg/day at 3 mg/mL is exactly 100 µL/day (0.3/3*1000 in floats is 99.99999999999999); exact: 18000 / 100 = 180,
    // level 0 on the morning of R+180
    const p = period('2025-01-01', 18_000, ['2025-01-01', rate(100)]);
    expect(daysBetween(d('2025-01-01'), emptyDate(p) ?? d('1970-01-01'))).toBe(180);
  });
});

describe('piecewise: a dose change between refills', () => {
  // baclofen 2000 mcg/mL: 500 mcg/day = 250 µL/day from 2025-01-01;
  // dose change on 2025-01-21 to 600 mcg/day = 600/2000 mL = 300 µL/day
  const p = period('2025-01-01', 20_000, ['2025-01-01', rate(250)], ['2025-01-21', rate(300)]);

  it('level uses each day’s rate', () => {
    expect(levelUlOn(p, d('2025-01-21'))).toBe(15_000); // 20000 − 20 × 250 (days Jan 1..Jan 20)
    expect(levelUlOn(p, d('2025-01-22'))).toBe(14_700); // 15000 − 1 × 300 (Jan 21 at the new rate)
    expect(levelUlOn(p, d('2025-02-10'))).toBe(9_000); // 15000 − 20 × 300 (Jan 21..Feb 9)
  });

  it('alarm and empty dates follow the new rate', () => {
    // from Jan 21: 15000 − k·300 ≥ 2000 → k ≤ 43.33 → 43 → Jan 21 + 43 = Mar 5 (level 2100; Mar 6: 1800)
    expect(alarmDate(p, ul(2_000))).toBe('2025-03-05');
    // 15000 / 300 = 50 exactly → Jan 21 + 50 = Mar 12 (level 0 that morning)
    expect(emptyDate(p)).toBe('2025-03-12');
    expect(rateOn(p, d('2025-01-20'))).toEqual(rate(250));
    expect(rateOn(p, d('2025-01-21'))).toEqual(rate(300));
  });

  it('the alarm day falls exactly on the day of a dose change', () => {
    // 250 µL/day until R+72 (level exactly 2000 on R+72), then 1000 µL/day:
    // alarm = R+72 (level 2000 ≥ 2000; R+73: 1000); empty = R+74 (2000 − 2 × 1000 = 0 that morning)
    const q = period('2025-01-01', 20_000, ['2025-01-01', rate(250)], ['2025-03-14', rate(1000)]);
    expect(alarmDate(q, ul(2_000))).toBe('2025-03-14');
    expect(emptyDate(q)).toBe('2025-03-16');
  });

  it('the rate in effect on the refill date comes from history; later same-date changes win', () => {
    const rates: RateChange[] = [
      { from: d('2025-02-01'), rate: rate(500) },
      { from: d('2024-06-01'), rate: rate(100) },
      { from: d('2024-12-01'), rate: rate(200) }, // in effect on 2025-01-01
      { from: d('2025-02-01'), rate: rate(400) }, // listed after 500 on the same date: wins
    ];
    const q = must(fillPeriod(d('2025-01-01'), ul(20_000), rates));
    expect(q.segments).toEqual([
      { from: '2025-01-01', rate: rate(200) },
      { from: '2025-02-01', rate: rate(400) },
    ]);
    // Jan 1..Jan 31 at 200 = 6200; Feb 1..Feb 4 at 400 = 1600 → 20000 − 7800 = 12200
    expect(levelUlOn(q, d('2025-02-05'))).toBe(12_200);
  });

  it('refuses a period with no rate in effect on the refill date', () => {
    const r = fillPeriod(d('2025-01-01'), ul(20_000), [{ from: d('2025-01-02'), rate: rate(250) }]);
    expect(!r.ok && r.error.code).toBe('invalid_input');
  });
});

describe('edge cases', () => {
  it('pump off: no alarm date, no empty date; the level stays', () => {
    const p = period('2025-01-01', 20_000, ['2025-01-01', rate(250)], ['2025-01-11', PUMP_OFF]);
    expect(levelUlOn(p, d('2026-01-01'))).toBe(17_500); // 20000 − 10 × 250, then nothing
    expect(alarmDate(p, ul(2_000))).toBeNull();
    expect(emptyDate(p)).toBeNull();
    // turned on again: 17500 − 2000 = 15500 left above the alarm at 500 µL/day → 31 days
    const q = period('2025-01-01', 20_000, ['2025-01-01', rate(250)], ['2025-01-11', PUMP_OFF], ['2025-03-01', rate(500)]);
    expect(alarmDate(q, ul(2_000))).toBe('2025-04-01'); // Mar 1 + 31
    expect(emptyDate(q)).toBe('2025-04-05'); // 17500 / 500 = 35 exactly → Mar 1 + 35
  });
  it('the reservoir runs dry the day before the pump is turned off', () => {
    // 20100 µL at 250 µL/day: floor(20100 / 250) = floor(80.4) = 80 → R + 80 = 2025-03-22 (100 µL that morning, dry during the day).
    // Turning the pump off the next day does not bring the reservoir back.
    const p = period('2025-01-01', 20_100, ['2025-01-01', rate(250)], ['2025-03-23', PUMP_OFF]);
    expect(emptyDate(p)).toBe('2025-03-22');
    expect(levelUlOn(p, d('2025-03-22'))).toBe(100); // 20100 − 80 × 250
    // alarm: floor((20100 − 2000) / 250) = floor(72.4) = 72 → 2025-03-14
    expect(alarmDate(p, ul(2_000))).toBe('2025-03-14');
  });
  it('filled below the alarm volume: the alarm date is the refill date', () => {
    const p = period('2025-01-01', 1_500, ['2025-01-01', rate(250)]);
    expect(alarmDate(p, ul(2_000))).toBe('2025-01-01');
    expect(emptyDate(p)).toBe('2025-01-07'); // 1500 / 250 = 6 exactly
  });
  it('nothing added: empty on the refill date', () => {
    expect(emptyDate(period('2025-01-01', 0, ['2025-01-01', rate(250)]))).toBe('2025-01-01');
    expect(emptyDate(period('2025-01-01', 0, ['2025-01-01', PUMP_OFF]))).toBe('2025-01-01'); // empty even if off
    expect(bigIntReference.emptyDate(period('2025-01-01', 0, ['2025-01-01', PUMP_OFF]))).toBe('2025-01-01');
  });
  it('an alarm volume of 0 means no alarm', () => {
    expect(alarmDate(period('2025-01-01', 20_000, ['2025-01-01', rate(250)]), ul(0))).toBeNull();
  });
  it('a tiny rate beyond the 100-year horizon gives null', () => {
    // 1 ng/day at 30 mg/mL = 1000 / 30,000,000 µL/day: 20 mL would last 600 million days
    expect(emptyDate(period('2025-01-01', 20_000, ['2025-01-01', rate(1, 30_000)]))).toBeNull();
  });
});

describe('properties', () => {
  const start = d('2024-01-15'); // the period crosses 2024-02-29
  const rateArb = fc.record({ num: fc.integer({ min: 0, max: 3_000 }), den: fc.integer({ min: 1, max: 7 }) });
  const changes = fc.array(fc.tuple(fc.integer({ min: 1, max: 200 }), rateArb), { maxLength: 4 });
  const build = (added: number, first: FlowRate, later: [number, FlowRate][]): FillPeriod =>
    must(
      fillPeriod(start, ul(added), [
        { from: start, rate: first },
        ...later.map(([offset, r]) => ({ from: addDays(start, offset), rate: r })),
      ]),
    );
  const cfg = { numRuns: 150 };

  it('the level never rises between refills and is never negative', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40_000 }), rateArb, changes, (added, first, later) => {
        const p = build(added, first, later);
        let prev = levelExact(p, start);
        for (let i = 1; i <= 260; i++) {
          const cur = levelExact(p, addDays(start, i));
          expect(cmp(cur, prev)).toBeLessThanOrEqual(0);
          expect(cur.n >= 0n).toBe(true);
          prev = cur;
        }
      }),
      cfg,
    );
  });

  it('alarm and empty dates agree with a day-by-day scan of the level', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40_000 }), fc.integer({ min: 1, max: 5_000 }), rateArb, changes, (added, alarmUl, first, later) => {
        const p = build(added, first, later);
        const alarm = alarmDate(p, ul(alarmUl));
        const empty = emptyDate(p);
        const level = (dt: CalendarDate) => levelExact(p, dt);
        if (alarm !== null && added >= alarmUl) {
          expect(cmp(level(alarm), ratInt(alarmUl))).toBeGreaterThanOrEqual(0);
          expect(cmp(level(addDays(alarm, 1)), ratInt(alarmUl))).toBe(-1);
        }
        if (empty !== null) {
          // The level before clamping at 0: the same period with a huge extra volume, minus that volume.
          const huge = 1_000_000_000_000;
          const shifted = must(fillPeriod(start, ul(added + huge), p.segments));
          const unclamped = (dt: CalendarDate) => levelExact(shifted, dt).n - BigInt(huge) * levelExact(shifted, dt).d;
          // ≥ 0 at the start of the empty day; below 0 the next morning unless exactly 0 (and then not 0 the day before).
          expect(unclamped(empty) >= 0n).toBe(true);
          if (unclamped(empty) > 0n) expect(unclamped(addDays(empty, 1)) < 0n).toBe(true);
          else if (compareDates(empty, start) > 0) expect(unclamped(addDays(empty, -1)) > 0n).toBe(true);
          // alarm date ≤ empty date
          expect(alarm).not.toBeNull();
          if (alarm !== null) expect(compareDates(alarm, empty)).toBeLessThanOrEqual(0);
        }
      }),
      cfg,
    );
  });

  it('raising the dose never makes the alarm (or empty) date later', () => {
    const later = (a: CalendarDate | null, b: CalendarDate | null) => (a === null ? b !== null : b !== null && compareDates(a, b) > 0);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40_000 }),
        fc.integer({ min: 1, max: 5_000 }),
        rateArb,
        changes,
        fc.nat({ max: 4 }),
        fc.integer({ min: 1, max: 2_000 }),
        (added, alarmUl, first, rest, which, extra) => {
          const base = build(added, first, rest);
          // raise the rate of one segment (0 = the first) by `extra`/den µL/day
          const raisedRest = rest.map(([o, r], i): [number, FlowRate] => [o, i + 1 === which ? { num: r.num + extra, den: r.den } : r]);
          const raisedFirst = which === 0 ? { num: first.num + extra, den: first.den } : first;
          const raised = build(added, raisedFirst, raisedRest);
          expect(later(alarmDate(raised, ul(alarmUl)), alarmDate(base, ul(alarmUl)))).toBe(false);
          expect(later(emptyDate(raised), emptyDate(base))).toBe(false);
        },
      ),
      cfg,
    );
  });
});

describe('the safe-integer paths answer what the BigInt rationals answer', () => {
  const MAX = Number.MAX_SAFE_INTEGER;
  // Small realistic values, values around the point where the scaled integers stop fitting, and huge ones.
  const whole = (max: number) => fc.oneof(fc.integer({ min: 0, max: 50_000 }), fc.integer({ min: 0, max }), fc.constantFrom(0, 1, 2, max - 1, max, 2 ** 26, 2 ** 27 + 1, 94906265, 94906267));
  const den = fc.oneof(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 3_000_000 }), fc.integer({ min: 1, max: MAX }), fc.constantFrom(1, 3, 7, 999_983, 2 ** 26, MAX));
  const rate = fc.record({ num: whole(MAX), den }).map((r) => ({ num: r.num, den: r.den }));
  const start = fc.integer({ min: -300_000, max: 2_900_000 }).map((day) => day); // 1148 .. 9909
  const gaps = fc.array(fc.tuple(fc.integer({ min: 1, max: 40_000 }), rate), { maxLength: 4 });
  const dateOf = (day: number) => addDays(calendarDate('1970-01-01'), day);
  const period = fc.tuple(start, whole(MAX), rate, gaps).map(([s, added, first, later]) => {
    let from = s;
    const rates: RateChange[] = [{ from: dateOf(s), rate: first }];
    for (const [gap, r] of later) {
      from += gap;
      if (from > 2_932_000) break;
      rates.push({ from: dateOf(from), rate: r });
    }
    return must(fillPeriod(dateOf(s), added as Microlitres, rates));
  });
  const same = <T>(fast: () => T, reference: () => T) => {
    let want: { value: T } | { error: unknown };
    try {
      want = { value: reference() };
    } catch (error) {
      want = { error: (error as Error).constructor };
    }
    if ('value' in want) expect(fast()).toEqual(want.value);
    else expect(fast).toThrow(want.error as ErrorConstructor);
  };

  it('alarmDate', () => {
    fc.assert(
      fc.property(period, fc.oneof(whole(MAX), fc.integer({ min: -5, max: 5 })), (p, alarm) => {
        same(() => alarmDate(p, alarm as Microlitres), () => bigIntReference.alarmDate(p, alarm as Microlitres));
      }),
      { numRuns: 3000 },
    );
  });

  it('alarmDate with the alarm volume a whole number of days of flow away (the boundary)', () => {
    fc.assert(
      fc.property(start, fc.integer({ min: 1, max: 5_000 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 0, max: 400 }), fc.integer({ min: -1, max: 1 }), (s, num, d, days, off) => {
        const r = { num, den: d };
        const alarm = 1_000;
        const added = Math.max(0, alarm + Math.floor((days * num) / d) + off);
        const p = must(fillPeriod(dateOf(s), added as Microlitres, [{ from: dateOf(s), rate: r }]));
        same(() => alarmDate(p, alarm as Microlitres), () => bigIntReference.alarmDate(p, alarm as Microlitres));
        same(() => emptyDate(p), () => bigIntReference.emptyDate(p));
      }),
      { numRuns: 2000 },
    );
  });

  it('alarm and empty dates when the crossing falls on, or just after, the day of a rate change', () => {
    fc.assert(
      fc.property(
        start,
        fc.integer({ min: 1, max: 5_000 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 400 }),
        fc.nat({ max: 20_000 }),
        fc.integer({ min: 0, max: 5_000 }),
        fc.integer({ min: -2, max: 2 }),
        (s, num, d, gap, x, num2, off) => {
          const alarm = 1_000;
          // The first rate consumes exactly ⌊gap·num/d⌋ µL before the change; x µL more are left over it.
          const used = Math.floor((gap * num) / d);
          const rates: RateChange[] = [
            { from: dateOf(s), rate: { num, den: d } },
            { from: dateOf(s + gap), rate: { num: num2, den: d } },
          ];
          for (const added of [alarm + used + (x % (num + 1)) + off, used + (x % (num + 1)) + off]) {
            if (added < 0) continue;
            const p = must(fillPeriod(dateOf(s), added as Microlitres, rates));
            same(() => alarmDate(p, alarm as Microlitres), () => bigIntReference.alarmDate(p, alarm as Microlitres));
            same(() => emptyDate(p), () => bigIntReference.emptyDate(p));
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('emptyDate', () => {
    fc.assert(
      fc.property(period, (p) => same(() => emptyDate(p), () => bigIntReference.emptyDate(p))),
      { numRuns: 3000 },
    );
  });

  it('levelUlOn', () => {
    fc.assert(
      fc.property(period, fc.integer({ min: -10, max: 100_000 }), (p, offset) => {
        const day = Math.min(2_932_000, Math.max(-300_000, toEpochDayOf(p.refillDate) + offset));
        same(() => levelUlOn(p, dateOf(day)), () => bigIntReference.levelUlOn(p, dateOf(day)));
      }),
      { numRuns: 3000 },
    );
  });

  it('the same at the edges of the safe integers', () => {
    const d = dateOf(20_000);
    for (const [added, r] of [
      [MAX, { num: 1, den: 1 }],
      [MAX, { num: MAX, den: 1 }],
      [MAX, { num: 1, den: MAX }],
      [1, { num: MAX, den: MAX - 1 }],
      [2 ** 40, { num: 3, den: 2 ** 14 }],
      [2 ** 40, { num: 3, den: 2 ** 13 + 1 }],
      [0, { num: 5, den: 3 }],
    ] as const) {
      const p = must(fillPeriod(d, added as Microlitres, [{ from: d, rate: r }, { from: dateOf(20_010), rate: { num: 7, den: 2 ** 20 } }]));
      same(() => alarmDate(p, 1 as Microlitres), () => bigIntReference.alarmDate(p, 1 as Microlitres));
      same(() => emptyDate(p), () => bigIntReference.emptyDate(p));
      for (const day of [20_000, 20_005, 20_010, 20_011, 2_000_000]) same(() => levelUlOn(p, dateOf(day)), () => bigIntReference.levelUlOn(p, dateOf(day)));
    }
  });
});
