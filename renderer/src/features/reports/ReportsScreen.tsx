import { useEffect, useState, type FormEvent } from 'react';
import { isPaper, REPORT_NAMES, type ReportData, type ReportParams } from '../../../../shared/contract/reports';
import { call } from '../../api/client';
import { clinicSettings } from '../../api/clinic-settings';
import { clinicToday } from '../../format';
import { previousMonth, type Period } from '../../../../shared/domain/periods';
import { withPeriodDefault } from './period-default';
import { useSession } from '../accounts/session';
import { ExportPanel } from './ExportPanel';
import { checkParams, EMPTY_PARAMS, ReportParamsForm, type ParamsState } from './ReportParamsForm';
import { ReportTable } from './ReportTable';
import './reports.css';
import { ErrorBanner } from '../../components/ErrorBanner';

/** Reports for administrators and auditors (clinicians: the patient summary): choose, preview, export. */
export function ReportsScreen({ patientId }: { patientId?: number | undefined } = {}) {
  const { user } = useSession();
  // The papers (refill worksheet, patient's card) are printed from the record's pump card.
  const reports =
    user?.role === 'administrator' || user?.role === 'auditor' || user === null ? REPORT_NAMES.filter((r) => !isPaper(r)) : (['patient-summary', 'pharmacy-preparation'] as const);
  const [state, setState] = useState<ParamsState>(
    patientId === undefined ? { report: reports[0]!, ...EMPTY_PARAMS } : { ...EMPTY_PARAMS, report: 'patient-summary', patientId: String(patientId) },
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [preview, setPreview] = useState<{ params: ReportParams; data: ReportData } | null>(null);
  const [busy, setBusy] = useState(false);
  // Last month in the clinic's time zone: the period the look-back reports start with.
  const [lastMonth, setLastMonth] = useState<Period | null>(null);
  useEffect(() => {
    let live = true;
    void clinicSettings().then((r) => {
      if (!live) return;
      const period = previousMonth(clinicToday(r.ok ? r.value.timeZone : null));
      setLastMonth(period);
      setState((s) => withPeriodDefault(null, s, period));
    });
    return () => {
      live = false;
    };
  }, []);

  // Any change hides the preview and the export: what is exported is always what was previewed.
  function change(next: ParamsState) {
    setPreview(null);
    setState((prev) => withPeriodDefault(prev, next, lastMonth));
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const checked = checkParams(state);
    if (!checked.ok) {
      setErrors(checked.errors);
      setFormError('Please correct the fields marked below.');
      return;
    }
    setBusy(true);
    const r = await call('reports.preview', { params: checked.params });
    setBusy(false);
    if (!r.ok) {
      const field = r.error.field?.replace(/^params\./, '');
      setErrors(field ? { [field]: r.error.message } : {});
      setFormError(r.error.message);
      setPreview(null);
      return;
    }
    setErrors({});
    setFormError(null);
    setPreview({ params: checked.params, data: r.value });
  }

  const d = preview?.data;
  return (
    <section aria-labelledby="reports-title">
      <div className="toolbar">
        <h2 id="reports-title">Reports</h2>
      </div>
      <ErrorBanner message={formError} />
      <ReportParamsForm value={state} onChange={change} onPreview={submit} errors={errors} reports={reports} busy={busy} />
      {preview && d && (
        <>
          <ExportPanel params={preview.params} sectionTitles={Object.fromEntries(d.sections.map((s) => [s.key, s.title]))} />
          <section className="card" aria-labelledby="report-preview-title">
            <h3 id="report-preview-title">
              {d.title}: {d.periodLabel}
            </h3>
            <p className="report-meta">
              {d.clinicName} · {d.patientCount} patient{d.patientCount === 1 ? '' : 's'}
              {d.filters.map((f) => ` · ${f.label}: ${f.value}`).join('')}
            </p>
            {d.sections.map((s) => (
              <ReportTable key={s.key} section={s} locale />
            ))}
          </section>
        </>
      )}
    </section>
  );
}
