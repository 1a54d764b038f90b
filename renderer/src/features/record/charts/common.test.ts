import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { niceTicks } from './common';

describe('niceTicks (the y axes of the refill and dose charts)', () => {
  it('gives round steps from 0 past the maximum (worked examples)', () => {
    // 57.5 mcg/day: 57.5 / 5 = 11.5, and the next 1-2-2.5-5 step is 20: [0, 20, 40, 60].
    expect(niceTicks(57.5)).toEqual([0, 20, 40, 60]);
    // 40 mL: 8 → step 10: [0, 10, 20, 30, 40] (40 itself is the top).
    expect(niceTicks(40)).toEqual([0, 10, 20, 30, 40]);
    // 2.4 mL in at most 3 intervals: 0.8 → step 1: [0, 1, 2, 3].
    expect(niceTicks(2.4, 3)).toEqual([0, 1, 2, 3]);
    // 1.2 mL in at most 3 intervals: 0.4 → step 0.5: [0, 0.5, 1, 1.5].
    expect(niceTicks(1.2, 3)).toEqual([0, 0.5, 1, 1.5]);
    // 0.3 mg/day: 0.06 → step 0.1, without floating-point tails.
    expect(niceTicks(0.3)).toEqual([0, 0.1, 0.2, 0.3]);
    // Nothing to show: one unit.
    expect(niceTicks(0)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });

  it('always starts at 0, reaches the maximum, is evenly spaced and has at most count intervals', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.001, max: 1e6, noNaN: true }), fc.integer({ min: 2, max: 8 }), (max, count) => {
        const ticks = niceTicks(max, count);
        expect(ticks[0]).toBe(0);
        expect(ticks.at(-1)!).toBeGreaterThanOrEqual(max * (1 - 1e-9));
        expect(ticks.length - 1).toBeLessThanOrEqual(count);
        const step = ticks[1]! - ticks[0]!;
        for (let i = 1; i < ticks.length; i++) expect(ticks[i]! - ticks[i - 1]!).toBeCloseTo(step, 6);
      }),
    );
  });
});
