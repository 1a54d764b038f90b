/** Builds any report's data from the record: the one entry point the preview, the jobs and the CLI use. */
import { REPORTS, type ReportData, type ReportParams } from '../../../../shared/contract/reports';
import { assertNever, fail, ok, type Result } from '../../../../shared/contract/result';
import { activity } from './activity';
import type { Built, ReportContext } from './context';
import { deviceInventory } from './device-inventory';
import { PaperRefused, headerPatient, patientCard, refillWorksheet } from './papers';
import { PatientNotFound, patientSummary } from './patient-summary';
import { pharmacyPreparationReport } from './pharmacy-preparation';
import { refillSchedule } from './refill-schedule';
import { readTransaction } from '../../store/transactions';
import { safety } from './safety';

function built(ctx: ReportContext, params: ReportParams): Built {
  switch (params.report) {
    case 'refill-schedule':
      return refillSchedule(ctx, params);
    case 'activity':
      return activity(ctx, params);
    case 'safety':
      return safety(ctx, params);
    case 'device-inventory':
      return deviceInventory(ctx, params);
    case 'patient-summary':
      return patientSummary(ctx, params);
    case 'refill-worksheet':
      return refillWorksheet(ctx, params);
    case 'patient-card':
      return patientCard(ctx, params);
    case 'pharmacy-preparation':
      return pharmacyPreparationReport(ctx, params);
  }
  return assertNever(params, 'report');
}

/** The report's data, every row. Reads only (one snapshot: all queries in one read transaction). */
export function buildReport(ctx: ReportContext, params: ReportParams): Result<ReportData> {
  const settings = ctx.store.catalog.settings();
  let b: Built;
  try {
    b = readTransaction(ctx.db, () => built(ctx, params))();
  } catch (e) {
    if (e instanceof PatientNotFound) return fail('not_found', e.message, 'params.patientId');
    if (e instanceof PaperRefused) return fail('invalid_input', e.message, e.field);
    throw e;
  }
  return ok({
    report: params.report,
    title: REPORTS[params.report].title,
    clinicName: settings.clinicName,
    period: b.period,
    periodLabel: b.periodLabel,
    filters: b.filters,
    generatedAtMs: ctx.nowMs,
    timeZone: settings.timeZone,
    patientCount: b.patientIds.size,
    sections: b.sections,
    patientRecord: b.patientRecord ?? null,
    patient: b.patient ?? headerPatient({ patientRecord: b.patientRecord ?? null }),
    paper: b.paper ?? null,
  });
}

/** The data cut to `rowLimit` rows a section (for the on-screen preview); totals stay. */
export function limitRows(data: ReportData, rowLimit: number): ReportData {
  return { ...data, sections: data.sections.map((s) => (s.rows.length <= rowLimit ? s : { ...s, rows: s.rows.slice(0, rowLimit) })) };
}

/** "reservoir-activity-2026-01-01-to-2026-01-31" (no extension). */
export function baseFileName(data: ReportData, params: ReportParams): string {
  const period = data.period.from && data.period.to ? `${data.period.from}-to-${data.period.to}` : data.period.to ? `as-of-${data.period.to}` : 'all';
  const who = 'patientId' in params ? `-${(data.patient?.mrn ?? String(params.patientId)).toLowerCase()}` : '';
  return `reservoir-${params.report}${who}-${period}`;
}
