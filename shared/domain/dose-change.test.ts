import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CalendarDate } from './calendar';
import { currentPrescriptionOf, dailyVolumesUl, describeDoseChange, doseChangeEffect, doseChangeEffects } from './dose-change';
import { alarmDate, emptyDate, fillPeriod } from './reservoir';
import type { Prescription } from './prescription';
import { toRateChanges, pumpTimeline } from './timeline';
import type { MassUnit, Microlitres, NgPerDay, NgPerMl } from './units';

const MG = 1_000_000;
const MCG = 1_000;

function rx(...drugs: [string, MassUnit, number, number][]): Prescription {
  return {
    mode: 'simple_continuous',
    extraVolumeUlPerDay: 0 as Microlitres,
    drugs: drugs.map(([name, unit, conc, dose]) => ({ name, unit, concentrationNgPerMl: conc as NgPerMl, dailyDoseNgPerDay: dose as NgPerDay })),
  };
}

const refill = (date: string, p: Prescription, addedUl = 20000) => ({
  date,
  mode: p.mode,
  extraVolumeUlPerDay: p.extraVolumeUlPerDay,
  addedUl,
  drugs: p.drugs.map((d, i) => ({ drugId: i + 1, drug: d.name, unit: d.unit, concentrationNgPerMl: d.concentrationNgPerMl, dailyDoseNgPerDay: d.dailyDoseNgPerDay, lot: null, expiryDate: null })),
});

// Morphine 10 mg/mL + bupivacaine 10 mg/mL at 8 mg/day each: 8 / 10 = 0.8 mL/day.
const morphineBupi = rx(['Morphine', 'mg', 10 * MG, 8 * MG], ['Bupivacaine', 'mg', 10 * MG, 8 * MG]);

describe('doseChangeEffect: every drug of an admixture follows the one flow rate', () => {
  it('morphine 8 → 10 mg/day raises bupivacaine 8 → 10 mg/day and the daily volume 0.8 → 1.0 mL', () => {
    // New rate = 10 mg/day ÷ 10 mg/mL = 1.0 mL/day; bupivacaine = 1.0 mL/day × 10 mg/mL = 10 mg/day.
    const e = doseChangeEffect(morphineBupi, 'Morphine', (10 * MG) as NgPerDay);
    if (!e.ok) throw new Error(e.error.message);
    expect(e.value.drugs).toEqual([
      { name: 'Morphine', unit: 'mg', beforeNgPerDay: 8 * MG, afterNgPerDay: 10 * MG, typed: true },
      { name: 'Bupivacaine', unit: 'mg', beforeNgPerDay: 8 * MG, afterNgPerDay: 10 * MG, typed: false },
    ]);
    expect(dailyVolumesUl(e.value)).toEqual({ before: 800, after: 1000 });
    expect(describeDoseChange(e.value)).toBe('Morphine 8 → 10 mg/day; Bupivacaine 8 → 10 mg/day (same flow rate)');
  });

  it('the drug named second may be the one changed: bupivacaine 8 → 6 mg/day takes morphine to 6 mg/day', () => {
    // 6 ÷ 10 = 0.6 mL/day; morphine 0.6 × 10 = 6 mg/day.
    const e = doseChangeEffect(morphineBupi, 'bupivacaine', (6 * MG) as NgPerDay);
    if (!e.ok) throw new Error(e.error.message);
    expect(e.value.drugs.map((d) => [d.name, d.afterNgPerDay, d.typed])).toEqual([
      ['Morphine', 6 * MG, false],
      ['Bupivacaine', 6 * MG, true],
    ]);
    expect(dailyVolumesUl(e.value)).toEqual({ before: 800, after: 600 });
  });

  it('unequal concentrations in mg and mcg: morphine 25 mg/mL + clonidine 1000 mcg/mL', () => {
    // Morphine 5 mg/day ÷ 25 mg/mL = 0.2 mL/day; clonidine 0.2 × 1000 = 200 mcg/day.
    // Morphine to 6 mg/day: 6 ÷ 25 = 0.24 mL/day; clonidine 0.24 × 1000 = 240 mcg/day (never "240 mg").
    const p = rx(['Morphine', 'mg', 25 * MG, 5 * MG], ['Clonidine', 'mcg', 1000 * MCG, 200 * MCG]);
    const e = doseChangeEffect(p, 'Morphine', (6 * MG) as NgPerDay);
    if (!e.ok) throw new Error(e.error.message);
    expect(e.value.drugs.map((d) => [d.name, d.unit, d.afterNgPerDay])).toEqual([
      ['Morphine', 'mg', 6 * MG],
      ['Clonidine', 'mcg', 240 * MCG],
    ]);
    expect(dailyVolumesUl(e.value)).toEqual({ before: 200, after: 240 });
    expect(describeDoseChange(e.value)).toBe('Morphine 5 → 6 mg/day; Clonidine 200 → 240 mcg/day (same flow rate)');
  });

  it('a dose that does not come out whole is rounded to the nearest ng (doseAtRate, half up)', () => {
    // Morphine 30 mg/mL + bupivacaine 7 mg/mL. Morphine to 10 mg/day: rate = 10/30 = 1/3 mL/day
    // (333.33… µL/day, shown 333 µL). Bupivacaine = 1/3 × 7,000,000 ng = 2,333,333.33… → 2,333,333 ng/day.
    const p = rx(['Morphine', 'mg', 30 * MG, 6 * MG], ['Bupivacaine', 'mg', 7 * MG, 1_400_000]);
    const e = doseChangeEffect(p, 'Morphine', (10 * MG) as NgPerDay);
    if (!e.ok) throw new Error(e.error.message);
    expect(e.value.drugs[1]!.afterNgPerDay).toBe(2_333_333);
    expect(e.value.rateAfter).toEqual({ num: 1000, den: 3 }); // exact µL/day, dates use it, not the rounded dose
    expect(dailyVolumesUl(e.value).after).toBe(333);
  });

  it('a single drug: only its dose, no "same flow rate" note', () => {
    const p = rx(['Baclofen', 'mcg', 2000 * MCG, 400 * MCG]);
    const e = doseChangeEffect(p, 'Baclofen', (500 * MCG) as NgPerDay);
    if (!e.ok) throw new Error(e.error.message);
    expect(describeDoseChange(e.value)).toBe('Baclofen 400 → 500 mcg/day');
  });

  it('refuses a drug that is not in the prescription, naming it', () => {
    const e = doseChangeEffect(morphineBupi, 'Clonidine', (1 * MG) as NgPerDay);
    expect(e).toMatchObject({ ok: false, error: { code: 'refused', field: 'drug' } });
    if (!e.ok) expect(e.error.message).toContain('Clonidine');
  });

  it('property: every drug after the change flows at the new rate (dose_j / conc_j agrees within 1 ng)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }), // morphine mg/mL
        fc.integer({ min: 1, max: 40 }), // bupivacaine mg/mL
        fc.integer({ min: 100, max: 2000 }), // clonidine mcg/mL
        // New morphine dose in mcg/day. From 25 mcg every derived dose is ≥ 25,000 × 100,000 / 50,000,000
        // = 50 ng, so its ½ ng rounding stays within the 1 % agreement basalFlowRate asks (below that,
        // e.g. 17 ng/day of clonidine, the rounded admixture is refused: no clinical dose is that small).
        fc.integer({ min: 25, max: 30_000 }),
        (cm, cb, cc, newMcg) => {
          const p = rx(['Morphine', 'mg', cm * MG, cm * MG], ['Bupivacaine', 'mg', cb * MG, cb * MG], ['Clonidine', 'mcg', cc * MCG, cc * MCG]); // 1 mL/day
          const e = doseChangeEffect(p, 'Morphine', (newMcg * MCG) as NgPerDay);
          if (!e.ok) return false;
          // Exactly: |after_j − new × conc_j / conc_m| ≤ ½ ng ⇔ |2·after_j·conc_m − 2·new·conc_j| ≤ conc_m.
          const newNg = BigInt(newMcg * MCG);
          const concM = BigInt(cm * MG);
          return e.value.drugs.every((d, i) => {
            const diff = 2n * BigInt(d.afterNgPerDay) * concM - 2n * newNg * BigInt(p.drugs[i]!.concentrationNgPerMl);
            return (diff < 0n ? -diff : diff) <= concM;
          });
        },
      ),
    );
  });
});

describe('the alarm and empty dates move with the rate (hand-computed)', () => {
  it('20 mL pump filled to 20 mL, alarm 2 mL, 0.8 mL/day; morphine to 10 mg/day (1.0 mL/day) on day 5', () => {
    // Without the change: alarm after floor(18 / 0.8) = floor(22.5) = 22 days → 2026-01-23;
    // empty after floor(20 / 0.8) = 25 days → 2026-01-26.
    // With it from 2026-01-06 (day 5): 5 × 0.8 = 4 mL used, 16 mL left; alarm after 14 / 1.0 = 14
    // more days → day 19 = 2026-01-20 (3 days sooner); empty after 16 / 1.0 = 16 → day 21 = 2026-01-22 (4 sooner).
    const fill = refill('2026-01-01', morphineBupi);
    const before = pumpTimeline([fill], []);
    const after = pumpTimeline([fill], [{ date: '2026-01-06', drug: 'Morphine', dailyDoseNgPerDay: 10 * MG }]);
    if (!before.ok || !after.ok) throw new Error('timeline');
    const periodBefore = fillPeriod('2026-01-01' as CalendarDate, 20000 as Microlitres, toRateChanges(before.value));
    const periodAfter = fillPeriod('2026-01-01' as CalendarDate, 20000 as Microlitres, toRateChanges(after.value));
    if (!periodBefore.ok || !periodAfter.ok) throw new Error('period');
    expect(alarmDate(periodBefore.value, 2000 as Microlitres)).toBe('2026-01-23');
    expect(emptyDate(periodBefore.value)).toBe('2026-01-26');
    expect(alarmDate(periodAfter.value, 2000 as Microlitres)).toBe('2026-01-20');
    expect(emptyDate(periodAfter.value)).toBe('2026-01-22');
    // The change on the fill day itself: alarm after 18 / 1.0 = 18 days → 2026-01-19 (22 vs 18).
    const atFill = pumpTimeline([fill], [{ date: '2026-01-01', drug: 'Morphine', dailyDoseNgPerDay: 10 * MG }]);
    if (!atFill.ok) throw new Error('timeline');
    const periodAtFill = fillPeriod('2026-01-01' as CalendarDate, 20000 as Microlitres, toRateChanges(atFill.value));
    if (!periodAtFill.ok) throw new Error('period');
    expect(alarmDate(periodAtFill.value, 2000 as Microlitres)).toBe('2026-01-19');
  });
});

describe('stored dose changes read back with every drug', () => {
  it('an old single-drug row on an admixture shows the other drug derived from the rate; the next change starts from it', () => {
    const fill = refill('2026-01-01', morphineBupi);
    const changes = [
      { id: 7, date: '2026-01-06', drug: 'Morphine', dailyDoseNgPerDay: 10 * MG },
      // Then bupivacaine 10 → 12 mg/day: 1.2 mL/day, morphine 12 mg/day.
      { id: 9, date: '2026-01-10', drug: 'Bupivacaine', dailyDoseNgPerDay: 12 * MG },
    ];
    const effects = doseChangeEffects([fill], changes);
    expect(describeDoseChange(effects.get(7)!)).toBe('Morphine 8 → 10 mg/day; Bupivacaine 8 → 10 mg/day (same flow rate)');
    expect(describeDoseChange(effects.get(9)!)).toBe('Morphine 10 → 12 mg/day; Bupivacaine 10 → 12 mg/day (same flow rate)');
    const now = currentPrescriptionOf([fill], changes);
    if (!now.ok) throw new Error(now.error.message);
    expect(now.value.drugs.map((d) => d.dailyDoseNgPerDay)).toEqual([12 * MG, 12 * MG]);
  });

  it('a change before any fill is left out (the caller shows the row as stored)', () => {
    expect(doseChangeEffects([], [{ id: 1, date: '2026-01-01', drug: 'Morphine', dailyDoseNgPerDay: MG }]).size).toBe(0);
  });

  it('the current prescription counts only the changes since the last refill', () => {
    const first = refill('2026-01-01', morphineBupi);
    const second = refill('2026-02-01', rx(['Morphine', 'mg', 10 * MG, 5 * MG], ['Bupivacaine', 'mg', 10 * MG, 5 * MG]));
    const now = currentPrescriptionOf([first, second], [{ id: 1, date: '2026-01-06', drug: 'Morphine', dailyDoseNgPerDay: 10 * MG }]);
    if (!now.ok) throw new Error(now.error.message);
    expect(now.value.drugs.map((d) => d.dailyDoseNgPerDay)).toEqual([5 * MG, 5 * MG]);
  });
});
