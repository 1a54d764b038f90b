import { useState, type FormEvent } from 'react';
import { ADVERSE_KINDS, SEVERITIES, eventInput, type AdverseKind, type PatientRecord, type PumpHistory, type Severity } from '../../../../shared/contract/record';
import { call } from '../../api/client';
import { date, localDates } from '../../format';
import { FieldError, FormCard, InputField, SelectField, TextAreaField, aria, choices, label, useChanged } from './fields';
import { choiceMessage } from './messages';
import { adverseKindLabel } from '../../../../shared/domain/urgency-words';
import type { FormContext } from './RecordActions';
import { useSubmit } from './submit';
import { ErrorBanner } from '../../components/ErrorBanner';
import { useDefaultClinician } from '../accounts/session';

interface Common {
  ctx: FormContext;
  onCancel(): void;
  onSaved(message: string): void;
}

const KIND_CHOICES = choices(ADVERSE_KINDS, Object.fromEntries(ADVERSE_KINDS.map((k) => [k, adverseKindLabel(k)])) as Record<AdverseKind, string>);
const SEVERITY_CHOICES = choices(SEVERITIES);
const STATUS_CHOICES = choices(['open', 'resolved']);
/** The choice fields' messages in the select's own words, not the stored codes. */
const ADVERSE_CHOICE_MESSAGES = {
  adverseKind: choiceMessage('Choose the kind of event', KIND_CHOICES),
  severity: choiceMessage('Choose the severity', SEVERITY_CHOICES),
  status: choiceMessage('Choose the status', STATUS_CHOICES),
};

/** Both event forms send `events.record`; the message is what the record shows once saved. */
function useEventSubmit(onSaved: (m: string) => void, choiceMessages: Readonly<Record<string, string>> = {}) {
  const s = useSubmit({ choices: choiceMessages });
  const send = (input: unknown, message: string) => s.submit(eventInput.safeParse(input), (data) => call('events.record', data), () => onSaved(message));
  return { ...s, send };
}

export function AdverseEventForm({ record, pumpId, ctx, onCancel, onSaved }: Common & { record: PatientRecord; pumpId: number | undefined }) {
  const [adverseKind, setKind] = useState<AdverseKind | ''>('');
  const [severity, setSeverity] = useState<Severity | ''>('');
  const [status, setStatus] = useState<'open' | 'resolved'>('open');
  const [eventDate, setDate] = useState(ctx.today);
  const [clinician, setClinician] = useState(useDefaultClinician());
  const [note, setNote] = useState('');
  const fid = 'adverse-form';
  const { errors, formError, saving, send } = useEventSubmit(onSaved, ADVERSE_CHOICE_MESSAGES);
  const changed = useChanged({ adverseKind, severity, status, eventDate, clinician, note });
  const field = { formId: fid, errors };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void send({ kind: 'adverse', patientId: record.patient.id, pumpId, date: eventDate, adverseKind, severity, status, clinician, note }, `Adverse event recorded (${status}).`);
  };
  return (
    <FormCard id={fid} title="Adverse event" error={formError} saving={saving} submitLabel="Save adverse event" onSubmit={submit} onCancel={onCancel} changed={changed} discardWhat="adverse event">
      <div className="grid">
        <SelectField {...field} name="adverseKind" label="Kind" value={adverseKind} onChange={(v) => setKind(v as AdverseKind)} options={KIND_CHOICES} placeholder="Choose…" />
        <SelectField {...field} name="severity" label="Severity" value={severity} onChange={(v) => setSeverity(v as Severity)} options={SEVERITY_CHOICES} placeholder="Choose…" />
        <SelectField {...field} name="status" label="Status" value={status} onChange={(v) => setStatus(v as 'open' | 'resolved')} options={STATUS_CHOICES} />
        <InputField {...field} name="date" label="Date" type="date" max={ctx.today} value={eventDate} onChange={setDate} />
        <InputField {...field} name="clinician" label="Clinician" value={clinician} onChange={setClinician} />
      </div>
      <TextAreaField {...field} name="note" label="Note" value={note} onChange={setNote} />
    </FormCard>
  );
}

export function MriEventForm({ record, history, ctx, onCancel, onSaved }: Common & { record: PatientRecord; history: PumpHistory | null }) {
  const [scanDate, setDate] = useState(ctx.today);
  const [preScanDone, setPreScanDone] = useState(false);
  const [postScan, setPostScan] = useState('');
  const [clinician, setClinician] = useState(useDefaultClinician());
  const [note, setNote] = useState('');
  const fid = 'mri-form';
  const { errors, formError, saving, send } = useEventSubmit(onSaved);
  const changed = useChanged({ scanDate, preScanDone, postScan, clinician, note });
  const field = { formId: fid, errors };
  const device = history ? ctx.devices.find((d) => d.id === history.pump.deviceModelId) : undefined;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void send(
      { kind: 'mri', patientId: record.patient.id, pumpId: history?.pump.id, date: scanDate, preScanDone, postScanCheckDate: postScan === '' ? undefined : postScan, clinician, note },
      'MRI recorded.',
    );
  };
  return (
    <FormCard id={fid} title="MRI" error={formError} saving={saving} submitLabel="Save MRI" onSubmit={submit} onCancel={onCancel} changed={changed} discardWhat="MRI">
      {history && (
        <div className="banner banner-warn mri-guidance" aria-label="MRI guidance">
          <strong>
            {history.pump.manufacturer} {history.pump.model}:
          </strong>{' '}
          {device?.mriNotes ?? 'No MRI notes recorded for this model: check the manufacturer’s MRI guidance.'}
        </div>
      )}
      <div className="grid">
        <InputField {...field} name="date" label="Scan date" type="date" max={ctx.today} value={scanDate} onChange={setDate} />
        <InputField {...field} name="postScanCheckDate" label="Post-scan check date" type="date" max={ctx.today} value={postScan} onChange={setPostScan} />
        <InputField {...field} name="clinician" label="Clinician" value={clinician} onChange={setClinician} />
      </div>
      <label className="check">
        <input type="checkbox" checked={preScanDone} onChange={(e) => setPreScanDone(e.target.checked)} {...aria(fid, errors, 'preScanDone')} />
        Pre-scan task done (as the guidance above says)
      </label>
      <FieldError formId={fid} errors={errors} name="preScanDone" />
      <TextAreaField {...field} name="note" label="Note" value={note} onChange={setNote} />
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
    else setError(localDates(r.error.message));
  }
  return (
    <section className="card open-adverse" aria-label="Open adverse events">
      <h3>Open adverse events</h3>
      <ErrorBanner message={error} />
      <ul>
        {open.map((e) => (
          <li key={e.id}>
            {date(e.date)} · {adverseKindLabel(e.adverseKind ?? 'other')} · {label(e.severity ?? '')} {e.note && `· ${e.note}`}{' '}
            <button type="button" className="secondary" onClick={() => void resolve(e.id)}>
              Resolve
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
