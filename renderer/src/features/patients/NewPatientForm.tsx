import { useState, type FormEvent } from 'react';
import { INDICATIONS, INDICATION_LABELS, SEXES, patientCreateInput, type Indication, type Patient } from '../../../../shared/contract/patients';
import { call } from '../../api/client';
import { firstErrors } from '../../components/form-errors';

interface Props {
  onSaved(patient: Patient): void;
  onCancel(): void;
}

const SEX_LABELS = { female: 'Female', male: 'Male', other: 'Other', unknown: 'Unknown' } as const;

export function NewPatientForm({ onSaved, onCancel }: Props) {
  const [mrn, setMrn] = useState('');
  const [familyName, setFamilyName] = useState('');
  const [givenName, setGivenName] = useState('');
  const [birthDate, setBirthDate] = useState('');
  const [sex, setSex] = useState('');
  const [indications, setIndications] = useState<Indication[]>([]);
  const [allergies, setAllergies] = useState('');
  const [clinician, setClinician] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const input = { mrn, familyName, givenName, birthDate, sex, indications, allergies, clinician };
    // The same schema main validates with: field messages appear before anything is sent.
    const parsed = patientCreateInput.safeParse(input);
    if (!parsed.success) {
      setErrors(firstErrors(parsed.error.issues));
      setFormError('Please correct the fields marked below.');
      return;
    }
    setSaving(true);
    const r = await call('patients.create', parsed.data);
    setSaving(false);
    if (r.ok) {
      onSaved(r.value);
      return;
    }
    if (r.error.field) setErrors({ [r.error.field]: r.error.message });
    setFormError(r.error.message);
  }

  const fieldError = (name: string) =>
    errors[name] ? (
      <span className="field-error" id={`${name}-error`}>
        {errors[name]}
      </span>
    ) : null;
  const describedBy = (name: string) => (errors[name] ? `${name}-error` : undefined);

  return (
    <form className="card form" onSubmit={submit} aria-labelledby="new-patient-title" noValidate>
      <h3 id="new-patient-title">New patient</h3>
      {formError && (
        <p role="alert" className="banner banner-error">
          {formError}
        </p>
      )}
      <div className="grid">
        <label>
          MRN
          <input value={mrn} onChange={(e) => setMrn(e.target.value)} aria-invalid={!!errors.mrn} aria-describedby={describedBy('mrn')} autoFocus required />
          {fieldError('mrn')}
        </label>
        <label>
          Family name
          <input value={familyName} onChange={(e) => setFamilyName(e.target.value)} aria-invalid={!!errors.familyName} aria-describedby={describedBy('familyName')} required />
          {fieldError('familyName')}
        </label>
        <label>
          Given name
          <input value={givenName} onChange={(e) => setGivenName(e.target.value)} aria-invalid={!!errors.givenName} aria-describedby={describedBy('givenName')} required />
          {fieldError('givenName')}
        </label>
        <label>
          Birth date
          <input type="date" value={birthDate} onChange={(e) => setBirthDate(e.target.value)} aria-invalid={!!errors.birthDate} aria-describedby={describedBy('birthDate')} required />
          {fieldError('birthDate')}
        </label>
        <label>
          Sex
          <select value={sex} onChange={(e) => setSex(e.target.value)} aria-invalid={!!errors.sex} aria-describedby={describedBy('sex')} required>
            <option value="">Choose…</option>
            {SEXES.map((s) => (
              <option key={s} value={s}>
                {SEX_LABELS[s]}
              </option>
            ))}
          </select>
          {fieldError('sex')}
        </label>
        <label>
          Treating clinician
          <input value={clinician} onChange={(e) => setClinician(e.target.value)} />
        </label>
      </div>
      <fieldset aria-describedby={describedBy('indications')}>
        <legend>Indications</legend>
        {INDICATIONS.map((i) => (
          <label key={i} className="check">
            <input
              type="checkbox"
              checked={indications.includes(i)}
              onChange={(e) => setIndications((cur) => (e.target.checked ? [...cur, i] : cur.filter((x) => x !== i)))}
            />
            {INDICATION_LABELS[i]}
          </label>
        ))}
        {fieldError('indications')}
      </fieldset>
      <label>
        Allergies
        <textarea value={allergies} onChange={(e) => setAllergies(e.target.value)} rows={2} />
      </label>
      <div className="actions">
        <button type="submit" disabled={saving}>
          {saving ? 'Saving…' : 'Save patient'}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
