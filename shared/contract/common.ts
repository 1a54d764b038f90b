import { z } from 'zod';
import { normaliseLineBreaks, textProblem, type TextKind } from './text';

const dateBetween = (first: string, last: string, message: string) =>
  z.iso
    .date({ error: 'must be a real date written YYYY-MM-DD' })
    .refine((d) => d >= first && d <= last, { error: message });

/**
 * A calendar date `YYYY-MM-DD` of the record (a real date: 2025-02-29 is refused), in the years
 * 1000 to 9999 that the calendar arithmetic (`shared/domain/calendar.ts`) supports.
 */
export const calendarDate = dateBetween('1000-01-01', '9999-12-31', 'must be a date in the years 1000 to 9999');

/** The dates a period, a window or an "as of" may name: the reports, the worklist, the audit trail and pump searches. */
export const PERIOD_DATES = { first: '1900-01-01', last: '2199-12-31' } as const;

/**
 * One end of a period, or an as-of date. Narrower than `calendarDate`: a worklist as of a date, a
 * report's period or an inventory months ahead counts days and months past it, which must stay
 * in the calendar, and no clinic asks about the year 9999.
 */
export const periodDate = dateBetween(PERIOD_DATES.first, PERIOD_DATES.last, `must be a date from ${PERIOD_DATES.first} to ${PERIOD_DATES.last}`);

/**
 * A trimmed string of this kind of text, before its length checks: free text (`multiline`) has its
 * line breaks as LF (CRLF and a lone CR become LF), so a length counts a line break once.
 */
export const textString = (kind: TextKind, error: Parameters<typeof z.string>[0] = { error: 'must be text' }) => {
  const s = z.string(error).trim();
  return kind === 'multiline' ? s.overwrite(normaliseLineBreaks) : s;
};

/** The check of `./text.ts` for a string schema: the first problem becomes the field's issue. */
export const checkedText = (kind: TextKind) => (s: z.ZodString) =>
  s.superRefine((v, ctx) => {
    const problem = textProblem(v, kind);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem, input: v });
  });

/**
 * Trimmed, non-empty text with a length limit. `kind` says what it may contain (`./text.ts`): one
 * line by default; `name` for names and identifiers (also not beginning with = + - @); `multiline`
 * for free text that keeps tabs and line breaks.
 */
export const text = (max: number, kind: TextKind = 'line') =>
  checkedText(kind)(
    textString(kind, { error: (iss) => (iss.input === undefined ? 'is required' : 'must be text') })
      .min(1, { error: 'is required' })
      .max(max, { error: `must be at most ${max} characters` }),
  );

/** Like `text`, but may be absent or empty (both answer undefined). */
export const optionalText = (max: number, kind: TextKind = 'line') =>
  checkedText(kind)(textString(kind).max(max, { error: `must be at most ${max} characters` }))
    .optional()
    .transform((v) => (v === undefined || v === '' ? undefined : v));

export const id = z.number({ error: 'must be a record id' }).int({ error: 'must be a whole number' }).positive({ error: 'must be a record id' });

export const noInput = z.object({}).strict();

/** A whole number of days from `min` to `max`, with a message a clinic reads ("must be 0 to 365 days"). */
export const wholeDays = (min: number, max: number) => {
  const range = { error: `must be ${min} to ${max} days` };
  return z.number({ error: 'must be a whole number of days' }).int({ error: 'must be a whole number of days' }).min(min, range).max(max, range);
};
