import type { ReactNode } from 'react';
import { INDICATIONS, INDICATION_LABELS, SEXES, type Indication, type Patient } from '../../../../shared/contract/patients';
import { CheckboxGroup, InputField, SelectField, TextAreaField, choices, type Errors } from '../forms/fields';

const SEX_LABELS = { female: 'Female', male: 'Male', other: 'Other', unknown: 'Unknown' } as const;

/** A patient's details as typed (the contract's fields, text until validated). */
export interface PatientDraft {
  mrn: string;
  familyName: string;
  givenName: string;
  birthDate: string;
  sex: string;
  indications: Indication[];
  allergies: string;
  clinician: string;
}

/** A blank draft (new patient), or the patient's details to edit. */
export function patientDraft(p?: Patient): PatientDraft {
  return {
    mrn: p?.mrn ?? '',
    familyName: p?.familyName ?? '',
    givenName: p?.givenName ?? '',
    birthDate: p?.birthDate ?? '',
    sex: p?.sex ?? '',
    indications: p?.indications ?? [],
    allergies: p?.allergies ?? '',
    clinician: p?.clinician ?? '',
  };
}

interface Props {
  formId: string;
  errors: Errors;
  value: PatientDraft;
  onChange(value: PatientDraft): void;
  /** A new patient has no sex yet: offer "Choose…" first. */
  chooseSex?: boolean;
  /** More fields at the end of the grid (the edit form's status). */
  children?: ReactNode;
}

/** The fields of the new-patient and edit-patient forms, each with its message from the shared schema. */
export function PatientFields({ formId, errors, value, onChange, chooseSex = false, children }: Props) {
  const field = { formId, errors };
  const set = (patch: Partial<PatientDraft>) => onChange({ ...value, ...patch });
  return (
    <>
      <div className="grid">
        <InputField {...field} name="mrn" label="MRN" value={value.mrn} onChange={(mrn) => set({ mrn })} required />
        <InputField {...field} name="familyName" label="Family name" value={value.familyName} onChange={(familyName) => set({ familyName })} required />
        <InputField {...field} name="givenName" label="Given name" value={value.givenName} onChange={(givenName) => set({ givenName })} required />
        <InputField {...field} name="birthDate" label="Birth date" type="date" value={value.birthDate} onChange={(birthDate) => set({ birthDate })} required />
        <SelectField {...field} name="sex" label="Sex" value={value.sex} onChange={(sex) => set({ sex })} options={choices(SEXES, SEX_LABELS)} placeholder={chooseSex ? 'Choose…' : undefined} />
        <InputField {...field} name="clinician" label="Treating clinician" value={value.clinician} onChange={(clinician) => set({ clinician })} />
        {children}
      </div>
      <CheckboxGroup {...field} name="indications" label="Indications" options={choices(INDICATIONS, INDICATION_LABELS)} value={value.indications} onChange={(indications) => set({ indications })} />
      <TextAreaField {...field} name="allergies" label="Allergies" value={value.allergies} onChange={(allergies) => set({ allergies })} />
    </>
  );
}
