import { z } from 'zod';

export const MASS_UNITS = ['mg', 'mcg'] as const;
export type MassUnitName = (typeof MASS_UNITS)[number];

const maxThreeDecimals = (v: number) => Math.abs(Math.round(v * 1000) - v * 1000) < 1e-6;

const unit = z.enum(MASS_UNITS, {
  error: (iss) => (iss.input === undefined ? 'needs a unit: mg or mcg' : 'unit must be mg or mcg'),
});

/**
 * An amount of drug as a clinician writes it: a number and its unit, both required.
 * A bare number is refused: there is no default unit, so mg and mcg can never be confused.
 */
export const massAmount = z
  .object(
    {
      value: z
        .number({ error: 'must be a number' })
        .finite({ error: 'must be a number' })
        .nonnegative({ error: 'cannot be negative' })
        .refine(maxThreeDecimals, { error: 'may have at most 3 decimals' }),
      unit,
    },
    { error: 'needs a value and a unit (mg or mcg)' },
  )
  .strict();
export type MassAmount = z.infer<typeof massAmount>;

/** A volume in millilitres, as measured in the syringe (at most 3 decimals, i.e. whole microlitres). */
export const volumeMl = (max = 1000) =>
  z
    .number({ error: (iss) => (iss.input === undefined ? 'is required (mL)' : 'must be a number of mL') })
    .finite({ error: 'must be a number of mL' })
    .nonnegative({ error: 'cannot be negative' })
    .max(max, { error: `must be at most ${max} mL` })
    .refine(maxThreeDecimals, { error: 'may have at most 3 decimals (mL)' });

export const mlToUl = (ml: number): number => Math.round(ml * 1000);
