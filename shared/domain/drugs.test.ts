import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findDrug, foldDrugName, sameDrugName } from './drugs';
import { SEED_DRUGS } from './test-fixtures';

/** The comparison as it was before the folded names were memoised. */
const reference = (a: string, b: string) => a.trim().toLocaleLowerCase('en-US') === b.trim().toLocaleLowerCase('en-US');

// Names around the cases lower-casing makes interesting: Turkish dotted I, final sigma, German ß, spaces.
const nameChars = fc.constantFrom('a', 'A', 'm', 'M', 'İ', 'I', 'ı', 'i', 'Σ', 'σ', 'ς', 'ß', 'ẞ', ' ', '\t', '\u00a0', 'é', 'É', '1');
const name = fc.oneof(fc.string(), fc.string({ unit: nameChars, maxLength: 8 }), fc.constantFrom(...SEED_DRUGS.map((d) => d.name)));

describe('sameDrugName', () => {
  it('answers what the uncached comparison answers, for any two names', () => {
    fc.assert(
      fc.property(name, name, (a, b) => {
        expect(sameDrugName(a, b)).toBe(reference(a, b));
        expect(sameDrugName(a, b)).toBe(reference(a, b)); // again, from the memo
      }),
      { numRuns: 5000 },
    );
  });

  it('stays right past the memo bound (many distinct names)', () => {
    for (let i = 0; i < 3000; i++) {
      const a = ` Drug${i} `;
      expect(sameDrugName(a, `drug${i}`)).toBe(true);
      expect(sameDrugName(a, `drug${i + 1}`)).toBe(false);
      expect(foldDrugName(a)).toBe(`drug${i}`);
    }
    expect(sameDrugName('MORPHINE', ' morphine')).toBe(true);
  });

  it('findDrug answers what find with sameDrugName answers (the first match), for any names and lists', () => {
    const config = (n: string) => ({ ...SEED_DRUGS[0]!, name: n });
    fc.assert(
      fc.property(fc.array(name, { maxLength: 6 }), name, (names, wanted) => {
        const configs = [...names.map(config), ...SEED_DRUGS];
        expect(findDrug(configs, wanted)).toBe(configs.find((c) => sameDrugName(c.name, wanted)) ?? null);
      }),
      { numRuns: 3000 },
    );
  });

  it('finds drugs trimmed and case-insensitively', () => {
    expect(findDrug(SEED_DRUGS, '  bAcLoFeN ')?.name).toBe('Baclofen');
    expect(findDrug(SEED_DRUGS, 'Baclofen 2')).toBeNull();
  });
});
