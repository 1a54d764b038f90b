/**
 * Patient summary: one patient's whole pump history (or a period of it) with the notes, for
 * referral letters and the paper chart. The print view draws the record's charts from
 * `patientRecord` (the whole record, whatever the period).
 */
import { contactLines } from '../../../../shared/contract/contacts';
import { INDICATION_LABELS, PATIENT_STATUS_LABELS } from '../../../../shared/contract/patients';
import { recorderName, type Recorder, type Refill } from '../../../../shared/contract/record';
import type { ReportValue } from '../../../../shared/contract/reports';
import { formatConcentration, formatDailyDose, type MassUnit, type NgPerDay, type NgPerMl } from '../../../../shared/domain/units';
import { doseChangeEffects } from '../../../../shared/domain/dose-change';
import { pumpsNewestFirst, refillsNewestFirst } from '../../../../shared/domain/record-order';
import { adverseKindWords } from '../../../../shared/domain/urgency-words';
import { REMOVAL_REASON_TEXT } from './activity';
import { col, DOUBLE_CHECK, doubleChecksOf, periodText, section, today, unverifiedFilter, type Built, type ReportContext } from './context';
import { readPatientRecord } from '../record/service';

export interface PatientSummaryParams {
  patientId: number;
  from?: string | undefined;
  to?: string | undefined;
}

export class PatientNotFound extends Error {}

const words = (s: string | null | undefined): string | null => (s === null || s === undefined ? null : s.replace(/_/g, ' '));
const drugsText = (r: Refill): string =>
  r.drugs.map((d) => `${d.drug} ${formatConcentration(d.concentrationNgPerMl as NgPerMl, d.unit)}, ${formatDailyDose(d.dailyDoseNgPerDay as NgPerDay, d.unit)}`).join(' + ');

export function patientSummary(ctx: ReportContext, p: PatientSummaryParams): Built {
  const settings = ctx.store.catalog.settings();
  const record = readPatientRecord(ctx.store, p.patientId);
  if (!record) throw new PatientNotFound(`There is no patient with id ${p.patientId}.`);
  const inPeriod = (date: string) => (p.from === undefined || date >= p.from) && (p.to === undefined || date <= p.to);
  const pt = record.patient;

  const details: ReportValue[][] = [
    ['MRN', pt.mrn],
    ['Name', `${pt.familyName}, ${pt.givenName}`],
    ['Birth date', pt.birthDate],
    ['Sex', pt.sex],
    ['Indications', pt.indications.map((i) => INDICATION_LABELS[i]).join('; ')],
    ['Allergies', pt.allergies],
    ['Treating clinician', pt.clinician],
    ['Status', PATIENT_STATUS_LABELS[pt.status]],
    // Contacts (issue 16, item 2), those recorded: whom to call, where to write.
    ...contactLines(pt.contacts).map((l): ReportValue[] => [l.label, l.value]),
  ];

  const serialOf = new Map(record.pumps.map((h) => [h.pump.id, h.pump.serial]));
  // The pump in place first, then the removed ones latest first (shared/domain/record-order.ts).
  const newestPumps = pumpsNewestFirst(record.pumps);
  const pumps: ReportValue[][] = newestPumps.map(({ pump, reversal, removal, projection }) => [
    `${pump.manufacturer} ${pump.model}`,
    pump.serial,
    pump.udi,
    pump.implantDate,
    pump.status === 'active' ? 'running' : pump.status === 'off' ? 'turned off' : 'removed',
    pump.reservoirUl,
    pump.alarmUl,
    pump.catheterTipLevel,
    projection?.nextDueDate ?? null,
    reversal ? `${reversal.date}: ${words(reversal.kind)}` : null,
    removal ? `${removal.date}: ${removal.reasons.map((r) => REMOVAL_REASON_TEXT[r] ?? r).join('; ')}` : null,
  ]);

  const allRefills = record.pumps.flatMap((h) => h.refills);
  const refillChecks = doubleChecksOf(ctx.db, 'refill', allRefills.map((r) => r.id));
  const changeChecks = doubleChecksOf(ctx.db, 'dose_change', record.pumps.flatMap((h) => h.doseChanges.map((c) => c.id)));
  // Newest pump first, and within a pump the newest visit first: what a clinician reads first.
  const refills: ReportValue[][] = newestPumps
    .flatMap((h) => refillsNewestFirst(h.refills))
    .filter((r) => inPeriod(r.date))
    .map((r) => [
      r.date,
      serialOf.get(r.pumpId) ?? null,
      r.withdrawnUl,
      r.expectedResidualUl,
      r.discrepancyUl,
      r.discrepancyFlag,
      r.addedUl,
      drugsText(r),
      r.nextDueDate,
      r.clinician,
      recorderName(r.recordedBy),
      refillChecks.get(r.id) ?? null,
      r.note,
    ]);

  // An admixture's dose change changes every drug (one flow rate): the drug typed, then one row per
  // other drug with its new dose derived from the rate (shared/domain/dose-change.ts).
  const doseChanges: ReportValue[][] = record.pumps
    .flatMap((h) => {
      const effects = doseChangeEffects(h.refills, h.doseChanges);
      return h.doseChanges.map((d) => ({ d, effect: effects.get(d.id) }));
    })
    .filter(({ d }) => inPeriod(d.date))
    .sort((a, b) => a.d.date.localeCompare(b.d.date))
    .flatMap(({ d, effect }) => {
      const row = (drug: string, ng: number, unit: MassUnit): ReportValue[] => [d.date, serialOf.get(d.pumpId) ?? null, drug, { ng, unit }, d.clinician, recorderName(d.recordedBy), changeChecks.get(d.id) ?? null, d.note];
      const followers = effect && effect.drugs.length > 1 ? effect.drugs.filter((x) => !x.typed) : [];
      return [row(d.drug, d.dailyDoseNgPerDay, d.unit), ...followers.map((x) => row(`${x.name} (follows the flow rate)`, x.afterNgPerDay, x.unit))];
    });

  type Line = { date: string; kind: string; details: string | null; clinician: string | null; recordedBy: Recorder | null; note: string | null };
  const lines: Line[] = [];
  for (const { pump, reversal, removal } of record.pumps) {
    lines.push({ date: pump.implantDate, kind: 'implant', details: `${pump.manufacturer} ${pump.model} ${pump.serial}`, clinician: pump.implantingPhysician, recordedBy: pump.recordedBy, note: null });
    if (reversal) {
      const plan = [reversal.plan && `plan: ${reversal.plan}`, reversal.outcome && `outcome: ${reversal.outcome}`].filter(Boolean).join('; ');
      lines.push({ date: reversal.date, kind: 'therapy reversal', details: `${words(reversal.kind)} (${pump.serial})${plan ? `; ${plan}` : ''}`, clinician: reversal.clinician, recordedBy: reversal.recordedBy, note: reversal.note });
    }
    if (removal) {
      const reasons = removal.reasons.map((r) => REMOVAL_REASON_TEXT[r] ?? r).join('; ');
      lines.push({ date: removal.date, kind: 'removal', details: `${pump.serial}: ${reasons}; catheter ${removal.catheterRemoved ? 'removed' : 'left in place'}`, clinician: removal.clinician, recordedBy: removal.recordedBy, note: removal.note });
    }
  }
  for (const e of record.events) {
    const details =
      e.kind === 'adverse'
        ? `${adverseKindWords(e.adverseKind)}, ${words(e.severity)}, ${e.status}`
        : e.kind === 'mri'
          ? `MRI; pre-scan ${e.mriPreScanDone ? 'done' : 'not done'}; post-scan check ${e.mriPostScanCheckDate ?? 'not recorded'}`
          : null;
    lines.push({ date: e.date, kind: e.kind === 'adverse' ? 'adverse event' : e.kind, details, clinician: e.clinician, recordedBy: e.recordedBy, note: e.note });
  }
  const timeline: ReportValue[][] = lines
    .filter((l) => inPeriod(l.date))
    .sort((a, b) => a.date.localeCompare(b.date))
    .map((l) => [l.date, l.kind, l.details, l.clinician, recorderName(l.recordedBy), l.note]);

  const from = p.from ?? null;
  const to = p.to ?? null;
  return {
    period: { from, to },
    periodLabel: periodText(from, to),
    filters: [{ label: 'Patient', value: `${pt.familyName}, ${pt.givenName} (MRN ${pt.mrn})` }, ...unverifiedFilter([...refillChecks.values(), ...changeChecks.values()])],
    patientIds: new Set([pt.id]),
    patientRecord: {
      record,
      today: today(ctx, settings),
      thresholds: { smallUl: settings.discrepancyThresholdSmallUl, largeUl: settings.discrepancyThresholdLargeUl, smallReservoirMaxUl: settings.smallReservoirMaxUl },
    },
    sections: [
      section('patient', 'Patient', [col('field', 'Field', 'text'), col('value', 'Value', 'text')], details, ''),
      section(
        'pumps',
        'Pumps',
        [
          col('model', 'Model', 'text'),
          col('serial', 'Serial', 'text'),
          col('udi', 'UDI', 'text'),
          col('implant_date', 'Implanted', 'date'),
          col('status', 'Status', 'text'),
          col('reservoir_ml', 'Reservoir (mL)', 'volume'),
          col('alarm_ml', 'Alarm (mL)', 'volume'),
          col('catheter_tip', 'Catheter tip', 'text'),
          col('next_due', 'Next refill due', 'date'),
          col('reversal', 'Therapy reversal', 'text'),
          col('removal', 'Removal', 'text'),
        ],
        pumps,
        'No pump has been implanted.',
      ),
      section(
        'refills',
        'Refill visits',
        [
          col('date', 'Date', 'date'),
          col('serial', 'Pump serial', 'text'),
          col('withdrawn_ml', 'Withdrawn (mL)', 'volume'),
          col('expected_ml', 'Expected (mL)', 'volume'),
          col('discrepancy_ml', 'Discrepancy (mL, withdrawn − expected)', 'discrepancy'),
          col('discrepancy_flag', 'Flagged', 'flag'),
          col('added_ml', 'Added (mL)', 'volume'),
          col('drugs', 'Drugs and daily doses', 'text'),
          col('next_due', 'Next due', 'date'),
          col('clinician', 'Clinician', 'text'),
          col('recorded_by', 'Recorded by', 'text'),
          DOUBLE_CHECK,
          col('note', 'Note', 'text'),
        ],
        refills,
        'No refill visits in this period.',
      ),
      section(
        'dose-changes',
        'Dose changes',
        [col('date', 'Date', 'date'), col('serial', 'Pump serial', 'text'), col('drug', 'Drug', 'text'), col('daily_dose', 'Daily dose', 'mass', 'day'), col('clinician', 'Clinician', 'text'), col('recorded_by', 'Recorded by', 'text'), DOUBLE_CHECK, col('note', 'Note', 'text')],
        doseChanges,
        'No dose changes in this period.',
      ),
      section(
        'events',
        'Timeline: procedures, events and notes',
        [col('date', 'Date', 'date'), col('kind', 'Kind', 'text'), col('details', 'Details', 'text'), col('clinician', 'Clinician', 'text'), col('recorded_by', 'Recorded by', 'text'), col('note', 'Note', 'text')],
        timeline,
        'Nothing recorded in this period.',
      ),
    ],
  };
}
