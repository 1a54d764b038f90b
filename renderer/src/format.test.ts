import { afterEach, describe, expect, it } from 'vitest';
import { date, discrepancy, formatDate, localDates, formatDateTime, formatFixed, formatNumber, exactML, mass, mL, mLPerDay } from './format';

const savedTz = process.env.TZ;
afterEach(() => {
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
});

describe('formatDate: a calendar date in the locale, never shifted', () => {
  it('shows 2026-11-24 the way each locale writes it', () => {
    expect(formatDate('2026-11-24', 'en-US')).toBe('11/24/2026');
    expect(formatDate('2026-11-24', 'en-GB')).toBe('24/11/2026');
    expect(formatDate('2026-11-24', 'de-DE')).toBe('24.11.2026');
  });

  it('pads single-digit days and months', () => {
    expect(formatDate('2027-03-05', 'en-US')).toBe('03/05/2027');
    expect(formatDate('2027-03-05', 'de-DE')).toBe('05.03.2027');
  });

  it.each(['Pacific/Kiritimati', 'Pacific/Pago_Pago', 'Europe/Berlin', 'America/New_York'])(
    'keeps DST-change days and year ends on their day on a machine in %s',
    (tz) => {
      process.env.TZ = tz;
      // Europe springs forward on 2026-03-29, the US falls back on 2026-11-01.
      expect(formatDate('2026-03-29', 'de-DE')).toBe('29.03.2026');
      expect(formatDate('2026-11-01', 'en-US')).toBe('11/01/2026');
      expect(formatDate('2026-12-31', 'en-GB')).toBe('31/12/2026');
      expect(formatDate('2027-01-01', 'en-GB')).toBe('01/01/2027');
    },
  );

  it('shows anything that is not a real calendar date as it is instead of guessing', () => {
    expect(formatDate('2026-02-30', 'en-US')).toBe('2026-02-30');
    expect(formatDate('24.11.2026', 'en-US')).toBe('24.11.2026');
    expect(formatDate('', 'en-US')).toBe('');
  });

  it('date() shows a dash for no date', () => {
    expect(date(null, 'de-DE')).toBe('—');
    expect(date(undefined, 'de-DE')).toBe('—');
    expect(date('2026-11-24', 'de-DE')).toBe('24.11.2026');
  });
});

describe('localDates: main\'s messages with the screens\' dates', () => {
  it('shows each real ISO date in the locale and leaves anything else', () => {
    expect(localDates('The date 2026-12-20 is after today (2026-11-25): record what has happened, on the day it happened.', 'en-US')).toBe(
      'The date 12/20/2026 is after today (11/25/2026): record what has happened, on the day it happened.',
    );
    expect(localDates('dated after 2026-10-26', 'de-DE')).toBe('dated after 26.10.2026');
    expect(localDates('not a date: 2023-02-29, serial NGP-2024-01-01X9, 12026-01-01', 'en-US')).toBe('not a date: 2023-02-29, serial NGP-2024-01-01X9, 12026-01-01');
  });
});

describe('formatDateTime: an instant in a time zone', () => {
  it('shows the wall-clock time on both sides of a DST change', () => {
    // 2026-03-29 00:30 UTC is 01:30 CET; an hour later Berlin has sprung forward to 03:30 CEST.
    expect(formatDateTime(Date.UTC(2026, 2, 29, 0, 30), 'Europe/Berlin', 'de-DE')).toBe('29.03.2026, 01:30');
    expect(formatDateTime(Date.UTC(2026, 2, 29, 1, 30), 'Europe/Berlin', 'de-DE')).toBe('29.03.2026, 03:30');
  });

  it('puts an instant just after UTC midnight on the previous day in New York', () => {
    expect(formatDateTime(Date.UTC(2026, 10, 24, 0, 15), 'America/New_York', 'en-US')).toBe('11/23/2026, 07:15 PM');
    expect(formatDateTime(Date.UTC(2026, 10, 24, 0, 15), 'UTC', 'en-GB')).toBe('24/11/2026, 00:15');
  });

  it('uses the machine time zone when none (or an unknown one) is given', () => {
    process.env.TZ = 'UTC';
    expect(formatDateTime(Date.UTC(2026, 10, 24, 13, 5), undefined, 'en-GB')).toBe('24/11/2026, 13:05');
    expect(formatDateTime(Date.UTC(2026, 10, 24, 13, 5), 'Not/AZone', 'en-GB')).toBe('24/11/2026, 13:05');
  });
});

describe('numbers: locale digits, grouping and decimal separator', () => {
  it('formatNumber rounds to at most the given decimals', () => {
    expect(formatNumber(1234.5678, 3, 'en-US')).toBe('1,234.568');
    expect(formatNumber(1234.5678, 3, 'en-GB')).toBe('1,234.568');
    expect(formatNumber(1234.5678, 3, 'de-DE')).toBe('1.234,568');
    expect(formatNumber(0.5, 2, 'de-DE')).toBe('0,5');
    expect(formatNumber(12, 2, 'en-US')).toBe('12');
    expect(formatNumber(2.345, 1, 'en-US')).toBe('2.3');
  });

  it('formatFixed keeps trailing zeros', () => {
    expect(formatFixed(12.5, 2, 'en-US')).toBe('12.50');
    expect(formatFixed(12.5, 2, 'de-DE')).toBe('12,50');
  });

  it('volumes, daily volumes and discrepancies carry their unit', () => {
    expect(mL(12_500, 2, 'en-US')).toBe('12.50 mL');
    expect(mL(12_500, 2, 'de-DE')).toBe('12,50 mL');
    expect(mL(null, 2, 'de-DE')).toBe('—');
    expect(mLPerDay(1_250, 'de-DE')).toBe('1,250 mL/day');
    expect(mLPerDay(419, 'en-US')).toBe('0.419 mL/day');
    expect(exactML(1_000, 'de-DE')).toBe('1,00 mL');
    expect(exactML(1_005, 'en-US')).toBe('1.005 mL');
  });

  it('masses stay in their own unit (mg never shown as mcg)', () => {
    expect(mass(2_500_000, 'mg', '/day', 'de-DE')).toBe('2,5 mg/day');
    expect(mass(2_500_000, 'mcg', '/day', 'en-US')).toBe('2,500 mcg/day');
    expect(mass(25_000_000, 'mg', '/mL', 'en-GB')).toBe('25 mg/mL');
    expect(mass(1_234, 'mcg', '/day', 'en-US')).toBe('1.234 mcg/day');
  });
});

describe('discrepancy', () => {
  // Deliberately changed (issue 13 item 10): words, not the signed "+0.10 mL" / "−2.15 mL".
  it('in words in the locale\'s digits, never signed; a dash for a first fill', () => {
    expect(discrepancy(100, null, 'en-US')).toBe('0.10 mL more than expected');
    expect(discrepancy(-2_150, null, 'en-US')).toBe('2.15 mL less than expected');
    expect(discrepancy(-2_150, -26.875, 'de-DE')).toBe('2,15 mL (26,9 %) less than expected');
    expect(discrepancy(1_234_560, null, 'en-US')).toBe('1,234.56 mL more than expected');
    expect(discrepancy(-3, null, 'en-US')).toBe('0.003 mL less than expected');
    expect(discrepancy(0, 0, 'en-US')).toBe('as expected');
    expect(discrepancy(null, null, 'en-US')).toBe('—');
  });
});
