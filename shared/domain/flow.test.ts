import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addVolumePerDay, compareFlowRates, dailyVolumeUl, doseAtRate, drugFlowRate, type FlowRate } from './flow';
import { rat, roundHalfUp, toSafeNumber } from './rational';
import type { Microlitres, NgPerDay, NgPerMl } from './units';

// The BigInt formulas these functions used before their safe-integer fast paths (the reference).
const MAX = Number.MAX_SAFE_INTEGER;
const fromRat = (n: bigint, d: bigint): FlowRate | 'out of range' => {
  const r = rat(n, d);
  return r.n > BigInt(MAX) || r.d > BigInt(MAX) ? 'out of range' : { num: Number(r.n), den: Number(r.d) };
};
const reference = {
  drugFlowRate: (dose: number, conc: number) => fromRat(BigInt(dose) * 1000n, BigInt(conc)),
  addVolumePerDay: (rate: FlowRate, extra: number) => fromRat(BigInt(rate.num) + BigInt(extra) * BigInt(rate.den), BigInt(rate.den)),
  doseAtRate: (rate: FlowRate, conc: number) => toSafeNumber(roundHalfUp(rat(BigInt(rate.num) * BigInt(conc), BigInt(rate.den) * 1000n))),
  compareFlowRates: (a: FlowRate, b: FlowRate) => {
    const l = BigInt(a.num) * BigInt(b.den);
    const r = BigInt(b.num) * BigInt(a.den);
    return l < r ? -1 : l > r ? 1 : 0;
  },
  dailyVolumeUl: (rate: FlowRate) => toSafeNumber(roundHalfUp(rat(BigInt(rate.num), BigInt(rate.den)))),
};
const value = <T>(r: { ok: true; value: T } | { ok: false }) => (r.ok ? r.value : 'out of range');

// Clinical sizes, sizes around where products stop fitting a safe integer, and huge ones.
const whole = fc.oneof(
  fc.integer({ min: 0, max: 100_000_000 }),
  fc.integer({ min: 0, max: MAX }),
  fc.integer({ min: 0, max: 2 ** 27 }),
  fc.constantFrom(0, 1, 2, 3, 999, 1000, 1001, 2 ** 26, 94_906_265, 94_906_266, 9_007_199_254_740, 9_007_199_254_741, MAX - 1, MAX),
);
const positive = whole.map((n) => Math.max(1, n));
const rate = fc.record({ num: whole, den: positive });
const cfg = { numRuns: 5000 };

describe('the safe-integer fast paths answer what the BigInt rationals answer', () => {
  it('drugFlowRate', () => {
    fc.assert(fc.property(whole, positive, (dose, conc) => {
      expect(value(drugFlowRate(dose as NgPerDay, conc as NgPerMl))).toEqual(reference.drugFlowRate(dose, conc));
    }), cfg);
  });
  it('addVolumePerDay', () => {
    fc.assert(fc.property(rate, whole, (r, extra) => {
      expect(value(addVolumePerDay(r, extra as Microlitres))).toEqual(reference.addVolumePerDay(r, extra));
    }), cfg);
  });
  it('doseAtRate', () => {
    fc.assert(
      fc.property(rate, whole, (r, conc) => {
        let want: number | 'throws';
        try {
          want = reference.doseAtRate(r, conc);
        } catch {
          want = 'throws';
        }
        if (want === 'throws') expect(() => doseAtRate(r, conc as NgPerMl)).toThrow(RangeError);
        else expect(doseAtRate(r, conc as NgPerMl)).toBe(want);
      }),
      cfg,
    );
  });
  it('doseAtRate at halves (rounded up)', () => {
    // num·conc / (1000·den) exactly k + 1/2.
    fc.assert(fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 1, max: 9 }), (k, den) => {
      const r = { num: (2 * k + 1) * den, den: 1 };
      expect(doseAtRate(r, 500 as NgPerMl)).toBe(reference.doseAtRate(r, 500));
      expect(doseAtRate({ num: 2 * k + 1, den: 2000 }, 1 as NgPerMl)).toBe(reference.doseAtRate({ num: 2 * k + 1, den: 2000 }, 1));
    }));
  });
  it('compareFlowRates', () => {
    fc.assert(fc.property(rate, rate, (a, b) => {
      expect(compareFlowRates(a, b)).toBe(reference.compareFlowRates(a, b));
    }), cfg);
    fc.assert(fc.property(rate, positive, (a, k) => {
      const scaled = { num: a.num * 2, den: a.den * 2 };
      expect(compareFlowRates(a, scaled)).toBe(reference.compareFlowRates(a, scaled));
      expect(compareFlowRates(a, { num: k, den: k })).toBe(reference.compareFlowRates(a, { num: k, den: k }));
    }), cfg);
  });
  it('dailyVolumeUl', () => {
    fc.assert(fc.property(rate, (r) => {
      expect(dailyVolumeUl(r)).toBe(reference.dailyVolumeUl(r));
    }), cfg);
    for (const r of [{ num: 1, den: 2 }, { num: 3, den: 2 }, { num: 1000, den: 3 }, { num: 2000, den: 3 }, { num: MAX, den: 1 }, { num: MAX, den: 2 }, { num: MAX - 1, den: MAX }]) {
      expect(dailyVolumeUl(r)).toBe(reference.dailyVolumeUl(r));
    }
  });
});
