import { useRef, useState, type FormEvent } from 'react';
import { INDICATION_LABELS, PATIENT_STATUSES, PATIENT_STATUS_LABELS, patientUpdateInput, type Patient, type PatientUpdateInput } from '../../../../shared/contract/patients';
import { ConflictValues, shown } from '../forms/ConflictValues';
import { call } from '../../api/client';
import { useCan } from '../accounts/session';
import { ConfirmStep, FormCard, InputField, SelectField, choices, useChanged } from '../forms/fields';
import { clinicToday, date as showDate } from '../../format';
import { useSubmit } from '../forms/submit';
import { PatientFields, patientDraft, type PatientDraft } from '../patients/PatientFields';

interface Props {
  patient: Patient;
  /** The patient's version as read (`PatientRecord.patientVersion`), sent as `basedOn`. */
  version?: number;
  onSaved(patient: Patient): void;
  onCancel(): void;
}

/** The dates and receiver that go with a deceased or transferred status, as typed. */
export interface StatusDraft {
  deathDate: string;
  transferDate: string;
  transferredTo: string;
}

export function statusDraft(p: Patient): StatusDraft {
  return { deathDate: p.deathDate ?? '', transferDate: p.transferDate ?? '', transferredTo: p.transferredTo ?? '' };
}

/** The changes as the contract takes them: only what differs from the record (emptied allergies or clinician: null). */
export function patientChanges(patient: Patient, v: PatientDraft, status: string, dates: StatusDraft = statusDraft(patient)): Record<string, unknown> {
  const out: Record<string, unknown> = { id: patient.id };
  if (v.mrn !== patient.mrn) out.mrn = v.mrn;
  if (v.familyName !== patient.familyName) out.familyName = v.familyName;
  if (v.givenName !== patient.givenName) out.givenName = v.givenName;
  if (v.birthDate !== patient.birthDate) out.birthDate = v.birthDate;
  if (v.sex !== patient.sex) out.sex = v.sex;
  const sameIndications = v.indications.length === patient.indications.length && v.indications.every((i) => patient.indications.includes(i));
  if (!sameIndications) out.indications = v.indications;
  if (v.allergies.trim() !== (patient.allergies ?? '')) out.allergies = v.allergies.trim() === '' ? null : v.allergies;
  if (v.clinician.trim() !== (patient.clinician ?? '')) out.clinician = v.clinician.trim() === '' ? null : v.clinician;
  if (status !== patient.status) out.status = status;
  // The date (and receiver) of the status chosen; an empty one is sent as missing, so main names it.
  if (status === 'deceased' && dates.deathDate !== (patient.deathDate ?? '')) out.deathDate = dates.deathDate === '' ? null : dates.deathDate;
  if (status === 'transferred') {
    if (dates.transferDate !== (patient.transferDate ?? '')) out.transferDate = dates.transferDate === '' ? null : dates.transferDate;
    if (dates.transferredTo.trim() !== (patient.transferredTo ?? '')) out.transferredTo = dates.transferredTo.trim() === '' ? null : dates.transferredTo;
  }
  return out;
}

/**
 * Edits a patient's details and status. Only the fields that changed are sent (absent means unchanged);
 * emptying allergies or clinician clears them. Marking a patient deceased asks for confirmation first.
 */
export function EditPatientForm({ patient: shownPatient, version, onSaved, onCancel }: Props) {
  // The details as the form opened on them: only what the user changed from these is sent, with the
  // version they were read at (the record behind may be read again while the form is open).
  const [patient] = useState(shownPatient);
  const [basedOn, setBasedOn] = useState(version);
  // Someone else saved first: the patient now (the form keeps what was typed).
  const [current, setCurrent] = useState<Patient | null>(null);
  const [value, setValue] = useState(() => patientDraft(patient));
  const [status, setStatus] = useState<string>(patient.status);
  const [dates, setDates] = useState<StatusDraft>(() => statusDraft(patient));
  const { errors, formError, saving, setSaving, setErrors, setFormError, check, refused } = useSubmit({
    onConflict: (c) => {
      setBasedOn(c.version);
      setCurrent(c.current as Patient);
    },
  });
  const [pending, setPending] = useState<PatientUpdateInput | null>(null);
  const fid = 'edit-patient';
  const changed = useChanged({ value, status, dates });
  const today = clinicToday(null);

  async function send(input: PatientUpdateInput) {
    setSaving(true);
    const r = await call('patients.update', input);
    setSaving(false);
    setPending(null);
    if (r.ok) onSaved(r.value);
    else refused(r.error);
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    const input: Record<string, unknown> = { ...patientChanges(patient, value, status, dates), basedOn };
    // The same schema main validates with: field messages appear before anything is sent.
    if (!check(patientUpdateInput.safeParse(input))) return;
    setErrors({});
    setFormError(null);
    if (Object.keys(input).filter((k) => k !== 'basedOn').length === 1) {
      onCancel();
      return;
    }
    // What is sent is the input as typed (main trims and normalises again).
    // (Without a date of death there is nothing to confirm yet: main names the missing field.)
    if (input.status === 'deceased' && dates.deathDate !== '') {
      setPending(input as PatientUpdateInput);
      return;
    }
    void send(input as PatientUpdateInput);
  }

  return (
    <FormCard
      id={fid}
      title="Edit patient details"
      error={formError}
      saving={saving}
      submitLabel="Save changes"
      onSubmit={submit}
      onCancel={onCancel}
      changed={changed}
      discardWhat="edit of the patient's details"
      confirming={pending !== null}
    >
      {current && (
        <ConflictValues
          id={`${fid}-conflict`}
          rows={[
            ['MRN', current.mrn],
            ['Family name', current.familyName],
            ['Given name', current.givenName],
            ['Birth date', current.birthDate],
            ['Sex', current.sex],
            ['Indications', current.indications.map((i) => INDICATION_LABELS[i]).join(', ')],
            ['Allergies', shown(current.allergies)],
            ['Clinician', shown(current.clinician)],
            ['Status', PATIENT_STATUS_LABELS[current.status]],
          ]}
        />
      )}
      <PatientFields formId={fid} errors={errors} value={value} onChange={setValue}>
        <SelectField formId={fid} errors={errors} name="status" label="Status" value={status} onChange={setStatus} options={choices(PATIENT_STATUSES, PATIENT_STATUS_LABELS)} />
        {status === 'deceased' && (
          <InputField formId={fid} errors={errors} name="deathDate" label="Date of death" type="date" max={today} value={dates.deathDate} onChange={(deathDate) => setDates({ ...dates, deathDate })} required />
        )}
        {status === 'transferred' && (
          <>
            <InputField formId={fid} errors={errors} name="transferDate" label="Transfer date" type="date" max={today} value={dates.transferDate} onChange={(transferDate) => setDates({ ...dates, transferDate })} required />
            <InputField formId={fid} errors={errors} name="transferredTo" label="Transferred to (clinic or physician)" value={dates.transferredTo} onChange={(transferredTo) => setDates({ ...dates, transferredTo })} required />
          </>
        )}
      </PatientFields>
      {pending && (
        <ConfirmStep
          question={`Record ${patient.familyName}, ${patient.givenName} as deceased on ${showDate(dates.deathDate)}? Check this is the right patient (MRN ${patient.mrn}). Their pump leaves the worklist and only a removal can be recorded.`}
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
export function EditPatientDetails({ patient, version, onSaved }: { patient: Patient; version?: number; onSaved(patient: Patient): void }) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const canEdit = useCan('patients.update');
  const close = () => {
    setOpen(false);
    setTimeout(() => button.current?.focus(), 0);
  };
  if (!canEdit) return null;
  return (
    <>
      <button type="button" className="secondary" ref={button} onClick={() => setOpen(true)} disabled={open} aria-expanded={open}>
        Edit details
      </button>
      {open && (
        <EditPatientForm
          patient={patient}
          version={version}
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
