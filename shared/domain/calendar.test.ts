import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  addDays,
  addMonths,
  calendarDate,
  compareDates,
  daysBetween,
  fromEpochDay,
  MAX_EPOCH_DAY,
  MIN_EPOCH_DAY,
  isValidTimeZone,
  parseCalendarDate,
  toEpochDay,
  todayIn,
  type CalendarDate,
} from './calendar';

const d = calendarDate;

describe('parseCalendarDate', () => {
  it('accepts real dates, including a leap day', () => {
    expect(parseCalendarDate('2024-02-29')).toEqual({ ok: true, value: '2024-02-29' });
    expect(parseCalendarDate('2000-02-29').ok).toBe(true); // 2000 is divisible by 400: leap
  });
  it('refuses dates that do not exist and malformed strings as error values', () => {
    for (const bad of ['2025-02-29', '1900-02-29', '2024-02-30', '2024-04-31', '2024-13-01', '2024-00-10', '2024-1-01', '24-01-01', '', '2024-01-01T00:00', '0999-12-31']) {
      const r = parseCalendarDate(bad, 'date');
      expect(r.ok, bad).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('invalid_input');
        expect(r.error.field).toBe('date');
      }
    }
  });
  it('calendarDate throws for a bad stored date', () => {
    expect(() => d('2025-02-29')).toThrow(RangeError);
  });
});

describe('epoch days', () => {
  it('matches hand-counted values', () => {
    expect(toEpochDay(d('1970-01-01'))).toBe(0);
    expect(toEpochDay(d('1970-01-02'))).toBe(1);
    // 1970..1999: 30 × 365 + 7 leap days (72, 76, 80, 84, 88, 92, 96) = 10957; + 31 (Jan) + 29 (Feb 2000) = 11017
    expect(toEpochDay(d('2000-03-01'))).toBe(11_017);
    expect(fromEpochDay(11_017)).toBe('2000-03-01');
    expect(fromEpochDay(-1)).toBe('1969-12-31');
    expect(() => fromEpochDay(1.5)).toThrow(RangeError);
  });
});

describe('day arithmetic', () => {
  it('is not moved by DST changes (dates, not instants)', () => {
    // US DST starts 2026-03-08 (America/New_York); EU DST ends 2026-10-25 (Europe/London)
    expect(addDays(d('2026-03-07'), 1)).toBe('2026-03-08');
    expect(addDays(d('2026-03-07'), 2)).toBe('2026-03-09');
    expect(daysBetween(d('2026-03-01'), d('2026-03-15'))).toBe(14);
    expect(addDays(d('2026-10-24'), 2)).toBe('2026-10-26');
    expect(daysBetween(d('2026-10-20'), d('2026-10-30'))).toBe(10);
    expect(addDays(d('2026-11-01'), -1)).toBe('2026-10-31');
  });
  it('counts the leap day: 2023 and 2024 intervals differ by one day', () => {
    expect(daysBetween(d('2023-02-01'), d('2023-04-01'))).toBe(59); // 28 (Feb) + 31 (Mar)
    expect(daysBetween(d('2024-02-01'), d('2024-04-01'))).toBe(60); // 29 (Feb) + 31 (Mar)
    expect(addDays(d('2024-02-28'), 1)).toBe('2024-02-29');
    expect(addDays(d('2023-02-28'), 1)).toBe('2023-03-01');
    expect(addDays(d('2024-12-31'), 1)).toBe('2025-01-01');
  });
  it('addMonths clamps to the end of the month', () => {
    expect(addMonths(d('2024-01-31'), 1)).toBe('2024-02-29');
    expect(addMonths(d('2023-01-31'), 1)).toBe('2023-02-28');
    expect(addMonths(d('2024-02-29'), 12)).toBe('2025-02-28');
    expect(addMonths(d('2024-03-31'), -1)).toBe('2024-02-29');
    expect(addMonths(d('2024-12-15'), 1)).toBe('2025-01-15');
    expect(addMonths(d('2025-01-15'), -1)).toBe('2024-12-15');
    expect(addMonths(d('2019-05-31'), 84)).toBe('2026-05-31'); // 84 months = 7 years
    expect(addMonths(d('2019-05-31'), 78)).toBe('2025-11-30'); // 6 years 6 months: November has 30 days
  });
  it('compareDates orders dates', () => {
    expect(compareDates(d('2024-02-29'), d('2024-03-01'))).toBe(-1);
    expect(compareDates(d('2024-03-01'), d('2024-03-01'))).toBe(0);
    expect(compareDates(d('2025-01-01'), d('2024-12-31'))).toBe(1);
  });
});

describe('todayIn', () => {
  it('New York, around midnight on the day DST starts (2026-03-08, UTC−5 before)', () => {
    // local midnight of 2026-03-08 is 00:00 EST = 05:00 UTC
    expect(todayIn('America/New_York', Date.UTC(2026, 2, 8, 4, 59, 59, 999))).toBe('2026-03-07');
    expect(todayIn('America/New_York', Date.UTC(2026, 2, 8, 5, 0, 0, 0))).toBe('2026-03-08');
    // the next midnight is 00:00 EDT (UTC−4) = 04:00 UTC on 03-09
    expect(todayIn('America/New_York', Date.UTC(2026, 2, 9, 3, 59, 59, 999))).toBe('2026-03-08');
    expect(todayIn('America/New_York', Date.UTC(2026, 2, 9, 4, 0, 0, 0))).toBe('2026-03-09');
  });
  it('London, around midnight on the day DST ends (2026-10-25)', () => {
    // local midnight of 10-25 is still BST (UTC+1) = 23:00 UTC on 10-24
    expect(todayIn('Europe/London', Date.UTC(2026, 9, 24, 22, 59, 59, 999))).toBe('2026-10-24');
    expect(todayIn('Europe/London', Date.UTC(2026, 9, 24, 23, 0, 0, 0))).toBe('2026-10-25');
    // local midnight of 10-26 is GMT (UTC+0) = 00:00 UTC
    expect(todayIn('Europe/London', Date.UTC(2026, 9, 25, 23, 59, 59, 999))).toBe('2026-10-25');
    expect(todayIn('Europe/London', Date.UTC(2026, 9, 26, 0, 0, 0, 0))).toBe('2026-10-26');
  });
  it('a zone ahead of UTC crosses the year before UTC does', () => {
    // Pacific/Auckland is UTC+13 in January: local midnight 2026-01-01 = 11:00 UTC on 2025-12-31
    expect(todayIn('Pacific/Auckland', Date.UTC(2025, 11, 31, 10, 59, 59))).toBe('2025-12-31');
    expect(todayIn('Pacific/Auckland', Date.UTC(2025, 11, 31, 11, 0, 0))).toBe('2026-01-01');
    expect(todayIn('UTC', Date.UTC(2024, 1, 29, 23, 59, 59))).toBe('2024-02-29');
  });
  it('time zone validation', () => {
    expect(isValidTimeZone('Europe/London')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(() => todayIn('Mars/Olympus', 0)).toThrow(RangeError);
  });
});

describe('properties', () => {
  const lo = toEpochDay(d('1900-01-01'));
  const hi = toEpochDay(d('2200-12-31'));
  const anyDate = fc.integer({ min: lo, max: hi }).map(fromEpochDay);
  const leapDay = fc.integer({ min: 1900, max: 2200 }).filter((y) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0).map((y) => d(`${y}-02-29`));
  const date = fc.oneof(anyDate, leapDay);

  it('addDays and daysBetween are inverse, including across leap days', () => {
    fc.assert(
      fc.property(date, fc.integer({ min: -20_000, max: 20_000 }), (a, n) => {
        const b = addDays(a, n);
        expect(daysBetween(a, b)).toBe(n);
        expect(addDays(b, -n)).toBe(a);
        expect(parseCalendarDate(b).ok).toBe(true);
      }),
    );
  });

  it('fromEpochDay (integer arithmetic) gives the same date as JavaScript Date, on every day from 1000 to 9999', () => {
    const viaDate = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);
    for (let day = MIN_EPOCH_DAY; day <= MAX_EPOCH_DAY; day++) {
      if (fromEpochDay(day) !== viaDate(day)) expect(fromEpochDay(day)).toBe(viaDate(day));
    }
    // Hand-checked turns: a century that is not a leap year, one that is, and the range's ends.
    expect(fromEpochDay(toEpochDay(d('1900-02-28')) + 1)).toBe('1900-03-01');
    expect(fromEpochDay(toEpochDay(d('2000-02-28')) + 1)).toBe('2000-02-29');
    expect(fromEpochDay(MIN_EPOCH_DAY)).toBe('1000-01-01');
    expect(fromEpochDay(MAX_EPOCH_DAY)).toBe('9999-12-31');
    expect(() => fromEpochDay(MAX_EPOCH_DAY + 1)).toThrow(RangeError);
  });

  it('fromEpochDay and toEpochDay are inverse; string order is date order', () => {
    fc.assert(
      fc.property(date, date, (a: CalendarDate, b: CalendarDate) => {
        expect(fromEpochDay(toEpochDay(a))).toBe(a);
        expect(compareDates(a, b)).toBe(a < b ? -1 : a > b ? 1 : 0);
      }),
    );
  });
});
