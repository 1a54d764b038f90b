import { useState, type FormEvent } from 'react';
import { patientCreateInput, type Patient } from '../../../../shared/contract/patients';
import { call } from '../../api/client';
import { FormCard, useChanged } from '../forms/fields';
import { useSubmit } from '../forms/submit';
import { PatientFields, patientDraft } from './PatientFields';

interface Props {
  onSaved(patient: Patient): void;
  onCancel(): void;
}

export function NewPatientForm({ onSaved, onCancel }: Props) {
  const [value, setValue] = useState(() => patientDraft());
  const { errors, formError, saving, submit } = useSubmit();
  const fid = 'new-patient';
  const changed = useChanged(value);

  function save(e: FormEvent) {
    e.preventDefault();
    // The same schema main validates with: field messages appear before anything is sent.
    void submit(patientCreateInput.safeParse(value), (input) => call('patients.create', input), onSaved);
  }

  return (
    <FormCard id={fid} title="New patient" error={formError} saving={saving} submitLabel="Save patient" onSubmit={save} onCancel={onCancel} changed={changed} discardWhat="new patient">
      <PatientFields formId={fid} errors={errors} value={value} onChange={setValue} chooseSex />
    </FormCard>
  );
}
