import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { discrepancyPercentWords, discrepancyWords, percentSize, volumeMl } from './wording';

describe('discrepancyWords', () => {
  it('says which way, never with a sign', () => {
    expect(discrepancyWords(-1500)).toBe('1.50 mL less than expected');
    expect(discrepancyWords(2500)).toBe('2.50 mL more than expected');
    expect(discrepancyWords(0)).toBe('as expected');
    expect(discrepancyWords(-0)).toBe('as expected');
  });

  it('exact: 2 decimals, the 3rd only when the µL need it, never rounded', () => {
    expect(discrepancyWords(-1)).toBe('0.001 mL less than expected');
    expect(discrepancyWords(1)).toBe('0.001 mL more than expected');
    expect(discrepancyWords(-4)).toBe('0.004 mL less than expected');
    expect(discrepancyWords(-10)).toBe('0.01 mL less than expected');
    expect(discrepancyWords(1005)).toBe('1.005 mL more than expected');
    expect(discrepancyWords(-2995)).toBe('2.995 mL less than expected');
    expect(discrepancyWords(-800)).toBe('0.80 mL less than expected');
  });

  it('just beyond a 1.00 mL threshold never reads as 1.00 mL', () => {
    expect(discrepancyWords(1001)).toBe('1.001 mL more than expected');
    expect(discrepancyWords(-1004)).toBe('1.004 mL less than expected');
    expect(volumeMl(1000)).toBe('1.00 mL');
  });

  it('large values: every digit, no exponent', () => {
    expect(discrepancyWords(-40_000)).toBe('40.00 mL less than expected');
    expect(discrepancyWords(123_456_789)).toBe('123456.789 mL more than expected');
    expect(discrepancyWords(-2_000_000_000)).toBe('2000000.00 mL less than expected');
  });

  it('with the percentage: its size beside the volume, in the same words', () => {
    expect(discrepancyWords(-800, -8.888)).toBe('0.80 mL (8.9 %) less than expected');
    expect(discrepancyWords(2500, 25)).toBe('2.50 mL (25.0 %) more than expected');
    expect(discrepancyWords(-1, -0.005)).toBe('0.001 mL (under 0.1 %) less than expected');
    expect(discrepancyWords(0, 0)).toBe('as expected');
    expect(discrepancyWords(-800, null)).toBe('0.80 mL less than expected');
  });

  it('uses the given formatter for the digits (the renderer passes the locale)', () => {
    const de = (v: number, d: number) => new Intl.NumberFormat('de-DE', { minimumFractionDigits: d, maximumFractionDigits: d }).format(v);
    expect(discrepancyWords(-1500, -12.34, de)).toBe('1,50 mL (12,3 %) less than expected');
  });

  it('a value that is not a number is a dash, not "NaN mL"', () => {
    expect(discrepancyWords(Number.NaN)).toBe('—');
    expect(discrepancyWords(Number.POSITIVE_INFINITY)).toBe('—');
  });

  it('property: never a minus or plus sign, and "less"/"more" follows the sign', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10_000_000, max: 10_000_000 }), fc.option(fc.double({ min: -1000, max: 1000, noNaN: true })), (ul, pct) => {
        const w = discrepancyWords(ul, pct);
        expect(w).not.toMatch(/[-−+]/);
        if (ul < 0) expect(w).toMatch(/ mL( \([^)]*\))? less than expected$/);
        else if (ul > 0) expect(w).toMatch(/ mL( \([^)]*\))? more than expected$/);
        else expect(w).toBe('as expected');
        // A non-zero difference never reads as none.
        if (ul !== 0) expect(w).not.toMatch(/^0\.0+ mL/);
      }),
    );
  });

  it('property: the number read back is exactly the size of the discrepancy', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10_000_000, max: 10_000_000 }).filter((n) => n !== 0), (ul) => {
        const shown = /^(\d+)\.(\d+) mL/.exec(discrepancyWords(ul))!;
        expect(Number(shown[1]) * 1000 + Number(shown[2]!.padEnd(3, '0'))).toBe(Math.abs(ul));
      }),
    );
  });
});

describe('discrepancyPercentWords and percentSize', () => {
  it('words the percentage alone', () => {
    expect(discrepancyPercentWords(-8.9)).toBe('8.9 % less than expected');
    expect(discrepancyPercentWords(12.25)).toBe('12.3 % more than expected');
    expect(discrepancyPercentWords(0)).toBe('as expected');
    expect(discrepancyPercentWords(-0.01)).toBe('under 0.1 % less than expected');
    expect(percentSize(-0.05)).toBe('0.1 %');
  });
});

describe('volumeMl', () => {
  it('exact, 2 decimals, the 3rd only when needed, like the discrepancy', () => {
    expect(volumeMl(9000)).toBe('9.00 mL');
    expect(volumeMl(1000)).toBe('1.00 mL');
    expect(volumeMl(2)).toBe('0.002 mL');
    expect(volumeMl(0)).toBe('0.00 mL');
    expect(volumeMl(1235)).toBe('1.235 mL');
    expect(volumeMl(20_000)).toBe('20.00 mL');
  });
});
