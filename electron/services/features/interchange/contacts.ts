/**
 * The patient's contacts in patients.csv (issue 16): optional columns after the v1 ones. Files
 * written before them leave them out and import as before (no contacts). Export writes them from
 * the recorded `PatientContacts`; import reads them back into the contract's `contacts` field, which
 * checks them with the contacts form's own schema (`patientContactsInput`), so the same rules apply
 * and each problem names its column. An export imported into an empty clinic gives the same contacts.
 *
 * - `phones`: `use:number` pairs separated by `;` in the recorded order ("mobile:(312) 555-0110;
 *   home:(312) 555-0111"); a phone number holds no `;` or `:`.
 * - `address_line_1` … `address_line_4`, `address_city`, `address_region`, `address_postal_code`,
 *   `address_country`: any of them given makes an address (it then needs a first street line).
 * - `emergency_name`, `emergency_relationship`, `emergency_phone`: all three, or none.
 * - `referring_name`, `referring_practice`, `referring_phone`; `family_doctor_name`,
 *   `family_doctor_practice`, `family_doctor_phone`: the name, or none of the three.
 * - `language`: a BCP 47 tag (`es`, `pt-BR`).
 */
import type { PatientContacts } from '../../../../shared/contract/contacts';

export const CONTACT_COLUMNS = [
  'phones',
  'address_line_1',
  'address_line_2',
  'address_line_3',
  'address_line_4',
  'address_city',
  'address_region',
  'address_postal_code',
  'address_country',
  'emergency_name',
  'emergency_relationship',
  'emergency_phone',
  'referring_name',
  'referring_practice',
  'referring_phone',
  'family_doctor_name',
  'family_doctor_practice',
  'family_doctor_phone',
  'language',
] as const;
export type ContactColumn = (typeof CONTACT_COLUMNS)[number];

const PAIR_SEPARATOR = ';';
const USE_SEPARATOR = ':';

/** The contacts as the cells of `CONTACT_COLUMNS`, in that order ('' for none). */
export function contactCells(c: PatientContacts): string[] {
  const a = c.address;
  const doctor = (d: PatientContacts['familyDoctor']) => [d?.name ?? '', d?.practice ?? '', d?.phone ?? ''];
  return [
    c.phones.map((p) => `${p.use}${USE_SEPARATOR}${p.number}`).join(PAIR_SEPARATOR),
    a?.lines[0] ?? '',
    a?.lines[1] ?? '',
    a?.lines[2] ?? '',
    a?.lines[3] ?? '',
    a?.city ?? '',
    a?.region ?? '',
    a?.postalCode ?? '',
    a?.country ?? '',
    c.emergencyContact?.name ?? '',
    c.emergencyContact?.relationship ?? '',
    c.emergencyContact?.phone ?? '',
    ...doctor(c.referringPhysician),
    ...doctor(c.familyDoctor),
    c.language ?? '',
  ];
}

const given = (s: string | undefined): string | undefined => (s === undefined || s.trim() === '' ? undefined : s);

/**
 * The row's contact cells as the contract's `contacts` input (validated by the caller with the
 * contract's schema), or undefined when the row gives none (an older file, or a patient without).
 */
export function contactsInput(v: Partial<Record<ContactColumn, string>>): Record<string, unknown> | undefined {
  if (CONTACT_COLUMNS.every((c) => given(v[c]) === undefined)) return undefined;
  const phones = (v.phones ?? '')
    .split(PAIR_SEPARATOR)
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((pair) => {
      const at = pair.indexOf(USE_SEPARATOR);
      return at < 0 ? { use: pair.toLowerCase(), number: '' } : { use: pair.slice(0, at).trim().toLowerCase(), number: pair.slice(at + 1).trim() };
    });
  const addressGiven = CONTACT_COLUMNS.filter((c) => c.startsWith('address_')).some((c) => given(v[c]) !== undefined);
  const lines = [v.address_line_1, v.address_line_2, v.address_line_3, v.address_line_4].filter((l): l is string => given(l) !== undefined);
  const person = (name: string | undefined, practice: string | undefined, phone: string | undefined) =>
    [name, practice, phone].some((x) => given(x) !== undefined) ? { name: given(name), practice: given(practice) ?? null, phone: given(phone) ?? null } : null;
  const e = [v.emergency_name, v.emergency_relationship, v.emergency_phone];
  return {
    phones,
    address: addressGiven
      ? { lines, city: given(v.address_city) ?? null, region: given(v.address_region) ?? null, postalCode: given(v.address_postal_code) ?? null, country: given(v.address_country) ?? null }
      : null,
    emergencyContact: e.some((x) => given(x) !== undefined) ? { name: given(e[0]), relationship: given(e[1]), phone: given(e[2]) ?? '' } : null,
    referringPhysician: person(v.referring_name, v.referring_practice, v.referring_phone),
    familyDoctor: person(v.family_doctor_name, v.family_doctor_practice, v.family_doctor_phone),
    language: given(v.language) ?? null,
  };
}

/** Where a `contacts.…` path of the contract points in patients.csv. */
export function contactColumn(path: readonly PropertyKey[]): ContactColumn {
  const [group, a, b] = path;
  if (group === 'phones') return 'phones';
  if (group === 'address') {
    if (a === 'lines') return typeof b === 'number' && b >= 0 && b < 4 ? (`address_line_${b + 1}` as ContactColumn) : 'address_line_1';
    return a === 'city' ? 'address_city' : a === 'region' ? 'address_region' : a === 'postalCode' ? 'address_postal_code' : a === 'country' ? 'address_country' : 'address_line_1';
  }
  if (group === 'emergencyContact') return a === 'relationship' ? 'emergency_relationship' : a === 'phone' ? 'emergency_phone' : 'emergency_name';
  if (group === 'referringPhysician') return a === 'practice' ? 'referring_practice' : a === 'phone' ? 'referring_phone' : 'referring_name';
  if (group === 'familyDoctor') return a === 'practice' ? 'family_doctor_practice' : a === 'phone' ? 'family_doctor_phone' : 'family_doctor_name';
  return 'language';
}
