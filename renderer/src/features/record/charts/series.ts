/**
 * Chart series of a patient record, built only with `shared/domain` arithmetic: the rate history of
 * each pump (refill prescriptions and dose changes), the estimated level (`levelSeries`), refill
 * visits with their discrepancy threshold, and the dose of each drug over time.
 */
import type { DoseChange, PatientRecord, PumpHistory, Refill } from '../../../../../shared/contract/record';
import type { MassUnitName } from '../../../../../shared/contract/quantities';
import { compareDates, minDate, toEpochDay, type CalendarDate } from '../../../../../shared/domain/calendar';
import { levelSeries, type LevelSeries, type TherapyStop } from '../../../../../shared/domain/chart';
import type { Prescription } from '../../../../../shared/domain/prescription';
import { pumpTimeline, toRateChanges } from '../../../../../shared/domain/timeline';
import { discrepancyThresholdUl, type DiscrepancyThresholds } from '../../../../../shared/domain/refill';
import type { RateChange } from '../../../../../shared/domain/reservoir';
import type { Microlitres } from '../../../../../shared/domain/units';

/** One prescription in effect from `date` (a refill, or a dose change applied to the previous one). */
export interface PrescriptionStep {
  readonly date: CalendarDate;
  readonly prescription: Prescription;
  readonly source: 'refill' | 'dose_change';
}

export interface PumpSeries {
  readonly history: PumpHistory;
  readonly steps: PrescriptionStep[];
  readonly rates: RateChange[];
  /** Set when the rates could not be built. */
  readonly error: string | null;
  readonly thresholds: DiscrepancyThresholds;
  readonly firstRefillDay: number;
  /** The last day this pump's estimate runs to: the removal date, else today. */
  readonly end: CalendarDate;
  readonly startDay: number;
  readonly endDay: number;
  readonly thresholdUl: Microlitres;
}

/** Refills and dose changes in date order (on one date the refill comes first), as chart steps. */
export function prescriptionSteps(refills: readonly Refill[], doseChanges: readonly DoseChange[]): { steps: PrescriptionStep[]; rates: RateChange[]; error: string | null } {
  const timeline = pumpTimeline(refills, doseChanges);
  if (!timeline.ok) return { steps: [], rates: [], error: timeline.error.message };
  return {
    steps: timeline.value.map((t) => ({ date: t.date, prescription: t.prescription, source: t.source })),
    rates: toRateChanges(timeline.value),
    error: null,
  };
}

export function pumpSeries(history: PumpHistory, today: CalendarDate, thresholds: DiscrepancyThresholds): PumpSeries {
  const { pump } = history;
  const end = history.removal ? minDate(history.removal.date as CalendarDate, today) : today;
  const { steps, rates, error } = prescriptionSteps(history.refills, history.doseChanges);
  return {
    history,
    steps,
    rates,
    error,
    thresholds,
    end,
    startDay: toEpochDay(pump.implantDate as CalendarDate),
    endDay: toEpochDay(end),
    firstRefillDay: history.refills.reduce((min, r) => Math.min(min, toEpochDay(r.date as CalendarDate)), Infinity),
    thresholdUl: discrepancyThresholdUl(pump.reservoirUl as Microlitres, thresholds),
  };
}

/**
 * The estimated level (`levelSeries`) of a pump from the last refill on or before `fromDay` to the
 * pump's end: only the refills a chart window needs, so a 20-year history is not walked day by day
 * to draw its last year. (Residual checks come from the stored refills, which the record carries.)
 */
export function windowLevel(p: PumpSeries, fromDay: number): { level: LevelSeries | null; error: string | null } {
  if (p.error !== null) return { level: null, error: p.error };
  const refills = [...p.history.refills].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  let first = 0;
  refills.forEach((r, i) => {
    if (toEpochDay(r.date as CalendarDate) <= fromDay) first = i;
  });
  const window = refills.slice(Math.max(0, first - 1)); // one more, so a refill on `fromDay` keeps its residual check
  if (window.length === 0) return { level: null, error: null };
  const r = levelSeries({
    refills: window.map((f) => ({ date: f.date as CalendarDate, withdrawnUl: f.withdrawnUl as Microlitres | null, addedUl: f.addedUl as Microlitres })),
    rates: p.rates,
    today: p.end,
    alarmUl: p.history.pump.alarmUl as Microlitres,
    reservoirUl: p.history.pump.reservoirUl as Microlitres,
    thresholds: p.thresholds,
    stops: therapyStops(p.history),
  });
  return r.ok ? { level: r.value, error: null } : { level: null, error: r.error.message };
}

/** The pump's therapy reversals, each with the restart that ended it (if any). */
export function therapyStops(h: PumpHistory): TherapyStop[] {
  return h.reversals.map((r) => ({ from: r.date as CalendarDate, to: (h.restarts.find((x) => x.reversalId === r.id)?.date ?? null) as CalendarDate | null }));
}

/** All pumps of the record, oldest implant first. */
export function recordSeries(record: PatientRecord, today: CalendarDate, thresholds: DiscrepancyThresholds): PumpSeries[] {
  return [...record.pumps]
    .sort((a, b) => compareDates(a.pump.implantDate as CalendarDate, b.pump.implantDate as CalendarDate) || a.pump.id - b.pump.id)
    .map((h) => pumpSeries(h, today, thresholds));
}

/** One refill visit for the refill-history chart (volumes in mL for the axis). */
export interface VisitRow {
  readonly key: string;
  readonly date: string;
  readonly day: number;
  readonly serial: string;
  readonly withdrawnUl: number | null;
  readonly addedUl: number;
  readonly expectedUl: number | null;
  readonly discrepancyUl: number | null;
  /** The discrepancy as % of the expected residual, as stored with the visit. */
  readonly discrepancyPct: number | null;
  readonly flagged: boolean;
  readonly thresholdUl: number;
  readonly withdrawnMl: number | null;
  readonly addedMl: number;
  readonly discrepancyMl: number | null;
  readonly band: [number, number];
}

export function visitRows(pumps: readonly PumpSeries[]): VisitRow[] {
  const rows: VisitRow[] = [];
  for (const p of pumps) {
    for (const r of p.history.refills) {
      rows.push({
        key: `${p.history.pump.id}-${r.id}`,
        date: r.date,
        day: toEpochDay(r.date as CalendarDate),
        serial: p.history.pump.serial,
        withdrawnUl: r.withdrawnUl,
        addedUl: r.addedUl,
        expectedUl: r.expectedResidualUl,
        discrepancyUl: r.discrepancyUl,
        discrepancyPct: r.discrepancyPct,
        flagged: r.discrepancyFlag === true,
        thresholdUl: p.thresholdUl,
        withdrawnMl: r.withdrawnUl === null ? null : r.withdrawnUl / 1000,
        addedMl: r.addedUl / 1000,
        discrepancyMl: r.discrepancyUl === null ? null : r.discrepancyUl / 1000,
        band: [-p.thresholdUl / 1000, p.thresholdUl / 1000],
      });
    }
  }
  return rows.sort((a, b) => a.day - b.day);
}

/** The daily dose of one drug in one pump over time, in the drug's own unit. */
export interface DoseLine {
  readonly key: string;
  readonly drug: string;
  readonly unit: MassUnitName;
  readonly serial: string;
  readonly points: { day: number; date: string; value: number; ng: number }[];
}

export interface ConcentrationMark {
  readonly day: number;
  readonly date: string;
  readonly drug: string;
  readonly unit: MassUnitName;
  readonly concentrationNgPerMl: number;
}

const NG_PER: Record<MassUnitName, number> = { mg: 1_000_000, mcg: 1_000 };

export function doseLines(pumps: readonly PumpSeries[]): { lines: DoseLine[]; concentrationMarks: ConcentrationMark[] } {
  const lines: DoseLine[] = [];
  const concentrationMarks: ConcentrationMark[] = [];
  for (const p of pumps) {
    const byDrug = new Map<string, DoseLine>();
    const lastConc = new Map<string, number>();
    for (const s of p.steps) {
      const day = toEpochDay(s.date);
      for (const d of s.prescription.drugs) {
        let line = byDrug.get(d.name);
        if (!line) {
          line = { key: `${p.history.pump.id}-${d.name}`, drug: d.name, unit: d.unit, serial: p.history.pump.serial, points: [] };
          byDrug.set(d.name, line);
        }
        line.points.push({ day, date: s.date, value: d.dailyDoseNgPerDay / NG_PER[d.unit], ng: d.dailyDoseNgPerDay });
        const before = lastConc.get(d.name);
        if (before !== undefined && before !== d.concentrationNgPerMl) {
          concentrationMarks.push({ day, date: s.date, drug: d.name, unit: d.unit, concentrationNgPerMl: d.concentrationNgPerMl });
        }
        lastConc.set(d.name, d.concentrationNgPerMl);
      }
    }
    for (const line of byDrug.values()) {
      const last = line.points.at(-1);
      if (last && p.endDay > last.day) line.points.push({ ...last, day: p.endDay, date: p.end });
      lines.push(line);
    }
  }
  return { lines, concentrationMarks };
}

/** The refill and dose charts run past today: at least this many days… */
export const AHEAD_MIN_DAYS = 28;
/** …to the running pump's next refill date, but never more than this far ahead. */
export const AHEAD_MAX_DAYS = 183;

/**
 * The last epoch day the refill-history and dose-history charts show: past today to the next refill
 * due of a running pump (the dose in effect then reaches today and the next visit has its place), at
 * least 4 weeks ahead, at most 6 months.
 */
export function chartEnd(pumps: readonly PumpSeries[], today: CalendarDate): number {
  const t = toEpochDay(today);
  const due = pumps.flatMap((p) => (p.history.pump.status === 'active' && p.history.projection?.nextDueDate ? [toEpochDay(p.history.projection.nextDueDate as CalendarDate)] : []));
  return Math.min(t + AHEAD_MAX_DAYS, Math.max(t + AHEAD_MIN_DAYS, ...due));
}

/** The widest a visit's bar is drawn (px), and the narrowest before volumes become lines. */
export const MAX_BAR_PX = 9;
export const MIN_BAR_PX = 2;

/**
 * The width of one volume bar (a visit has two side by side: withdrawn, added) on a time axis of
 * `pxPerDay`: a third of the closest two visits' distance, between MIN_BAR_PX and MAX_BAR_PX; a
 * single visit gets the widest bar. Null when even the narrowest bars would overlap (draw lines).
 */
export function barWidthPx(days: readonly number[], pxPerDay: number): number | null {
  const sorted = [...days].sort((a, b) => a - b);
  let gap = Infinity;
  for (let i = 1; i < sorted.length; i++) if (sorted[i]! > sorted[i - 1]!) gap = Math.min(gap, (sorted[i]! - sorted[i - 1]!) * pxPerDay);
  const width = Math.min(MAX_BAR_PX, Math.floor(gap / 3));
  return width >= MIN_BAR_PX ? width : null;
}
