/**
 * Signed entries and amendments. A clinician signs a refill visit, a removal or a therapy reversal
 * by entering their password again; the signature keeps the printed name, role, time and meaning.
 * A signed entry is never changed (the database refuses it): a correction is an amendment, linked
 * to the entry, with a reason, itself signed with the password. The original and every amendment
 * stay visible.
 */
import { z } from 'zod';
import { PASSWORD_MAX_LENGTH } from './accounts';
import { calendarDate, checkedText, id, optionalText, text, textString } from './common';
import type { TextKind } from './text';
import { DISPOSITIONS, REMOVAL_REASONS, REVERSAL_KINDS, type Refill, type Removal, type Reversal } from './record';
import type { Role } from './roles';

export const SIGNED_ENTRY_KINDS = ['refill', 'removal', 'reversal'] as const;
export type SignedEntryKind = (typeof SIGNED_ENTRY_KINDS)[number];

/** What a signature means when the signer does not say otherwise. */
export const DEFAULT_MEANINGS: Record<SignedEntryKind, string> = {
  refill: 'performed refill',
  removal: 'performed pump removal',
  reversal: 'documented therapy reversal',
};

/** The meaning of the signature every amendment carries. */
export const AMENDMENT_MEANINGS: Record<SignedEntryKind, string> = {
  refill: 'amended refill record',
  removal: 'amended pump removal record',
  reversal: 'amended therapy reversal record',
};

export const ENTRY_LABELS: Record<SignedEntryKind, string> = {
  refill: 'refill visit',
  removal: 'pump removal',
  reversal: 'therapy reversal',
};

const kind = z.enum(SIGNED_ENTRY_KINDS, { error: `must be one of ${SIGNED_ENTRY_KINDS.join(', ')}` });
const signingPassword = z
  .string({ error: 'is required: enter your password to sign' })
  .min(1, { error: 'is required: enter your password to sign' })
  .max(PASSWORD_MAX_LENGTH, { error: `must be at most ${PASSWORD_MAX_LENGTH} characters` });

export const entrySignInput = z
  .object({
    kind,
    id,
    password: signingPassword,
    /** Defaults to DEFAULT_MEANINGS[kind]. */
    meaning: optionalText(120),
  })
  .strict();

/** Text that may be corrected or cleared: '' clears it (stored as null). */
const amendedText = (max: number, kind: TextKind) =>
  checkedText(kind)(textString(kind).max(max, { error: `must be at most ${max} characters` })).transform((v) => (v === '' ? null : v));

/**
 * A field that is never amended: the arithmetic (expected residual, discrepancy and its flag,
 * alarm and due dates, the pump's projection) was computed from it and shown when the entry was
 * recorded. Changing it afterwards would silently rewrite what the clinician saw and acted on.
 */
const notAmendable = (why: string) => z.never({ error: `cannot be amended: ${why}` }).optional();

const REFILL_ARITHMETIC =
  'the expected residual, the discrepancy and its flag, the alarm and due dates and the pump’s projection were computed from it at the visit. ' +
  'Amend the note to record the correct value; the next refill visit measures the reservoir again and corrects the projection';
const PRESCRIPTION =
  'the daily volume and the projection were computed from it. Record a dose change (reprogramming) for a new dose; amend the note to document an error';
const DATE_LOCKED = 'the record’s order and the projection depend on it. Amend the note to document the correct date';

export const refillChanges = z
  .object({
    note: amendedText(4000, 'multiline').optional(),
    clinician: amendedText(100, 'name').optional(),
    /** Lot and expiry of the drugs, by their position in the visit's drug list. */
    drugs: z
      .array(
        z
          .object({
            position: z.number({ error: 'must be a drug position' }).int().min(0).max(3),
            lot: amendedText(40, 'name').optional(),
            expiryDate: calendarDate.nullable().optional(),
            concentration: notAmendable(PRESCRIPTION),
            dailyDose: notAmendable(PRESCRIPTION),
            drug: notAmendable(PRESCRIPTION),
          })
          .strict(),
      )
      .max(4)
      .refine((l) => new Set(l.map((d) => d.position)).size === l.length, { error: 'lists a drug position twice' })
      .optional(),
    date: notAmendable(DATE_LOCKED),
    withdrawnMl: notAmendable(REFILL_ARITHMETIC),
    addedMl: notAmendable(REFILL_ARITHMETIC),
    mode: notAmendable(REFILL_ARITHMETIC),
    extraMlPerDay: notAmendable(REFILL_ARITHMETIC),
    reservoirPortConfirmed: notAmendable('it was confirmed at the visit. Amend the note to document a concern about the port'),
  })
  .strict();

export const removalChanges = z
  .object({
    note: amendedText(4000, 'multiline').optional(),
    clinician: amendedText(100, 'name').optional(),
    reasons: z
      .array(z.enum(REMOVAL_REASONS, { error: `must be one of ${REMOVAL_REASONS.join(', ')}` }))
      .min(1, { error: 'give at least one reason' })
      .refine((l) => new Set(l).size === l.length, { error: 'lists a reason twice' })
      .optional(),
    catheterRemoved: z.boolean({ error: 'must be true or false' }).optional(),
    disposition: z.enum(DISPOSITIONS, { error: `must be one of ${DISPOSITIONS.join(', ')}` }).nullable().optional(),
    date: notAmendable(DATE_LOCKED),
    replacement: notAmendable('the replacement pump is its own record; record its removal if it was wrong'),
  })
  .strict();

export const reversalChanges = z
  .object({
    note: amendedText(4000, 'multiline').optional(),
    clinician: amendedText(100, 'name').optional(),
    plan: amendedText(4000, 'multiline').optional(),
    outcome: amendedText(4000, 'multiline').optional(),
    reversalKind: z.enum(REVERSAL_KINDS, { error: `must be one of ${REVERSAL_KINDS.join(', ')}` }).optional(),
    date: notAmendable(DATE_LOCKED),
  })
  .strict();

const nonEmpty = <T extends object>(changes: T) => Object.values(changes).some((v) => v !== undefined);
const amendBase = { id, reason: text(1000, 'multiline'), password: signingPassword };

export const entryAmendInput = z.discriminatedUnion(
  'kind',
  [
    z.object({ ...amendBase, kind: z.literal('refill'), changes: refillChanges.refine(nonEmpty, { error: 'must change at least one field' }) }).strict(),
    z.object({ ...amendBase, kind: z.literal('removal'), changes: removalChanges.refine(nonEmpty, { error: 'must change at least one field' }) }).strict(),
    z.object({ ...amendBase, kind: z.literal('reversal'), changes: reversalChanges.refine(nonEmpty, { error: 'must change at least one field' }) }).strict(),
  ],
  { error: `kind must be one of ${SIGNED_ENTRY_KINDS.join(', ')}` },
);
export type EntryAmendInput = z.output<typeof entryAmendInput>;

/** A value an amendment changed: text, a date, a yes/no, a list of reasons, or nothing (cleared). */
export type AmendedValue = string | boolean | string[] | null;

export interface AmendedField {
  /** A dotted path into the entry: `note`, `drugs.0.lot`, `reasons`. */
  field: string;
  before: AmendedValue;
  after: AmendedValue;
}

export interface EntrySignature {
  id: number;
  /** What was signed: the entry itself, or one of its amendments. */
  kind: SignedEntryKind | 'amendment';
  entryId: number;
  userId: number;
  /** The signer's name and role as they were when signing (a snapshot). */
  printedName: string;
  role: Role;
  meaning: string;
  signedAtMs: number;
  /** The signed content still hashes to what was signed (false only if the database was tampered with). */
  intact: boolean;
}

export interface Amendment {
  id: number;
  kind: SignedEntryKind;
  entryId: number;
  changes: AmendedField[];
  reason: string;
  userId: number;
  printedName: string;
  role: Role;
  atMs: number;
  signature: EntrySignature | null;
}

/** The signature and the amendments of one refill visit, removal or reversal. */
export interface EntryAttestation {
  kind: SignedEntryKind;
  entryId: number;
  signature: EntrySignature | null;
  /** Oldest first. */
  amendments: Amendment[];
}

/** A refill visit, removal or reversal as the record holds it. */
export type SignedEntry = { kind: 'refill'; value: Refill } | { kind: 'removal'; value: Removal } | { kind: 'reversal'; value: Reversal };

/** The amendable fields of an entry as recorded, by dotted path (`drugs.0.lot`). */
export function amendableValues(entry: SignedEntry): Record<string, AmendedValue> {
  switch (entry.kind) {
    case 'refill': {
      const r = entry.value;
      const out: Record<string, AmendedValue> = { note: r.note, clinician: r.clinician };
      r.drugs.forEach((d, i) => {
        out[`drugs.${i}.lot`] = d.lot;
        out[`drugs.${i}.expiryDate`] = d.expiryDate;
      });
      return out;
    }
    case 'removal': {
      const r = entry.value;
      return { note: r.note, clinician: r.clinician, reasons: [...r.reasons], catheterRemoved: r.catheterRemoved, disposition: r.disposition };
    }
    case 'reversal': {
      const r = entry.value;
      return { note: r.note, clinician: r.clinician, plan: r.plan, outcome: r.outcome, kind: r.kind };
    }
  }
}

/** The values as they stand after these amendments' "after" values, applied oldest first. */
export function applyAmendments(values: Record<string, AmendedValue>, afters: readonly Record<string, AmendedValue>[]): Record<string, AmendedValue> {
  const out = { ...values };
  for (const after of afters) Object.assign(out, after);
  return out;
}

/** An amendment's "after" values by path. */
export const amendedAfter = (a: Amendment): Record<string, AmendedValue> => Object.fromEntries(a.changes.map((c) => [c.field, c.after]));
