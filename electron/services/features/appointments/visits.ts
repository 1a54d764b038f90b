/**
 * The visits of a day or a period with each pump's drugs, expected residual and volume to prepare,
 * and the pharmacy's preparation list from them. One computation for Today's clinic
 * (`appointments.day`) and the `pharmacy-preparation` report (features/reports): reads only, on any
 * store (the report's worker has a read-only connection).
 */
import type { ClinicVisit } from '../../../../shared/contract/appointments';
import type { Pump } from '../../../../shared/contract/record';
import { preparationTotals, volumeToPrepareUl, type PreparationLine, type PreparationTotal } from '../../../../shared/domain/appointments';
import type { CalendarDate } from '../../../../shared/domain/calendar';
import { expectedResidualUl } from '../../../../shared/domain/refill';
import { fillPeriod } from '../../../../shared/domain/reservoir';
import { pumpTimeline, toRateChanges } from '../../../../shared/domain/timeline';
import type { Microlitres } from '../../../../shared/domain/units';
import type { Store } from '../../store/store';
import { appointmentRepository } from './repository';

/** The pump's level expected on `date` from its last refill and dose changes (the refill preview's expected residual), and its drugs then. */
export function expectedResidualOn(store: Store, pump: Pump, date: string): { residualUl: number | null; drugs: ClinicVisit['drugs'] } {
  const refills = store.record.refills(pump.id);
  const steps = pumpTimeline(refills, store.record.doseChanges(pump.id));
  const last = refills.at(-1);
  if (!steps.ok || last === undefined) return { residualUl: null, drugs: [] };
  const current = steps.value.filter((s) => s.date <= date).at(-1) ?? steps.value.at(-1);
  const drugs = (current?.prescription.drugs ?? []).map((d) => ({ drug: d.name, unit: d.unit, concentrationNgPerMl: d.concentrationNgPerMl, dailyDoseNgPerDay: d.dailyDoseNgPerDay }));
  if (date < last.date) return { residualUl: null, drugs };
  const period = fillPeriod(last.date as CalendarDate, last.addedUl as Microlitres, toRateChanges(steps.value));
  return { residualUl: period.ok ? expectedResidualUl(period.value, date as CalendarDate) : null, drugs };
}

/** The appointments from `from` to `to` (both included) that are not cancelled, in date and time order, with what a visit needs. */
export function clinicVisits(store: Store, from: string, to: string): ClinicVisit[] {
  const visits: ClinicVisit[] = [];
  for (const a of appointmentRepository(store).between(from, to)) {
    if (a.state === 'cancelled') continue;
    const pump = store.record.pump(a.pumpId);
    if (!pump) continue;
    const projection = store.record.projection(pump.id);
    const { residualUl, drugs } = expectedResidualOn(store, pump, a.date);
    visits.push({
      ...a,
      drugs,
      expectedResidualUl: residualUl,
      volumeToPrepareUl: volumeToPrepareUl(pump.reservoirUl),
      reservoirUl: pump.reservoirUl,
      nextDue: projection?.nextDueDate ?? null,
      alarmDate: projection?.alarmDate ?? null,
      emptyDate: projection?.emptyDate ?? null,
    });
  }
  return visits;
}

/** One line of the pharmacy's list: a booked visit's drug at its concentration, and the volume to prepare. */
export interface PreparationRow extends PreparationLine {
  readonly visit: ClinicVisit;
}

/**
 * The pharmacy prepares for the visits still to come (state booked: not attended, missed or
 * cancelled), each drug of the pump's prescription: one line per visit and drug, and the totals
 * per drug and concentration (`preparationTotals`, exact integers).
 */
export function pharmacyPreparation(visits: readonly ClinicVisit[]): { lines: PreparationRow[]; totals: PreparationTotal[] } {
  const lines = visits
    .filter((v) => v.state === 'booked')
    .flatMap((v) => v.drugs.map((d) => ({ visit: v, drug: d.drug, unit: d.unit, concentrationNgPerMl: d.concentrationNgPerMl, volumeUl: v.volumeToPrepareUl })));
  return { lines, totals: preparationTotals(lines) };
}
