import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calendarDate } from './calendar';
import { DEVICE_CATALOG, must } from './test-fixtures';
import { findDrug } from './drugs';
import { SEED_DRUGS } from './test-fixtures';
import { checkEventDate, checkNotFuture, checkPrescription, checkRefill, checkToResult } from './limits';
import { prescriptionFlowRate, type PrescribedDrug, type Prescription } from './prescription';
import { concentrationToNgPerMl, dailyDoseToNgPerDay, formatConcentration, formatDailyDose, type MassUnit, type Microlitres } from './units';

const d = calendarDate;
const ul = (n: number) => n as Microlitres;
function drug(name: string, unit: MassUnit, concPerMl: number, dosePerDay: number): PrescribedDrug {
  return { name, unit, concentrationNgPerMl: must(concentrationToNgPerMl(concPerMl, unit)), dailyDoseNgPerDay: must(dailyDoseToNgPerDay(dosePerDay, unit)) };
}
const simple = (...drugs: PrescribedDrug[]): Prescription => ({ drugs, mode: 'simple_continuous', extraVolumeUlPerDay: ul(0) });
const check = (p: Prescription, reservoir = 20_000) => checkPrescription(p, SEED_DRUGS, ul(reservoir));

describe('checkPrescription', () => {
  it('a typical prescription passes without warnings', () => {
    expect(check(simple(drug('Morphine', 'mg', 10, 5)))).toMatchObject({ refusals: [], warnings: [] });
    expect(check(simple(drug('Baclofen', 'mcg', 2000, 500)))).toMatchObject({ refusals: [], warnings: [] });
  });

  it('refuses a concentration above the maximum; exactly at the maximum is accepted', () => {
    // morphine maximum 20 mg/mL (PACC, UNCONFIRMED default)
    expect(check(simple(drug('Morphine', 'mg', 20, 5))).refusals).toEqual([]);
    const r = check(simple(drug('Morphine', 'mg', 20.001, 5)));
    expect(r.refusals).toEqual([
      { code: 'refused', message: 'Morphine concentration 20.001 mg/mL is above the hard maximum of 20 mg/mL.', field: 'drugs.0.concentration' },
    ]);
    // Infumorph 25 mg/mL is refused by the default maximum (see the note in drugs.ts)
    expect(check(simple(drug('Morphine', 'mg', 25, 5))).refusals[0]?.field).toBe('drugs.0.concentration');
  });

  it('refuses a dose above the maximum: ziconotide 19.2 mcg/day', () => {
    expect(check(simple(drug('Ziconotide', 'mcg', 100, 19.2))).refusals).toEqual([]);
    const r = check(simple(drug('Ziconotide', 'mcg', 100, 19.201)));
    expect(r.refusals).toEqual([
      { code: 'refused', message: 'Ziconotide daily dose 19.201 mcg/day is above the hard maximum of 19.2 mcg/day.', field: 'drugs.0.dailyDose' },
    ]);
  });

  it('warns (does not refuse) outside the typical range', () => {
    // morphine typical 0.2 .. 10 mg/day
    const low = check(simple(drug('Morphine', 'mg', 10, 0.1)));
    expect(low.refusals).toEqual([]);
    expect(low.warnings).toEqual([
      { field: 'drugs.0.dailyDose', message: 'Morphine daily dose 0.1 mg/day is outside the typical range 0.2 mg/day to 10 mg/day.' },
    ]);
    expect(check(simple(drug('Morphine', 'mg', 10, 10))).warnings).toEqual([]); // the edge is inside
    expect(check(simple(drug('Morphine', 'mg', 5, 2))).warnings[0]?.field).toBe('drugs.0.concentration'); // below 10 mg/mL
  });

  it('above the maximum is a refusal only, not also a warning', () => {
    const cfg = {
      name: 'Testdrug',
      unit: 'mg' as const,
      typicalConcentration: { min: must(concentrationToNgPerMl(1, 'mg')), max: must(concentrationToNgPerMl(10, 'mg')) },
      maxConcentration: must(concentrationToNgPerMl(20, 'mg')),
      typicalDailyDose: { min: must(dailyDoseToNgPerDay(1, 'mg')), max: must(dailyDoseToNgPerDay(5, 'mg')) },
      maxDailyDose: must(dailyDoseToNgPerDay(8, 'mg')),
      stabilityDays: null,
      firstFillStabilityDays: null,
    };
    // 21 mg/mL > 20 (refused), 8.5 mg/day > 8 (refused); 8.5 / 21 mL/day is a small volume
    const r = checkPrescription(simple(drug('Testdrug', 'mg', 21, 8.5)), [cfg], ul(20_000));
    expect(r.refusals.map((x) => x.field)).toEqual(['drugs.0.concentration', 'drugs.0.dailyDose']);
    expect(r.warnings).toEqual([]);
    // 15 mg/mL and 6 mg/day: above typical, not above the maximum → warnings only
    const w = checkPrescription(simple(drug('Testdrug', 'mg', 15, 6)), [cfg], ul(20_000));
    expect(w.refusals).toEqual([]);
    expect(w.warnings.map((x) => x.field)).toEqual(['drugs.0.concentration', 'drugs.0.dailyDose']);
  });

  it('refuses a unit of the wrong family, with the drug in the message', () => {
    const r = check(simple({ ...drug('Baclofen', 'mcg', 2000, 500), unit: 'mg' }));
    expect(r.refusals).toEqual([{ code: 'refused', message: 'Baclofen is dosed in mcg; the value is in mg.', field: 'drugs.0.unit' }]);
  });

  it('refuses a missing unit and an unknown drug', () => {
    const missing = check(simple({ ...drug('Clonidine', 'mcg', 500, 100), unit: undefined as unknown as MassUnit }));
    expect(missing.refusals).toEqual([{ code: 'invalid_input', message: 'The unit of Clonidine is missing: write mcg.', field: 'drugs.0.unit' }]);
    const unknown = check(simple(drug('Oxycodone', 'mg', 10, 1)));
    expect(unknown.refusals[0]).toMatchObject({ code: 'refused', field: 'drugs.0.name' });
  });

  it('refuses a drug listed twice and an admixture that disagrees', () => {
    expect(check(simple(drug('Morphine', 'mg', 10, 2), drug('morphine', 'mg', 10, 2))).refusals[0]?.field).toBe('drugs.1.name');
    // morphine 0.2 mL/day vs clonidine 101.5 / 500 = 0.203 mL/day (+1.5 %)
    const r = check(simple(drug('Morphine', 'mg', 10, 2), drug('Clonidine', 'mcg', 500, 101.5)));
    expect(r.refusals.map((x) => x.field)).toEqual(['drugs.1.dailyDose']);
  });

  it('refuses a daily volume larger than the reservoir (a unit slip)', () => {
    // morphine 250 mg/day at 10 mg/mL = 25 mL/day > 20 mL
    const r = check(simple(drug('Morphine', 'mg', 10, 250)));
    expect(r.refusals).toEqual([
      { code: 'refused', message: 'The daily volume 25.000 mL/day is more than the whole reservoir (20.000 mL); check the units.', field: 'drugs.0.dailyDose' },
    ]);
    expect(check(simple(drug('Morphine', 'mg', 10, 200))).refusals).toEqual([]); // 20 mL/day: not more than 20 mL
  });

  it('checkToResult gives the first refusal or the warnings', () => {
    expect(checkToResult(check(simple(drug('Morphine', 'mg', 10, 5))))).toEqual({ ok: true, value: { warnings: [] } });
    expect(checkToResult(check(simple(drug('Morphine', 'mg', 25, 5)))).ok).toBe(false);
  });

  it('answers the same given the prescription rate as working it out itself (any drugs, doses, reservoir)', () => {
    const names = ['Morphine', 'Baclofen', 'Ziconotide', 'morphine ', 'Unknown'];
    const entry = fc.record({
      name: fc.constantFrom(...names),
      unit: fc.constantFrom<MassUnit>('mg', 'mcg'),
      conc: fc.integer({ min: 0, max: 60_000 }).map((n) => n / 1000),
      dose: fc.integer({ min: 0, max: 60_000 }).map((n) => n / 1000),
    });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 3 }), fc.integer({ min: 1, max: 60_000 }), fc.integer({ min: 0, max: 2000 }), (entries, reservoir, extra) => {
        const p: Prescription = { ...simple(...entries.map((e) => drug(e.name, e.unit, e.conc, e.dose))), extraVolumeUlPerDay: ul(extra) };
        const given = checkPrescription(p, SEED_DRUGS, ul(reservoir), prescriptionFlowRate(p));
        expect(given).toEqual(checkPrescription(p, SEED_DRUGS, ul(reservoir)));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('checkRefill', () => {
  it('refuses more than the reservoir holds; exactly full is fine', () => {
    expect(checkRefill(ul(20_000), ul(20_000)).refusals).toEqual([]);
    expect(checkRefill(ul(20_001), ul(20_000)).refusals).toEqual([
      { code: 'refused', message: 'The volume added (20.001 mL) is more than the reservoir holds (20.000 mL).', field: 'addedUl' },
    ]);
    expect(checkRefill(ul(-1), ul(20_000)).refusals[0]?.code).toBe('invalid_input');
    expect(checkRefill(ul(1.5), ul(20_000)).refusals[0]?.code).toBe('invalid_input');
  });
});

describe('checkEventDate', () => {
  const implant = d('2020-03-15');
  const today = d('2030-06-30');
  it('refuses before the implant and after a removal; accepts the days themselves', () => {
    expect(checkEventDate(d('2020-03-14'), implant, null, today).refusals).toEqual([
      { code: 'refused', message: 'The date 2020-03-14 is before the pump was implanted (2020-03-15).', field: 'date' },
    ]);
    expect(checkEventDate(d('2020-03-15'), implant, null, today).refusals).toEqual([]);
    expect(checkEventDate(d('2030-01-01'), implant, null, today).refusals).toEqual([]);
    expect(checkEventDate(d('2024-06-01'), implant, d('2024-06-01'), today).refusals).toEqual([]);
    expect(checkEventDate(d('2024-06-02'), implant, d('2024-06-01'), today).refusals[0]?.message).toBe(
      'The date 2024-06-02 is after the pump was removed (2024-06-01).',
    );
  });

  it('refuses a date after the clinic\'s today, and accepts today itself (a leap day too)', () => {
    expect(checkEventDate(d('2030-06-30'), implant, null, today).refusals).toEqual([]);
    expect(checkEventDate(d('2030-07-01'), implant, null, today).refusals).toEqual([
      { code: 'refused', message: 'The date 2030-07-01 is after today (2030-06-30): record what has happened, on the day it happened.', field: 'date' },
    ]);
    expect(checkEventDate(d('2028-02-29'), implant, null, d('2028-02-29')).refusals).toEqual([]);
    expect(checkEventDate(d('2028-03-01'), implant, null, d('2028-02-29')).refusals).toHaveLength(1);
    expect(checkNotFuture(d('2031-01-01'), today, 'replacement.implantDate').refusals[0]?.field).toBe('replacement.implantDate');
  });
});

describe('seed data', () => {
  it('units of each drug family', () => {
    const unit = (n: string) => findDrug(SEED_DRUGS, n)?.unit;
    expect(['Morphine', 'Hydromorphone', 'Bupivacaine'].map(unit)).toEqual(['mg', 'mg', 'mg']);
    expect(['Baclofen', 'Ziconotide', 'Clonidine', 'Fentanyl', 'Sufentanil'].map(unit)).toEqual(['mcg', 'mcg', 'mcg', 'mcg', 'mcg']);
  });

  it('the integer ng literals say what the reference says', () => {
    const get = (n: string) => {
      const c = findDrug(SEED_DRUGS, n);
      if (c === null) throw new Error(n);
      return c;
    };
    const maxConc = (n: string) => {
      const c = get(n);
      return c.maxConcentration === null ? null : formatConcentration(c.maxConcentration, c.unit);
    };
    const dose = (n: string) => {
      const c = get(n);
      return c.typicalDailyDose === null ? null : `${formatDailyDose(c.typicalDailyDose.min, c.unit)} – ${formatDailyDose(c.typicalDailyDose.max, c.unit)}`;
    };
    expect(['Morphine', 'Hydromorphone', 'Sufentanil', 'Bupivacaine', 'Clonidine'].map(maxConc)).toEqual([
      '20 mg/mL',
      '15 mg/mL',
      '5 mcg/mL',
      '30 mg/mL',
      '1000 mcg/mL',
    ]);
    expect(dose('Morphine')).toBe('0.2 mg/day – 10 mg/day');
    expect(dose('Hydromorphone')).toBe('0.5 mg/day – 25 mg/day');
    expect(dose('Baclofen')).toBe('90 mcg/day – 800 mcg/day');
    expect(dose('Sufentanil')).toBe('10 mcg/day – 100 mcg/day');
    expect(dose('Bupivacaine')).toBe('6 mg/day – 20 mg/day');
    expect(dose('Clonidine')).toBe('250 mcg/day – 2000 mcg/day');
    const baclofen = get('Baclofen');
    expect(baclofen.typicalConcentration && formatConcentration(baclofen.typicalConcentration.max, 'mcg')).toBe('2000 mcg/mL');
    const zic = get('Ziconotide');
    expect(zic.maxDailyDose && formatDailyDose(zic.maxDailyDose, 'mcg')).toBe('19.2 mcg/day');
    expect(get('Morphine').stabilityDays).toBe(90);
  });

  it('device catalog', () => {
    const byCat = (n: string) => DEVICE_CATALOG.find((e) => e.catalogueNumbers.includes(n));
    expect(byCat('8637-20')).toMatchObject({ reservoirUl: 20_000, defaultAlarmUl: 2_000, serviceLifeMonths: 84, kind: 'programmable' });
    expect(byCat('8637-40')).toMatchObject({ reservoirUl: 40_000, defaultAlarmUl: 2_000, serviceLifeMonths: 84 });
    expect(byCat('8626')?.reservoirUl).toBe(10_000);
    expect(byCat('8627')?.reservoirUl).toBe(18_000);
    expect(byCat('13827')).toMatchObject({ reservoirUl: 20_000, defaultAlarmUl: 3_000 });
    expect(byCat('11827')).toMatchObject({ reservoirUl: 20_000, defaultAlarmUl: 3_000 });
    expect(byCat('16827')).toMatchObject({ reservoirUl: 40_000, defaultAlarmUl: 3_000 });
    expect(DEVICE_CATALOG.find((e) => e.model === 'Codman 3000')).toMatchObject({ kind: 'constant_flow', reservoirUl: 30_000 });
    expect(DEVICE_CATALOG.every((e) => e.replacementLeadMonths === 6)).toBe(true);
    expect(new Set(DEVICE_CATALOG.map((e) => e.key)).size).toBe(DEVICE_CATALOG.length);
  });
});
