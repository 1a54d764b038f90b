/**
 * The clinic settings the charts need (today in the clinic's time zone, discrepancy thresholds).
 * The record screen starts the request together with the record's (`prefetchChartSettings`), so
 * the charts do not wait for a second round trip after the record arrives.
 */
import { clinicSettings } from '../../../api/clinic-settings';
import { EarlyRequest } from '../../../api/early';
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
  return clinicSettings().then(
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

/** Requested with the record (the record screen starts it); taken once by the charts. An older one is not used. */
const early = new EarlyRequest<'settings', ChartSettings>(10_000);

/** Start loading the chart settings now (the record screen calls it with its own request). */
export function prefetchChartSettings(): void {
  early.start('settings', loadChartSettings);
}

/**
 * The prefetched settings if they have arrived and are fresh (the charts then draw in the same
 * render as the record, with no wait for a promise), else null.
 */
export function peekChartSettings(): ChartSettings | null {
  return early.peek('settings');
}

/** The prefetched settings if fresh, else a new request. */
export function takeChartSettings(): Promise<ChartSettings> {
  return early.take('settings', loadChartSettings);
}
