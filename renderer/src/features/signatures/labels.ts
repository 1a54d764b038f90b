import type { AmendedValue, EntrySignature } from '../../../../shared/contract/signatures';
import { formatDate, formatDateTime } from '../../format';

const FIELD_LABELS: Record<string, string> = {
  note: 'Note',
  clinician: 'Clinician',
  reasons: 'Reasons',
  catheterRemoved: 'Catheter removed',
  disposition: 'Disposition',
  plan: 'Plan',
  outcome: 'Outcome',
  kind: 'Kind',
};

/** A person's name for an amended path: `drugs.0.lot` → "Drug 1 lot". */
export function fieldLabel(path: string, drugNames: readonly string[] = []): string {
  const drug = /^drugs\.(\d+)\.(lot|expiryDate)$/.exec(path);
  if (drug) {
    const i = Number(drug[1]);
    return `${drugNames[i] ?? `Drug ${i + 1}`} ${drug[2] === 'lot' ? 'lot' : 'expiry'}`;
  }
  return FIELD_LABELS[path] ?? path;
}

const words = (s: string) => s.replaceAll('_', ' ');
/** Fields whose values are vocabulary words (`lack_of_efficacy`), not free text. */
const VOCABULARY = new Set(['reasons', 'disposition', 'kind']);

/** An amended value as text: words for vocabularies, dates in the locale, yes/no, "(empty)" for nothing; free text as typed. */
export function valueText(v: AmendedValue, field: string): string {
  if (v === null || v === '') return '(empty)';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (Array.isArray(v)) return v.map(words).join(', ');
  if (VOCABULARY.has(field)) return words(v);
  return /\.expiryDate$/.test(field) ? formatDate(v) : v;
}

/** "Signed by Dr A. Jones, clinician — performed refill — 11/24/2026, 02:05 PM" (in the clinic's time zone). */
export function signatureText(sig: EntrySignature, timeZone: string | undefined, verb = 'Signed'): string {
  return `${verb} by ${sig.printedName}, ${sig.role} — ${sig.meaning} — ${formatDateTime(sig.signedAtMs, timeZone)}`;
}
