import { z } from 'zod';
import { checkedText, periodDate } from './common';
import type { Role } from './roles';

/** What an audit entry says happened. Add an action here, never a free string. */
export const AUDIT_ACTIONS = [
  'create',
  'update',
  'view',
  'export',
  'login',
  'login_failed',
  'logout',
  'lock',
  'unlock',
  'role_change',
  'user_create',
  'user_update',
  'password_reset',
  'password_change',
  'password_rehash', // a hash made at an older, lower scrypt cost made again at the standard cost (at sign-in)
  'account_unlock', // an administrator lifted a lockout after failed sign-ins
  'denied', // a request refused because the caller's role may not make it
  'sign',
  'amend',
  'verification_request', // an entry saved awaiting an independent double check (issue 17)
  'verify', // a second clinician verified an entry awaiting a double check
  'reject', // a second clinician rejected it, with a reason
  'backup',
  'restore',
  'key_export', // the database's recovery key was shown (reservoir key export)
  'key_import', // a recovery key was stored for the database on this computer (reservoir key import)
  'encrypt', // an unencrypted database was converted to an encrypted one (reservoir encrypt)
  'token_create', // an administrator created a personal access token (its name and role; never the secret)
  'token_revoke', // an administrator revoked one
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/**
 * What kind of record an entry names (`AuditRecord.entity`). Add one here, never a free string: the
 * audit trail's words (shared/domain/audit-words.ts) must say what each is, and `tsc` checks they do.
 * Entries written by older versions may hold others; the words read those as text.
 */
export const AUDIT_ENTITIES = [
  'patient',
  'settings',
  'drug',
  'device_model',
  'pump',
  'refill',
  'dose_change',
  'removal',
  'reversal',
  'event',
  'access_settings',
  'backup_settings',
  'audit_log',
  'appointment',
  'appointments',
  'token',
  'import',
  'record',
  'report',
  'demo_clinic',
  'synthetic_clinic',
  'request',
  'database',
  'user',
  'session',
] as const;
export type AuditEntity = (typeof AUDIT_ENTITIES)[number];

/**
 * Names the viewer reads beside an entry, from the database as it is now (not part of the entry, so
 * not covered by its hash): who acted (the user's full name), the patient's name and the pump's
 * serial, and the user an account entry is about. Null when not known (an entry naming none, a
 * record since removed).
 */
export interface AuditNames {
  /** The acting user's full name (users.display_name), when the entry names a user id. */
  actor: string | null;
  /** The patient's name, "Given Family". */
  patient: string | null;
  /** The serial of the pump the entry is about. */
  pumpSerial: string | null;
  /** For account entries (`entity` user): that user's username and full name. */
  user: { username: string; displayName: string } | null;
}

/** One entry of the audit trail as the viewer shows it. */
export interface AuditEntry {
  seq: number;
  atMs: number;
  userId: number | null;
  /** The username at the time (a snapshot), or `cli:<os user>` / `system`. */
  username: string;
  role: Role | null;
  action: AuditAction;
  entity: string;
  entityId: string | null;
  patientId: number | null;
  /** The patient's MRN now (null when the entry names no patient). */
  patientMrn: string | null;
  before: unknown;
  after: unknown;
  detail: Record<string, unknown> | null;
  /**
   * The workstation of a request served over the network (`reservoir serve`, the browser shell):
   * the host name its client sent, if any, and the address the server saw — `ROOM1-PC (10.0.0.21)`.
   * Null for the desktop app, the command line and work Reservoir did by itself.
   */
  workstation: string | null;
  hash: string;
  /**
   * Names to word the entry with (read beside it, not part of it). Optional: a server of the same
   * contract version built before it answers none, and the words then say what the entry holds.
   */
  names?: AuditNames;
}

/** The chain checked from the first entry: intact, or the first entry that does not fit. */
export type AuditChainStatus =
  | { ok: true; entries: number; lastSeq: number | null; lastHash: string | null }
  | { ok: false; entries: number; brokenSeq: number; reason: string };


export const auditQueryInput = z
  .object({
    username: checkedText('line')(z.string().trim().max(100)).optional(),
    patientId: z.number().int().positive().optional(),
    /** The patient by MRN (as people know them); resolved to the patient's id. */
    mrn: checkedText('line')(z.string().trim().min(1).max(40)).optional(),
    action: z.enum(AUDIT_ACTIONS).optional(),
    /** Calendar dates in UTC, both inclusive. */
    from: periodDate.optional(),
    to: periodDate.optional(),
    limit: z.number().int().min(1).max(5000).default(500),
  })
  .strict();

/** The same filters for the CSV export, which holds every matching entry unless limited. */
export const auditExportInput = auditQueryInput.extend({ limit: z.number().int().min(1).max(10_000_000).default(10_000_000) });
