/**
 * Patient contacts (issue 16, item 2) and the indexes that find anyone fast (item 4).
 *
 * - `patient_contacts`: one row per patient with contacts, the validated `PatientContacts` as JSON
 *   (read and written whole, like the patient it belongs to).
 * - `patient_phones`: the digits of each of the patient's phone numbers, and the same reversed,
 *   written with the contacts (same transaction), both indexed: a phone search is a range on an
 *   index for the start of a number ("555 010…") and for its end (a number typed without the
 *   country code, "555 010 1234" for +1 555 010 1234).
 * - `patients_by_birth_date`: a birth-date search is an index lookup.
 */

/** The migration's name (tests find it by name: migrations are renumbered when branches merge). */
export const PATIENT_CONTACTS_MIGRATION = 'patient contacts, phone digits and birth-date indexes';


export const PATIENT_CONTACTS_SQL = `
  CREATE TABLE patient_contacts (
    patient_id INTEGER PRIMARY KEY REFERENCES patients (id),
    contacts TEXT NOT NULL CHECK (json_valid(contacts) AND json_type(contacts, '$.phones') = 'array'),
    updated_at_ms INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE patient_phones (
    patient_id INTEGER NOT NULL REFERENCES patients (id),
    digits TEXT NOT NULL,
    digits_reversed TEXT NOT NULL
  ) STRICT;
  CREATE INDEX patient_phones_by_digits ON patient_phones (digits);
  CREATE INDEX patient_phones_by_digits_reversed ON patient_phones (digits_reversed);
  CREATE INDEX patient_phones_by_patient ON patient_phones (patient_id);

  CREATE INDEX patients_by_birth_date ON patients (birth_date);
`;
