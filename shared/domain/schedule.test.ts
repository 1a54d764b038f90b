import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { calendarDate, todayIn } from './calendar';
import { findDrug } from './drugs';
import { SEED_DRUGS, must } from './test-fixtures';
import type { FlowRate } from './flow';
import { prescriptionFlowRate } from './prescription';
import { fillPeriod, levelUlOn } from './reservoir';
import { fillStabilityDays, nextRefillDue, stabilityLimitDays, replacementDue } from './schedule';
import { classifyRefill } from './worklist';
import { concentrationToNgPerMl, dailyDoseToNgPerDay, type Microlitres } from './units';

const d = calendarDate;
const ul = (n: number) => n as Microlitres;
const rate = (num: number, den = 1): FlowRate => ({ num, den });
const fill = (refill: string, added: number, r: FlowRate) => must(fillPeriod(d(refill), ul(added), [{ from: d(refill), rate: r }]));

describe('next refill due', () => {
  it('alarm rule: baclofen reference example, 72 − 7 = 65 days', () => {
    // baclofen 2000 mcg/mL at 500 mcg/day → 250 µL/day (computed, not typed in)
    const r = must(
      prescriptionFlowRate({
        mode: 'simple_continuous',
        extraVolumeUlPerDay: ul(0),
        drugs: [
          {
            name: 'Baclofen',
            unit: 'mcg',
            concentrationNgPerMl: must(concentrationToNgPerMl(2000, 'mcg')),
            dailyDoseNgPerDay: must(dailyDoseToNgPerDay(500, 'mcg')),
          },
        ],
      }),
    );
    const baclofen = findDrug(SEED_DRUGS, 'Baclofen');
    const due = nextRefillDue({ period: fill('2025-01-01', 20_000, r), alarmUl: ul(2_000), stabilityDays: [baclofen?.stabilityDays ?? null] });
    // alarm = R + 72 = 2025-03-14; due = R + 65 = 2025-03-07; empty = R + 80 = 2025-03-22
    expect(due).toEqual({
      date: '2025-03-07',
      rule: 'alarm',
      alarmDate: '2025-03-14',
      emptyDate: '2025-03-22',
      alarmRuleDate: '2025-03-07',
      stabilityDate: null,
      maxIntervalDate: '2025-06-30', // R + 180: Jan 31 (30) + 28 + 31 + 30 + 31 + 30 = Jun 30 (180)
    });
  });

  it("stability rule: morphine's 90 days", () => {
    // morphine 20 mg/mL at 1 mg/day → 1/20 mL = 50 µL/day; 40 mL pump: alarm (40000 − 2000) / 50 = 760 days away
    const morphine = findDrug(SEED_DRUGS, 'morphine');
    expect(morphine?.stabilityDays).toBe(90);
    const due = nextRefillDue({ period: fill('2025-01-01', 40_000, rate(50)), alarmUl: ul(2_000), stabilityDays: [morphine?.stabilityDays ?? null] });
    expect(due.rule).toBe('stability');
    expect(due.date).toBe('2025-04-01'); // Jan 1 + 90: +30 → Jan 31, +28 → Feb 28 (58), +31 → Mar 31 (89), +1 → Apr 1
  });

  it('the shortest known stability limit wins; unknown ones are ignored', () => {
    const due = nextRefillDue({ period: fill('2025-01-01', 40_000, rate(50)), alarmUl: ul(2_000), stabilityDays: [null, 90, 40, null] });
    expect(due.rule).toBe('stability');
    expect(due.date).toBe('2025-02-10'); // Jan 1 + 40
  });

  it('max interval rule: a slow pump, no stability limit', () => {
    // baclofen 2000 mcg/mL at 100 mcg/day → 50 µL/day; alarm (20000 − 2000) / 50 = 360 days away
    const due = nextRefillDue({ period: fill('2025-01-01', 20_000, rate(50)), alarmUl: ul(2_000), stabilityDays: [null] });
    expect(due.rule).toBe('max_interval');
    expect(due.date).toBe('2025-06-30'); // R + 180
    expect(due.alarmDate).toBe('2025-12-27'); // R + 360 = 2026-01-01 − 5 days
  });

  it('a pump that is off has no alarm date: stability or max interval decide', () => {
    const due = nextRefillDue({ period: fill('2025-01-01', 20_000, rate(0)), alarmUl: ul(2_000), stabilityDays: [] });
    expect(due).toMatchObject({ rule: 'max_interval', alarmDate: null, emptyDate: null, alarmRuleDate: null });
  });

  it('ties go to the alarm rule, then stability; margin and interval are settings', () => {
    // alarm R+72, margin 12 → R+60; stability 60 → tie → 'alarm'
    const tie = nextRefillDue({ period: fill('2025-01-01', 20_000, rate(250)), alarmUl: ul(2_000), stabilityDays: [60], safetyMarginDays: 12 });
    expect(tie).toMatchObject({ rule: 'alarm', date: '2025-03-02' }); // Jan 1 + 60
    const stab = nextRefillDue({ period: fill('2025-01-01', 20_000, rate(0)), alarmUl: ul(2_000), stabilityDays: [30], maxIntervalDays: 30 });
    expect(stab).toMatchObject({ rule: 'stability', date: '2025-01-31' });
    const max = nextRefillDue({ period: fill('2025-01-01', 20_000, rate(250)), alarmUl: ul(2_000), stabilityDays: [], maxIntervalDays: 30 });
    expect(max).toMatchObject({ rule: 'max_interval', date: '2025-01-31' });
  });

  it('across a leap day the dates land exactly (2023 vs 2024)', () => {
    const a2023 = nextRefillDue({ period: fill('2023-02-01', 20_000, rate(250)), alarmUl: ul(2_000), stabilityDays: [] });
    const a2024 = nextRefillDue({ period: fill('2024-02-01', 20_000, rate(250)), alarmUl: ul(2_000), stabilityDays: [] });
    // 2023: Feb 1 + 72: +27 → Feb 28, +31 → Mar 31 (58), +14 → Apr 14
    // 2024: Feb 1 + 72: +28 → Feb 29, +31 → Mar 31 (59), +13 → Apr 13
    expect(a2023.alarmDate).toBe('2023-04-14');
    expect(a2024.alarmDate).toBe('2024-04-13');
    expect(a2023.date).toBe('2023-04-07');
    expect(a2024.date).toBe('2024-04-06');
  });

  it('across DST changes the dates land exactly', () => {
    // New York: refill 2026-03-07, the day before DST starts. R + 72: +24 → Mar 31, +30 → Apr 30 (54), +18 → May 18
    const ny = nextRefillDue({ period: fill('2026-03-07', 20_000, rate(250)), alarmUl: ul(2_000), stabilityDays: [] });
    expect(ny).toMatchObject({ alarmDate: '2026-05-18', date: '2026-05-11', emptyDate: '2026-05-26' });
    expect(levelUlOn(fill('2026-03-07', 20_000, rate(250)), d('2026-03-09'))).toBe(19_500); // 2 days × 250
    // London: refill 2026-10-20, DST ends 2026-10-25. R + 72: +11 → Oct 31, +30 → Nov 30 (41), +31 → Dec 31 (72)
    const ldn = nextRefillDue({ period: fill('2026-10-20', 20_000, rate(250)), alarmUl: ul(2_000), stabilityDays: [] });
    expect(ldn).toMatchObject({ alarmDate: '2026-12-31', date: '2026-12-24' });
  });

  it("the clinic's today decides the worklist status around midnight", () => {
    // due 2026-05-11 (above). Just before midnight in New York on 05-11 it is due; after, overdue.
    const before = todayIn('America/New_York', Date.UTC(2026, 4, 12, 3, 59, 59)); // 23:59:59 EDT on 05-11
    const after = todayIn('America/New_York', Date.UTC(2026, 4, 12, 4, 0, 0)); // 00:00 EDT on 05-12
    expect(classifyRefill(d('2026-05-11'), before, 14)).toBe('due');
    expect(classifyRefill(d('2026-05-11'), after, 14)).toBe('overdue');
  });
});

describe('replacement due', () => {
  it('SynchroMed II: 84 months, lead 6, counted from the implant date', () => {
    // 2019-05-31 + 84 months = 2026-05-31; + 78 months = 2025-11-31 → clamped to 2025-11-30
    const at = (today: string) => replacementDue({ implantDate: d('2019-05-31'), serviceLifeMonths: 84, today: d(today) });
    expect(at('2025-11-29')).toEqual({ endOfServiceDate: '2026-05-31', replacementFromDate: '2025-11-30', due: false });
    expect(at('2025-11-30').due).toBe(true);
    expect(at('2027-01-01').due).toBe(true);
  });
  it('a leap-day implant', () => {
    // 2020-02-29 + 84 months → 2027-02-29 does not exist → 2027-02-28; + 78 → 2026-08-29; lead 12 → + 72 → 2026-02-28
    expect(replacementDue({ implantDate: d('2020-02-29'), serviceLifeMonths: 84, today: d('2026-08-28') })).toEqual({
      endOfServiceDate: '2027-02-28',
      replacementFromDate: '2026-08-29',
      due: false,
    });
    expect(replacementDue({ implantDate: d('2020-02-29'), serviceLifeMonths: 84, leadMonths: 12, today: d('2026-02-28') }).due).toBe(true);
  });
});

describe('stabilityLimitDays (a new pump\'s first fill: ziconotide within 14 days, then every 40)', () => {
  it('takes the shorter first-fill limit for a first fill only, and never a longer one', () => {
    const ziconotide = { stabilityDays: 40, firstFillStabilityDays: 14 };
    expect(stabilityLimitDays(ziconotide, true)).toBe(14);
    expect(stabilityLimitDays(ziconotide, false)).toBe(40);
    expect(stabilityLimitDays({ stabilityDays: 90, firstFillStabilityDays: null }, true)).toBe(90);
    expect(stabilityLimitDays({ stabilityDays: null, firstFillStabilityDays: 14 }, true)).toBe(14);
    expect(stabilityLimitDays({ stabilityDays: null, firstFillStabilityDays: 14 }, false)).toBeNull();
    expect(stabilityLimitDays({ stabilityDays: 10, firstFillStabilityDays: 14 }, true)).toBe(10);
  });
});

describe('ziconotide stability depends on dilution (Prialt label: 84 days undiluted at 100 mcg/mL, 40 diluted, 14 after a new pump\'s first fill)', () => {
  const ziconotide = findDrug(SEED_DRUGS, 'Ziconotide')!;
  const morphine = findDrug(SEED_DRUGS, 'Morphine')!;
  const conc = (mcgPerMl: number) => must(concentrationToNgPerMl(mcgPerMl, 'mcg'));
  // 2.4 mcg/day at 100 mcg/mL = 24 µL/day: 20 mL lasts 833 days, so the alarm never decides here.
  const slow = rate(24);
  const due = (refill: string, drugs: { drug: typeof ziconotide | null; concentrationNgPerMl: number }[], firstFill: boolean) =>
    nextRefillDue({ period: fill(refill, 20_000, slow), alarmUl: ul(2_000), stabilityDays: fillStabilityDays(drugs, firstFill), maxIntervalDays: 180 });

  it('100 mcg/mL (undiluted) refilled on 2026-01-10: stability date 2026-04-04 (84 days)', () => {
    // 2026-01-10 + 84: 21 days to Jan 31 (63 left), 28 in Feb 2026 (35 left), 31 in March (4 left) → 2026-04-04
    const d84 = due('2026-01-10', [{ drug: ziconotide, concentrationNgPerMl: conc(100) }], false);
    expect([d84.stabilityDate, d84.date, d84.rule]).toEqual(['2026-04-04', '2026-04-04', 'stability']);
  });

  it('25 mcg/mL (diluted): 40 days; the first fill of a new pump: 14 days, undiluted or not', () => {
    // 2026-01-10 + 40: 21 days to Jan 31, 19 more → 2026-02-19
    expect(due('2026-01-10', [{ drug: ziconotide, concentrationNgPerMl: conc(25) }], false).stabilityDate).toBe('2026-02-19');
    // 2026-01-10 + 14 → 2026-01-24
    expect(due('2026-01-10', [{ drug: ziconotide, concentrationNgPerMl: conc(25) }], true).stabilityDate).toBe('2026-01-24');
    expect(due('2026-01-10', [{ drug: ziconotide, concentrationNgPerMl: conc(100) }], true).stabilityDate).toBe('2026-01-24');
  });

  it('an admixture is diluted, even with ziconotide at 100 mcg/mL: 40 days', () => {
    const mix = [
      { drug: ziconotide, concentrationNgPerMl: conc(100) },
      { drug: morphine, concentrationNgPerMl: must(concentrationToNgPerMl(10, 'mg')) },
    ];
    expect(fillStabilityDays(mix, false)).toEqual([40, 90]);
    expect(due('2026-01-10', mix, false).stabilityDate).toBe('2026-02-19');
  });

  it('crossing a leap day', () => {
    // 2028-02-01 + 40: 28 days to Feb 29 (leap year), 12 more → 2028-03-12 (2027: → 2027-03-13)
    expect(due('2028-02-01', [{ drug: ziconotide, concentrationNgPerMl: conc(25) }], false).stabilityDate).toBe('2028-03-12');
    expect(due('2027-02-01', [{ drug: ziconotide, concentrationNgPerMl: conc(25) }], false).stabilityDate).toBe('2027-03-13');
    // 2027-12-20 + 84: 11 days to Dec 31 (73 left), 31 in Jan (42 left), 29 in Feb 2028 (13 left) → 2028-03-13
    expect(due('2027-12-20', [{ drug: ziconotide, concentrationNgPerMl: conc(100) }], false).stabilityDate).toBe('2028-03-13');
  });

  it('a drug without undiluted figures, or one not in the list, is unchanged', () => {
    expect(fillStabilityDays([{ drug: morphine, concentrationNgPerMl: must(concentrationToNgPerMl(25, 'mg')) }], false)).toEqual([90]);
    expect(fillStabilityDays([{ drug: null, concentrationNgPerMl: conc(100) }], false)).toEqual([null]);
  });

  it('property: only a one-drug fill at exactly 100 mcg/mL gets 84 days; every other ziconotide fill gets 40 (14 when first)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.boolean(), fc.boolean(), (ngPerMl, firstFill, withMorphine) => {
        const fillDrugs = [{ drug: ziconotide, concentrationNgPerMl: ngPerMl }, ...(withMorphine ? [{ drug: morphine, concentrationNgPerMl: 10_000_000 }] : [])];
        const limit = fillStabilityDays(fillDrugs, firstFill)[0];
        const expected = firstFill ? 14 : !withMorphine && ngPerMl === 100_000 ? 84 : 40;
        expect(limit).toBe(expected);
      }),
    );
  });
});
