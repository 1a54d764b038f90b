/**
 * The papers a clinic prints and files (issue 16, item 3): the refill worksheet for a visit and the
 * patient's card and letter after a refill. Built like a report (so the export jobs, the PDF
 * printers, downloads, the audit trail and `reservoir report` serve them), with `paper` for the
 * print view's layout and `patient` for every page's header. Reads only.
 */
import type { PatientRecord, PumpHistory } from '../../../../shared/contract/record';
import type { Paper, PaperDrug, PaperPatient, PaperPump, ReportData, ReportValue } from '../../../../shared/contract/reports';
import { compareDates, type CalendarDate } from '../../../../shared/domain/calendar';
import { alarmSound, ALARM_ASK_CLINIC, overdoseSigns, overdoseUnconfirmed, worksheetFigures } from '../../../../shared/domain/papers';
import type { PrescribedDrug } from '../../../../shared/domain/prescription';
import { formatConcentration, formatDailyDose } from '../../../../shared/domain/units';
import { col, section, today, type Built, type ReportContext } from './context';
import { PatientNotFound } from './patient-summary';
import { readPatientRecord } from '../record/service';
import { verificationRepository } from '../verifications/repository';

/** A paper's built data: the report's sections plus what the print view lays out. */
export type BuiltPaper = Built & { paper: Paper; patient: PaperPatient };

export const paperPatient = (record: PatientRecord): PaperPatient => ({
  name: `${record.patient.familyName}, ${record.patient.givenName}`,
  mrn: record.patient.mrn,
  birthDate: record.patient.birthDate,
});

const paperPump = (h: PumpHistory): PaperPump => ({
  model: `${h.pump.manufacturer} ${h.pump.model}`,
  serial: h.pump.serial,
  reservoirUl: h.pump.reservoirUl,
  alarmUl: h.pump.alarmUl,
});

const paperDrugs = (drugs: readonly PrescribedDrug[]): PaperDrug[] =>
  drugs.map((d) => ({ drug: d.name, concentration: formatConcentration(d.concentrationNgPerMl, d.unit), dailyDose: formatDailyDose(d.dailyDoseNgPerDay, d.unit) }));

function pumpOf(ctx: ReportContext, patientId: number, pumpId: number): { record: PatientRecord; history: PumpHistory } {
  const record = readPatientRecord(ctx.store, patientId);
  if (!record) throw new PatientNotFound(`There is no patient with id ${patientId}.`);
  const history = record.pumps.find((h) => h.pump.id === pumpId);
  if (!history) throw new PaperRefused(`Patient ${record.patient.mrn} has no pump with id ${pumpId}.`, 'params.pumpId');
  return { record, history };
}

/** A paper that cannot be made (a bad pump or date): answered as `invalid_input` naming the field. */
export class PaperRefused extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

/** "UNVERIFIED: 1 entry awaiting independent double check" for the pump's awaiting entries, or null. */
function doubleCheckLine(ctx: ReportContext, pumpId: number): string | null {
  const awaiting = verificationRepository(ctx.store).ofPumps([pumpId]).filter((v) => v.state === 'awaiting');
  if (awaiting.length === 0) return null;
  const n = awaiting.length;
  return `UNVERIFIED: ${n} ${n === 1 ? 'entry' : 'entries'} awaiting independent double check (${awaiting.map((v) => `${v.date}: ${v.summary}`).join('; ')})`;
}

const volumeRows = (rows: [string, ReportValue][]): ReportValue[][] => rows.map(([k, v]) => [k, v]);

export function refillWorksheet(ctx: ReportContext, p: { patientId: number; pumpId: number; date?: string | undefined }): BuiltPaper {
  const settings = ctx.store.catalog.settings();
  const { record, history } = pumpOf(ctx, p.patientId, p.pumpId);
  const visitDate = (p.date ?? today(ctx, settings)) as CalendarDate;
  const figures = worksheetFigures(history.pump, history.refills, history.doseChanges, visitDate);
  if (!figures.ok) throw new PaperRefused(figures.error.message, 'params.date');
  const f = figures.value;
  const doubleCheck = doubleCheckLine(ctx, history.pump.id);
  const paper: Paper = {
    kind: 'refill-worksheet',
    pump: paperPump(history),
    visitDate,
    lastFillDate: f.lastFillDate,
    drugs: paperDrugs(f.drugs),
    expectedResidualUl: f.expectedResidualUl,
    estimatedEmpty: f.estimatedEmpty,
    volumeToAddUl: f.volumeToAddUl,
    alarmUl: f.alarmUl,
    doubleCheck,
  };
  const figuresSection = section(
    'worksheet',
    'Refill worksheet',
    [col('item', 'Item', 'text'), col('value', 'Value', 'text')],
    volumeRows([
      ['Pump', `${paper.pump.model}, serial ${paper.pump.serial}`],
      ['Visit date', visitDate],
      ['Last fill', f.lastFillDate],
      ['Expected residual (mL)', f.expectedResidualUl === null ? null : (f.expectedResidualUl / 1000).toFixed(3)],
      ['Volume to add (mL)', (f.volumeToAddUl / 1000).toFixed(3)],
      ['Alarm volume (mL)', (f.alarmUl / 1000).toFixed(3)],
      ['Double check', doubleCheck],
    ]),
    '',
  );
  return {
    sections: [figuresSection, drugSection(paper.drugs)],
    period: { from: null, to: visitDate },
    periodLabel: `visit on ${visitDate}`,
    filters: doubleCheck ? [{ label: 'Independent double check', value: doubleCheck }] : [],
    patientIds: new Set([record.patient.id]),
    paper,
    patient: paperPatient(record),
  };
}

const drugSection = (drugs: PaperDrug[]) =>
  section(
    'drugs',
    'Drugs',
    [col('drug', 'Drug', 'text'), col('concentration', 'Concentration', 'text'), col('daily_dose', 'Daily dose', 'text')],
    drugs.map((d) => [d.drug, d.concentration, d.dailyDose]),
    'No fill recorded: no drugs.',
  );

export function patientCard(ctx: ReportContext, p: { patientId: number; pumpId: number }): BuiltPaper {
  const settings = ctx.store.catalog.settings();
  const { record, history } = pumpOf(ctx, p.patientId, p.pumpId);
  const last = history.refills.at(-1);
  if (!last) throw new PaperRefused(`Pump ${history.pump.serial} has no refill recorded: the card is printed after a refill.`, 'params.pumpId');
  const asOf = today(ctx, settings);
  const date = (compareDates(asOf, last.date as CalendarDate) < 0 ? last.date : asOf) as CalendarDate;
  const figures = worksheetFigures(history.pump, history.refills, history.doseChanges, date);
  if (!figures.ok) throw new PaperRefused(figures.error.message, 'params.pumpId');
  const drugs = paperDrugs(figures.value.drugs);
  const drugNames = figures.value.drugs.map((d) => d.name);
  const library = ctx.store.catalog.drugs();
  const withdrawal = drugNames.flatMap((name) => {
    const w = library.find((d) => d.name.toLowerCase() === name.toLowerCase())?.withdrawalWarning;
    return w ? [{ drug: name, warning: w }] : [];
  });
  const overdose = drugNames.flatMap((name) => {
    const s = overdoseSigns(name);
    return s ? [{ drug: name, ...s }] : [];
  });
  // The projection follows dose changes after the refill; the refill's own dates otherwise.
  const nextRefillDate = history.projection?.nextDueDate ?? last.nextDueDate;
  const alarmDate = history.projection?.alarmDate ?? last.alarmDate;
  const paper: Paper = {
    kind: 'patient-card',
    pump: paperPump(history),
    refillDate: last.date,
    drugs,
    nextRefillDate,
    alarmDate,
    alarm: alarmSound(history.pump.manufacturer, history.pump.model),
    withdrawal,
    overdose,
    overdoseMissing: overdoseUnconfirmed(drugNames),
    clinicName: settings.clinicName,
    clinicPhone: settings.clinicPhone === '' ? null : settings.clinicPhone,
    doubleCheck: doubleCheckLine(ctx, history.pump.id),
  };
  const card = section(
    'card',
    "Patient's card",
    [col('item', 'Item', 'text'), col('value', 'Value', 'text')],
    volumeRows([
      ['Pump', `${paper.pump.model}, serial ${paper.pump.serial}`],
      ['Refilled', last.date],
      ['Next refill', nextRefillDate],
      ['Alarm date', alarmDate],
      ['Alarm', paper.alarm ? paper.alarm.text : ALARM_ASK_CLINIC],
      ['Clinic', settings.clinicName],
      ['Clinic phone', settings.clinicPhone === '' ? null : settings.clinicPhone],
      ['Double check', paper.doubleCheck],
    ]),
    '',
  );
  return {
    sections: [card, drugSection(drugs)],
    period: { from: null, to: last.date },
    periodLabel: `refill on ${last.date}`,
    filters: paper.doubleCheck ? [{ label: 'Independent double check', value: paper.doubleCheck }] : [],
    patientIds: new Set([record.patient.id]),
    paper,
    patient: paperPatient(record),
  };
}

/** The header's patient for the one-patient reports that are not papers (the patient summary). */
export const headerPatient = (data: Pick<ReportData, 'patientRecord'>): PaperPatient | null => (data.patientRecord ? paperPatient(data.patientRecord.record) : null);
