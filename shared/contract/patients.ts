import { z } from 'zod';
import { calendarDate, checkedText, optionalText, text, textString } from './common';
import { basedOn } from './versions';
import { patientContactsInput, type PatientContacts } from './contacts';

export const SEXES = ['female', 'male', 'other', 'unknown'] as const;
export type Sex = (typeof SEXES)[number];

export const INDICATIONS = [
  'cancer_pain',
  'failed_back_surgery_syndrome',
  'crps',
  'chronic_pancreatitis',
  'arachnoiditis',
  'spasticity',
  'other',
] as const;
export type Indication = (typeof INDICATIONS)[number];

export const PATIENT_STATUSES = ['active', 'therapy_stopped', 'deceased', 'transferred'] as const;
export type PatientStatus = (typeof PATIENT_STATUSES)[number];

export const INDICATION_LABELS: Record<Indication, string> = {
  cancer_pain: 'Cancer pain',
  failed_back_surgery_syndrome: 'Failed back surgery syndrome',
  crps: 'CRPS',
  chronic_pancreatitis: 'Chronic pancreatitis',
  arachnoiditis: 'Arachnoiditis',
  spasticity: 'Spasticity',
  other: 'Other',
};

export const PATIENT_STATUS_LABELS: Record<PatientStatus, string> = {
  active: 'Active',
  therapy_stopped: 'Therapy stopped',
  deceased: 'Deceased',
  transferred: 'Transferred',
};

export interface Patient {
  id: number;
  mrn: string;
  familyName: string;
  givenName: string;
  birthDate: string;
  sex: Sex;
  indications: Indication[];
  allergies: string | null;
  clinician: string | null;
  status: PatientStatus;
  /** Date of death (status deceased). */
  deathDate: string | null;
  /** Date of the transfer and to whom (status transferred). */
  transferDate: string | null;
  transferredTo: string | null;
  /** Phones, address, emergency contact, physicians and language (empty lists and nulls when none). */
  contacts: PatientContacts;
}

export const patientCreateInput = z
  .object({
    mrn: text(32, 'name').regex(/^[A-Za-z0-9-]+$/, { error: 'may contain only letters, digits and hyphens' }),
    familyName: text(100, 'name'),
    givenName: text(100, 'name'),
    birthDate: calendarDate,
    sex: z.enum(SEXES, { error: `must be one of ${SEXES.join(', ')}` }),
    indications: z
      .array(z.enum(INDICATIONS, { error: `must be one of ${INDICATIONS.join(', ')}` }))
      .min(1, { error: 'choose at least one indication' })
      .max(INDICATIONS.length)
      .refine((list) => new Set(list).size === list.length, { error: 'lists an indication twice' }),
    allergies: optionalText(500, 'multiline'),
    clinician: optionalText(100, 'name'),
    /** The patient's contacts; in an update they replace the ones recorded, whole. */
    contacts: patientContactsInput.optional(),
  })
  .strict();
export type PatientCreateInput = z.input<typeof patientCreateInput>;

/** Clearable text for updates: absent leaves it as it is; null or '' clears it. */
const clearableText = (max: number, kind: 'name' | 'multiline') =>
  checkedText(kind)(textString(kind).max(max, { error: `must be at most ${max} characters` }))
    .nullable()
    .transform((v) => (v === null || v === '' ? null : v))
    .optional();

/**
 * Changes to a patient's details or status: only the fields given change. Without `basedOn`: the
 * internal path (the demo clinic; `shared/contract/entries.ts`); a client sends `patientUpdateInput`.
 */
export const patientUpdateEntryInput = patientCreateInput
  .omit({ allergies: true, clinician: true })
  .partial()
  .extend({
    allergies: clearableText(500, 'multiline'),
    clinician: clearableText(100, 'name'),
    id: z.number({ error: 'must be a record id' }).int().positive({ error: 'must be a record id' }),
    status: z.enum(PATIENT_STATUSES, { error: `must be one of ${PATIENT_STATUSES.join(', ')}` }).optional(),
    /** Required with status deceased; null clears it (kept only while the status is deceased). */
    deathDate: calendarDate.nullable().optional(),
    /** Required with status transferred, with `transferredTo` (a clinic or physician). */
    transferDate: calendarDate.nullable().optional(),
    transferredTo: clearableText(200, 'name'),
  })
  .strict();
/** `patients.update` from a client: the changes and, required, the patient's version the edit was based on (`PatientRecord.patientVersion`): a stale one is refused (`conflict`). */
export const patientUpdateInput = patientUpdateEntryInput.extend({ basedOn }).strict();
export type PatientUpdateInput = z.input<typeof patientUpdateInput>;

/** The order of day, month and year in a date as a locale writes it with digits. */
export const DATE_ORDERS = ['mdy', 'dmy', 'ymd'] as const;
export type DateOrder = (typeof DATE_ORDERS)[number];

/** A patient as the list shows it: with the serial of the pump in place (active or off), if any. */
export type PatientListRow = Patient & { pumpSerial: string | null };

/**
 * The patients list: `query` matches name, MRN or any pump serial of the patient (case-insensitive,
 * `%` and `_` literal), and also "First Last", "Last, First", a birth date (ISO or as `dateOrder`
 * writes it) and a phone number (digits compared); `drug` matches the admixture of the last refill of the pump in place.
 */
/** A search term: one line of text (an empty one searches for everything). */
const optionalSearch = checkedText('line')(z.string({ error: 'must be text' }).trim().max(100, { error: 'must be at most 100 characters' })).optional();

export const patientListInput = z
  .object({
    query: optionalSearch,
    status: z.enum(PATIENT_STATUSES, { error: `must be one of ${PATIENT_STATUSES.join(', ')}` }).optional(),
    indication: z.enum(INDICATIONS, { error: `must be one of ${INDICATIONS.join(', ')}` }).optional(),
    drug: optionalSearch,
    limit: z.number().int().min(1).max(500).optional(),
    /** How the user's locale writes a date (03/14/1961 is `mdy`, 14/03/1961 `dmy`): a birth date typed so is found. */
    dateOrder: z.enum(DATE_ORDERS, { error: `must be one of ${DATE_ORDERS.join(', ')}` }).optional(),
  })
  .strict();
export type PatientListInput = z.input<typeof patientListInput>;
