/**
 * The drug library's soft and hard limits (issue 17, item 1), with hand-worked examples. The
 * configurations below copy the clinic defaults the migration seeds (migration 12:
 * electron/services/store/migrations/sqlite/0012-drug-limits.ts);
 * masses in ng: 1 mg = 1,000,000 ng; 1 mcg = 1,000 ng.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calendarDate } from './calendar';
import type { DrugConfig } from './drugs';
import { checkPrescription, checkPrescriptionStepUps, checkStepUp, checkWeekStepUp } from './limits';
import { parseDrugEntry, type PrescribedDrug, type Prescription } from './prescription';
import { must } from './test-fixtures';
import type { Microlitres, NgPerDay, NgPerMl } from './units';

const ul = (n: number) => n as Microlitres;
const ngd = (n: number) => n as NgPerDay;
const ngml = (n: number) => n as NgPerMl;
const d = calendarDate;

const MORPHINE: DrugConfig = {
  name: 'Morphine',
  unit: 'mg',
  typicalConcentration: { min: ngml(10_000_000), max: ngml(25_000_000) }, // soft 10 .. 25 mg/mL
  maxConcentration: ngml(30_000_000), // hard 30 mg/mL (a test value)
  typicalDailyDose: { min: ngd(200_000), max: ngd(20_000_000) }, // soft 0.2 .. 20 mg/day
  maxDailyDose: ngd(30_000_000), // hard 30 mg/day = 2 × 15 mg/day (PACC 2017)
  stabilityDays: 90,
  firstFillStabilityDays: null,
  maxStepUpSoftPct: 25, // test values: the seed leaves the opioids' step limits empty
  maxStepUpHardPct: 100,
  limitsSource: '2 × the PACC 2017 recommended maximum of 15 mg/day',
};
const BACLOFEN: DrugConfig = {
  name: 'Baclofen',
  unit: 'mcg',
  typicalConcentration: { min: ngml(50_000), max: ngml(2_000_000) },
  maxConcentration: null,
  typicalDailyDose: { min: ngd(90_000), max: ngd(800_000) },
  maxDailyDose: ngd(2_000_000), // 2 × 1000 mcg/day
  stabilityDays: null,
  firstFillStabilityDays: null,
  limitsSource: '2 × the 1000 mcg/day above which the Lioresal Intrathecal label reports limited experience',
};
const ZICONOTIDE: DrugConfig = {
  name: 'Ziconotide',
  unit: 'mcg',
  typicalConcentration: { min: ngml(25_000), max: ngml(100_000) },
  maxConcentration: null,
  typicalDailyDose: { min: ngd(0), max: ngd(19_200) },
  maxDailyDose: ngd(19_200),
  stabilityDays: 40,
  firstFillStabilityDays: 14,
  maxStepUpSoftNgPerDay: 2_400, // 2.4 mcg/day per change (Prialt label)
  maxWeekStepUpSoftNgPerDay: 7_200, // 3 × 2.4 mcg/day per 7 days
  limitsSource: 'Prialt label',
};
const LIBRARY = [MORPHINE, BACLOFEN, ZICONOTIDE];

function rx(name: string, unit: 'mg' | 'mcg', conc: number, dose: number): Prescription {
  const drug: PrescribedDrug = must(parseDrugEntry({ name, concentration: { value: conc, unit }, dailyDose: { value: dose, unit } }, LIBRARY, 'drugs.0'));
  return { drugs: [drug], mode: 'simple_continuous', extraVolumeUlPerDay: ul(0) };
}
const check = (p: Prescription) => checkPrescription(p, LIBRARY, ul(40_000));

describe('daily dose limits', () => {
  it('refuses morphine 500 mg/day above the hard maximum, naming the limit and its source', () => {
    // 500 mg/day at 25 mg/mL = 20 mL/day: less than the 40 mL reservoir, so only the dose is at fault
    expect(check(rx('Morphine', 'mg', 25, 500)).refusals).toEqual([
      {
        code: 'refused',
        message: 'Morphine daily dose 500 mg/day is above the hard maximum of 30 mg/day (2 × the PACC 2017 recommended maximum of 15 mg/day).',
        field: 'drugs.0.dailyDose',
      },
    ]);
  });

  it('refuses baclofen 20,000 mcg/day (hard maximum 2000 mcg/day)', () => {
    // 20,000 mcg/day at 2000 mcg/mL = 10 mL/day
    const r = check(rx('Baclofen', 'mcg', 2000, 20_000));
    expect(r.refusals[0]?.message).toBe(
      'Baclofen daily dose 20000 mcg/day is above the hard maximum of 2000 mcg/day (2 × the 1000 mcg/day above which the Lioresal Intrathecal label reports limited experience).',
    );
  });

  it('exactly at the hard maximum is allowed (a soft warning only); 0.001 mg above is refused', () => {
    const at = check(rx('Morphine', 'mg', 25, 30)); // 30 mg/day = the hard maximum
    expect(at.refusals).toEqual([]);
    // 30 mg/day is above the soft 20 mg/day: a warning
    expect(at.warnings.map((w) => w.field)).toEqual(['drugs.0.dailyDose']);
    expect(check(rx('Morphine', 'mg', 25, 30.001)).refusals.map((r) => r.field)).toEqual(['drugs.0.dailyDose']);
  });

  it('soft range: exactly at its ends passes; outside warns', () => {
    expect(check(rx('Morphine', 'mg', 25, 20)).warnings).toEqual([]); // 20 mg/day = soft max
    expect(check(rx('Morphine', 'mg', 25, 0.2)).warnings).toEqual([]); // 0.2 mg/day = soft min
    expect(check(rx('Morphine', 'mg', 25, 20.5)).warnings).toEqual([
      { field: 'drugs.0.dailyDose', message: 'Morphine daily dose 20.5 mg/day is outside the typical range 0.2 mg/day to 20 mg/day.' },
    ]);
  });

  it('a mcg dose typed for a mg drug cannot slip under the limit: refused for its unit', () => {
    // "500,000 mcg/day" of morphine is 500 mg/day; the mg drug refuses any mcg amount outright
    const r = parseDrugEntry({ name: 'Morphine', concentration: { value: 25, unit: 'mg' }, dailyDose: { value: 500_000, unit: 'mcg' } }, LIBRARY, 'drugs.0');
    expect(r.ok).toBe(false);
  });
});

describe('concentration limits', () => {
  it('hard maximum 30 mg/mL: exactly at it is allowed (soft warning), above refused with the source', () => {
    expect(check(rx('Morphine', 'mg', 30, 10)).refusals).toEqual([]);
    expect(check(rx('Morphine', 'mg', 30, 10)).warnings.map((w) => w.field)).toEqual(['drugs.0.concentration']); // above soft 25
    expect(check(rx('Morphine', 'mg', 31, 10)).refusals).toEqual([
      {
        code: 'refused',
        message: 'Morphine concentration 31 mg/mL is above the hard maximum of 30 mg/mL (2 × the PACC 2017 recommended maximum of 15 mg/day).',
        field: 'drugs.0.concentration',
      },
    ]);
  });

  it('soft range 10 .. 25 mg/mL: its ends pass, 9 mg/mL warns', () => {
    expect(check(rx('Morphine', 'mg', 10, 5)).warnings).toEqual([]);
    expect(check(rx('Morphine', 'mg', 25, 5)).warnings).toEqual([]);
    expect(check(rx('Morphine', 'mg', 9, 5)).warnings.map((w) => w.field)).toEqual(['drugs.0.concentration']);
  });
});

describe('step-up limits', () => {
  it('soft 25 % per change: 8 → 10 mg/day (+25 %) passes; 8 → 10.5 (+31.3 %) warns', () => {
    // 2 mg / 8 mg = 25 % exactly: allowed. 2.5 / 8 = 31.25 % → shown 31.3 %
    expect(checkStepUp(MORPHINE, ngd(8_000_000), ngd(10_000_000), 'dailyDose')).toMatchObject({ refusals: [], warnings: [] });
    expect(checkStepUp(MORPHINE, ngd(8_000_000), ngd(10_500_000), 'dailyDose')).toMatchObject({
      refusals: [],
      warnings: [
        {
          field: 'dailyDose',
          message:
            'Raising Morphine from 8 mg/day to 10.5 mg/day (+31.3 %) is above the soft maximum step up of 25 % per change (2 × the PACC 2017 recommended maximum of 15 mg/day).',
        },
      ],
    });
  });

  it('hard 100 % per change: 5.4 → 10.8 mg/day (+100 %) allowed with a warning; 5.4 → 10.9 refused', () => {
    // 5.4 mg × 2 = 10.8 mg: exactly +100 %. 10.9 - 5.4 = 5.5; 5.5 / 5.4 = 101.85 % → 101.9 %
    const at = checkStepUp(MORPHINE, ngd(5_400_000), ngd(10_800_000), 'dailyDose');
    expect(at.refusals).toEqual([]);
    expect(at.warnings).toHaveLength(1);
    expect(checkStepUp(MORPHINE, ngd(5_400_000), ngd(10_900_000), 'dailyDose').refusals).toEqual([
      {
        code: 'refused',
        message:
          'Raising Morphine from 5.4 mg/day to 10.9 mg/day (+101.9 %) is above the hard maximum step up of 100 % per change (2 × the PACC 2017 recommended maximum of 15 mg/day).',
        field: 'dailyDose',
      },
    ]);
  });

  it('a lowered or unchanged dose never trips a step-up limit', () => {
    expect(checkStepUp(MORPHINE, ngd(10_000_000), ngd(1_000_000), 'dailyDose')).toMatchObject({ refusals: [], warnings: [] });
    expect(checkStepUp(MORPHINE, ngd(10_000_000), ngd(10_000_000), 'dailyDose')).toMatchObject({ refusals: [], warnings: [] });
  });

  it('ziconotide 2.4 mcg/day per change: 4.8 → 7.2 passes, 4.8 → 7.3 warns', () => {
    // 7.2 - 4.8 = 2.4 mcg/day = the limit; 7.3 - 4.8 = 2.5 > 2.4
    expect(checkStepUp(ZICONOTIDE, ngd(4_800), ngd(7_200), 'dailyDose').warnings).toEqual([]);
    expect(checkStepUp(ZICONOTIDE, ngd(4_800), ngd(7_300), 'dailyDose').warnings).toEqual([
      {
        field: 'dailyDose',
        message: 'Raising Ziconotide from 4.8 mcg/day to 7.3 mcg/day (+2.5 mcg/day) is above the soft maximum step up of 2.4 mcg/day per change (Prialt label).',
      },
    ]);
  });

  it('property: with a hard % limit, any raise is refused exactly when raise × 100 > pct × from', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50_000_000 }), fc.integer({ min: 0, max: 100_000_000 }), (from, raise) => {
        const r = checkStepUp(MORPHINE, ngd(from), ngd(from + raise), 'dailyDose');
        expect(r.refusals.length > 0).toBe(raise * 100 > 100 * from);
      }),
    );
  });
});

describe('ziconotide weekly step-up (7.2 mcg/day per 7 days)', () => {
  const history = [
    { date: d('2026-03-01'), doseNgPerDay: ngd(2_400) },
    { date: d('2026-03-05'), doseNgPerDay: ngd(4_800) },
    { date: d('2026-03-08'), doseNgPerDay: ngd(7_200) },
  ];
  it('2.4 → 9.6 within 7 days is +7.2: allowed at the limit', () => {
    // window for 2026-03-08: the dose in effect on 03-01 (2.4) and later ones; 9.6 - 2.4 = 7.2
    expect(checkWeekStepUp(ZICONOTIDE, history, d('2026-03-08'), ngd(9_600), 'dailyDose').warnings).toEqual([]);
  });
  it('2.4 → 9.7 within 7 days is +7.3: warns', () => {
    expect(checkWeekStepUp(ZICONOTIDE, history, d('2026-03-08'), ngd(9_700), 'dailyDose').warnings).toEqual([
      {
        field: 'dailyDose',
        message: 'Ziconotide would rise from 2.4 mcg/day to 9.7 mcg/day within 7 days (+7.3 mcg/day), above the soft maximum of 7.2 mcg/day per 7 days (Prialt label).',
      },
    ]);
  });
  it('a week later the baseline has moved: on 2026-03-13 the lowest dose since 03-06 is 4.8', () => {
    // in effect on 03-06: 4.8 (from 03-05); 03-08: 7.2. 12 - 4.8 = 7.2 → allowed; 12.1 → +7.3 warns
    expect(checkWeekStepUp(ZICONOTIDE, history, d('2026-03-13'), ngd(12_000), 'dailyDose').warnings).toEqual([]);
    expect(checkWeekStepUp(ZICONOTIDE, history, d('2026-03-13'), ngd(12_100), 'dailyDose').warnings).toHaveLength(1);
  });
});

describe('checkPrescriptionStepUps', () => {
  it('checks each drug against the prescription in effect; a drug new to the pump is not a step', () => {
    const before = rx('Morphine', 'mg', 25, 8);
    const after = rx('Morphine', 'mg', 25, 17); // +9 / 8 = 112.5 % > 100 %: refused
    expect(checkPrescriptionStepUps(before, after, LIBRARY).refusals.map((r) => r.field)).toEqual(['drugs.0.dailyDose']);
    expect(checkPrescriptionStepUps(null, after, LIBRARY)).toMatchObject({ refusals: [], warnings: [] });
    expect(checkPrescriptionStepUps(rx('Baclofen', 'mcg', 2000, 500), after, LIBRARY)).toMatchObject({ refusals: [], warnings: [] });
  });
});

describe('the soft limit each override is for (kept with the entry for the safety report)', () => {
  it('names the drug, the limit, its value in the drug\'s unit and the source; warnings below a range are not soft limits', () => {
    // 24 mg/day at 26 mg/mL: above the soft 20 mg/day and the soft 25 mg/mL (below the hard 30 / 30).
    const high = checkPrescription(rx('Morphine', 'mg', 26, 24), LIBRARY, ul(40_000));
    expect(high.refusals).toEqual([]);
    expect(high.softLimits!.map((w) => w.limit)).toEqual([
      { drug: 'Morphine', limit: 'concentration soft maximum', value: '25 mg/mL', source: '2 × the PACC 2017 recommended maximum of 15 mg/day' },
      { drug: 'Morphine', limit: 'daily dose soft maximum', value: '20 mg/day', source: '2 × the PACC 2017 recommended maximum of 15 mg/day' },
    ]);
    // The warnings a person reads carry no `limit` field (the contract's Warning is field and message).
    expect(high.warnings.every((w) => !('limit' in w))).toBe(true);
    // 0.1 mg/day: below the soft range, a warning only.
    const low = checkPrescription(rx('Morphine', 'mg', 10, 0.1), LIBRARY, ul(40_000));
    expect(low.warnings).toHaveLength(1);
    expect(low.softLimits).toEqual([]);
  });

  it('step ups: 8 → 10.5 mg/day of morphine (+31.25 %, above 25 %); ziconotide 2.4 → 9.6 over 3 days (+7.2 per change, +7.2 per week: only the per-change limit)', () => {
    expect(checkStepUp(MORPHINE, ngd(8_000_000), ngd(10_500_000), 'dailyDose').softLimits!.map((w) => w.limit)).toEqual([
      { drug: 'Morphine', limit: 'step up soft maximum', value: '25 % per change', source: '2 × the PACC 2017 recommended maximum of 15 mg/day' },
    ]);
    // 9.6 − 2.4 = 7.2 mcg/day: above 2.4 per change; exactly 7.2 over 7 days: allowed.
    const zic = checkPrescriptionStepUps(rx('Ziconotide', 'mcg', 25, 2.4), rx('Ziconotide', 'mcg', 25, 9.6), LIBRARY, {
      field: 'dailyDose',
      date: d('2026-03-04'),
      history: [{ date: d('2026-03-01'), prescription: rx('Ziconotide', 'mcg', 25, 2.4) }],
    });
    expect(zic.softLimits!.map((w) => w.limit)).toEqual([{ drug: 'Ziconotide', limit: 'step up soft maximum', value: '2.4 mcg/day per change', source: 'Prialt label' }]);
    // 2.4 → 9.7: +7.3 over 7 days, above 7.2: both limits.
    const week = checkPrescriptionStepUps(rx('Ziconotide', 'mcg', 25, 2.4), rx('Ziconotide', 'mcg', 25, 9.7), LIBRARY, {
      field: 'dailyDose',
      date: d('2026-03-04'),
      history: [{ date: d('2026-03-01'), prescription: rx('Ziconotide', 'mcg', 25, 2.4) }],
    });
    expect(week.softLimits!.map((w) => `${w.limit.limit}: ${w.limit.value}`)).toEqual(['step up soft maximum: 2.4 mcg/day per change', 'step up soft maximum over 7 days: 7.2 mcg/day per 7 days']);
  });
});
