import { useEffect, useRef, useState } from 'react';
import { appLocale } from '../../format';
import { ALL_TABLES, csvSectionKeys, defaultCsvSection, type ExportJobStatus, type ReportFormat, type ReportParams } from '../../../../shared/contract/reports';
import { call } from '../../api/client';
import { deliverExport } from './deliver';

const FORMAT_LABELS: Record<ReportFormat, string> = {
  csv: 'CSV (one table)',
  xlsx: 'Excel workbook (.xlsx)',
  pdf: 'PDF',
  json: 'JSON',
  fhir: 'FHIR R4 bundle (JSON)',
};

/**
 * Export the report: the work runs off the main thread; progress is polled, Cancel stops it (and
 * deletes the partial file). When done the file is saved (Electron: a save dialog in Documents) or
 * downloaded (browser shell).
 */
export function ExportPanel({ params, sectionTitles }: { params: ReportParams; sectionTitles: Record<string, string> }) {
  const [format, setFormat] = useState<ReportFormat>('xlsx');
  const [section, setSection] = useState<string>(defaultCsvSection(params.report));
  const [bom, setBom] = useState(false);
  const [job, setJob] = useState<ExportJobStatus | null>(null);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string; field?: string } | null>(null);
  const timer = useRef<number | null>(null);
  const fhirAllowed = params.report === 'activity' || params.report === 'patient-summary';

  useEffect(() => {
    setSection(defaultCsvSection(params.report));
    if (!fhirAllowed) setFormat((f) => (f === 'fhir' ? 'xlsx' : f));
  }, [params.report, fhirAllowed]);
  useEffect(() => () => void (timer.current !== null && window.clearTimeout(timer.current)), []);

  async function deliver(status: ExportJobStatus) {
    const message = await deliverExport(status);
    setMessage(message);
  }

  function poll(jobId: string) {
    timer.current = window.setTimeout(async () => {
      const r = await call('reports.export.status', { jobId });
      if (!r.ok) return setMessage({ kind: 'error', text: r.error.message });
      setJob(r.value);
      if (r.value.state === 'running') return poll(jobId);
      if (r.value.state === 'done') return deliver(r.value);
      if (r.value.state === 'failed') setMessage({ kind: 'error', text: r.value.error?.message ?? 'The export failed.' });
    }, 250);
  }

  async function start() {
    setMessage(null);
    // A PDF is read by people: its dates in the user's locale (the files keep ISO dates).
    const r = await call('reports.export.start', { params, format, ...(format === 'csv' ? { section, bom } : {}), ...(format === 'pdf' ? { locale: appLocale() } : {}) });
    if (!r.ok) return setMessage({ kind: 'error', text: r.error.message, ...(r.error.field ? { field: r.error.field } : {}) });
    setJob(r.value);
    poll(r.value.jobId);
  }

  async function cancel() {
    if (!job) return;
    if (timer.current !== null) window.clearTimeout(timer.current);
    const r = await call('reports.export.cancel', { jobId: job.jobId });
    if (r.ok) setJob(r.value);
    setMessage({ kind: 'ok', text: 'Export cancelled; nothing was written.' });
  }

  const running = job?.state === 'running';
  const formatError = message?.kind === 'error' && message.field === 'format' ? message.text : null;
  return (
    <section className="card" aria-labelledby="report-export-title">
      <h3 id="report-export-title">Export</h3>
      <div className="report-export">
        <label>
          Format
          <select value={format} onChange={(e) => setFormat(e.target.value as ReportFormat)} aria-invalid={!!formatError} disabled={running}>
            {(Object.keys(FORMAT_LABELS) as ReportFormat[])
              .filter((f) => f !== 'fhir' || fhirAllowed)
              .map((f) => (
                <option key={f} value={f}>
                  {FORMAT_LABELS[f]}
                </option>
              ))}
          </select>
          {formatError && <span className="field-error">{formatError}</span>}
        </label>
        {format === 'csv' && (
          <>
            <label>
              Table
              <select value={section} onChange={(e) => setSection(e.target.value)} disabled={running}>
                {csvSectionKeys(params.report).map((key) => (
                  <option key={key} value={key}>
                    {key === ALL_TABLES ? 'All tables (one file, a section column)' : (sectionTitles[key] ?? key)}
                  </option>
                ))}
              </select>
            </label>
            <label className="check">
              <input type="checkbox" checked={bom} onChange={(e) => setBom(e.target.checked)} disabled={running} /> For Excel (UTF-8 with BOM)
            </label>
          </>
        )}
        <button type="button" onClick={() => void start()} disabled={running}>
          Export
        </button>
      </div>
      {running && job && (
        <div className="report-progress" role="status">
          <progress max={1} value={job.progress} aria-label="Export progress" />
          <span>{Math.round(job.progress * 100)} %</span>
          <button type="button" className="secondary" onClick={() => void cancel()}>
            Cancel
          </button>
        </div>
      )}
      {message && !formatError && (
        <p role={message.kind === 'error' ? 'alert' : 'status'} className={`banner ${message.kind === 'error' ? 'banner-error' : 'banner-ok'}`}>
          {message.text}
        </p>
      )}
    </section>
  );
}
