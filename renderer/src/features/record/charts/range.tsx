import { toEpochDay, type CalendarDate } from '../../../../../shared/domain/calendar';
import type { PumpSeries } from './series';

/** The time ranges all three charts follow: the last year by default, up to the whole history. */
export const RANGES = [
  { key: '1y', label: '1 year', days: 365 },
  { key: '3y', label: '3 years', days: 3 * 365 },
  { key: 'all', label: 'All', days: null },
] as const;
export type RangeKey = (typeof RANGES)[number]['key'];

/** The first epoch day a range shows: `days` before today, never before the first refill (or implant). */
export function rangeStart(pumps: readonly PumpSeries[], today: CalendarDate, range: RangeKey): number {
  const firstDay = Math.min(...pumps.map((p) => (Number.isFinite(p.firstRefillDay) ? p.firstRefillDay : p.startDay)));
  const days = RANGES.find((r) => r.key === range)?.days ?? null;
  return days === null ? firstDay : Math.max(firstDay, toEpochDay(today) - days);
}

/** One group of toggle buttons for the range of every chart of the record. */
export function RangePicker({ value, onChange }: { value: RangeKey; onChange: (range: RangeKey) => void }) {
  return (
    <div role="group" aria-label="Time range of the charts" className="rc-ranges">
      {RANGES.map((r) => (
        <button key={r.key} type="button" aria-pressed={value === r.key} onClick={() => onChange(r.key)}>
          {r.label}
        </button>
      ))}
    </div>
  );
}
