import { describe, expect, it } from 'vitest';
import { doubleCheckReasons, increasedDrugs, isOpioid, isZiconotide } from './double-check';

const MG = 1_000_000;
const MCG = 1_000;
const ON = { doubleCheckDoseIncreases: true, doubleCheckSoftLimitOverrides: true };

describe('which entries need an independent double check', () => {
  it('knows the opioids of the drug list by name, and ziconotide apart', () => {
    for (const d of ['Morphine', ' hydromorphone ', 'FENTANYL', 'Sufentanil']) expect(isOpioid(d)).toBe(true);
    for (const d of ['Baclofen', 'Bupivacaine', 'Clonidine', 'Ziconotide']) expect(isOpioid(d)).toBe(false);
    expect(isZiconotide('Ziconotide')).toBe(true);
  });

  it('morphine 5 → 6 mg/day is an opioid increase; 6 → 5 is not', () => {
    const up = { before: [{ drug: 'Morphine', dailyDoseNgPerDay: 5 * MG }], after: [{ drug: 'Morphine', dailyDoseNgPerDay: 6 * MG }], overrideReason: null };
    expect(doubleCheckReasons(up, ON)).toEqual(['opioid_increase']);
    const down = { before: up.after, after: up.before, overrideReason: null };
    expect(doubleCheckReasons(down, ON)).toEqual([]);
    // The same dose again (a refill at the same prescription) is not an increase.
    expect(doubleCheckReasons({ before: up.after, after: up.after, overrideReason: null }, ON)).toEqual([]);
  });

  it('an admixture: raising bupivacaine 8 → 10 mg/day raises the morphine with it (one flow rate), so it is an opioid increase', () => {
    const entry = {
      before: [
        { drug: 'Morphine', dailyDoseNgPerDay: 8 * MG },
        { drug: 'Bupivacaine', dailyDoseNgPerDay: 8 * MG },
      ],
      after: [
        { drug: 'Morphine', dailyDoseNgPerDay: 10 * MG },
        { drug: 'Bupivacaine', dailyDoseNgPerDay: 10 * MG },
      ],
      overrideReason: null,
    };
    expect(increasedDrugs(entry)).toEqual(['Morphine', 'Bupivacaine']);
    expect(doubleCheckReasons(entry, ON)).toEqual(['opioid_increase']);
  });

  it('baclofen 100 → 150 mcg/day needs none (not an opioid) unless it carries an override reason', () => {
    const entry = { before: [{ drug: 'Baclofen', dailyDoseNgPerDay: 100 * MCG }], after: [{ drug: 'Baclofen', dailyDoseNgPerDay: 150 * MCG }], overrideReason: null };
    expect(doubleCheckReasons(entry, ON)).toEqual([]);
    expect(doubleCheckReasons({ ...entry, overrideReason: '  ' }, ON)).toEqual([]);
    expect(doubleCheckReasons({ ...entry, overrideReason: 'spasticity uncontrolled, neurologist agrees' }, ON)).toEqual(['soft_limit_override']);
  });

  it('ziconotide 2.4 → 3.6 mcg/day is a ziconotide increase', () => {
    const entry = { before: [{ drug: 'Ziconotide', dailyDoseNgPerDay: 2400 }], after: [{ drug: 'Ziconotide', dailyDoseNgPerDay: 3600 }], overrideReason: null };
    expect(doubleCheckReasons(entry, ON)).toEqual(['ziconotide_increase']);
  });

  it('a first fill or a restart goes up from nothing: morphine 0 → 3 mg/day is an increase', () => {
    expect(doubleCheckReasons({ before: [], after: [{ drug: 'Morphine', dailyDoseNgPerDay: 3 * MG }], overrideReason: null }, ON)).toEqual(['opioid_increase']);
  });

  it('an opioid increase with an override gives both reasons; each category can be turned off', () => {
    const entry = { before: [{ drug: 'Fentanyl', dailyDoseNgPerDay: 100 * MCG }], after: [{ drug: 'Fentanyl', dailyDoseNgPerDay: 300 * MCG }], overrideReason: 'palliative, agreed with the patient' };
    expect(doubleCheckReasons(entry, ON)).toEqual(['opioid_increase', 'soft_limit_override']);
    expect(doubleCheckReasons(entry, { doubleCheckDoseIncreases: false, doubleCheckSoftLimitOverrides: true })).toEqual(['soft_limit_override']);
    expect(doubleCheckReasons(entry, { doubleCheckDoseIncreases: true, doubleCheckSoftLimitOverrides: false })).toEqual(['opioid_increase']);
    expect(doubleCheckReasons(entry, { doubleCheckDoseIncreases: false, doubleCheckSoftLimitOverrides: false })).toEqual([]);
  });
});
