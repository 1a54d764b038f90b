import type { AuditEntry } from '../../../shared/contract/audit';
import { describeAudit, ISO_FORMAT } from '../../../shared/domain/audit-words';

/**
 * The columns; `description` (the entry in words, the audit screen's sentence with ISO dates and UTC
 * times) is last, so the earlier columns keep their places for whoever reads them by position.
 */
const HEADER = ['seq', 'time_utc', 'username', 'role', 'action', 'entity', 'entity_id', 'patient_id', 'patient_mrn', 'before', 'after', 'detail', 'workstation', 'hash', 'description'];

/** One CSV field: quoted when needed; a leading = + - @ is defused so a spreadsheet shows it as text. */
export function csvField(value: unknown): string {
  let s = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The audit trail as CSV (RFC 4180, CRLF line ends), oldest entry first. */
export function auditCsv(entries: AuditEntry[]): string {
  const rows = [...entries]
    .sort((a, b) => a.seq - b.seq)
    .map((e) =>
      [e.seq, new Date(e.atMs).toISOString(), e.username, e.role, e.action, e.entity, e.entityId, e.patientId, e.patientMrn, e.before, e.after, e.detail, e.workstation, e.hash, describeAudit(e, ISO_FORMAT)]
        .map((v) => csvField(typeof v === 'number' ? String(v) : v))
        .join(','),
    );
  return [HEADER.join(','), ...rows].join('\r\n') + '\r\n';
}
