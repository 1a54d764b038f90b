import { isPaper, type ReportParams } from '../../../../shared/contract/reports';
import { fail, ok, type Result } from '../../../../shared/contract/result';
import type { FeatureHandlers, HandlerContext } from '../../handler-types';
import { limitRows } from './build';
import type { ExportJobs } from './jobs';

type ReportRequests = 'reports.preview' | 'reports.export.start' | 'reports.export.status' | 'reports.export.cancel' | 'reports.export.save';

/**
 * Clinicians may make the patient summary, the pharmacy preparation list and the papers (the refill worksheet, the patient's card);
 * administrators every report; auditors every report but the papers (they are for a patient's visit).
 */
function allowed(ctx: HandlerContext, params: ReportParams): Result<null> {
  const role = ctx.actor?.role ?? null;
  if (role === null || role === 'administrator') return ok(null);
  if (isPaper(params.report)) {
    if (role === 'clinician') return ok(null);
    return fail('forbidden', `Your role (${role}) may not print the ${params.report}: it is for the clinicians of a patient's visit.`, 'params.report');
  }
  if (role === 'auditor' || params.report === 'patient-summary' || params.report === 'pharmacy-preparation') return ok(null);
  return fail('forbidden', `Your role (${role}) may make the patient summary, the pharmacy preparation list and the papers only; the ${params.report} report is for administrators and auditors.`, 'params.report');
}

export const DEFAULT_PREVIEW_ROWS = 200;

/** The report requests; the data is built in worker threads (jobs.ts), never on the dispatcher's thread. */
export function reportHandlers(jobs: ExportJobs): FeatureHandlers<ReportRequests> {
  return {
    'reports.preview': async (input, ctx) => {
      const may = allowed(ctx, input.params);
      if (!may.ok) return may;
      const data = await jobs.buildData(input.params);
      if (!data.ok) return data;
      if ('patientId' in input.params)
        ctx.audit.record({ action: 'view', entity: 'patient', entityId: input.params.patientId, patientId: input.params.patientId, detail: { report: input.params.report } });
      return ok(limitRows(data.value, input.rowLimit ?? DEFAULT_PREVIEW_ROWS));
    },
    'reports.export.start': (input, ctx) => {
      const may = allowed(ctx, input.params);
      if (!may.ok) return may;
      if ('patientId' in input.params && !ctx.store.patients.get(input.params.patientId))
        return fail('not_found', `There is no patient with id ${input.params.patientId}.`, 'params.patientId');
      return jobs.start({ params: input.params, format: input.format, bom: input.bom, section: input.section, locale: input.locale });
    },
    'reports.export.status': (input) => jobs.status(input.jobId),
    'reports.export.cancel': (input) => jobs.cancel(input.jobId),
    'reports.export.save': (input, ctx) =>
      jobs.save(input.jobId, (status, where, request, period) => {
        const p = request.params;
        ctx.audit.record({
          action: 'export',
          entity: 'report',
          entityId: p.report,
          patientId: 'patientId' in p ? p.patientId : null,
          detail: {
            report: p.report,
            format: status.format,
            from: period?.from ?? null,
            to: period?.to ?? null,
            patients: status.patientCount,
            file: status.fileName,
            bytes: status.bytes,
            savedTo: where,
          },
        });
      }),
  };
}
