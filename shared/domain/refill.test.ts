import { describe, expect, it } from 'vitest';
import { calendarDate } from './calendar';
import type { FlowRate } from './flow';
import { assessRefills, assessResidual, discrepancyThresholdUl, expectedResidualUl, type RefillRecord } from './refill';
import { fillPeriod, type RateChange } from './reservoir';
import type { Microlitres } from './units';
import { must } from './test-fixtures';

const d = calendarDate;
const ul = (n: number) => n as Microlitres;
const rate = (num: number, den = 1): FlowRate => ({ num, den });

describe('discrepancy thresholds (Maino 2017): > 1 mL up to 20 mL pumps, > 2 mL above', () => {
  const check = (expected: number, withdrawn: number, reservoir: number) => assessResidual(ul(expected), ul(withdrawn), ul(reservoir));

  it('20 mL pump: 1.000 mL is not flagged, 1.001 mL is, either direction', () => {
    expect(check(5_000, 6_000, 20_000).flagged).toBe(false); // +1000 µL, not > 1000
    expect(check(5_000, 6_001, 20_000).flagged).toBe(true); // +1001 µL
    expect(check(5_000, 4_000, 20_000).flagged).toBe(false); // −1000 µL
    expect(check(5_000, 3_999, 20_000).flagged).toBe(true); // −1001 µL
    expect(check(5_000, 6_001, 20_000).thresholdUl).toBe(1_000);
  });

  it('40 mL pump: 2.000 mL is not flagged, 2.001 mL is; 1.001 mL is not', () => {
    expect(check(5_000, 7_000, 40_000).flagged).toBe(false); // +2000
    expect(check(5_000, 7_001, 40_000).flagged).toBe(true); // +2001
    expect(check(5_000, 2_999, 40_000).flagged).toBe(true); // −2001
    expect(check(5_000, 6_001, 40_000).flagged).toBe(false); // +1001 under the 2 mL threshold
  });

  it('a reservoir of exactly 20 mL uses 1 mL; 20.001 mL uses 2 mL', () => {
    expect(discrepancyThresholdUl(ul(20_000))).toBe(1_000);
    expect(discrepancyThresholdUl(ul(20_001))).toBe(2_000);
    expect(discrepancyThresholdUl(ul(18_000))).toBe(1_000);
  });

  it('thresholds are clinic settings', () => {
    const t = { smallUl: 500, largeUl: 1_500, smallReservoirMaxUl: 20_000 };
    expect(assessResidual(ul(5_000), ul(5_501), ul(20_000), t).flagged).toBe(true); // 501 > 500
    expect(assessResidual(ul(5_000), ul(6_500), ul(40_000), t).flagged).toBe(false); // 1500, not > 1500
  });

  it('percent is discrepancy / expected × 100, null when expected is 0', () => {
    const a = check(9_000, 8_200, 20_000);
    expect(a.discrepancyUl).toBe(-800); // 8200 − 9000
    expect(a.discrepancyPercent).toBeCloseTo(-8.8889, 4); // −800 / 9000 × 100
    const z = check(0, 1_200, 20_000);
    expect(z.discrepancyPercent).toBeNull();
    expect(z.flagged).toBe(true); // 1200 > 1000
  });
});

describe('expected residual', () => {
  it('piecewise over a dose change (baclofen 250 → 300 µL/day)', () => {
    // refill 2025-01-01 with 20000 µL; 250 µL/day Jan 1..Jan 20 (20 days = 5000), 300 µL/day Jan 21..Feb 9 (20 days = 6000)
    // expected on 2025-02-10 = 20000 − 5000 − 6000 = 9000
    const p = must(
      fillPeriod(d('2025-01-01'), ul(20_000), [
        { from: d('2025-01-01'), rate: rate(250) },
        { from: d('2025-01-21'), rate: rate(300) },
      ]),
    );
    expect(expectedResidualUl(p, d('2025-02-10'))).toBe(9_000);
  });

  it('is rounded to the nearest µL, halves up, before the difference', () => {
    // 1000/3 µL/day for 1 day: 20000 − 333.33 = 19666.67 → 19667
    const p = must(fillPeriod(d('2025-01-01'), ul(20_000), [{ from: d('2025-01-01'), rate: rate(1000, 3) }]));
    expect(expectedResidualUl(p, d('2025-01-02'))).toBe(19_667);
    // 1001/2 µL/day for 1 day from 1000: 1000 − 500.5 = 499.5 → 500
    const q = must(fillPeriod(d('2025-01-01'), ul(1_000), [{ from: d('2025-01-01'), rate: rate(1001, 2) }]));
    expect(expectedResidualUl(q, d('2025-01-02'))).toBe(500);
    expect(assessResidual(expectedResidualUl(q, d('2025-01-02')), ul(0), ul(20_000)).discrepancyUl).toBe(-500);
  });
});

describe('assessRefills over a history', () => {
  const rates: RateChange[] = [
    { from: d('2025-01-01'), rate: rate(250) },
    { from: d('2025-01-21'), rate: rate(300) },
    { from: d('2025-02-10'), rate: rate(250) },
  ];
  const refills: RefillRecord[] = [
    { date: d('2025-02-10'), withdrawnUl: ul(7_999), addedUl: ul(20_000) },
    { date: d('2025-01-01'), withdrawnUl: null, addedUl: ul(20_000) },
    { date: d('2025-03-02'), withdrawnUl: null, addedUl: ul(18_000) },
  ];

  it('sorts by date and checks each residual against the previous fill', () => {
    const a = must(assessRefills(refills, rates, ul(20_000)));
    expect(a.map((x) => x.refill.date)).toEqual(['2025-01-01', '2025-02-10', '2025-03-02']);
    expect(a[0]?.expectedUl).toBeNull();
    expect(a[0]?.residual).toBeNull();
    // expected 9000 (see above); withdrawn 7999 → −1001: flagged in a 20 mL pump
    expect(a[1]?.expectedUl).toBe(9_000);
    expect(a[1]?.residual?.discrepancyUl).toBe(-1_001);
    expect(a[1]?.residual?.flagged).toBe(true);
    // Feb 10 → Mar 2 = 20 days at 250: 20000 − 5000 = 15000 expected; nothing withdrawn recorded
    expect(a[2]?.expectedUl).toBe(15_000);
    expect(a[2]?.residual).toBeNull();
  });

  it('fails, naming the refill, when no rate is in effect', () => {
    const r = assessRefills([{ date: d('2024-12-01'), withdrawnUl: null, addedUl: ul(20_000) }], rates, ul(20_000));
    expect(!r.ok && r.error.message).toMatch(/^Refill of 2024-12-01: /);
  });
});
