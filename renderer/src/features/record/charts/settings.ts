/**
 * The clinic settings the charts need (today in the clinic's time zone, discrepancy thresholds).
 * The record screen starts the request together with the record's (`prefetchChartSettings`), so
 * the charts do not wait for a second round trip after the record arrives.
 */
import { call } from '../../../api/client';
import { clinicToday } from '../../../format';
import type { CalendarDate } from '../../../../../shared/domain/calendar';
import { DEFAULT_DISCREPANCY_THRESHOLDS, type DiscrepancyThresholds } from '../../../../../shared/domain/refill';
import type { Microlitres } from '../../../../../shared/domain/units';

export interface ChartSettings {
  today: CalendarDate;
  thresholds: DiscrepancyThresholds;
}

function fallbackSettings(): ChartSettings {
  return { today: clinicToday(null), thresholds: DEFAULT_DISCREPANCY_THRESHOLDS };
}

function loadChartSettings(): Promise<ChartSettings> {
  return call('settings.get', {}).then(
    (r) => {
      if (!r.ok) return fallbackSettings();
      const s = r.value;
      return {
        today: clinicToday(s.timeZone),
        thresholds: {
          smallUl: s.discrepancyThresholdSmallUl as Microlitres,
          largeUl: s.discrepancyThresholdLargeUl as Microlitres,
          smallReservoirMaxUl: s.smallReservoirMaxUl as Microlitres,
        },
      };
    },
    () => fallbackSettings(),
  );
}

/** A request started when the record screen opens; taken once by the charts. */
let pending: { promise: Promise<ChartSettings>; startedMs: number; value: ChartSettings | null } | null = null;
/** An older prefetch is not used: the settings may have changed since. */
const FRESH_MS = 10_000;

/** Start loading the chart settings now (the record screen calls it with its own request). */
export function prefetchChartSettings(): void {
  const entry: NonNullable<typeof pending> = { promise: loadChartSettings(), startedMs: Date.now(), value: null };
  void entry.promise.then((v) => (entry.value = v));
  pending = entry;
}

/**
 * The prefetched settings if they have arrived and are fresh (the charts then draw in the same
 * render as the record, with no wait for a promise), else null.
 */
export function peekChartSettings(): ChartSettings | null {
  return pending !== null && pending.value !== null && Date.now() - pending.startedMs < FRESH_MS ? pending.value : null;
}

/** The prefetched settings if fresh, else a new request. */
export function takeChartSettings(): Promise<ChartSettings> {
  const p = pending !== null && Date.now() - pending.startedMs < FRESH_MS ? pending.promise : loadChartSettings();
  pending = null;
  return p;
}
