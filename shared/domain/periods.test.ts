import { describe, expect, it } from 'vitest';
import { calendarDate } from './calendar';
import { lastMonthIn, previousMonth } from './periods';

const d = calendarDate;

describe('previousMonth (the reports screen starts with last month)', () => {
  it('December 2026 gives November 2026, whole', () => {
    expect(previousMonth(d('2026-12-07'))).toEqual({ from: '2026-11-01', to: '2026-11-30' });
    expect(previousMonth(d('2026-12-31'))).toEqual({ from: '2026-11-01', to: '2026-11-30' });
  });
  it('January gives December of the previous year', () => {
    expect(previousMonth(d('2027-01-01'))).toEqual({ from: '2026-12-01', to: '2026-12-31' });
    expect(previousMonth(d('2027-01-31'))).toEqual({ from: '2026-12-01', to: '2026-12-31' });
  });
  it('February ends on the 29th in a leap year, the 28th otherwise (2100 is not leap)', () => {
    expect(previousMonth(d('2028-03-31'))).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(previousMonth(d('2027-03-15'))).toEqual({ from: '2027-02-01', to: '2027-02-28' });
    expect(previousMonth(d('2000-03-01'))).toEqual({ from: '2000-02-01', to: '2000-02-29' });
    expect(previousMonth(d('2100-03-01'))).toEqual({ from: '2100-02-01', to: '2100-02-28' });
  });
  it('months of 30 and 31 days end on their own last day', () => {
    expect(previousMonth(d('2026-05-01'))).toEqual({ from: '2026-04-01', to: '2026-04-30' });
    expect(previousMonth(d('2026-08-20'))).toEqual({ from: '2026-07-01', to: '2026-07-31' });
  });
  it('is taken in the clinic’s time zone: the same instant is another month in Auckland than in Los Angeles', () => {
    const now = Date.UTC(2026, 11, 31, 12, 0); // 2026-12-31 12:00 UTC: already 2027-01-01 in Auckland
    expect(lastMonthIn('Pacific/Auckland', now)).toEqual({ from: '2026-12-01', to: '2026-12-31' });
    expect(lastMonthIn('America/Los_Angeles', now)).toEqual({ from: '2026-11-01', to: '2026-11-30' });
    expect(lastMonthIn('UTC', now)).toEqual({ from: '2026-11-01', to: '2026-11-30' });
  });
});
