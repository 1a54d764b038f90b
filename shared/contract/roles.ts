import type { RequestName } from './names';

/**
 * administrator: users, settings, reports. clinician (physician or nurse): records clinical
 * entries. staff: schedules and reads. auditor: reads, plus the audit trail.
 */
export const ROLES = ['administrator', 'clinician', 'staff', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  administrator: 'Administrator',
  clinician: 'Clinician',
  staff: 'Staff',
  auditor: 'Auditor',
};

/**
 * How a request is audited:
 * - `create` / `update`: a write. Main runs it in one transaction with an audit entry holding the
 *   values before and after (`electron/services/audit/subjects.ts` says which record it touches).
 * - `view` / `export`: recorded after it succeeds (a patient record seen, data leaving the app).
 * - `handler`: the handler records its own entries (sign-in, users).
 * - `none`: a read that shows no single patient's record.
 */
export type RequestAudit = 'create' | 'update' | 'view' | 'export' | 'handler' | 'none';

export interface RequestPolicy {
  /** Who may make it. `public`: anyone, even without a session (sign-in, status). */
  readonly roles: readonly Role[] | 'public' | 'signed_in';
  readonly audit: RequestAudit;
}

const ALL: readonly Role[] = ROLES;
const ADMIN: readonly Role[] = ['administrator'];
const CLINICIAN: readonly Role[] = ['clinician'];
const PATIENT_DESK: readonly Role[] = ['clinician', 'staff'];
const AUDITORS: readonly Role[] = ['auditor', 'administrator'];
const REPORTERS: readonly Role[] = ['administrator', 'auditor', 'clinician'];

/**
 * Every request declares who may make it and how it is audited. The compiler refuses a request
 * without an entry; main (`dispatch`) enforces it before any handler runs.
 */
export const REQUEST_POLICY = {
  'system.status': { roles: 'public', audit: 'none' },
  // Answered by a desktop workstation's main process (which checks for an administrator itself); refused elsewhere.
  'workstation.get': { roles: 'public', audit: 'none' },
  'workstation.probe': { roles: 'public', audit: 'none' },
  'workstation.set': { roles: 'public', audit: 'none' },
  'session.current': { roles: 'public', audit: 'none' },
  'session.setup': { roles: 'public', audit: 'handler' },
  'session.login': { roles: 'public', audit: 'handler' },
  'session.logout': { roles: 'signed_in', audit: 'handler' },
  'session.lock': { roles: 'signed_in', audit: 'handler' },
  'session.unlock': { roles: 'signed_in', audit: 'handler' },
  'session.changePassword': { roles: 'signed_in', audit: 'handler' },
  'users.list': { roles: ADMIN, audit: 'none' },
  'users.create': { roles: ADMIN, audit: 'handler' },
  'users.update': { roles: ADMIN, audit: 'handler' },
  'users.resetPassword': { roles: ADMIN, audit: 'handler' },
  'users.unlock': { roles: ADMIN, audit: 'handler' },
  'access.update': { roles: ADMIN, audit: 'update' },
  // Personal access tokens: administrators; the handlers record creation and revocation.
  'tokens.list': { roles: ADMIN, audit: 'none' },
  'tokens.create': { roles: ADMIN, audit: 'handler' },
  'tokens.revoke': { roles: ADMIN, audit: 'handler' },
  'audit.list': { roles: AUDITORS, audit: 'none' },
  'audit.verify': { roles: AUDITORS, audit: 'none' },
  'audit.export': { roles: AUDITORS, audit: 'export' },
  'patients.create': { roles: PATIENT_DESK, audit: 'create' },
  'patients.list': { roles: ALL, audit: 'none' },
  'patients.get': { roles: ALL, audit: 'view' },
  'patients.update': { roles: PATIENT_DESK, audit: 'update' },
  'settings.get': { roles: ALL, audit: 'none' },
  'settings.update': { roles: ADMIN, audit: 'update' },
  'drugs.list': { roles: ALL, audit: 'none' },
  'drugs.save': { roles: ADMIN, audit: 'update' },
  'devices.list': { roles: ALL, audit: 'none' },
  'devices.save': { roles: ADMIN, audit: 'update' },
  'pumps.implant': { roles: CLINICIAN, audit: 'create' },
  'pumps.list': { roles: ALL, audit: 'none' },
  'pumps.search': { roles: ALL, audit: 'none' },
  'pumps.recall': { roles: ALL, audit: 'none' },
  'refills.preview': { roles: CLINICIAN, audit: 'none' },
  'refills.record': { roles: CLINICIAN, audit: 'create' },
  'doseChanges.preview': { roles: CLINICIAN, audit: 'none' },
  'doseChanges.record': { roles: CLINICIAN, audit: 'create' },
  'events.record': { roles: CLINICIAN, audit: 'create' },
  'events.resolve': { roles: CLINICIAN, audit: 'update' },
  'events.mriPostScan': { roles: CLINICIAN, audit: 'update' },
  'reversals.record': { roles: CLINICIAN, audit: 'create' },
  'removals.record': { roles: CLINICIAN, audit: 'create' },
  'restarts.record': { roles: CLINICIAN, audit: 'create' },
  // Signing and amending: clinicians; the handlers check the password and record sign/amend entries.
  'entries.sign': { roles: CLINICIAN, audit: 'handler' },
  'entries.amend': { roles: CLINICIAN, audit: 'handler' },
  // The independent double check: anyone sees what awaits one; only a clinician other than the
  // recorder verifies or rejects (the handlers check the recorder and the password, and audit).
  'verifications.list': { roles: ALL, audit: 'none' },
  'verifications.verify': { roles: CLINICIAN, audit: 'handler' },
  'verifications.reject': { roles: CLINICIAN, audit: 'handler' },
  // Refill appointments: the desk books and marks them too (not only clinicians); the handlers audit.
  'appointments.book': { roles: PATIENT_DESK, audit: 'handler' },
  'appointments.list': { roles: ALL, audit: 'none' },
  'appointments.mark': { roles: PATIENT_DESK, audit: 'handler' },
  'appointments.call': { roles: PATIENT_DESK, audit: 'handler' },
  'appointments.day': { roles: ALL, audit: 'none' },
  'appointments.export': { roles: PATIENT_DESK, audit: 'handler' },
  // Cancel the old and book the new in one transaction (both audited by the handler).
  'appointments.reschedule': { roles: PATIENT_DESK, audit: 'handler' },
  'worklist.get': { roles: ALL, audit: 'none' },
  // Reports: administrators and auditors (who read everything; scheduled exports run with an
  // auditor's access token); clinicians only the patient summary (the handlers check the report).
  // The handlers record a patient summary seen, and every export when its file is handed out.
  'reports.preview': { roles: REPORTERS, audit: 'handler' },
  'reports.export.start': { roles: REPORTERS, audit: 'none' },
  'reports.export.status': { roles: REPORTERS, audit: 'none' },
  'reports.export.cancel': { roles: REPORTERS, audit: 'none' },
  'reports.export.save': { roles: REPORTERS, audit: 'handler' },
  // Backups: administrators only. The handlers record backup, restore and folder changes themselves.
  'backups.list': { roles: ADMIN, audit: 'none' },
  'backups.create': { roles: ADMIN, audit: 'handler' },
  'backups.restore': { roles: ADMIN, audit: 'handler' },
  'backups.configure': { roles: ADMIN, audit: 'handler' },
} as const satisfies { readonly [K in RequestName]: RequestPolicy };

/** Whether `role` (null: no session) may make `name`. */
export function mayCall(name: RequestName, role: Role | null): boolean {
  const roles: RequestPolicy['roles'] = REQUEST_POLICY[name].roles;
  if (roles === 'public') return true;
  if (role === null) return false;
  if (roles === 'signed_in') return true;
  return roles.includes(role);
}

/**
 * What a personal access token may make, whatever its role: reads and exports only (requests
 * audited as `none`, `view` or `export`, and the reports). Never a session request, a clinical
 * entry, a signature, a double check or a setting: those need a person at a console.
 */
export function tokenMayMake(name: RequestName): boolean {
  if (name.startsWith('session.') || name.startsWith('tokens.')) return false;
  if (name === 'reports.preview' || name === 'reports.export.save') return true;
  const audit: RequestAudit = REQUEST_POLICY[name].audit;
  return audit === 'none' || audit === 'view' || audit === 'export';
}
