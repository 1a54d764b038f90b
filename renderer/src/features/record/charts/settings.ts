/**
 * The clinic settings the charts need (today in the clinic's time zone, discrepancy thresholds).
 * The record screen starts the shared clinic-settings request together with the record's
 * (`prefetchChartSettings`), so the charts do not wait for a second round trip after the record
 * arrives, and the record's forms and signatures use the same answer.
 */
import type { ClinicSettings } from '../../../../../shared/contract/record';
import { clinicSettings, peekClinicSettings } from '../../../api/clinic-settings';
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

function chartSettingsOf(s: ClinicSettings): ChartSettings {
  return {
    today: clinicToday(s.timeZone),
    thresholds: {
      smallUl: s.discrepancyThresholdSmallUl as Microlitres,
      largeUl: s.discrepancyThresholdLargeUl as Microlitres,
      smallReservoirMaxUl: s.smallReservoirMaxUl as Microlitres,
    },
  };
}

/** Start loading the clinic settings now (the record screen calls it with its own request). */
export function prefetchChartSettings(): void {
  void clinicSettings();
}

/**
 * The chart settings if the clinic settings have arrived and are fresh (the charts then draw in the
 * same render as the record, with no wait for a promise), else null.
 */
export function peekChartSettings(): ChartSettings | null {
  const s = peekClinicSettings();
  return s === null ? null : chartSettingsOf(s);
}

/** The chart settings, from the shared clinic-settings request; the defaults if it fails. */
export function loadChartSettings(): Promise<ChartSettings> {
  return clinicSettings().then(
    (r) => (r.ok ? chartSettingsOf(r.value) : fallbackSettings()),
    () => fallbackSettings(),
  );
}
