import { useState, type FormEvent } from 'react';
import { DISPOSITIONS, REMOVAL_REASONS, REVERSAL_KINDS, removalInput, reversalInput, type PumpHistory, type RemovalReason, type ReversalKind } from '../../../../shared/contract/record';
import type { AppError } from '../../../../shared/contract/result';
import { call } from '../../api/client';
import { ConfirmStep, FieldError, FormCard, aria, issuesToErrors, label, mainErrors, type Errors } from './fields';
import { PumpFields, emptyPump, pumpInput } from './ImplantForm';
import type { FormContext } from './RecordActions';

interface Props {
  history: PumpHistory;
  ctx: FormContext;
  onCancel(): void;
  onSaved(message: string): void;
}

/**
 * Validates locally, then asks for confirmation; only the confirmation sends.
 * Both forms are destructive: a reversal turns the pump off, a removal closes it.
 */
function useConfirmedSubmit<T>(validate: () => { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } }) {
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [pending, setPending] = useState<T | null>(null);
  const ask = (e: FormEvent) => {
    e.preventDefault();
    const parsed = validate();
    if (!parsed.success) {
      setErrors(issuesToErrors(parsed.error.issues));
      setFormError('Please correct the fields marked below. Nothing was saved.');
      return;
    }
    setErrors({});
    setFormError(null);
    setPending(parsed.data);
  };
  async function confirm(send: (data: T) => Promise<{ ok: true; message: string } | { ok: false; error: AppError }>) {
    if (pending === null) return null;
    // Validated again: what is sent is what the form shows at the moment of confirmation.
    const parsed = validate();
    if (!parsed.success) {
      setPending(null);
      setErrors(issuesToErrors(parsed.error.issues));
      setFormError('Please correct the fields marked below. Nothing was saved.');
      return null;
    }
    setSaving(true);
    const r = await send(parsed.data);
    setSaving(false);
    setPending(null);
    if (r.ok) return r.message;
    setErrors(mainErrors(r.error));
    setFormError(`${r.error.message} Nothing was saved.`);
    return null;
  }
  return { errors, formError, saving, pending, setPending, ask, confirm };
}

export function ReversalForm({ history, ctx, onCancel, onSaved }: Props) {
  const { pump } = history;
  const [date, setDate] = useState(ctx.today);
  const [kind, setKind] = useState<ReversalKind | ''>('');
  const [plan, setPlan] = useState('');
  const [outcome, setOutcome] = useState('');
  const [note, setNote] = useState('');
  const [clinician, setClinician] = useState('');
  const fid = 'reversal-form';
  const s = useConfirmedSubmit(() => reversalInput.safeParse({ pumpId: pump.id, date, kind, plan, outcome, note, clinician }));

  const doConfirm = async () => {
    const m = await s.confirm(async (data) => {
      const r = await call('reversals.record', data);
      return r.ok ? { ok: true, message: `Therapy reversal recorded: pump ${r.value.serial} is ${r.value.status}.` } : r;
    });
    if (m) onSaved(m);
  };
  const area = (name: 'plan' | 'outcome' | 'note', title: string, value: string, set: (v: string) => void) => (
    <label>
      {title}
      <textarea rows={2} value={value} onChange={(e) => set(e.target.value)} {...aria(fid, s.errors, name)} />
      <FieldError formId={fid} errors={s.errors} name={name} />
    </label>
  );
  return (
    <FormCard id={fid} title={`Therapy reversal · pump ${pump.serial}`} danger error={s.formError} saving={s.saving} submitLabel="Record reversal…" onSubmit={s.ask} onCancel={onCancel}>
      <div className="grid">
        <label>
          Date
          <input type="date" value={date} onChange={(e) => setDate(e.target.value)} {...aria(fid, s.errors, 'date')} />
          <FieldError formId={fid} errors={s.errors} name="date" />
        </label>
        <label>
          Kind
          <select value={kind} onChange={(e) => setKind(e.target.value as ReversalKind)} {...aria(fid, s.errors, 'kind')}>
            <option value="">Choose…</option>
            {REVERSAL_KINDS.map((k) => (
              <option key={k} value={k}>
                {label(k)}
              </option>
            ))}
          </select>
          <FieldError formId={fid} errors={s.errors} name="kind" />
        </label>
        <label>
          Clinician
          <input value={clinician} onChange={(e) => setClinician(e.target.value)} {...aria(fid, s.errors, 'clinician')} />
          <FieldError formId={fid} errors={s.errors} name="clinician" />
        </label>
      </div>
      {area('plan', 'Plan', plan, setPlan)}
      {area('outcome', 'Outcome', outcome, setOutcome)}
      {area('note', 'Note', note, setNote)}
      {s.pending && (
        <ConfirmStep
          question={`Record the therapy reversal of pump ${pump.serial}? The pump will be off and cannot be refilled. This cannot be undone; corrections are made by amendment.`}
          confirmLabel="Yes, record the reversal"
          saving={s.saving}
          onConfirm={() => void doConfirm()}
          onBack={() => s.setPending(null)}
        />
      )}
    </FormCard>
  );
}

export function RemovalForm({ history, ctx, onCancel, onSaved }: Props) {
  const { pump } = history;
  const [date, setDate] = useState(ctx.today);
  const [reasons, setReasons] = useState<RemovalReason[]>([]);
  const [catheterRemoved, setCatheterRemoved] = useState<'' | 'yes' | 'no'>('');
  const [disposition, setDisposition] = useState('');
  const [note, setNote] = useState('');
  const [clinician, setClinician] = useState('');
  const [replace, setReplace] = useState(false);
  const [replacement, setReplacement] = useState(() => emptyPump(ctx.today));
  const fid = 'removal-form';
  const s = useConfirmedSubmit(() =>
    removalInput.safeParse({
      pumpId: pump.id,
      date,
      reasons,
      catheterRemoved: catheterRemoved === '' ? undefined : catheterRemoved === 'yes',
      disposition: disposition === '' ? undefined : disposition,
      note,
      clinician,
      replacement: replace ? pumpInput(replacement) : undefined,
    }),
  );

  const doConfirm = async () => {
    const m = await s.confirm(async (data) => {
      const r = await call('removals.record', data);
      return r.ok ? { ok: true, message: `Removal of pump ${r.value.removed.serial} recorded${r.value.replacement ? `; replacement ${r.value.replacement.serial} implanted` : ''}.` } : r;
    });
    if (m) onSaved(m);
  };
  return (
    <FormCard id={fid} title={`Removal · pump ${pump.serial}`} danger error={s.formError} saving={s.saving} submitLabel="Record removal…" onSubmit={s.ask} onCancel={onCancel}>
      <div className="grid">
        <label>
          Date
          <input type="date" value={date} onChange={(e) => setDate(e.target.value)} {...aria(fid, s.errors, 'date')} />
          <FieldError formId={fid} errors={s.errors} name="date" />
        </label>
        <label>
          Disposition
          <select value={disposition} onChange={(e) => setDisposition(e.target.value)} {...aria(fid, s.errors, 'disposition')}>
            <option value="">Not recorded</option>
            {DISPOSITIONS.map((d) => (
              <option key={d} value={d}>
                {label(d)}
              </option>
            ))}
          </select>
          <FieldError formId={fid} errors={s.errors} name="disposition" />
        </label>
        <label>
          Clinician
          <input value={clinician} onChange={(e) => setClinician(e.target.value)} {...aria(fid, s.errors, 'clinician')} />
          <FieldError formId={fid} errors={s.errors} name="clinician" />
        </label>
      </div>
      <fieldset {...aria(fid, s.errors, 'reasons')}>
        <legend>Reasons</legend>
        {REMOVAL_REASONS.map((r) => (
          <label key={r} className="check">
            <input type="checkbox" checked={reasons.includes(r)} onChange={(e) => setReasons((cur) => (e.target.checked ? [...cur, r] : cur.filter((x) => x !== r)))} />
            {label(r)}
          </label>
        ))}
        <FieldError formId={fid} errors={s.errors} name="reasons" />
      </fieldset>
      <fieldset {...aria(fid, s.errors, 'catheterRemoved')}>
        <legend>Catheter removed?</legend>
        <label className="check">
          <input type="radio" name="catheterRemoved" checked={catheterRemoved === 'yes'} onChange={() => setCatheterRemoved('yes')} />
          Yes, removed
        </label>
        <label className="check">
          <input type="radio" name="catheterRemoved" checked={catheterRemoved === 'no'} onChange={() => setCatheterRemoved('no')} />
          No, left in place
        </label>
        <FieldError formId={fid} errors={s.errors} name="catheterRemoved" />
      </fieldset>
      <label>
        Note
        <textarea rows={2} value={note} onChange={(e) => setNote(e.target.value)} {...aria(fid, s.errors, 'note')} />
        <FieldError formId={fid} errors={s.errors} name="note" />
      </label>
      <label className="check">
        <input type="checkbox" checked={replace} onChange={(e) => setReplace(e.target.checked)} />
        A replacement pump was implanted in the same procedure
      </label>
      {replace && (
        <fieldset className="replacement">
          <legend>Replacement pump</legend>
          <PumpFields fid={fid} value={replacement} onChange={setReplacement} errors={s.errors} devices={ctx.devices} prefix="replacement." />
        </fieldset>
      )}
      {s.pending && (
        <ConfirmStep
          question={`Record the removal of pump ${pump.serial}? This cannot be undone; corrections are made by amendment.`}
          confirmLabel="Yes, record the removal"
          saving={s.saving}
          onConfirm={() => void doConfirm()}
          onBack={() => s.setPending(null)}
        />
      )}
    </FormCard>
  );
}
