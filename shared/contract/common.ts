import { z } from 'zod';

/** A calendar date `YYYY-MM-DD` (a real date: 2025-02-29 is refused). */
export const calendarDate = z.iso.date({ error: 'must be a real date written YYYY-MM-DD' });

/** Trimmed, non-empty text with a length limit. */
export const text = (max: number) =>
  z
    .string({ error: (iss) => (iss.input === undefined ? 'is required' : 'must be text') })
    .trim()
    .min(1, { error: 'is required' })
    .max(max, { error: `must be at most ${max} characters` });

export const optionalText = (max: number) =>
  z
    .string({ error: 'must be text' })
    .trim()
    .max(max, { error: `must be at most ${max} characters` })
    .optional()
    .transform((v) => (v === undefined || v === '' ? undefined : v));

export const id = z.number({ error: 'must be a record id' }).int({ error: 'must be a whole number' }).positive({ error: 'must be a record id' });

export const noInput = z.object({}).strict();

/** A whole number of days from `min` to `max`, with a message a clinic reads ("must be 0 to 365 days"). */
export const wholeDays = (min: number, max: number) => {
  const range = { error: `must be ${min} to ${max} days` };
  return z.number({ error: 'must be a whole number of days' }).int({ error: 'must be a whole number of days' }).min(min, range).max(max, range);
};
