import { useState, type FormEvent, type ReactNode } from 'react';
import { DISPOSITIONS, REMOVAL_REASONS, REVERSAL_KINDS } from '../../../../shared/contract/record';
import { AMENDMENT_MEANINGS, ENTRY_LABELS, entryAmendInput, type AmendedValue, type EntryAttestation, type SignedEntry } from '../../../../shared/contract/signatures';
import type { InputOf } from '../../../../shared/contract';
import { call } from '../../api/client';
import { FieldError, FormCard, aria, issuesToErrors, label, mainErrors, PasswordField, type Errors } from '../forms/fields';
import { fieldLabel } from './labels';

interface Props {
  entry: SignedEntry;
  /** The amendable values as they stand (the original with earlier amendments applied). */
  current: Record<string, AmendedValue>;
  onCancel(): void;
  onAmended(a: EntryAttestation): void;
}

const asText = (v: AmendedValue | undefined): string => (typeof v === 'string' ? v : '');
const same = (a: AmendedValue | undefined, b: AmendedValue | undefined) => JSON.stringify(a === '' ? null : (a ?? null)) === JSON.stringify(b === '' ? null : (b ?? null));

/** The `changes` of an entries.amend request: only what differs from the current values. */
function changesOf(entry: SignedEntry, current: Record<string, AmendedValue>, values: Record<string, AmendedValue>): Record<string, unknown> {
  const changed = (path: string) => !same(current[path], values[path]);
  const text = (path: string) => asText(values[path]);
  const out: Record<string, unknown> = {};
  for (const path of ['note', 'clinician']) if (changed(path)) out[path] = text(path);
  switch (entry.kind) {
    case 'refill': {
      const drugs = entry.value.drugs
        .map((_, position) => ({
          position,
          ...(changed(`drugs.${position}.lot`) ? { lot: text(`drugs.${position}.lot`) } : {}),
          ...(changed(`drugs.${position}.expiryDate`) ? { expiryDate: text(`drugs.${position}.expiryDate`) || null } : {}),
        }))
        .filter((d) => Object.keys(d).length > 1);
      if (drugs.length > 0) out.drugs = drugs;
      break;
    }
    case 'removal':
      if (changed('reasons')) out.reasons = values.reasons;
      if (changed('catheterRemoved')) out.catheterRemoved = values.catheterRemoved;
      if (changed('disposition')) out.disposition = text('disposition') || null;
      break;
    case 'reversal':
      for (const path of ['plan', 'outcome']) if (changed(path)) out[path] = text(path);
      if (changed('kind')) out.reversalKind = values.kind;
      break;
  }
  return out;
}

/**
 * A correction of a refill visit, removal or reversal: the changed fields, a reason (required) and
 * the password (the amendment is signed). Arithmetic inputs (dates, volumes, doses) are not offered:
 * main refuses them, and the note is where a correct measurement is documented.
 */
export function AmendForm({ entry, current, onCancel, onAmended }: Props) {
  const [values, setValues] = useState<Record<string, AmendedValue>>(current);
  const [reason, setReason] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const fid = `amend-${entry.kind}-${entry.value.id}`;
  const set = (path: string, v: AmendedValue) => setValues((cur) => ({ ...cur, [path]: v }));
  const names = entry.kind === 'refill' ? entry.value.drugs.map((d) => d.drug) : [];

  async function submit(e: FormEvent) {
    e.preventDefault();
    const input = { kind: entry.kind, id: entry.value.id, reason, password, changes: changesOf(entry, current, values) };
    const parsed = entryAmendInput.safeParse(input);
    if (!parsed.success) {
      setErrors(issuesToErrors(parsed.error.issues));
      setFormError(parsed.error.issues.some((i) => i.path.join('.') === 'changes') ? 'Change at least one field. Nothing was saved.' : 'Please correct the fields marked below. Nothing was saved.');
      return;
    }
    setSaving(true);
    // Sent as typed (main parses it again): '' clears a text, which the parsed form holds as null.
    const r = await call('entries.amend', input as InputOf<'entries.amend'>);
    setSaving(false);
    setPassword('');
    if (r.ok) return onAmended(r.value);
    setErrors(mainErrors(r.error));
    setFormError(/nothing was (signed|saved)/i.test(r.error.message) ? r.error.message : `${r.error.message} Nothing was saved.`);
  }

  const textField = (path: string, multiline = false): ReactNode => (
    <label key={path}>
      {fieldLabel(path, names)}
      {multiline ? (
        <textarea rows={3} value={asText(values[path])} onChange={(e) => set(path, e.target.value)} {...aria(fid, errors, `changes.${path}`)} />
      ) : (
        <input value={asText(values[path])} onChange={(e) => set(path, e.target.value)} {...aria(fid, errors, `changes.${path}`)} />
      )}
      <FieldError formId={fid} errors={errors} name={`changes.${path}`} />
    </label>
  );

  function kindFields(): ReactNode {
    switch (entry.kind) {
      case 'refill':
        return entry.value.drugs.map((d, i) => (
          <div key={i} className="grid">
            {textField(`drugs.${i}.lot`)}
            <label>
              {d.drug} expiry
              <input type="date" value={asText(values[`drugs.${i}.expiryDate`])} onChange={(e) => set(`drugs.${i}.expiryDate`, e.target.value)} {...aria(fid, errors, `changes.drugs.${i}.expiryDate`)} />
              <FieldError formId={fid} errors={errors} name={`changes.drugs.${i}.expiryDate`} />
            </label>
          </div>
        ));
      case 'removal': {
        const reasons = (values.reasons as string[] | null) ?? [];
        return (
          <>
            <fieldset className="filters">
              <legend>Reasons</legend>
              {REMOVAL_REASONS.map((r) => (
                <label key={r} className="check">
                  <input type="checkbox" checked={reasons.includes(r)} onChange={(e) => set('reasons', e.target.checked ? [...reasons, r] : reasons.filter((x) => x !== r))} />
                  {label(r)}
                </label>
              ))}
              <FieldError formId={fid} errors={errors} name="changes.reasons" />
            </fieldset>
            <label className="inline">
              <input type="checkbox" checked={values.catheterRemoved === true} onChange={(e) => set('catheterRemoved', e.target.checked)} />
              Catheter removed
            </label>
            <label>
              Disposition
              <select value={asText(values.disposition)} onChange={(e) => set('disposition', e.target.value)}>
                <option value="">Not recorded</option>
                {DISPOSITIONS.map((d) => (
                  <option key={d} value={d}>
                    {label(d)}
                  </option>
                ))}
              </select>
            </label>
          </>
        );
      }
      case 'reversal':
        return (
          <>
            <label>
              Kind
              <select value={asText(values.kind)} onChange={(e) => set('kind', e.target.value)}>
                {REVERSAL_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {label(k)}
                  </option>
                ))}
              </select>
            </label>
            {textField('plan', true)}
            {textField('outcome', true)}
          </>
        );
    }
  }

  return (
    <FormCard id={fid} title={`Amend this ${ENTRY_LABELS[entry.kind]}`} error={formError} saving={saving} submitLabel="Save amendment" onSubmit={(e) => void submit(e)} onCancel={onCancel}>
      <p className="sign-meaning">
        The original stays on the record as it was; this amendment is linked to it and signed ({AMENDMENT_MEANINGS[entry.kind]}). Dates, volumes and doses cannot be amended: document a
        correct value in the note.
      </p>
      <label>
        Reason for the amendment
        <textarea rows={2} value={reason} onChange={(e) => setReason(e.target.value)} {...aria(fid, errors, 'reason')} />
        <FieldError formId={fid} errors={errors} name="reason" />
      </label>
      {textField('note', true)}
      <div className="grid">{textField('clinician')}</div>
      {kindFields()}
      <PasswordField formId={fid} errors={errors} value={password} onChange={setPassword} />
    </FormCard>
  );
}
