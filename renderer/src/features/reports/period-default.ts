/**
 * The period the Reports screen starts with (issue 16, item 5): the activity and safety reports,
 * which look back, start with last month in the clinic's time zone (`shared/domain/periods.ts`);
 * the refill schedule (from today on), the device inventory (as of today) and the patient summary
 * (the whole history) start empty, as their own defaults say.
 */
import type { ReportName } from '../../../../shared/contract/reports';
import type { Period } from '../../../../shared/domain/periods';
import type { ParamsState } from './ReportParamsForm';

/** Whether a report's period defaults to last month. Exhaustive: a new report must say. */
export function startsWithLastMonth(report: ReportName): boolean {
  switch (report) {
    case 'activity':
    case 'safety':
      return true;
    case 'refill-schedule':
    case 'device-inventory':
    case 'patient-summary':
    case 'refill-worksheet':
    case 'patient-card':
    case 'pharmacy-preparation': // a day (today) or the coming days, its own default
      return false;
  }
}

/**
 * The form's state after a change: a report that looks back gets last month when its period is
 * empty; a report that does not loses last month when it was only the default (a period the user
 * typed is kept either way).
 */
export function withPeriodDefault(prev: ParamsState | null, next: ParamsState, lastMonth: Period | null): ParamsState {
  if (lastMonth === null || (prev !== null && prev.report === next.report)) return next;
  const empty = next.from === '' && next.to === '';
  const isDefault = next.from === lastMonth.from && next.to === lastMonth.to;
  if (startsWithLastMonth(next.report)) return empty ? { ...next, from: lastMonth.from, to: lastMonth.to } : next;
  return isDefault ? { ...next, from: '', to: '' } : next;
}
