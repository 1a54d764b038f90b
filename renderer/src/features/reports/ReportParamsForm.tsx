import { useEffect, useState, type FormEvent } from 'react';
import type { PatientListRow } from '../../../../shared/contract/patients';
import type { DeviceModel } from '../../../../shared/contract/record';
import { REPORTS, reportParams, type ReportName, type ReportParams } from '../../../../shared/contract/reports';
import { call } from '../../api/client';
import { firstErrors } from '../../components/form-errors';
import { dateOrder } from '../../format';

export interface ParamsState {
  report: ReportName;
  from: string;
  to: string;
  clinician: string;
  drug: string;
  monthsAhead: string;
  deviceModelId: string;
  recallModelId: string;
  serialFrom: string;
  serialTo: string;
  patientId: string;
}

export const EMPTY_PARAMS: Omit<ParamsState, 'report'> = {
  from: '',
  to: '',
  clinician: '',
  drug: '',
  monthsAhead: '12',
  deviceModelId: '',
  recallModelId: '',
  serialFrom: '',
  serialTo: '',
  patientId: '',
};

const opt = (v: string) => (v.trim() === '' ? undefined : v.trim());
const num = (v: string) => (v.trim() === '' ? undefined : Number(v));

/** The form's values as the contract's parameters (only the fields the report takes). */
export function toParamsInput(s: ParamsState): Record<string, unknown> {
  const period = { from: opt(s.from), to: opt(s.to) };
  switch (s.report) {
    case 'refill-schedule':
    case 'activity':
      return { report: s.report, ...period, clinician: opt(s.clinician), drug: opt(s.drug) };
    case 'safety':
      return { report: s.report, ...period, clinician: opt(s.clinician) };
    case 'device-inventory':
      return {
        report: s.report,
        to: opt(s.to),
        monthsAhead: num(s.monthsAhead),
        deviceModelId: num(s.deviceModelId),
        recallModelId: num(s.recallModelId),
        serialFrom: opt(s.serialFrom),
        serialTo: opt(s.serialTo),
      };
    case 'patient-summary':
      return { report: s.report, ...period, patientId: num(s.patientId) };
    case 'pharmacy-preparation':
      return { report: s.report, ...period };
    // The papers are printed from the record (PaperButtons), not from this form.
    case 'refill-worksheet':
    case 'patient-card':
      return { report: s.report, patientId: num(s.patientId) };
  }
}

/** Validates with the contract's schema: the parameters, or the message for each field. */
export function checkParams(s: ParamsState): { ok: true; params: ReportParams } | { ok: false; errors: Record<string, string> } {
  const parsed = reportParams.safeParse(toParamsInput(s));
  return parsed.success ? { ok: true, params: parsed.data } : { ok: false, errors: firstErrors(parsed.error.issues) };
}

interface Props {
  value: ParamsState;
  onChange(next: ParamsState): void;
  onPreview(e: FormEvent): void;
  errors: Record<string, string>;
  reports: readonly ReportName[];
  busy: boolean;
}

/** Which report, its period and its filters; errors next to each field. */
/** "Baker, Bob (B2)": how the picker names a patient. */
const patientLabel = (p: { familyName: string; givenName: string; mrn: string }): string => `${p.familyName}, ${p.givenName} (${p.mrn})`;

export function ReportParamsForm({ value, onChange, onPreview, errors, reports, busy }: Props) {
  const [devices, setDevices] = useState<DeviceModel[]>([]);
  // The patient picker is the patient search (name, birth date, phone, MRN, serial), not a list of
  // every patient: the matches of what is typed, and the patient chosen.
  const [find, setFind] = useState('');
  const [patients, setPatients] = useState<PatientListRow[]>([]);
  const [chosen, setChosen] = useState<{ id: number; label: string } | null>(null);
  useEffect(() => {
    void call('devices.list', {}).then((r) => r.ok && setDevices(r.value));
  }, []);
  useEffect(() => {
    const q = find.trim();
    if (q === '') {
      setPatients([]);
      return;
    }
    let current = true;
    const t = setTimeout(() => {
      void call('patients.list', { query: q, dateOrder: dateOrder(), limit: 20 }).then((r) => {
        if (current && r.ok) setPatients(r.value);
      });
    }, 150);
    return () => {
      current = false;
      clearTimeout(t);
    };
  }, [find]);
  // A patient given from the record (reports/patient-summary/<id>) is named in the picker.
  const presetId = value.patientId;
  useEffect(() => {
    const id = Number(presetId);
    if (!presetId || !Number.isInteger(id) || id <= 0) return;
    if (chosen?.id === id || patients.some((p) => p.id === id)) return;
    void call('patients.get', { id }).then((r) => r.ok && setChosen({ id, label: patientLabel(r.value.patient) }));
  }, [presetId, chosen, patients]);
  const choices = patients.map((p) => ({ id: p.id, label: patientLabel(p) }));
  if (chosen && !choices.some((c) => c.id === chosen.id) && String(chosen.id) === value.patientId) choices.unshift(chosen);
  const set = (k: keyof ParamsState) => (e: { target: { value: string } }) => onChange({ ...value, [k]: e.target.value });
  const a11y = (k: string) => ({ 'aria-invalid': !!errors[k], 'aria-describedby': errors[k] ? `report-${k}-error` : undefined });
  const err = (k: string) =>
    errors[k] ? (
      <span className="field-error" id={`report-${k}-error`}>
        {errors[k]}
      </span>
    ) : null;
  const r = value.report;
  const hasPeriod = r !== 'device-inventory';
  const modelOptions = devices.map((d) => (
    <option key={d.id} value={d.id}>
      {`${d.manufacturer} ${d.model} (${d.reservoirUl / 1000} mL)`}
    </option>
  ));

  return (
    <form className="form card" onSubmit={onPreview} aria-label="Report parameters" noValidate>
      <div className="grid">
        <label>
          Report
          <select value={r} onChange={(e) => onChange({ ...value, report: e.target.value as ReportName })}>
            {reports.map((name) => (
              <option key={name} value={name}>
                {REPORTS[name].title}
              </option>
            ))}
          </select>
        </label>
        {r === 'patient-summary' && (
          <label>
            Find patient
            <input type="search" value={find} onChange={(e) => setFind(e.target.value)} placeholder="Name, birth date, phone, MRN or serial" />
          </label>
        )}
        {r === 'patient-summary' && (
          <label>
            Patient
            <select
              value={value.patientId}
              onChange={(e) => {
                const c = choices.find((x) => String(x.id) === e.target.value);
                if (c) setChosen(c);
                set('patientId')(e);
              }}
              {...a11y('patientId')}
            >
              <option value="">{find.trim() === '' ? 'Type in Find patient…' : `Choose… (${patients.length}${patients.length === 20 ? '+' : ''} found)`}</option>
              {choices.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.label}
                </option>
              ))}
            </select>
            {err('patientId')}
          </label>
        )}
        {hasPeriod && (
          <label>
            From
            <input type="date" value={value.from} onChange={set('from')} {...a11y('from')} />
            {err('from')}
          </label>
        )}
        <label>
          {hasPeriod ? 'To' : 'As of'}
          <input type="date" value={value.to} onChange={set('to')} {...a11y('to')} />
          {err('to')}
        </label>
        {(r === 'refill-schedule' || r === 'activity' || r === 'safety') && (
          <label>
            Clinician
            <input value={value.clinician} onChange={set('clinician')} {...a11y('clinician')} />
            {err('clinician')}
          </label>
        )}
        {(r === 'refill-schedule' || r === 'activity') && (
          <label>
            Drug
            <input value={value.drug} onChange={set('drug')} {...a11y('drug')} />
            {err('drug')}
          </label>
        )}
        {r === 'device-inventory' && (
          <>
            <label>
              Replacements within (months)
              <input inputMode="numeric" value={value.monthsAhead} onChange={(e) => onChange({ ...value, monthsAhead: e.target.value })} {...a11y('monthsAhead')} />
              {err('monthsAhead')}
            </label>
            <label>
              Model
              <select value={value.deviceModelId} onChange={set('deviceModelId')}>
                <option value="">Every model</option>
                {modelOptions}
              </select>
            </label>
            <label>
              Recall: model
              <select value={value.recallModelId} onChange={set('recallModelId')} {...a11y('recallModelId')}>
                <option value="">No recall look-up</option>
                {modelOptions}
              </select>
              {err('recallModelId')}
            </label>
            <label>
              Recall: serial from
              <input value={value.serialFrom} onChange={set('serialFrom')} {...a11y('serialFrom')} />
              {err('serialFrom')}
            </label>
            <label>
              Recall: serial to
              <input value={value.serialTo} onChange={set('serialTo')} {...a11y('serialTo')} />
              {err('serialTo')}
            </label>
          </>
        )}
      </div>
      <p className="report-description">{REPORTS[r].description}</p>
      <div className="actions">
        <button type="submit" disabled={busy}>
          {busy ? 'Building…' : 'Preview'}
        </button>
      </div>
    </form>
  );
}
