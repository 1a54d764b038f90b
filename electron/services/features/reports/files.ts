/** Where unsaved exports wait, what they are called, and how they are served. */
import fs from 'node:fs';
import path from 'node:path';
import { defaultCsvSection, FORMAT_EXTENSIONS, type ReportFormat, type ReportParams } from '../../../../shared/contract/reports';

export const MIME: Record<ReportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
  json: 'application/json; charset=utf-8',
  fhir: 'application/fhir+json; charset=utf-8',
};

export const EXPORTS_PREFIX = 'reservoir-exports-';
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Unsaved exports hold health information: folders a crashed run left behind in the temp folder
 * (untouched for a day: no running Reservoir still uses them) are deleted at the next start.
 */
export function sweepStaleExports(tmp: string, nowMs: number): string[] {
  const removed: string[] = [];
  for (const name of fs.readdirSync(tmp)) {
    if (!name.startsWith(EXPORTS_PREFIX)) continue;
    const dir = path.join(tmp, name);
    try {
      if (fs.statSync(dir).isDirectory() && nowMs - fs.statSync(dir).mtimeMs > DAY_MS) {
        fs.rmSync(dir, { recursive: true, force: true });
        removed.push(name);
      }
    } catch {
      // gone already, or not ours to remove
    }
  }
  return removed;
}

/** "reservoir-activity-2026-01-01-to-2026-01-31.csv" from the parameters (before any data exists). */
export function exportFileName(params: ReportParams, format: ReportFormat, section?: string): string {
  const from = 'from' in params ? params.from : undefined;
  const to = 'to' in params ? params.to : 'date' in params ? params.date : undefined;
  const period = from && to ? `${from}-to-${to}` : to ? `to-${to}` : from ? `from-${from}` : 'current';
  const who = 'patientId' in params ? `-patient-${params.patientId}` : '';
  const part = format === 'csv' && section !== undefined && section !== defaultCsvSection(params.report) ? `-${section}` : '';
  return `reservoir-${params.report}${who}${part}-${period}.${FORMAT_EXTENSIONS[format]}`;
}

