/**
 * Producing an export file from the record: the same code in the export worker (app) and the
 * command line. Builds the report's data, then writes it as CSV, XLSX or JSON, or the FHIR bundle.
 * PDF is not written here: it needs a browser (see pdf-chromium.ts and electron/main/pdf.ts); this
 * answers the data for it.
 */
import fs from 'node:fs';
import { ALL_TABLES, defaultCsvSection, type ReportData, type ReportFormat, type ReportParams } from '../../../../shared/contract/reports';
import { assertNever, fail, ok, type Result } from '../../../../shared/contract/result';
import { buildReport } from './build';
import type { ReportContext } from './context';
import { writeFhirBundle } from './fhir';
import { reportJson, reportLongCsv, sectionCsv } from './formats';
import { writeReportXlsx } from './xlsx';

export interface ProduceRequest {
  params: ReportParams;
  format: ReportFormat;
  bom?: boolean | undefined;
  section?: string | undefined;
  /** PDF: the user's locale for dates on paper. */
  locale?: string | undefined;
}

export interface Produced {
  /** Bytes written to the file (0 for pdf: not written yet). */
  bytes: number;
  patientCount: number;
  /** The report data (kept for pdf, which is printed from it). */
  data: ReportData | null;
  /** The period as resolved (defaults filled in), for the audit trail. */
  period: ReportData['period'];
}

/** Progress 0..1. Throwing from it cancels the work. */
export type Progress = (fraction: number) => void;

/**
 * Writes the export to `outFile` (created 0600). `pdf` writes nothing and answers the data.
 * Fails as a value for a patient that does not exist; throws on I/O errors.
 */
export async function produce(ctx: ReportContext, req: ProduceRequest, outFile: string, progress: Progress = () => {}): Promise<Result<Produced>> {
  const format = req.format;
  if (format === 'fhir') {
    const settings = ctx.store.catalog.settings();
    const p = req.params;
    const patientIds = p.report === 'patient-summary' ? [p.patientId] : undefined;
    if (patientIds && !ctx.store.patients.get(patientIds[0]!)) return fail('not_found', `There is no patient with id ${patientIds[0]}.`, 'params.patientId');
    const from = 'from' in p ? p.from : undefined;
    const to = 'to' in p ? p.to : undefined;
    const fd = fs.openSync(outFile, 'w', 0o600);
    let bytes = 0;
    try {
      const summary = writeFhirBundle(
        ctx.store,
        { generatedAtMs: ctx.nowMs, clinicName: settings.clinicName, ...(from ? { from } : {}), ...(to ? { to } : {}), ...(patientIds ? { patientIds } : {}) },
        (chunk) => {
          bytes += fs.writeSync(fd, chunk);
        },
        (done, total) => progress(total === 0 ? 1 : done / total),
      );
      return ok({ bytes, patientCount: summary.patients, data: null, period: { from: from ?? null, to: to ?? null } });
    } finally {
      fs.closeSync(fd);
    }
  }

  const built = buildReport(ctx, req.params);
  if (!built.ok) return built;
  const data = built.value;
  progress(0.3);
  if (format === 'pdf') return ok({ bytes: 0, patientCount: data.patientCount, data, period: data.period });
  if (format === 'xlsx') {
    // Streamed to the file row by row (a whole clinic's workbook is never in memory).
    const total = Math.max(1, data.sections.reduce((n, s) => n + s.rows.length, 0));
    let done = 0;
    const bytes = await writeReportXlsx(data, outFile, () => {
      done += 1;
      if (done % 500 === 0) progress(0.3 + (0.6 * done) / total);
    });
    progress(1);
    return ok({ bytes, patientCount: data.patientCount, data: null, period: data.period });
  }
  const content = render(data, req, format);
  if (!content.ok) return content;
  fs.writeFileSync(outFile, content.value, { mode: 0o600 });
  progress(1);
  return ok({ bytes: Buffer.byteLength(content.value), patientCount: data.patientCount, data: null, period: data.period });
}

function render(data: ReportData, req: ProduceRequest, format: 'csv' | 'json'): Result<string> {
  switch (format) {
    case 'json':
      return ok(reportJson(data));
    case 'csv': {
      const key = req.section ?? defaultCsvSection(req.params.report);
      if (key === ALL_TABLES) return ok(reportLongCsv(data, { bom: req.bom === true }));
      const section = data.sections.find((s) => s.key === key);
      if (!section) return fail('invalid_input', `The ${data.title} report has no section ${key}.`, 'section');
      return ok(sectionCsv(section, { bom: req.bom === true }));
    }
  }
  return assertNever(format, 'format');
}
