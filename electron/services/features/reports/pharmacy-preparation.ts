/**
 * Pharmacy preparation (issue 16): what the pharmacy prepares for the booked refill visits of a day
 * or a period (up to 31 days, as Today's clinic): one row per visit and drug — time, patient, MRN,
 * pump, drug, concentration, volume to prepare — and the totals per drug and concentration. The
 * rows and totals come from the same function as Today's clinic's pharmacy totals
 * (`pharmacyPreparation`, features/appointments/visits.ts): one computation, not two.
 */
import type { MassUnitName } from '../../../../shared/contract/quantities';
import type { ReportValue } from '../../../../shared/contract/reports';
import { clinicVisits, pharmacyPreparation } from '../appointments/visits';
import { addDays, type CalendarDate } from '../../../../shared/domain/calendar';
import { col, section, today, type Built, type ReportContext } from './context';
import { PaperRefused } from './papers';

/** The longest period, in days after `from` (Today's clinic's limit). */
export const PHARMACY_MAX_DAYS = 31;

export interface PharmacyParams {
  from?: string | undefined;
  to?: string | undefined;
}

export const NO_FILL_RECORDED = 'No fill recorded: ask the clinician';

export function pharmacyPreparationReport(ctx: ReportContext, p: PharmacyParams): Built {
  const settings = ctx.store.catalog.settings();
  const now = today(ctx, settings);
  // From defaults to today (or to `to` when only an earlier `to` is given), to defaults to from.
  const from = p.from ?? (p.to !== undefined && p.to < now ? p.to : now);
  const to = p.to ?? from;
  if (to < from) throw new PaperRefused(`must be on or after the start of the period (${from})`, 'params.to');
  if (to > addDays(from as CalendarDate, PHARMACY_MAX_DAYS)) throw new PaperRefused(`must be at most ${PHARMACY_MAX_DAYS} days after the start of the period (${from})`, 'params.to');
  const visits = clinicVisits(ctx.store, from, to);
  const { lines, totals } = pharmacyPreparation(visits);
  const patientIds = new Set<number>();
  const rows: ReportValue[][] = [];
  const mass = (ng: number, unit: string) => ({ ng, unit: unit as MassUnitName });
  const place = (v: (typeof visits)[number]) => (v.homeVisit ? 'Home visit' : v.room);
  for (const l of lines) {
    patientIds.add(l.visit.patientId);
    rows.push([l.visit.date, l.visit.time, l.visit.patientName, l.visit.mrn, l.visit.serial, l.drug, mass(l.concentrationNgPerMl, l.unit), l.volumeUl, place(l.visit), l.visit.clinician]);
  }
  // A booked visit of a pump never filled has no drug to prepare: listed so the pharmacy asks.
  for (const v of visits.filter((x) => x.state === 'booked' && x.drugs.length === 0)) {
    patientIds.add(v.patientId);
    rows.push([v.date, v.time, v.patientName, v.mrn, v.serial, NO_FILL_RECORDED, null, v.volumeToPrepareUl, place(v), v.clinician]);
  }
  rows.sort((a, b) => String(a[0]).localeCompare(String(b[0])) || String(a[1]).localeCompare(String(b[1])) || String(a[2]).localeCompare(String(b[2])));
  const booked = visits.filter((v) => v.state === 'booked').length;
  return {
    period: { from, to },
    periodLabel: from === to ? from : `${from} to ${to}`,
    filters: [{ label: 'Visits', value: `${booked} booked refill visit${booked === 1 ? '' : 's'} (attended, missed and cancelled ones are not prepared)` }],
    patientIds,
    sections: [
      section(
        'preparations',
        'To prepare, per visit',
        [
          col('date', 'Date', 'date'),
          col('time', 'Time (clinic)', 'text'),
          col('patient', 'Patient', 'text'),
          col('mrn', 'MRN', 'text'),
          col('serial', 'Pump serial', 'text'),
          col('drug', 'Drug', 'text'),
          col('concentration', 'Concentration', 'mass', 'mL'),
          col('volume_ml', 'Volume to prepare (mL)', 'volume'),
          col('place', 'Room or home visit', 'text'),
          col('clinician', 'Clinician', 'text'),
        ],
        rows,
        'No refill visit is booked in this period.',
      ),
      section(
        'totals',
        'Totals per drug and concentration',
        [
          col('drug', 'Drug', 'text'),
          col('concentration', 'Concentration', 'mass', 'mL'),
          col('visits', 'Visits', 'count'),
          col('volume_ml', 'Volume (mL)', 'volume'),
          col('amount', 'Amount of drug', 'mass', null),
        ],
        totals.map((t) => [t.drug, mass(t.concentrationNgPerMl, t.unit), t.patients, t.volumeUl, mass(t.amountNg, t.unit)]),
        'Nothing to prepare in this period.',
      ),
    ],
  };
}
