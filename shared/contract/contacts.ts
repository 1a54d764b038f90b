import { z } from 'zod';
import { checkedText, textString } from './common';

/**
 * A patient's contacts (issue 16, item 2): phone numbers, postal address, emergency contact,
 * referring physician, family doctor and preferred language. Part of the patient: edited through
 * `patients.update` (whole, `contacts`), audited with before/after and carried by its `basedOn`.
 */
export const PHONE_USES = ['mobile', 'home', 'work'] as const;
export type PhoneUse = (typeof PHONE_USES)[number];
export const PHONE_USE_LABELS: Record<PhoneUse, string> = { mobile: 'Mobile', home: 'Home', work: 'Work' };

export interface Phone {
  use: PhoneUse;
  /** As written ("+1 (555) 010-1234"); search compares its digits only. */
  number: string;
}
export interface PostalAddress {
  /** Street lines, first line first. */
  lines: string[];
  city: string | null;
  region: string | null;
  postalCode: string | null;
  country: string | null;
}
export interface EmergencyContact {
  name: string;
  relationship: string;
  phone: string;
}
export interface Physician {
  name: string;
  practice: string | null;
  phone: string | null;
}
export interface PatientContacts {
  phones: Phone[];
  address: PostalAddress | null;
  emergencyContact: EmergencyContact | null;
  referringPhysician: Physician | null;
  familyDoctor: Physician | null;
  /** Preferred language as a BCP 47 tag ("en", "es", "pt-BR"); `LANGUAGES` names the common ones. */
  language: string | null;
}

export const NO_CONTACTS: PatientContacts = { phones: [], address: null, emergencyContact: null, referringPhysician: null, familyDoctor: null, language: null };

/** The digits of a phone number, the only part search compares ("+1 (555) 010-1234" → "15550101234"). */
export function phoneDigits(phone: string): string {
  return phone.replace(/\D/g, '');
}

/** The languages the form offers (a BCP 47 tag and its English name); any other valid tag is accepted too. */
export const LANGUAGES: readonly { tag: string; name: string }[] = [
  { tag: 'en', name: 'English' },
  { tag: 'es', name: 'Spanish' },
  { tag: 'fr', name: 'French' },
  { tag: 'de', name: 'German' },
  { tag: 'it', name: 'Italian' },
  { tag: 'pt', name: 'Portuguese' },
  { tag: 'nl', name: 'Dutch' },
  { tag: 'pl', name: 'Polish' },
  { tag: 'ru', name: 'Russian' },
  { tag: 'uk', name: 'Ukrainian' },
  { tag: 'ar', name: 'Arabic' },
  { tag: 'tr', name: 'Turkish' },
  { tag: 'zh', name: 'Chinese' },
  { tag: 'vi', name: 'Vietnamese' },
  { tag: 'ko', name: 'Korean' },
  { tag: 'ja', name: 'Japanese' },
  { tag: 'hi', name: 'Hindi' },
  { tag: 'tl', name: 'Tagalog' },
  { tag: 'ase', name: 'American Sign Language' },
];

/** The English name of a language tag ("pt-BR" → "Portuguese (Brazil)"), the tag itself when unknown. */
export function languageName(tag: string): string {
  const listed = LANGUAGES.find((l) => l.tag.toLowerCase() === tag.toLowerCase());
  if (listed) return listed.name;
  try {
    return new Intl.DisplayNames(['en'], { type: 'language' }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

const line = (max: number) =>
  checkedText('line')(textString('line', { error: (iss) => (iss.input === undefined ? 'is required' : 'must be text') }).min(1, { error: 'is required' }).max(max, { error: `must be at most ${max} characters` }));
const optionalLine = (max: number) =>
  checkedText('line')(textString('line').max(max, { error: `must be at most ${max} characters` }))
    .nullable()
    .optional()
    .transform((v) => (v === undefined || v === null || v === '' ? null : v));

/** Digits, spaces, + - ( ) . only, with 6 to 20 digits: lenient about how it is written, not free text. */
export const phoneNumber = z
  .string({ error: 'must be a phone number' })
  .trim()
  .min(1, { error: 'is required' })
  .max(30, { error: 'must be at most 30 characters' })
  .regex(/^\+?[0-9 ()\-.]+$/, { error: 'may contain only digits, spaces, a leading +, hyphens, dots and parentheses' })
  .refine((v) => {
    const n = phoneDigits(v).length;
    return n >= 6 && n <= 20;
  }, { error: 'must have 6 to 20 digits' });
/** Empty text as no value, so a cleared field is null and a written one checked with its own messages. */
const blankAsNull = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? null : v);
const optionalPhone = z.preprocess(blankAsNull, phoneNumber.nullable().optional()).transform((v) => v ?? null);

/** A BCP 47 language tag ("en", "es-MX", "pt-BR"), checked and written canonically. */
export const languageTag = z
  .string({ error: 'must be a language tag' })
  .trim()
  .max(35, { error: 'must be at most 35 characters' })
  .regex(/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/, { error: 'must be a language tag such as en, es or pt-BR' })
  .transform((v, ctx) => {
    try {
      return Intl.getCanonicalLocales(v)[0]!;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a language tag such as en, es or pt-BR', input: v });
      return z.NEVER;
    }
  });

const physician = z
  .object({ name: line(100), practice: optionalLine(200), phone: optionalPhone })
  .strict();

export const patientContactsInput = z
  .object({
    phones: z
      .array(z.object({ use: z.enum(PHONE_USES, { error: `must be one of ${PHONE_USES.join(', ')}` }), number: phoneNumber }).strict())
      .max(6, { error: 'must list at most 6 phone numbers' })
      .default([]),
    address: z
      .object({
        lines: z.array(line(200)).min(1, { error: 'needs at least one street line' }).max(4, { error: 'must have at most 4 lines' }),
        city: optionalLine(100),
        region: optionalLine(100),
        postalCode: optionalLine(20),
        country: optionalLine(100),
      })
      .strict()
      .nullable()
      .default(null),
    emergencyContact: z.object({ name: line(100), relationship: line(60), phone: phoneNumber }).strict().nullable().default(null),
    referringPhysician: physician.nullable().default(null),
    familyDoctor: physician.nullable().default(null),
    language: z.preprocess(blankAsNull, languageTag.nullable().optional()).transform((v) => v ?? null),
  })
  .strict();
export type PatientContactsInput = z.input<typeof patientContactsInput>;

const physicianText = (d: Physician): string => [d.name, d.practice, d.phone].filter(Boolean).join(', ');

/**
 * The contacts as labelled lines for a report or the record ("Phones": "Mobile (312) 555-0110;
 * Home …"), only those recorded, in a fixed order.
 */
export function contactLines(c: PatientContacts): { label: string; value: string }[] {
  const out: { label: string; value: string }[] = [];
  if (c.phones.length > 0) out.push({ label: 'Phones', value: c.phones.map((p) => `${PHONE_USE_LABELS[p.use]} ${p.number}`).join('; ') });
  if (c.address) {
    const a = c.address;
    const place = [[a.postalCode, a.city].filter(Boolean).join(' '), a.region, a.country].filter(Boolean).join(', ');
    out.push({ label: 'Address', value: [...a.lines, place].filter(Boolean).join(', ') });
  }
  if (c.emergencyContact) {
    const e = c.emergencyContact;
    out.push({ label: 'Emergency contact', value: `${e.name} (${e.relationship}), ${e.phone}` });
  }
  if (c.referringPhysician) out.push({ label: 'Referring physician', value: physicianText(c.referringPhysician) });
  if (c.familyDoctor) out.push({ label: 'Family doctor', value: physicianText(c.familyDoctor) });
  if (c.language) out.push({ label: 'Preferred language', value: `${languageName(c.language)} (${c.language})` });
  return out;
}
