import { useRef, useState, type FormEvent } from 'react';
import {
  INDICATIONS,
  INDICATION_LABELS,
  PATIENT_STATUSES,
  PATIENT_STATUS_LABELS,
  SEXES,
  patientUpdateInput,
  type Indication,
  type Patient,
  type PatientUpdateInput,
} from '../../../../shared/contract/patients';
import { call } from '../../api/client';
import { ConfirmStep, FieldError, FormCard, aria, issuesToErrors, mainErrors, type Errors } from '../forms/fields';

interface Props {
  patient: Patient;
  onSaved(patient: Patient): void;
  onCancel(): void;
}

const SEX_LABELS = { female: 'Female', male: 'Male', other: 'Other', unknown: 'Unknown' } as const;

/**
 * Edits a patient's details and status. Only the fields that changed are sent (absent means unchanged);
 * emptying allergies or clinician clears them. Marking a patient deceased asks for confirmation first.
 */
export function EditPatientForm({ patient, onSaved, onCancel }: Props) {
  const [mrn, setMrn] = useState(patient.mrn);
  const [familyName, setFamilyName] = useState(patient.familyName);
  const [givenName, setGivenName] = useState(patient.givenName);
  const [birthDate, setBirthDate] = useState(patient.birthDate);
  const [sex, setSex] = useState<string>(patient.sex);
  const [indications, setIndications] = useState<Indication[]>(patient.indications);
  const [allergies, setAllergies] = useState(patient.allergies ?? '');
  const [clinician, setClinician] = useState(patient.clinician ?? '');
  const [status, setStatus] = useState<string>(patient.status);
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [pending, setPending] = useState<PatientUpdateInput | null>(null);
  const fid = 'edit-patient';

  /** The changes as the contract takes them: only what differs from the record. */
  function changes(): Record<string, unknown> {
    const out: Record<string, unknown> = { id: patient.id };
    if (mrn !== patient.mrn) out.mrn = mrn;
    if (familyName !== patient.familyName) out.familyName = familyName;
    if (givenName !== patient.givenName) out.givenName = givenName;
    if (birthDate !== patient.birthDate) out.birthDate = birthDate;
    if (sex !== patient.sex) out.sex = sex;
    const sameIndications = indications.length === patient.indications.length && indications.every((i) => patient.indications.includes(i));
    if (!sameIndications) out.indications = indications;
    if (allergies.trim() !== (patient.allergies ?? '')) out.allergies = allergies.trim() === '' ? null : allergies;
    if (clinician.trim() !== (patient.clinician ?? '')) out.clinician = clinician.trim() === '' ? null : clinician;
    if (status !== patient.status) out.status = status;
    return out;
  }

  async function send(input: PatientUpdateInput) {
    setSaving(true);
    const r = await call('patients.update', input);
    setSaving(false);
    setPending(null);
    if (r.ok) {
      onSaved(r.value);
      return;
    }
    setErrors(mainErrors(r.error));
    setFormError(r.error.message);
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    const input = changes();
    // The same schema main validates with: field messages appear before anything is sent.
    const parsed = patientUpdateInput.safeParse(input);
    if (!parsed.success) {
      setErrors(issuesToErrors(parsed.error.issues));
      setFormError('Please correct the fields marked below.');
      return;
    }
    setErrors({});
    setFormError(null);
    if (Object.keys(input).length === 1) {
      onCancel();
      return;
    }
    // What is sent is the input as typed (main trims and normalises again).
    if (input.status === 'deceased') {
      setPending(input as PatientUpdateInput);
      return;
    }
    void send(input as PatientUpdateInput);
  }

  return (
    <FormCard id={fid} title="Edit patient details" error={formError} saving={saving} submitLabel="Save changes" onSubmit={submit} onCancel={onCancel}>
      <div className="grid">
        <label>
          MRN
          <input value={mrn} onChange={(e) => setMrn(e.target.value)} {...aria(fid, errors, 'mrn')} required />
          <FieldError formId={fid} errors={errors} name="mrn" />
        </label>
        <label>
          Family name
          <input value={familyName} onChange={(e) => setFamilyName(e.target.value)} {...aria(fid, errors, 'familyName')} required />
          <FieldError formId={fid} errors={errors} name="familyName" />
        </label>
        <label>
          Given name
          <input value={givenName} onChange={(e) => setGivenName(e.target.value)} {...aria(fid, errors, 'givenName')} required />
          <FieldError formId={fid} errors={errors} name="givenName" />
        </label>
        <label>
          Birth date
          <input type="date" value={birthDate} onChange={(e) => setBirthDate(e.target.value)} {...aria(fid, errors, 'birthDate')} required />
          <FieldError formId={fid} errors={errors} name="birthDate" />
        </label>
        <label>
          Sex
          <select value={sex} onChange={(e) => setSex(e.target.value)} {...aria(fid, errors, 'sex')}>
            {SEXES.map((s) => (
              <option key={s} value={s}>
                {SEX_LABELS[s]}
              </option>
            ))}
          </select>
          <FieldError formId={fid} errors={errors} name="sex" />
        </label>
        <label>
          Treating clinician
          <input value={clinician} onChange={(e) => setClinician(e.target.value)} {...aria(fid, errors, 'clinician')} />
          <FieldError formId={fid} errors={errors} name="clinician" />
        </label>
        <label>
          Status
          <select value={status} onChange={(e) => setStatus(e.target.value)} {...aria(fid, errors, 'status')}>
            {PATIENT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {PATIENT_STATUS_LABELS[s]}
              </option>
            ))}
          </select>
          <FieldError formId={fid} errors={errors} name="status" />
        </label>
      </div>
      <fieldset {...aria(fid, errors, 'indications')}>
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
        <FieldError formId={fid} errors={errors} name="indications" />
      </fieldset>
      <label>
        Allergies
        <textarea value={allergies} onChange={(e) => setAllergies(e.target.value)} rows={2} {...aria(fid, errors, 'allergies')} />
        <FieldError formId={fid} errors={errors} name="allergies" />
      </label>
      {pending && (
        <ConfirmStep
          question={`Record ${patient.familyName}, ${patient.givenName} as deceased? Check this is the right patient (MRN ${patient.mrn}).`}
          confirmLabel="Yes, record as deceased"
          saving={saving}
          onConfirm={() => void send(pending)}
          onBack={() => setPending(null)}
        />
      )}
    </FormCard>
  );
}

/** The record header's "Edit details" button and, once pressed, the form in place; focus returns to the button on close. */
export function EditPatientDetails({ patient, onSaved }: { patient: Patient; onSaved(patient: Patient): void }) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const close = () => {
    setOpen(false);
    setTimeout(() => button.current?.focus(), 0);
  };
  return (
    <>
      <button type="button" className="secondary" ref={button} onClick={() => setOpen(true)} disabled={open} aria-expanded={open}>
        Edit details
      </button>
      {open && (
        <EditPatientForm
          patient={patient}
          onCancel={close}
          onSaved={(p) => {
            close();
            onSaved(p);
          }}
        />
      )}
    </>
  );
}
