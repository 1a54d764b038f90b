/**
 * The independent double check (issue 17, item 3). An entry the clinic's rules select
 * (shared/domain/double-check.ts) is saved — the prescription is real and the pump's projection
 * follows it — and *awaiting verification* until a second clinician, a different user, verifies it
 * with their password or rejects it with a reason. A rejected entry stays on the record marked
 * "rejected by NAME: reason"; the clinician then records a correcting entry (an amendment, never a
 * silent overwrite). Until verified an entry is marked unverified on every printout and export.
 */
import { z } from 'zod';
import { PASSWORD_MAX_LENGTH } from './accounts';
import { id, text } from './common';
import { assertNever } from './result';
import type { Role } from './roles';
import type { DoubleCheckReason } from '../domain/double-check';

export const VERIFIED_ENTRY_KINDS = ['refill', 'dose_change'] as const;
export type VerifiedEntryKind = (typeof VERIFIED_ENTRY_KINDS)[number];

export const VERIFIED_ENTRY_LABELS: Record<VerifiedEntryKind, string> = {
  refill: 'refill',
  dose_change: 'dose change',
};

export const VERIFICATION_STATES = ['awaiting', 'verified', 'rejected'] as const;
export type VerificationState = (typeof VERIFICATION_STATES)[number];

export interface VerificationPerson {
  userId: number | null;
  name: string;
  role: Role | null;
}

/** One entry's double check. */
export interface EntryVerification {
  id: number;
  kind: VerifiedEntryKind;
  entryId: number;
  patientId: number;
  pumpId: number;
  /** The entry's date (YYYY-MM-DD). */
  date: string;
  /** Why a check is needed, as the rules said when the entry was saved. */
  reasons: DoubleCheckReason[];
  /** What the entry did, in words ("Morphine 5 → 6 mg/day"). */
  summary: string;
  state: VerificationState;
  requestedBy: VerificationPerson;
  requestedAtMs: number;
  /** Who verified or rejected it, and when (null while awaiting). */
  decidedBy: VerificationPerson | null;
  decidedAtMs: number | null;
  /** Why it was rejected (null otherwise). */
  rejectReason: string | null;
}

/** An awaiting entry as the worklist lists it (with its patient). */
export interface AwaitingVerification extends EntryVerification {
  mrn: string;
  patientName: string;
  serial: string;
}

const verifyPassword = z
  .string({ error: 'is required: enter your password to verify' })
  .min(1, { error: 'is required: enter your password to verify' })
  .max(PASSWORD_MAX_LENGTH, { error: `must be at most ${PASSWORD_MAX_LENGTH} characters` });

export const verificationListInput = z.object({ limit: z.number().int().min(1).max(500).optional() }).strict();

export const verificationVerifyInput = z.object({ id, password: verifyPassword }).strict();

export const verificationRejectInput = z.object({ id, password: verifyPassword, reason: text(1000, 'multiline') }).strict();

/** "Unverified", "Verified by NAME (Role)", "Rejected by NAME (Role): reason": what printouts and exports show. */
export function verificationWords(v: Pick<EntryVerification, 'state' | 'decidedBy' | 'rejectReason'> | null | undefined): string {
  if (!v) return '';
  const who = v.decidedBy ? `${v.decidedBy.name}${v.decidedBy.role ? ` (${v.decidedBy.role})` : ''}` : '';
  switch (v.state) {
    case 'awaiting':
      return 'UNVERIFIED: awaiting independent double check';
    case 'verified':
      return `Verified by ${who}`;
    case 'rejected':
      return `REJECTED by ${who}: ${v.rejectReason ?? ''}`;
  }
  return assertNever(v.state, 'state');
}
