import { useState, type FormEvent } from 'react';
import { DISPOSITIONS, REMOVAL_REASONS, REVERSAL_KINDS, removalInput, reversalInput, type PumpHistory, type RemovalReason, type ReversalKind } from '../../../../shared/contract/record';
import type { AppError } from '../../../../shared/contract/result';
import { call } from '../../api/client';
import { CheckboxGroup, ConfirmStep, FieldError, FormCard, InputField, SelectField, TextAreaField, aria, choices, useChanged } from './fields';
import { choiceMessage } from './messages';
import { usePumpState, useSubmit, type Parsed, type SubmitOptions } from './submit';
import { PumpFields, emptyPump, pumpChoiceMessages, pumpInput } from './ImplantForm';
import type { FormContext } from './RecordActions';
import { useDefaultClinician } from '../accounts/session';

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
function useConfirmedSubmit<T>(validate: () => Parsed<T>, options?: SubmitOptions) {
  const { errors, formError, saving, setSaving, setErrors, setFormError, check, refused } = useSubmit(options);
  const [pending, setPending] = useState<T | null>(null);
  const ask = (e: FormEvent) => {
    e.preventDefault();
    const parsed = validate();
    if (!check(parsed)) return;
    setErrors({});
    setFormError(null);
    setPending(parsed.data);
  };
  async function confirm(send: (data: T) => Promise<{ ok: true; message: string } | { ok: false; error: AppError }>) {
    if (pending === null) return null;
    // Validated again: what is sent is what the form shows at the moment of confirmation.
    const parsed = validate();
    if (!check(parsed)) {
      setPending(null);
      return null;
    }
    setSaving(true);
    const r = await send(parsed.data);
    setSaving(false);
    setPending(null);
    if (r.ok) return r.message;
    refused(r.error);
    return null;
  }
  return { errors, formError, saving, pending, setPending, ask, confirm };
}

const REVERSAL_CHOICES = choices(REVERSAL_KINDS);
const REMOVAL_REASON_CHOICES = choices(REMOVAL_REASONS);
const DISPOSITION_CHOICES = choices(DISPOSITIONS);
/** The choice fields' messages in the form's own words, not the stored codes ("must be one of turned_off, …"). */
const REVERSAL_MESSAGES = { kind: choiceMessage('Choose what was done', REVERSAL_CHOICES) };

export function ReversalForm({ history, ctx, onCancel, onSaved }: Props) {
  const { pump } = history;
  const [date, setDate] = useState(ctx.today);
  const [kind, setKind] = useState<ReversalKind | ''>('');
  const [plan, setPlan] = useState('');
  const [outcome, setOutcome] = useState('');
  const [note, setNote] = useState('');
  const [clinician, setClinician] = useState(useDefaultClinician());
  const fid = 'reversal-form';
  const { pumpState, onConflict } = usePumpState(history);
  const s = useConfirmedSubmit(() => reversalInput.safeParse({ pumpId: pump.id, date, kind, plan, outcome, note, clinician, pumpState }), { choices: REVERSAL_MESSAGES, onConflict });
  const changed = useChanged({ date, kind, plan, outcome, note, clinician });

  const doConfirm = async () => {
    const m = await s.confirm(async (data) => {
      const r = await call('reversals.record', data);
      return r.ok ? { ok: true, message: `Therapy reversal recorded: pump ${r.value.serial} is ${r.value.status}.` } : r;
    });
    if (m) onSaved(m);
  };
  const field = { formId: fid, errors: s.errors };
  return (
    <FormCard id={fid} title={`Therapy reversal · pump ${pump.serial}`} danger error={s.formError} saving={s.saving} submitLabel="Record reversal…" onSubmit={s.ask} onCancel={onCancel} changed={changed} discardWhat="reversal" confirming={!!s.pending}>
      <div className="grid">
        <InputField {...field} name="date" label="Date" type="date" max={ctx.today} value={date} onChange={setDate} />
        <SelectField {...field} name="kind" label="Kind" value={kind} onChange={(v) => setKind(v as ReversalKind)} options={REVERSAL_CHOICES} placeholder="Choose…" />
        <InputField {...field} name="clinician" label="Clinician" value={clinician} onChange={setClinician} />
      </div>
      <TextAreaField {...field} name="plan" label="Plan" value={plan} onChange={setPlan} />
      <TextAreaField {...field} name="outcome" label="Outcome" value={outcome} onChange={setOutcome} />
      <TextAreaField {...field} name="note" label="Note" value={note} onChange={setNote} />
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
  const [clinician, setClinician] = useState(useDefaultClinician());
  const [replace, setReplace] = useState(false);
  const [replacement, setReplacement] = useState(() => emptyPump(ctx.today));
  const fid = 'removal-form';
  const { pumpState, onConflict } = usePumpState(history);
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
      pumpState,
    }),
    { onConflict, choices: { disposition: choiceMessage('Choose the disposition', DISPOSITION_CHOICES), ...pumpChoiceMessages('replacement.') } },
  );
  const changed = useChanged({ date, reasons, catheterRemoved, disposition, note, clinician, replace, replacement });

  const doConfirm = async () => {
    const m = await s.confirm(async (data) => {
      const r = await call('removals.record', data);
      return r.ok ? { ok: true, message: `Removal of pump ${r.value.removed.serial} recorded${r.value.replacement ? `; replacement ${r.value.replacement.serial} implanted` : ''}.` } : r;
    });
    if (m) onSaved(m);
  };
  const field = { formId: fid, errors: s.errors };
  return (
    <FormCard id={fid} title={`Removal · pump ${pump.serial}`} danger error={s.formError} saving={s.saving} submitLabel="Record removal…" onSubmit={s.ask} onCancel={onCancel} changed={changed} discardWhat="removal" confirming={!!s.pending}>
      <div className="grid">
        <InputField {...field} name="date" label="Date" type="date" max={ctx.today} value={date} onChange={setDate} />
        <SelectField {...field} name="disposition" label="Disposition" value={disposition} onChange={setDisposition} options={DISPOSITION_CHOICES} placeholder="Not recorded" />
        <InputField {...field} name="clinician" label="Clinician" value={clinician} onChange={setClinician} />
      </div>
      <CheckboxGroup {...field} name="reasons" label="Reasons" options={REMOVAL_REASON_CHOICES} value={reasons} onChange={setReasons} />
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
      <TextAreaField {...field} name="note" label="Note" value={note} onChange={setNote} />
      <label className="check">
        <input type="checkbox" checked={replace} onChange={(e) => setReplace(e.target.checked)} />
        A replacement pump was implanted in the same procedure
      </label>
      {replace && (
        <fieldset className="replacement">
          <legend>Replacement pump</legend>
          <PumpFields fid={fid} value={replacement} onChange={setReplacement} errors={s.errors} devices={ctx.devices} prefix="replacement." today={ctx.today} />
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
