import { describe, expect, it } from 'vitest';
import { calendarDate } from '../../../../shared/domain/calendar';
import { previousMonth } from '../../../../shared/domain/periods';
import { EMPTY_PARAMS, type ParamsState } from './ReportParamsForm';
import { withPeriodDefault } from './period-default';

const lastMonth = previousMonth(calendarDate('2026-12-07'));
const state = (report: ParamsState['report'], from = '', to = ''): ParamsState => ({ ...EMPTY_PARAMS, report, from, to });

describe('the Reports screen’s period default', () => {
  it('the activity and safety reports open on last month', () => {
    expect(withPeriodDefault(null, state('activity'), lastMonth)).toMatchObject({ from: '2026-11-01', to: '2026-11-30' });
    expect(withPeriodDefault(state('refill-schedule'), state('safety'), lastMonth)).toMatchObject({ from: '2026-11-01', to: '2026-11-30' });
  });
  it('the refill schedule and the patient summary keep their own defaults (empty: from today; the whole history)', () => {
    expect(withPeriodDefault(null, state('refill-schedule'), lastMonth)).toMatchObject({ from: '', to: '' });
    expect(withPeriodDefault(state('activity', '2026-11-01', '2026-11-30'), state('patient-summary', '2026-11-01', '2026-11-30'), lastMonth)).toMatchObject({ from: '', to: '' });
  });
  it('a period the user typed is never replaced', () => {
    expect(withPeriodDefault(state('refill-schedule'), state('activity', '2026-01-01', '2026-03-31'), lastMonth)).toMatchObject({ from: '2026-01-01', to: '2026-03-31' });
    expect(withPeriodDefault(state('activity'), state('patient-summary', '2026-01-01', ''), lastMonth)).toMatchObject({ from: '2026-01-01', to: '' });
    // Clearing the fields on the same report leaves them empty (the server's own default applies).
    expect(withPeriodDefault(state('activity', '2026-11-01', '2026-11-30'), state('activity'), lastMonth)).toMatchObject({ from: '', to: '' });
  });
  it('without the clinic’s today yet, nothing is filled in', () => {
    expect(withPeriodDefault(null, state('activity'), null)).toMatchObject({ from: '', to: '' });
  });
});
