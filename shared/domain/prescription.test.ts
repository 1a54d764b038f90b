import { describe, expect, it } from 'vitest';
import { SEED_DRUGS, must } from './test-fixtures';
import { constantFlowRate, dailyVolumeUl, doseAtRate, drugFlowRate, formatFlowRate, PUMP_OFF } from './flow';
import {
  applyDoseChange,
  basalFlowRate,
  constantFlowPrescription,
  parseDrugEntry,
  prescriptionFlowRate,
  type PrescribedDrug,
  type Prescription,
} from './prescription';
import { concentrationToNgPerMl, dailyDoseToNgPerDay, type MassUnit, type Microlitres, type NgPerDay } from './units';


/** A drug written as a clinician writes it (value in its unit). */
function drug(name: string, unit: MassUnit, concPerMl: number, dosePerDay: number): PrescribedDrug {
  return {
    name,
    unit,
    concentrationNgPerMl: must(concentrationToNgPerMl(concPerMl, unit)),
    dailyDoseNgPerDay: must(dailyDoseToNgPerDay(dosePerDay, unit)),
  };
}
const simple = (...drugs: PrescribedDrug[]): Prescription => ({ drugs, mode: 'simple_continuous', extraVolumeUlPerDay: 0 as Microlitres });

describe('flow rate of one drug', () => {
  it('reference example: baclofen 2000 mcg/mL at 500 mcg/day = 0.25 mL/day', () => {
    // 500 mcg/day / 2000 mcg/mL = 0.25 mL/day = 250 µL/day
    const rate = must(prescriptionFlowRate(simple(drug('Baclofen', 'mcg', 2000, 500))));
    expect(rate).toEqual({ num: 250, den: 1 });
    expect(formatFlowRate(rate)).toBe('0.250 mL/day');
  });

  it('keeps a non-terminating rate exact: 1 mg/day at 3 mg/mL = 1000/3 µL/day', () => {
    // 1 mg/day / 3 mg/mL = 1/3 mL/day = 333.333… µL/day, kept as the fraction 1000/3
    const rate = must(prescriptionFlowRate(simple(drug('Morphine', 'mg', 3, 1))));
    expect(rate).toEqual({ num: 1000, den: 3 });
    expect(dailyVolumeUl(rate)).toBe(333); // display only
    expect(formatFlowRate(rate)).toBe('0.333 mL/day');
  });

  it('0.3 mg/day at 3 mg/mL is exactly 100 µL/day (0.3 / 3 * 1000 in floats is 99.99999999999999)', () => {
    expect(must(prescriptionFlowRate(simple(drug('Morphine', 'mg', 3, 0.3))))).toEqual({ num: 100, den: 1 });
  });

  it('refuses a zero concentration', () => {
    expect(drugFlowRate(1000 as NgPerDay, must(concentrationToNgPerMl(0, 'mg'))).ok).toBe(false);
  });

  it('flex and bolus add their extra volume; simple_continuous refuses it', () => {
    // morphine 2 mg/day / 10 mg/mL = 0.2 mL/day = 200 µL/day; + 50 µL/day extra = 250 µL/day
    const base = simple(drug('Morphine', 'mg', 10, 2));
    expect(must(prescriptionFlowRate({ ...base, mode: 'flex', extraVolumeUlPerDay: 50 as Microlitres }))).toEqual({ num: 250, den: 1 });
    expect(must(prescriptionFlowRate({ ...base, mode: 'bolus', extraVolumeUlPerDay: 50 as Microlitres }))).toEqual({ num: 250, den: 1 });
    expect(must(basalFlowRate({ ...base, mode: 'flex', extraVolumeUlPerDay: 50 as Microlitres }))).toEqual({ num: 200, den: 1 });
    const r = prescriptionFlowRate({ ...base, extraVolumeUlPerDay: 50 as Microlitres });
    expect(!r.ok && r.error.field).toBe('extraVolumeUlPerDay');
  });

  it('refuses an empty prescription', () => {
    const r = prescriptionFlowRate(simple());
    expect(!r.ok && r.error.field).toBe('drugs');
  });
});

describe('admixture', () => {
  // Morphine 10 mg/mL at 2 mg/day → 2 / 10 = 0.2 mL/day = 200 µL/day.
  // Clonidine 500 mcg/mL in the same reservoir → 0.2 mL/day × 500 mcg/mL = 100 mcg/day.
  const morphine = drug('Morphine', 'mg', 10, 2);

  it('shares one rate: morphine (mg) + clonidine (mcg)', () => {
    const p = simple(morphine, drug('Clonidine', 'mcg', 500, 100));
    expect(must(prescriptionFlowRate(p))).toEqual({ num: 200, den: 1 });
  });

  it('refuses doses that disagree by 1.5 %, naming the drug', () => {
    // 101.5 mcg/day / 500 mcg/mL = 0.203 mL/day: 1.5 % above 0.200
    const r = prescriptionFlowRate(simple(morphine, drug('Clonidine', 'mcg', 500, 101.5)));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('refused');
      expect(r.error.field).toBe('drugs.1.dailyDose');
      expect(r.error.message).toMatch(/^Clonidine: 101.5 mcg\/day at 500 mcg\/mL flows at 0.203 mL\/day, but Morphine flows at 0.200 mL\/day/);
    }
  });

  it('accepts 0.5 % and exactly 1 %; refuses just above 1 %', () => {
    // 100.5 mcg/day → 0.201 mL/day (+0.5 %): accepted, the rate is the first drug's 200 µL/day
    expect(must(prescriptionFlowRate(simple(morphine, drug('Clonidine', 'mcg', 500, 100.5))))).toEqual({ num: 200, den: 1 });
    // 101 mcg/day → 0.202 mL/day (+1.000 %): accepted;  99 mcg/day (−1.000 %): accepted
    expect(prescriptionFlowRate(simple(morphine, drug('Clonidine', 'mcg', 500, 101))).ok).toBe(true);
    expect(prescriptionFlowRate(simple(morphine, drug('Clonidine', 'mcg', 500, 99))).ok).toBe(true);
    // 101.001 mcg/day (+1.001 %) and 98.999 mcg/day (−1.001 %): refused
    expect(prescriptionFlowRate(simple(morphine, drug('Clonidine', 'mcg', 500, 101.001))).ok).toBe(false);
    expect(prescriptionFlowRate(simple(morphine, drug('Clonidine', 'mcg', 500, 98.999))).ok).toBe(false);
  });

  it('a third drug is checked against the first and named by its index', () => {
    // bupivacaine 20 mg/mL at 0.2 mL/day = 4 mg/day would agree; 5 mg/day is 25 % off
    const p = simple(morphine, drug('Clonidine', 'mcg', 500, 100), drug('Bupivacaine', 'mg', 20, 5));
    const r = prescriptionFlowRate(p);
    expect(!r.ok && r.error.field).toBe('drugs.2.dailyDose');
    expect(prescriptionFlowRate(simple(morphine, drug('Clonidine', 'mcg', 500, 100), drug('Bupivacaine', 'mg', 20, 4))).ok).toBe(true);
  });

  it('a dose change on one drug moves the rate and the other doses follow', () => {
    const p = simple(morphine, drug('Clonidine', 'mcg', 500, 100));
    // morphine to 3 mg/day: 3 / 10 = 0.3 mL/day; clonidine = 0.3 × 500 = 150 mcg/day
    const a = must(applyDoseChange(p, 'morphine', must(dailyDoseToNgPerDay(3, 'mg'))));
    expect(a.drugs.map((d) => d.dailyDoseNgPerDay)).toEqual([3_000_000, 150_000]);
    expect(must(prescriptionFlowRate(a))).toEqual({ num: 300, den: 1 });
    // clonidine to 200 mcg/day: 200 / 500 = 0.4 mL/day; morphine = 0.4 × 10 = 4 mg/day
    const b = must(applyDoseChange(p, 'Clonidine', must(dailyDoseToNgPerDay(200, 'mcg'))));
    expect(b.drugs.map((d) => d.dailyDoseNgPerDay)).toEqual([4_000_000, 200_000]);
    expect(must(prescriptionFlowRate(b))).toEqual({ num: 400, den: 1 });
  });

  it('a dose change to a non-terminating rate rounds the followers to the nearest ng', () => {
    // morphine 3 mg/mL + clonidine 1000 mcg/mL; morphine to 1 mg/day → 1/3 mL/day;
    // clonidine = 1/3 × 1000 mcg = 333.333… mcg = 333333.33 ng → 333333 ng
    const p = simple(drug('Morphine', 'mg', 3, 0.9), drug('Clonidine', 'mcg', 1000, 300));
    const a = must(applyDoseChange(p, 'Morphine', must(dailyDoseToNgPerDay(1, 'mg'))));
    expect(a.drugs[1]?.dailyDoseNgPerDay).toBe(333_333);
    expect(must(prescriptionFlowRate(a))).toEqual({ num: 1000, den: 3 });
  });

  it('a dose change names a drug of the prescription', () => {
    const r = applyDoseChange(simple(morphine), 'Baclofen', 1 as NgPerDay);
    expect(!r.ok && r.error.code).toBe('refused');
  });
});

describe('constant-flow pump (Codman 3000)', () => {
  it('derives doses from the device rate', () => {
    // 1.5 mL/day = 1500 µL/day; morphine 10 mg/mL → 1.5 × 10 = 15 mg/day;
    // clonidine 100 mcg/mL → 1.5 × 100 = 150 mcg/day
    const rate = must(constantFlowRate(1500));
    expect(rate).toEqual({ num: 1500, den: 1 });
    const p = constantFlowPrescription(rate, [
      { name: 'Morphine', unit: 'mg', concentrationNgPerMl: must(concentrationToNgPerMl(10, 'mg')) },
      { name: 'Clonidine', unit: 'mcg', concentrationNgPerMl: must(concentrationToNgPerMl(100, 'mcg')) },
    ]);
    expect(p.drugs.map((d) => d.dailyDoseNgPerDay)).toEqual([15_000_000, 150_000]);
  });
  it('accepts up to 3 decimals of µL/day', () => {
    expect(must(constantFlowRate(833.333))).toEqual({ num: 833_333, den: 1000 });
    expect(constantFlowRate(833.3333).ok).toBe(false);
    expect(constantFlowRate(-1).ok).toBe(false);
  });
  it('doseAtRate at zero flow is zero', () => {
    expect(doseAtRate(PUMP_OFF, must(concentrationToNgPerMl(10, 'mg')))).toBe(0);
  });
});

describe('typed entries: unit family', () => {
  const entry = (name: string, concUnit: string | undefined, conc: number, doseUnit: string | null, dose: number) => ({
    name,
    concentration: { value: conc, unit: concUnit },
    dailyDose: { value: dose, unit: doseUnit },
  });

  it('accepts baclofen in mcg', () => {
    const p = must(parseDrugEntry(entry('baclofen', 'mcg', 2000, 'mcg', 500), SEED_DRUGS, 'drugs.0'));
    expect(p).toEqual({ name: 'Baclofen', unit: 'mcg', concentrationNgPerMl: 2_000_000, dailyDoseNgPerDay: 500_000 });
  });

  it('refuses baclofen dosed in mg', () => {
    const r = parseDrugEntry(entry('Baclofen', 'mcg', 2000, 'mg', 0.5), SEED_DRUGS, 'drugs.0');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toEqual({ code: 'refused', message: 'Baclofen is dosed in mcg; the value is in mg.', field: 'drugs.0.dailyDose' });
    }
    const c = parseDrugEntry(entry('Baclofen', 'mg', 2, 'mcg', 500), SEED_DRUGS, 'drugs.1');
    expect(!c.ok && c.error.field).toBe('drugs.1.concentration');
  });

  it('refuses morphine in mcg', () => {
    const r = parseDrugEntry(entry('Morphine', 'mg', 10, 'mcg', 2000), SEED_DRUGS, 'drugs.0');
    expect(!r.ok && r.error.message).toBe('Morphine is dosed in mg; the value is in mcg.');
  });

  it('refuses a missing unit', () => {
    const r = parseDrugEntry(entry('Morphine', undefined, 10, 'mg', 2), SEED_DRUGS, 'drugs.0');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('invalid_input');
      expect(r.error.field).toBe('drugs.0.concentration');
      expect(r.error.message).toBe('The concentration of Morphine has no unit: write mg.');
    }
    const n = parseDrugEntry(entry('Morphine', 'mg', 10, null, 2), SEED_DRUGS, 'drugs.0');
    expect(!n.ok && n.error.field).toBe('drugs.0.dailyDose');
  });

  it('refuses more than 3 decimals and an unknown drug', () => {
    const r = parseDrugEntry(entry('Ziconotide', 'mcg', 100, 'mcg', 2.4001), SEED_DRUGS, 'drugs.0');
    expect(!r.ok && r.error.message).toMatch(/more than 3 decimals/);
    const u = parseDrugEntry(entry('Oxycodone', 'mg', 10, 'mg', 1), SEED_DRUGS, 'drugs.0');
    expect(!u.ok && u.error.field).toBe('drugs.0.name');
  });
});
