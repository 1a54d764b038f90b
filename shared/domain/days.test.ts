import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, fromEpochDay, MAX_EPOCH_DAY, MIN_EPOCH_DAY, toEpochDay, type CalendarDate } from './calendar';
import { dateOfEpochDay, epochDayOf, plusDays } from './days';

const day = fc.integer({ min: MIN_EPOCH_DAY, max: MAX_EPOCH_DAY });
// A few days, so that the same ones come back (answered from the tables) as well as new ones.
const nearDay = fc.integer({ min: 18_000, max: 18_050 });

describe('remembered day conversions (days.ts) answer what calendar.ts answers', () => {
  it('dateOfEpochDay and epochDayOf, new and remembered', () => {
    fc.assert(
      fc.property(fc.oneof(day, nearDay), (d) => {
        const date = fromEpochDay(d);
        expect(dateOfEpochDay(d)).toBe(date);
        expect(dateOfEpochDay(d)).toBe(date);
        expect(epochDayOf(date)).toBe(toEpochDay(date));
        expect(epochDayOf(date)).toBe(d);
      }),
      { numRuns: 2000 },
    );
  });

  it('plusDays is addDays', () => {
    fc.assert(
      fc.property(fc.oneof(day, nearDay), fc.integer({ min: -400, max: 400 }), (d, n) => {
        const date = fromEpochDay(d);
        let expected: CalendarDate | Error;
        try {
          expected = addDays(date, n);
        } catch (e) {
          expected = e as Error;
        }
        if (expected instanceof Error) expect(() => plusDays(date, n)).toThrow(expected.message);
        else expect(plusDays(date, n)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('a day fromEpochDay refuses is refused every time, and not remembered', () => {
    for (const bad of [MAX_EPOCH_DAY + 1, MIN_EPOCH_DAY - 1, 1.5, Number.NaN]) {
      expect(() => fromEpochDay(bad)).toThrow(RangeError);
      expect(() => dateOfEpochDay(bad)).toThrow(RangeError);
      expect(() => dateOfEpochDay(bad)).toThrow(RangeError);
    }
  });

  it('text that is not a date converts as toEpochDay converts it', () => {
    for (const odd of ['', 'abc', '2024-13-01', '2024-02-30', '0999-12-31']) {
      expect(epochDayOf(odd as CalendarDate)).toStrictEqual(toEpochDay(odd as CalendarDate));
      expect(epochDayOf(odd as CalendarDate)).toStrictEqual(toEpochDay(odd as CalendarDate));
    }
  });
});
