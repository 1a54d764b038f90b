/**
 * The audit trail in words (issue 16, item 5): one sentence per entry naming who did what to whom —
 * "Dr. Moreau recorded a refill of pump SM-12345 (Jane Doe, MRN 100234) on 12/07/2026: 18.00 mL
 * added" — and labels for the actions. Used by the audit screen and the audit CSV's `description`.
 *
 * Every action (`AUDIT_ACTIONS`) and every kind of record (`AUDIT_ENTITIES`) is worded in an
 * exhaustive switch: a new one without words fails `tsc`. The words say only what the entry (and
 * the names read beside it, `AuditEntry.names`) holds, never a guess. The trail keeps entries
 * written by older versions, so every detail is read defensively: a shape these words do not know,
 * or anything that throws, gives the plain generic sentence (`genericSentence`), never a crash.
 */
import type { AuditAction, AuditEntity, AuditEntry } from '../contract/audit';
import { assertNever } from '../contract/result';
import { LOCKOUT_AFTER_FAILURES } from '../contract/accounts';
import { ROLE_LABELS, type Role } from '../contract/roles';
import { REPORTS, type ReportName } from '../contract/reports';
import { ENTRY_LABELS, type SignedEntryKind } from '../contract/signatures';
import { REVERSAL_KIND_LABELS, type ReversalKind } from '../contract/record';
import { DOUBLE_CHECK_REASON_LABELS, type DoubleCheckReason } from './double-check';
import { changeRows, fieldLabel, formatValue, isRecord, type AuditFormat, type ChangeRow } from './audit-changes';

export { ISO_FORMAT, type AuditFormat, type ChangeRow } from './audit-changes';

/** The actions as the audit screen's filter and table name them. */
export const AUDIT_ACTION_LABELS: Record<AuditAction, string> = {
  create: 'Created or recorded',
  update: 'Changed',
  view: 'Viewed a record',
  export: 'Exported',
  login: 'Signed in',
  login_failed: 'Sign-in failed',
  logout: 'Signed out',
  lock: 'Console locked',
  unlock: 'Console unlocked',
  role_change: 'Role changed',
  user_create: 'User created',
  user_update: 'User changed',
  password_reset: 'Password reset by an administrator',
  password_change: 'Own password changed',
  password_rehash: 'Password hash renewed',
  account_unlock: 'Lockout lifted',
  denied: 'Request refused (role)',
  sign: 'Entry signed',
  amend: 'Entry amended',
  verification_request: 'Double check requested',
  verify: 'Double check: verified',
  reject: 'Double check: rejected',
  backup: 'Backup made',
  restore: 'Backup restored',
  key_export: 'Recovery key exported',
  key_import: 'Recovery key stored',
  encrypt: 'Database encrypted',
  token_create: 'Access token created',
  token_revoke: 'Access token revoked',
};

/** The kinds of record, in words ("the refill"). */
export const AUDIT_ENTITY_LABELS: Record<AuditEntity, string> = {
  patient: 'patient',
  settings: 'clinic settings',
  drug: 'drug',
  device_model: 'device model',
  pump: 'pump',
  refill: 'refill',
  dose_change: 'dose change',
  removal: 'pump removal',
  reversal: 'therapy reversal',
  event: 'event',
  access_settings: 'sign-in settings',
  backup_settings: 'backup settings',
  audit_log: 'audit trail',
  appointment: 'refill appointment',
  appointments: 'refill appointments',
  token: 'access token',
  import: 'import',
  record: 'clinic record',
  report: 'report',
  demo_clinic: 'demo clinic',
  synthetic_clinic: 'synthetic clinic',
  request: 'request',
  database: 'database',
  user: 'user account',
  session: 'session',
};

const ROLE_PLURAL: Record<Role, string> = { administrator: 'administrators', clinician: 'clinicians', staff: 'staff', auditor: 'auditors' };

// ---- reading values defensively -----------------------------------------------------------------

type Obj = Record<string, unknown>;
const rec = (v: unknown): Obj | null => (isRecord(v) ? v : null);
const str = (o: Obj | null | undefined, key: string): string | null => {
  const v = o?.[key];
  return typeof v === 'string' && v !== '' ? v : null;
};
const num = (o: Obj | null | undefined, key: string): number | null => {
  const v = o?.[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
};
const isAction = (v: unknown): v is AuditAction => typeof v === 'string' && Object.hasOwn(AUDIT_ACTION_LABELS, v);
const isEntity = (v: unknown): v is AuditEntity => typeof v === 'string' && Object.hasOwn(AUDIT_ENTITY_LABELS, v);
const isRole = (v: unknown): v is Role => typeof v === 'string' && Object.hasOwn(ROLE_LABELS, v);
const roleLabel = (v: unknown): string | null => (isRole(v) ? ROLE_LABELS[v] : typeof v === 'string' ? v : null);
const quoted = (s: string) => `'${s}'`;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
/** The first letter up: sentences start with whoever acted, which may be "the command line". */
const sentence = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

// ---- who, whom, which pump ----------------------------------------------------------------------

/** Who acted: the user's full name, or what the username says (the command line, a token, Reservoir itself). */
export function actorWords(e: AuditEntry): string {
  const u = e.username;
  if (e.userId === null) {
    if (u === 'anonymous') return 'someone not signed in';
    if (u === 'system') return 'Reservoir';
    const cli = /^cli:(.+)$/.exec(u);
    if (cli) return `the command line (computer user ${quoted(cli[1]!)})`;
    const desktop = /^desktop:(.+)$/.exec(u);
    if (desktop) return `the desktop app (computer user ${quoted(desktop[1]!)})`;
    const token = /^token '(.*)' \((\w+)\)$/.exec(u);
    if (token) return `access token ${quoted(token[1]!)}`;
  }
  return e.names?.actor ?? `user ${quoted(u)}`;
}

/** "Jane Doe, MRN 100234" (the patient's name and MRN as they are now), or what is known. */
function patientInner(e: AuditEntry, values?: Obj | null): string | null {
  const name = e.names?.patient ?? (values && str(values, 'givenName') && str(values, 'familyName') ? `${str(values, 'givenName')} ${str(values, 'familyName')}` : null);
  const mrn = e.patientMrn ?? (values ? str(values, 'mrn') : null);
  if (name && mrn) return `${name}, MRN ${mrn}`;
  if (name) return name;
  if (mrn) return `MRN ${mrn}`;
  return e.patientId === null ? null : `patient #${e.patientId}`;
}
/** "Jane Doe (MRN 100234)", or "a patient" when the entry names none. */
function patientWords(e: AuditEntry, values?: Obj | null): string {
  const name = e.names?.patient ?? (values && str(values, 'givenName') && str(values, 'familyName') ? `${str(values, 'givenName')} ${str(values, 'familyName')}` : null);
  const mrn = e.patientMrn ?? (values ? str(values, 'mrn') : null);
  if (name && mrn) return `${name} (MRN ${mrn})`;
  return patientInner(e, values) ?? 'a patient';
}
/** "pump SM-12345 (Jane Doe, MRN 100234)". */
function pumpWords(e: AuditEntry, serial?: string | null): string {
  const s = e.names?.pumpSerial ?? serial ?? null;
  const who = patientInner(e);
  return `${s ? `pump ${s}` : 'a pump'}${who ? ` (${who})` : ''}`;
}
const on = (date: string | null, fmt: AuditFormat) => (date ? ` on ${fmt.date(date)}` : '');

/** "Morphine 2 mg/day, Bupivacaine 4 mg/day" from a list of prescription drugs. */
function dosesWords(list: unknown, fmt: AuditFormat): string | null {
  if (!Array.isArray(list)) return null;
  const words = list
    .map(rec)
    .filter((d): d is Obj => d !== null && str(d, 'drug') !== null && num(d, 'dailyDoseNgPerDay') !== null)
    .map((d) => `${str(d, 'drug')} ${formatValue('dailyDoseNgPerDay', num(d, 'dailyDoseNgPerDay'), fmt, str(d, 'unit'))}`);
  return words.length ? words.join(', ') : null;
}

/** The top-level fields that changed, as labels: "Family name, Contacts". */
function changedFields(before: unknown, after: unknown): string | null {
  const b = rec(before);
  const a = rec(after);
  if (!b || !a) return null;
  const skip = new Set(['id', 'updatedAtMs', 'createdAtMs', 'updatedBy', 'version', 'sessionEpoch']);
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((k) => !skip.has(k) && JSON.stringify(b[k] ?? null) !== JSON.stringify(a[k] ?? null));
  return keys.length ? keys.map(fieldLabel).join(', ') : null;
}
const fieldsSuffix = (before: unknown, after: unknown) => {
  const f = changedFields(before, after);
  return f ? `: ${f}` : ' (no field changed)';
};

const EVENT_WORDS: Record<string, string> = { mri: 'an MRI scan', interrogation: 'a pump interrogation', note: 'a note' };

function eventWords(ev: Obj | null): string {
  const kind = str(ev, 'kind');
  if (kind === 'adverse') {
    const adverse = str(ev, 'adverseKind');
    const sev = str(ev, 'severity');
    const what = [adverse ? (adverse === 'csf_leak' ? 'CSF leak' : adverse.replace(/_/g, ' ')) : null, sev ? sev.replace(/_/g, '-') : null].filter(Boolean).join(', ');
    return `an adverse event${what ? ` (${what})` : ''}`;
  }
  return (kind !== null && Object.hasOwn(EVENT_WORDS, kind) ? EVENT_WORDS[kind] : null) ?? 'an event';
}

const isReport = (v: unknown): v is ReportName => typeof v === 'string' && Object.hasOwn(REPORTS, v);
const reportTitle = (v: unknown): string => (isReport(v) ? REPORTS[v].title : typeof v === 'string' ? v : 'a');
const isSignedKind = (v: unknown): v is SignedEntryKind => typeof v === 'string' && Object.hasOwn(ENTRY_LABELS, v);
const entryKindWords = (entity: string): string =>
  isSignedKind(entity) ? ENTRY_LABELS[entity] : Object.hasOwn(AUDIT_ENTITY_LABELS, entity) ? AUDIT_ENTITY_LABELS[entity as AuditEntity] : entity.replace(/_/g, ' ');

/** Counts such as `{ patients: 3, pumps: 4 }` as "3 patients, 4 pumps"; a number as itself. */
function countsWords(v: unknown): string | null {
  if (typeof v === 'number') return String(v);
  const o = rec(v);
  if (!o) return null;
  const parts = Object.entries(o)
    .filter(([, n]) => typeof n === 'number')
    .map(([k, n]) => `${n} ${fieldLabel(k).toLowerCase()}`);
  return parts.length ? parts.join(', ') : null;
}

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

// ---- the sentences ------------------------------------------------------------------------------

/** The plain sentence for an entry these words cannot read: who, the action's label, which record. */
export function genericSentence(e: AuditEntry): string {
  let who: string;
  try {
    who = sentence(actorWords(e));
  } catch {
    who = `User '${String(e.username)}'`;
  }
  const action = Object.hasOwn(AUDIT_ACTION_LABELS, e.action) ? AUDIT_ACTION_LABELS[e.action] : String(e.action).replace(/_/g, ' ');
  const entity = typeof e.entity === 'string' ? entryKindWords(e.entity) : 'record';
  const id = e.entityId === null || e.entityId === undefined ? '' : ` ${String(e.entityId)}`;
  let whom: string;
  try {
    const p = patientInner(e);
    whom = p ? ` (${p})` : '';
  } catch {
    whom = '';
  }
  return `${who}: ${action.toLowerCase()}, ${entity}${id}${whom}.`;
}

/** One sentence for one entry, in the reader's formats. Never throws. */
export function describeAudit(e: AuditEntry, fmt: AuditFormat): string {
  try {
    const words = describe(e, fmt);
    return words === null ? genericSentence(e) : `${sentence(words)}.`;
  } catch {
    return genericSentence(e);
  }
}

/** The words of an entry, or null for a shape not known here (the caller then uses the generic sentence). */
function describe(e: AuditEntry, fmt: AuditFormat): string | null {
  const who = actorWords(e);
  const d = rec(e.detail);
  const after = rec(e.after);
  const before = rec(e.before);
  const action = e.action;
  if (!isAction(action)) return null; // an entry from a newer version: the generic sentence
  switch (action) {
    case 'create':
    case 'update':
      return recordChange(e, action, fmt);
    case 'view':
      if (e.entity !== 'patient') return null;
      return d && d.report !== undefined ? `${who} viewed the ${reportTitle(d.report).toLowerCase()} report of ${patientWords(e)}` : `${who} opened the record of ${patientWords(e)}`;
    case 'export':
      return exportWords(e, who, d, fmt);
    case 'login':
      return `${who} signed in`;
    case 'logout':
      return `${who} signed out`;
    case 'lock':
      return str(d, 'reason') === 'inactivity' ? `the console of ${who} locked after inactivity` : `${who} locked the console`;
    case 'unlock':
      return `${who} unlocked the console`;
    case 'login_failed':
      return loginFailed(e, d, fmt);
    case 'role_change': {
      const from = roleLabel(before?.role);
      const to = roleLabel(after?.role);
      if (!from || !to) return null;
      return `${who} changed the role of ${userWords(e)} from ${from} to ${to}; their sessions ended`;
    }
    case 'user_create': {
      const username = str(after, 'username') ?? e.names?.user?.username ?? null;
      if (!username) return null;
      const name = str(after, 'displayName');
      const role = roleLabel(after?.role);
      const about = [name, role].filter(Boolean).join(', ');
      return d?.firstRun === true
        ? `${who} created the first administrator account, ${quoted(username)}${name ? ` (${name})` : ''}`
        : `${who} created user ${quoted(username)}${about ? ` (${about})` : ''}`;
    }
    case 'user_update':
      return `${who} changed ${userWords(e, after ?? before)}${fieldsSuffix(before, after)}${d?.sessionsEnded === true ? '; their sessions ended' : ''}`;
    case 'password_reset':
      return `${who} set a new password for ${userWords(e)}; their sessions ended`;
    case 'password_change':
      return `${who} changed their own password${d?.otherSessionsEnded === true ? '; their other sessions ended' : ''}`;
    case 'password_rehash':
      return `the password of ${who} was hashed again at the current strength when they signed in`;
    case 'account_unlock': {
      const failures = num(before, 'failedLogins');
      return `${who} lifted the lockout of ${userWords(e)}${failures ? ` (after ${plural(failures, 'failed attempt')})` : ''}`;
    }
    case 'denied': {
      const role = roleLabel(d?.role);
      const request = e.entityId ?? 'a request';
      return `${who} was refused ${request}: ${role ? `the role ${role}` : 'their role'} may not make it${str(d, 'token') ? ' (access tokens only read and export)' : ''}`;
    }
    case 'sign': {
      const meaning = str(d, 'meaning');
      return `${who} signed the ${entryKindWords(e.entity)} of ${pumpWords(e)}${meaning ? ` (${quoted(meaning)})` : ''}`;
    }
    case 'amend': {
      const reason = str(d, 'reason');
      return `${who} amended the ${entryKindWords(e.entity)} of ${pumpWords(e)}${reason ? `, giving the reason ${quoted(reason)}` : ''}`;
    }
    case 'verification_request': {
      const reasons = Array.isArray(d?.reasons) ? d.reasons.filter((r): r is DoubleCheckReason => typeof r === 'string' && Object.hasOwn(DOUBLE_CHECK_REASON_LABELS, r)).map((r) => DOUBLE_CHECK_REASON_LABELS[r]) : [];
      const summary = str(d, 'summary');
      return `the ${entryKindWords(e.entity)} of ${pumpWords(e)} recorded by ${who} awaits an independent double check${reasons.length ? ` (${reasons.join(', ')})` : ''}${summary ? `: ${summary}` : ''}`;
    }
    case 'verify':
    case 'reject': {
      const by = str(rec(d?.recordedBy), 'name');
      const summary = str(after, 'summary');
      const reason = str(d, 'reason');
      const verb = action === 'verify' ? 'verified' : 'rejected';
      return `${who} ${verb} the ${entryKindWords(e.entity)} of ${pumpWords(e)}${by ? ` recorded by ${by}` : ''}${summary ? ` (${summary})` : ''}${reason ? `, giving the reason ${quoted(reason)}` : ''}`;
    }
    case 'backup': {
      const folder = str(d, 'folder');
      return `${who} made a backup${e.entityId ? `, ${e.entityId}` : ''}${folder ? `, in ${folder}` : ''}`;
    }
    case 'restore': {
      const aside = str(d, 'setAside');
      return `${who} restored the database from the backup ${e.entityId ?? '(not named)'}${aside ? `; the database it replaced was kept as ${aside}` : ''}`;
    }
    case 'key_export': {
      const fp = str(d, 'fingerprint');
      return `${who} exported the recovery key of the database${e.entityId ? ` ${e.entityId}` : ''}${fp ? ` (key fingerprint ${fp})` : ''}`;
    }
    case 'key_import': {
      const fp = str(d, 'fingerprint');
      return `${who} stored a recovery key for the database${e.entityId ? ` ${e.entityId}` : ''} on this computer${fp ? ` (key fingerprint ${fp})` : ''}`;
    }
    case 'encrypt': {
      const backup = str(d, 'backup');
      const removed = Array.isArray(d?.removedPlainCopies) ? d.removedPlainCopies.length : 0;
      const db = e.entityId ? ` ${e.entityId}` : '';
      const head = d?.encryptedNow === true ? `${who} encrypted the database${db}` : `${who} checked the already encrypted database${db} for unencrypted copies`;
      return `${head}${backup ? `; new encrypted backup ${backup}` : ''}${removed ? `; ${plural(removed, 'unencrypted copy', 'unencrypted copies')} removed` : ''}`;
    }
    case 'token_create': {
      const name = str(after, 'name');
      if (!name) return null;
      const role = isRole(after?.role) ? ROLE_PLURAL[after.role] : null;
      const expires = num(after, 'expiresAtMs');
      return `${who} created access token ${quoted(name)}${role ? ` for ${role}` : ''}${expires !== null ? `, expiring ${fmt.date(dayOf(expires))}` : ''}`;
    }
    case 'token_revoke': {
      const name = str(d, 'name');
      if (!name) return null;
      const role = isRole(d?.role) ? ROLE_PLURAL[d.role] : null;
      return `${who} revoked access token ${quoted(name)}${role ? ` (for ${role})` : ''}`;
    }
  }
  return assertNever(action, 'audit action');
}

/** "user 'lena' (Dr. Lena Lindqvist)": the account an entry is about. */
function userWords(e: AuditEntry, values?: Obj | null): string {
  const u = e.names?.user;
  const username = u?.username ?? str(values, 'username');
  const name = u?.displayName ?? str(values, 'displayName');
  if (username) return `user ${quoted(username)}${name && name !== username ? ` (${name})` : ''}`;
  return e.entityId ? `user #${e.entityId}` : 'a user';
}

const FAILED_DURING: Record<string, string> = {
  login: 'Sign-in failed',
  unlock: 'Unlocking the console failed',
  change_password: 'A password change failed',
  sign: 'Signing an entry failed',
  amend: 'Amending an entry failed',
  verify: 'Verifying an entry failed',
  reject: 'Rejecting an entry failed',
};
const TOKEN_REFUSED: Record<string, string> = {
  malformed_token: 'not a Reservoir access token',
  unknown_token: 'the token is not known',
  revoked: 'the token was revoked',
  expired: 'the token has expired',
};

function loginFailed(e: AuditEntry, d: Obj | null, fmt: AuditFormat): string | null {
  if (e.entity === 'token') {
    const name = str(d, 'token');
    const reason = str(d, 'reason');
    return `access with ${name ? `token ${quoted(name)}` : 'an access token'} was refused${reason ? ` (${TOKEN_REFUSED[reason] ?? reason.replace(/_/g, ' ')})` : ''}`;
  }
  if (e.entity !== 'session') return null;
  const during = str(d, 'during') ?? 'login';
  const what = FAILED_DURING[during] ?? 'Sign-in failed';
  const username = str(d, 'username') ?? (e.username !== 'anonymous' ? e.username : null);
  const forWhom = username ? ` for user ${quoted(username)}` : '';
  const reason = str(d, 'reason');
  const failures = num(d, 'failures');
  let why: string;
  if (reason === 'unknown_user') why = 'no such user';
  else if (reason === 'inactive') why = 'the account is deactivated';
  else if (reason === 'account_locked') why = 'the account is locked';
  else if (reason === 'password_replaced') why = 'the password had just been reset';
  else if (failures !== null) {
    const locked = num(d, 'lockedUntilMs');
    why = `wrong password, attempt ${failures} of ${LOCKOUT_AFTER_FAILURES}${locked !== null ? `; the account is locked until ${fmt.instant(locked)}` : ''}`;
  } else if (reason) why = reason.replace(/_/g, ' ');
  else return null;
  return `${what}${forWhom} (${why})`;
}

function exportWords(e: AuditEntry, who: string, d: Obj | null, fmt: AuditFormat): string | null {
  const entity = e.entity;
  if (!isEntity(entity)) return null;
  switch (entity) {
    case 'report': {
      const report = d?.report ?? e.entityId;
      const format = str(d, 'format');
      const from = str(d, 'from');
      const to = str(d, 'to');
      const patients = num(d, 'patients');
      const period = from && to ? ` for ${fmt.date(from)} to ${fmt.date(to)}` : to ? ` as of ${fmt.date(to)}` : '';
      const whose = e.patientId !== null ? ` of ${patientWords(e)}` : '';
      return `${who} exported the ${reportTitle(report).toLowerCase()} report${whose}${format ? ` as ${format.toUpperCase()}` : ''}${period}${patients !== null && e.patientId === null ? ` (${plural(patients, 'patient')})` : ''}`;
    }
    case 'audit_log': {
      const rows = num(d, 'rows');
      return `${who} exported the audit trail as CSV${rows !== null ? ` (${plural(rows, 'entry', 'entries')})` : ''}`;
    }
    case 'record': {
      const folder = str(d, 'folder');
      return `${who} exported the clinic record (CSV interchange)${folder ? ` to ${folder}` : ''}`;
    }
    case 'appointments': {
      const from = str(d, 'from');
      const to = str(d, 'to');
      const format = str(d, 'format');
      const rows = num(d, 'rows');
      return `${who} exported the refill appointments${from && to ? ` from ${fmt.date(from)} to ${fmt.date(to)}` : ''}${format ? ` as ${format.toUpperCase()}` : ''}${rows !== null ? ` (${plural(rows, 'appointment')})` : ''}`;
    }
    case 'patient':
    case 'settings':
    case 'drug':
    case 'device_model':
    case 'pump':
    case 'refill':
    case 'dose_change':
    case 'removal':
    case 'reversal':
    case 'event':
    case 'access_settings':
    case 'backup_settings':
    case 'appointment':
    case 'token':
    case 'import':
    case 'demo_clinic':
    case 'synthetic_clinic':
    case 'request':
    case 'database':
    case 'user':
    case 'session':
      return null;
  }
  return assertNever(entity, 'audit entity');
}

/** A record created or changed (the dispatcher's `create`/`update` entries and the features' own). */
function recordChange(e: AuditEntry, action: 'create' | 'update', fmt: AuditFormat): string | null {
  const who = actorWords(e);
  const a = rec(e.after);
  const b = rec(e.before);
  const d = rec(e.detail);
  const created = action === 'create';
  const entity = e.entity;
  if (!isEntity(entity)) return null;
  switch (entity) {
    case 'patient':
      return created ? `${who} created the record of ${patientWords(e, a)}` : `${who} changed the details of ${patientWords(e, a)}${fieldsSuffix(b, a)}`;
    case 'settings':
      return `${who} changed the clinic settings${fieldsSuffix(b, a)}`;
    case 'access_settings':
      return `${who} changed the sign-in settings${fieldsSuffix(b, a)}`;
    case 'backup_settings': {
      const folder = str(a, 'folder');
      return `${who} changed the backup folder${folder ? ` to ${folder}` : ''}`;
    }
    case 'drug': {
      const name = str(a, 'name') ?? str(b, 'name');
      if (!name) return null;
      return created ? `${who} added ${name} to the drug list` : `${who} changed ${name} in the drug list${fieldsSuffix(b, a)}`;
    }
    case 'device_model': {
      const name = [str(a, 'manufacturer'), str(a, 'model')].filter(Boolean).join(' ');
      if (!name) return null;
      return created ? `${who} added ${name} to the device catalog` : `${who} changed ${name} in the device catalog${fieldsSuffix(b, a)}`;
    }
    case 'pump':
      return created ? implantWords(e, who, a, fmt) : pumpChange(e, who, a, fmt);
    case 'refill': {
      if (!a) return null;
      const added = num(a, 'addedUl');
      const doses = dosesWords(a.drugs, fmt);
      const override = str(rec(d?.override), 'reason');
      return `${who} recorded a refill of ${pumpWords(e)}${on(str(a, 'date'), fmt)}${added !== null ? `: ${formatValue('addedUl', added, fmt)} added` : ''}${doses ? `, ${doses}` : ''}${override ? `; beyond a soft limit, with the reason ${quoted(override)}` : ''}`;
    }
    case 'dose_change': {
      if (!a) return null;
      const drug = str(a, 'drug');
      const dose = num(a, 'dailyDoseNgPerDay');
      const override = str(rec(d?.override), 'reason');
      return `${who} recorded a dose change of ${pumpWords(e)}${on(str(a, 'date'), fmt)}${drug && dose !== null ? `: ${drug} ${formatValue('dailyDoseNgPerDay', dose, fmt, str(a, 'unit'))}` : ''}${override ? `; beyond a soft limit, with the reason ${quoted(override)}` : ''}`;
    }
    case 'event': {
      if (!a) return null;
      const what = eventWords(a);
      if (created) return `${who} recorded ${what}${on(str(a, 'date'), fmt)} for ${patientWords(e)}`;
      if (str(b, 'status') === 'open' && str(a, 'status') === 'resolved') return `${who} marked ${what}${on(str(a, 'date'), fmt)} of ${patientWords(e)} as resolved`;
      return `${who} updated ${what}${on(str(a, 'date'), fmt)} of ${patientWords(e)}${fieldsSuffix(b, a)}`;
    }
    case 'appointment': {
      if (!a) return null;
      const when = `${on(str(a, 'date'), fmt)}${str(a, 'time') ? ` at ${str(a, 'time')}` : ''}`;
      const pump = pumpWords(e, str(a, 'serial'));
      if (created) {
        const where = a.homeVisit === true ? ' (home visit)' : str(a, 'room') ? ` (${str(a, 'room')})` : '';
        return `${who} booked a refill appointment for ${pump}${when}${where}`;
      }
      if (d && 'call' in d) return `${who} recorded a call to ${patientWords(e)} about the missed appointment${on(str(a, 'date'), fmt)}${str(d, 'call') ? `: ${str(d, 'call')}` : ''}`;
      const state = str(a, 'state');
      if (state && state !== str(b, 'state')) return `${who} marked the refill appointment of ${pump}${when} as ${formatValue('state', state, fmt)}`;
      return `${who} changed the refill appointment of ${pump}${fieldsSuffix(b, a)}`;
    }
    case 'import': {
      const folder = str(d, 'folder');
      const made = countsWords(d?.created);
      const skipped = countsWords(d?.skipped);
      return `${who} imported clinic records${folder ? ` from ${folder}` : ''}${made ? ` (created: ${made}${skipped ? `; skipped: ${skipped}` : ''})` : ''}`;
    }
    case 'demo_clinic': {
      const patients = Array.isArray(d?.patients) ? d.patients.length : null;
      const asOf = str(d, 'asOf');
      return `${who} created the demo clinic${patients !== null ? ` with ${plural(patients, 'demo patient')}` : ''}${asOf ? ` as of ${fmt.date(asOf)}` : ''} — demo data, not real patients`;
    }
    case 'synthetic_clinic': {
      const seed = d?.seed;
      const years = num(d, 'years');
      return `${who} generated a synthetic clinic${typeof seed === 'number' || typeof seed === 'string' ? ` (seed ${seed}${years !== null ? `, ${plural(years, 'year')}` : ''})` : ''} — synthetic data, not real patients`;
    }
    case 'removal':
    case 'reversal':
    case 'audit_log':
    case 'appointments':
    case 'token':
    case 'record':
    case 'report':
    case 'request':
    case 'database':
    case 'user':
    case 'session':
      return null;
  }
  return assertNever(entity, 'audit entity');
}

function implantWords(e: AuditEntry, who: string, a: Obj | null, fmt: AuditFormat): string | null {
  if (!a) return null;
  const model = [str(a, 'manufacturer'), str(a, 'model')].filter(Boolean).join(' ');
  const serial = e.names?.pumpSerial ?? str(a, 'serial');
  return `${who} recorded the implant of pump ${serial ?? '(no serial)'}${model ? ` (${model})` : ''}${on(str(a, 'implantDate'), fmt)} for ${patientWords(e)}`;
}

/** A pump's therapy reversal, restart or removal (entity `pump`, after `{ pump, reversal | restart | removal }`). */
function pumpChange(e: AuditEntry, who: string, a: Obj | null, fmt: AuditFormat): string | null {
  if (!a) return null;
  const serial = str(rec(a.pump), 'serial');
  const pump = pumpWords(e, serial);
  const reversal = rec(a.reversal);
  const restart = rec(a.restart);
  const removal = rec(a.removal);
  if (restart || 'restart' in a) {
    const refill = rec(a.refill);
    const doses = dosesWords(refill?.drugs, fmt);
    return `${who} restarted therapy on ${pump}${on(str(restart, 'date') ?? str(refill, 'date'), fmt)}${doses ? `: ${doses}` : ''}`;
  }
  if (removal || 'removal' in a) {
    const replacement = str(rec(a.replacement), 'serial');
    return `${who} recorded the removal of ${pump}${on(str(removal, 'date'), fmt)}${replacement ? `; replaced by pump ${replacement}` : ''}`;
  }
  if (reversal || 'reversal' in a) {
    const kind = str(reversal, 'kind');
    const label = kind && Object.hasOwn(REVERSAL_KIND_LABELS, kind) ? REVERSAL_KIND_LABELS[kind as ReversalKind] : null;
    return `${who} recorded a therapy reversal of ${pump}${on(str(reversal, 'date'), fmt)}${label ? ` (pump ${label})` : ''}`;
  }
  return null;
}

// ---- before/after -------------------------------------------------------------------------------

/**
 * The before/after table of an entry that changed values a person edits — patients and their
 * contacts, clinic, sign-in and backup settings, the drug list, the device catalog, accounts,
 * appointments, events, double checks and amendments — or a new one's values (before '—'). Empty
 * for entries whose sentence says it all (a sign-in) or whose values are a whole clinical entry
 * (kept in the technical details and the export).
 */
export function auditChangeRows(e: AuditEntry, fmt: AuditFormat): ChangeRow[] {
  try {
    if (!tableOf(e)) return [];
    return changeRows(e.before ?? null, e.after ?? null, fmt);
  } catch {
    return [];
  }
}

const TABLE_ENTITIES = new Set<string>(['patient', 'settings', 'access_settings', 'backup_settings', 'drug', 'device_model', 'user', 'appointment', 'event']);

function tableOf(e: AuditEntry): boolean {
  const action = e.action;
  if (!isAction(action)) return false;
  switch (action) {
    case 'create':
    case 'update':
      return TABLE_ENTITIES.has(e.entity) && (e.entity !== 'event' || action === 'update');
    case 'role_change':
    case 'user_create':
    case 'user_update':
    case 'password_reset':
    case 'account_unlock':
    case 'amend':
    case 'verify':
    case 'reject':
      return true;
    case 'view':
    case 'export':
    case 'login':
    case 'login_failed':
    case 'logout':
    case 'lock':
    case 'unlock':
    case 'password_change':
    case 'password_rehash':
    case 'denied':
    case 'sign':
    case 'verification_request':
    case 'backup':
    case 'restore':
    case 'key_export':
    case 'key_import':
    case 'encrypt':
    case 'token_create':
    case 'token_revoke':
      return false;
  }
  return assertNever(action, 'audit action');
}
