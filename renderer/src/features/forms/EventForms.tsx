import { useState, type FormEvent } from 'react';
import { ADVERSE_KINDS, SEVERITIES, eventInput, type AdverseKind, type PatientRecord, type PumpHistory, type Severity } from '../../../../shared/contract/record';
import { call } from '../../api/client';
import { FieldError, FormCard, aria, issuesToErrors, label, mainErrors, type Errors } from './fields';
import type { FormContext } from './RecordActions';

interface Common {
  ctx: FormContext;
  onCancel(): void;
  onSaved(message: string): void;
}

function useSubmit(fid: string, onSaved: (m: string) => void) {
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  async function send(input: unknown, message: string) {
    const parsed = eventInput.safeParse(input);
    if (!parsed.success) {
      setErrors(issuesToErrors(parsed.error.issues));
      setFormError('Please correct the fields marked below. Nothing was saved.');
      return;
    }
    setSaving(true);
    const r = await call('events.record', parsed.data);
    setSaving(false);
    if (r.ok) return onSaved(message);
    setErrors(mainErrors(r.error));
    setFormError(`${r.error.message} Nothing was saved.`);
  }
  return { fid, errors, formError, saving, send };
}

export function AdverseEventForm({ record, pumpId, ctx, onCancel, onSaved }: Common & { record: PatientRecord; pumpId: number | undefined }) {
  const [adverseKind, setKind] = useState<AdverseKind | ''>('');
  const [severity, setSeverity] = useState<Severity | ''>('');
  const [status, setStatus] = useState<'open' | 'resolved'>('open');
  const [date, setDate] = useState(ctx.today);
  const [clinician, setClinician] = useState('');
  const [note, setNote] = useState('');
  const { fid, errors, formError, saving, send } = useSubmit('adverse-form', onSaved);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void send({ kind: 'adverse', patientId: record.patient.id, pumpId, date, adverseKind, severity, status, clinician, note }, `Adverse event recorded (${status}).`);
  };
  return (
    <FormCard id={fid} title="Adverse event" error={formError} saving={saving} submitLabel="Save adverse event" onSubmit={submit} onCancel={onCancel}>
      <div className="grid">
        <label>
          Kind
          <select value={adverseKind} onChange={(e) => setKind(e.target.value as AdverseKind)} {...aria(fid, errors, 'adverseKind')}>
            <option value="">Choose…</option>
            {ADVERSE_KINDS.map((k) => (
              <option key={k} value={k}>
                {label(k)}
              </option>
            ))}
          </select>
          <FieldError formId={fid} errors={errors} name="adverseKind" />
        </label>
        <label>
          Severity
          <select value={severity} onChange={(e) => setSeverity(e.target.value as Severity)} {...aria(fid, errors, 'severity')}>
            <option value="">Choose…</option>
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {label(s)}
              </option>
            ))}
          </select>
          <FieldError formId={fid} errors={errors} name="severity" />
        </label>
        <label>
          Status
          <select value={status} onChange={(e) => setStatus(e.target.value as 'open' | 'resolved')} {...aria(fid, errors, 'status')}>
            <option value="open">Open</option>
            <option value="resolved">Resolved</option>
          </select>
          <FieldError formId={fid} errors={errors} name="status" />
        </label>
        <label>
          Date
          <input type="date" value={date} onChange={(e) => setDate(e.target.value)} {...aria(fid, errors, 'date')} />
          <FieldError formId={fid} errors={errors} name="date" />
        </label>
        <label>
          Clinician
          <input value={clinician} onChange={(e) => setClinician(e.target.value)} {...aria(fid, errors, 'clinician')} />
          <FieldError formId={fid} errors={errors} name="clinician" />
        </label>
      </div>
      <label>
        Note
        <textarea rows={2} value={note} onChange={(e) => setNote(e.target.value)} {...aria(fid, errors, 'note')} />
        <FieldError formId={fid} errors={errors} name="note" />
      </label>
    </FormCard>
  );
}

export function MriEventForm({ record, history, ctx, onCancel, onSaved }: Common & { record: PatientRecord; history: PumpHistory | null }) {
  const [date, setDate] = useState(ctx.today);
  const [preScanDone, setPreScanDone] = useState(false);
  const [postScan, setPostScan] = useState('');
  const [clinician, setClinician] = useState('');
  const [note, setNote] = useState('');
  const { fid, errors, formError, saving, send } = useSubmit('mri-form', onSaved);
  const device = history ? ctx.devices.find((d) => d.id === history.pump.deviceModelId) : undefined;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void send(
      { kind: 'mri', patientId: record.patient.id, pumpId: history?.pump.id, date, preScanDone, postScanCheckDate: postScan === '' ? undefined : postScan, clinician, note },
      'MRI recorded.',
    );
  };
  return (
    <FormCard id={fid} title="MRI" error={formError} saving={saving} submitLabel="Save MRI" onSubmit={submit} onCancel={onCancel}>
      {history && (
        <div className="banner banner-warn mri-guidance" aria-label="MRI guidance">
          <strong>
            {history.pump.manufacturer} {history.pump.model}:
          </strong>{' '}
          {device?.mriNotes ?? 'No MRI notes recorded for this model: check the manufacturer’s MRI guidance.'}
        </div>
      )}
      <div className="grid">
        <label>
          Scan date
          <input type="date" value={date} onChange={(e) => setDate(e.target.value)} {...aria(fid, errors, 'date')} />
          <FieldError formId={fid} errors={errors} name="date" />
        </label>
        <label>
          Post-scan check date
          <input type="date" value={postScan} onChange={(e) => setPostScan(e.target.value)} {...aria(fid, errors, 'postScanCheckDate')} />
          <FieldError formId={fid} errors={errors} name="postScanCheckDate" />
        </label>
        <label>
          Clinician
          <input value={clinician} onChange={(e) => setClinician(e.target.value)} {...aria(fid, errors, 'clinician')} />
          <FieldError formId={fid} errors={errors} name="clinician" />
        </label>
      </div>
      <label className="check">
        <input type="checkbox" checked={preScanDone} onChange={(e) => setPreScanDone(e.target.checked)} {...aria(fid, errors, 'preScanDone')} />
        Pre-scan task done (as the guidance above says)
      </label>
      <FieldError formId={fid} errors={errors} name="preScanDone" />
      <label>
        Note
        <textarea rows={2} value={note} onChange={(e) => setNote(e.target.value)} {...aria(fid, errors, 'note')} />
        <FieldError formId={fid} errors={errors} name="note" />
      </label>
    </FormCard>
  );
}

/** Open adverse events on the record, each with a Resolve button. */
export function OpenAdverseEvents({ record, onSaved }: { record: PatientRecord; onSaved(message: string): void }) {
  const [error, setError] = useState<string | null>(null);
  const open = record.events.filter((e) => e.kind === 'adverse' && e.status === 'open');
  if (open.length === 0) return null;
  async function resolve(eventId: number) {
    const r = await call('events.resolve', { eventId });
    if (r.ok) onSaved('Adverse event resolved.');
    else setError(r.error.message);
  }
  return (
    <section className="card open-adverse" aria-label="Open adverse events">
      <h3>Open adverse events</h3>
      {error && (
        <p role="alert" className="banner banner-error">
          {error}
        </p>
      )}
      <ul>
        {open.map((e) => (
          <li key={e.id}>
            {e.date} · {label(e.adverseKind ?? 'other')} · {label(e.severity ?? '')} {e.note && `· ${e.note}`}{' '}
            <button type="button" className="secondary" onClick={() => void resolve(e.id)}>
              Resolve
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
