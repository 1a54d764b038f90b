import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  concentrationToNgPerMl,
  dailyDoseToNgPerDay,
  formatConcentration,
  formatDailyDose,
  formatMass,
  formatVolumeMl,
  massToNg,
  microlitres,
  mlToUl,
  nanograms,
  ngToMass,
  ulToMl,
  type MassUnit,
  type Microlitres,
  type Nanograms,
} from './units';
import { must } from './test-fixtures';


describe('massToNg', () => {
  it('converts exactly', () => {
    expect(must(massToNg(0.25, 'mg'))).toBe(250_000); // 0.25 × 1,000,000
    expect(must(massToNg(500, 'mcg'))).toBe(500_000); // 500 × 1000
    expect(must(massToNg(0.001, 'mg'))).toBe(1_000); // 0.001 × 1,000,000
    expect(must(massToNg(0.001, 'mcg'))).toBe(1); // 0.001 × 1000
    expect(must(massToNg(19.2, 'mcg'))).toBe(19_200); // 19.2 × 1000
    expect(must(massToNg(8.2, 'mg'))).toBe(8_200_000); // 8.2 × 1,000,000 (8.2 * 1e6 in floats is 8199999.999999999)
    expect(must(massToNg(1.005, 'mg'))).toBe(1_005_000); // 1.005 * 1000 in floats is 1004.9999999999999
    expect(must(massToNg(0, 'mg'))).toBe(0);
  });

  it('1 mg is 1000 mcg', () => {
    expect(must(massToNg(1, 'mg'))).toBe(must(massToNg(1000, 'mcg')));
  });

  it('refuses negative, non-finite and over-precise values as error values', () => {
    for (const bad of [-1, -0.001, Number.NaN, Number.POSITIVE_INFINITY, 0.0015, 0.0001, 1.2345]) {
      const r = massToNg(bad, 'mg', 'drugs.0.dailyDose');
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('invalid_input');
        expect(r.error.field).toBe('drugs.0.dailyDose');
      }
    }
    const r = massToNg(0.0015, 'mg');
    expect(!r.ok && r.error.message).toMatch(/more than 3 decimals/);
  });

  it('names the refused value in full (the message is written only for a refusal)', () => {
    const message = <T>(r: { ok: true; value: T } | { ok: false; error: { message: string; field?: string } }) => (r.ok ? null : r.error);
    expect(message(massToNg(1.2345, 'mg', 'f'))).toEqual({ code: 'invalid_input', message: 'The value 1.2345 mg has more than 3 decimals; at most 3 are allowed.', field: 'f' });
    expect(message(concentrationToNgPerMl(-2, 'mcg'))).toMatchObject({ message: 'The value -2 mcg cannot be negative.' });
    expect(message(dailyDoseToNgPerDay(Number.NaN, 'mg'))).toMatchObject({ message: 'The value NaN mg is not a number.' });
    expect(message(mlToUl(0.0001, 'addedUl'))).toEqual({ code: 'invalid_input', message: 'The volume 0.0001 mL has more than 3 decimals; at most 3 are allowed.', field: 'addedUl' });
    expect(message(mlToUl(Number.POSITIVE_INFINITY))).toMatchObject({ message: 'The volume Infinity mL is not a number.' });
    expect(concentrationToNgPerMl(0.25, 'mg')).toEqual({ ok: true, value: 250_000 });
    expect(dailyDoseToNgPerDay(500, 'mcg')).toEqual({ ok: true, value: 500_000 });
    expect(mlToUl(0.25)).toEqual({ ok: true, value: 250 });
  });

  it('refuses a missing unit', () => {
    const r = massToNg(5, undefined as unknown as MassUnit);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.message).toMatch(/unit is missing/);
  });

  it('concentration and dose variants use the same rules', () => {
    expect(must(concentrationToNgPerMl(2000, 'mcg'))).toBe(2_000_000);
    expect(must(dailyDoseToNgPerDay(0.5, 'mg'))).toBe(500_000);
    expect(dailyDoseToNgPerDay(0.0005, 'mg').ok).toBe(false);
  });
});

describe('volumes', () => {
  it('mlToUl is exact and refuses over-precise input', () => {
    expect(must(mlToUl(0.25))).toBe(250);
    expect(must(mlToUl(20))).toBe(20_000);
    expect(must(mlToUl(1.001))).toBe(1_001);
    expect(must(mlToUl(1.015))).toBe(1_015); // 1.015 * 1000 in floats is 1014.9999999999999
    expect(mlToUl(1.0005).ok).toBe(false);
    expect(mlToUl(-0.001).ok).toBe(false);
    expect(mlToUl(Number.NaN).ok).toBe(false);
  });
  it('ulToMl and ngToMass', () => {
    expect(ulToMl(250 as Microlitres)).toBe(0.25);
    expect(ngToMass(250_000 as Nanograms, 'mg')).toBe(0.25);
    expect(ngToMass(250_000 as Nanograms, 'mcg')).toBe(250);
  });
  it('branding constructors refuse non-integers', () => {
    expect(microlitres(20_000)).toBe(20_000);
    expect(() => microlitres(1.5)).toThrow(RangeError);
    expect(() => nanograms(Number.NaN)).toThrow(RangeError);
  });
  it('a volume cannot be passed as a mass (compile-time)', () => {
    const v = 250 as Microlitres;
    // @ts-expect-error a volume is not a mass
    formatMass(v, 'mg');
    const m = 250 as Nanograms;
    // @ts-expect-error a mass is not a volume
    formatVolumeMl(m);
    expect(true).toBe(true);
  });
});

describe('formatting always shows the unit', () => {
  it('masses', () => {
    expect(formatMass(500_000 as Nanograms, 'mcg')).toBe('500 mcg');
    expect(formatMass(250_000 as Nanograms, 'mg')).toBe('0.25 mg');
    expect(formatMass(1 as Nanograms, 'mg')).toBe('0.000001 mg');
    expect(formatMass(19_200 as Nanograms, 'mcg')).toBe('19.2 mcg');
    expect(formatMass(20_000_000_000 as Nanograms, 'mcg')).toBe('20000000 mcg');
    expect(formatConcentration(must(concentrationToNgPerMl(2000, 'mcg')), 'mcg')).toBe('2000 mcg/mL');
    expect(formatDailyDose(must(dailyDoseToNgPerDay(0.2, 'mg')), 'mg')).toBe('0.2 mg/day');
  });
  it('volumes, 3 decimals', () => {
    expect(formatVolumeMl(250 as Microlitres)).toBe('0.250 mL');
    expect(formatVolumeMl(20_000 as Microlitres)).toBe('20.000 mL');
    expect(formatVolumeMl(1 as Microlitres)).toBe('0.001 mL');
    expect(formatVolumeMl(-1_500 as Microlitres)).toBe('-1.500 mL');
    expect(formatVolumeMl(1_001 as Microlitres, { signed: true })).toBe('+1.001 mL');
    expect(formatVolumeMl(-800 as Microlitres, { signed: true })).toBe('-0.800 mL');
    expect(formatVolumeMl(0 as Microlitres, { signed: true })).toBe('0.000 mL');
  });
});

describe('properties', () => {
  const thousandths = fc.integer({ min: 0, max: 10_000_000 }); // k / 1000, up to 10000 units

  it('mg → ng → mg and mcg → ng → mcg are exact for any value with ≤ 3 decimals', () => {
    fc.assert(
      fc.property(thousandths, fc.constantFrom<MassUnit>('mg', 'mcg'), (k, unit) => {
        const value = k / 1000;
        const ng = must(massToNg(value, unit));
        expect(ng).toBe(unit === 'mg' ? k * 1000 : k);
        expect(ngToMass(ng, unit)).toBe(value);
      }),
    );
  });

  it('mg ↔ mcg through ng: x mg = 1000·x mcg exactly', () => {
    fc.assert(
      fc.property(thousandths, (k) => {
        const ng = must(massToNg(k / 1000, 'mg'));
        expect(ngToMass(ng, 'mcg')).toBe(k); // k/1000 mg = k mcg
        expect(must(massToNg(ngToMass(ng, 'mcg'), 'mcg'))).toBe(ng);
      }),
    );
  });

  it('ng → mass → ng is the identity for whole micrograms (mcg) and whole thousandths of mg', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), (n) => {
        const ngMcg = n as Nanograms; // any whole ng is a mcg value with ≤ 3 decimals
        expect(must(massToNg(ngToMass(ngMcg, 'mcg'), 'mcg'))).toBe(n);
        const ngMg = (n * 1000) as Nanograms; // multiples of 1000 ng are mg values with ≤ 3 decimals
        expect(must(massToNg(ngToMass(ngMg, 'mg'), 'mg'))).toBe(n * 1000);
      }),
    );
  });

  it('mL ↔ µL round trip is exact', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), (ul) => {
        expect(must(mlToUl(ulToMl(ul as Microlitres)))).toBe(ul);
      }),
    );
  });
});
