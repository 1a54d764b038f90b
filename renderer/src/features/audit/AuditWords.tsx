/** One audit entry in words: its sentence, the before/after table, and the raw values for auditors (collapsed). */
import { useState } from 'react';
import type { AuditEntry } from '../../../../shared/contract/audit';
import { auditChangeRows, describeAudit, type AuditFormat } from '../../../../shared/domain/audit-words';
import { formatDate, formatDateTime, formatFixed, formatNumber } from '../../format';

/** The reader's formats: dates in the user's locale, times in the clinic's zone (the rest of the console's). */
export function auditFormat(timeZone: string | undefined): AuditFormat {
  return {
    date: (iso) => formatDate(iso),
    instant: (ms) => formatDateTime(ms, timeZone),
    number: (value, digits, fixed) => (fixed ? formatFixed(value, digits) : formatNumber(value, digits)),
  };
}

const technical = (e: AuditEntry) =>
  JSON.stringify({ action: e.action, entity: e.entity, entityId: e.entityId, before: e.before, after: e.after, detail: e.detail, hash: e.hash }, null, 1);

export function AuditWords({ entry, fmt }: { entry: AuditEntry; fmt: AuditFormat }) {
  const rows = auditChangeRows(entry, fmt);
  const [open, setOpen] = useState(false);
  return (
    <div className="audit-words">
      <p className="audit-sentence">{describeAudit(entry, fmt)}</p>
      {rows.length > 0 && (
        <table className="audit-changes" aria-label={`Values before and after, entry ${entry.seq}`}>
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Before</th>
              <th scope="col">After</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={i}>
                <th scope="row">{r.field}</th>
                <td>{r.before}</td>
                <td>{r.after}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <details className="audit-technical" onToggle={(e) => setOpen(e.currentTarget.open)}>
        <summary>Technical details</summary>
        {/* Rendered only when opened: the codes and raw values stay out of the page until asked for. */}
        {open && <pre className="audit-value">{technical(entry)}</pre>}
      </details>
    </div>
  );
}
