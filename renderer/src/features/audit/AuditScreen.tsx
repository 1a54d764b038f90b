import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { AUDIT_ACTIONS, type AuditAction, type AuditChainStatus, type AuditEntry } from '../../../../shared/contract/audit';
import { AUDIT_ACTION_LABELS, type AuditFormat } from '../../../../shared/domain/audit-words';
import { ROLE_LABELS } from '../../../../shared/contract/roles';
import { clinicSettings } from '../../api/clinic-settings';
import { formatDateTime } from '../../format';
import { auditFormat, AuditWords } from './AuditWords';
import type { InputOf } from '../../../../shared/contract';
import { call } from '../../api/client';
import '../accounts/accounts.css';
import { ErrorBanner } from '../../components/ErrorBanner';

type Filter = InputOf<'audit.list'>;
const LIST_LIMIT = 500;

/** The audit trail for auditors and administrators: filters, the chain's state, CSV export. */
export function AuditScreen() {
  const [username, setUsername] = useState('');
  const [mrn, setMrn] = useState('');
  const [action, setAction] = useState<AuditAction | ''>('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [chain, setChain] = useState<AuditChainStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [exported, setExported] = useState<string | null>(null);
  // Times in the clinic's zone, like the rest of the console (the machine's until the settings arrive).
  const [timeZone, setTimeZone] = useState<string | undefined>(undefined);
  const fmt = useMemo(() => auditFormat(timeZone), [timeZone]);

  const filter = useCallback((): Filter => {
    const f: Filter = { limit: LIST_LIMIT };
    if (username.trim()) f.username = username.trim();
    if (mrn.trim()) f.mrn = mrn.trim();
    if (action) f.action = action;
    if (from) f.from = from;
    if (to) f.to = to;
    return f;
  }, [username, mrn, action, from, to]);

  const load = useCallback(async () => {
    const r = await call('audit.list', filter());
    if (r.ok) {
      setEntries(r.value);
      setError(null);
    } else setError(r.error.field ? `${r.error.field}: ${r.error.message}` : r.error.message);
  }, [filter]);

  useEffect(() => {
    void load();
    void call('audit.verify', {}).then((r) => r.ok && setChain(r.value));
    void clinicSettings().then((r) => r.ok && setTimeZone(r.value.timeZone));
    // Only on first show; later loads come from "Apply".
  }, []);

  async function exportCsv() {
    const { limit: _shown, ...all } = filter(); // the export holds every matching entry
    const r = await call('audit.export', all);
    if (!r.ok) return setError(r.error.message);
    const url = URL.createObjectURL(new Blob([r.value.csv], { type: 'text/csv;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `reservoir-audit-${new Date().toISOString().slice(0, 10)}.csv`;
    a.click();
    URL.revokeObjectURL(url);
    setExported(`Exported ${r.value.rows} entries (the export itself is recorded in the trail).`);
  }

  const apply = (e: FormEvent) => {
    e.preventDefault();
    void load();
  };

  return (
    <section aria-labelledby="audit-title">
      <h2 id="audit-title">Audit trail</h2>
      {chain && (
        <p role="status" data-testid="chain-status" className={`banner ${chain.ok ? 'banner-ok' : 'banner-error'}`}>
          {chain.ok
            ? `Chain intact: ${chain.entries} entries, each linked to the one before by its hash.${chain.lastSeq === null ? '' : ` Anchor (keep it elsewhere; check later with reservoir audit verify --anchor): ${chain.lastSeq}:${chain.lastHash}`}`
            : `Chain BROKEN at entry ${chain.brokenSeq}: ${chain.reason}. Entries from there on cannot be trusted; keep this database and report it.`}
        </p>
      )}
      <form className="card form" onSubmit={apply} aria-label="Filter the audit trail">
        <div className="grid">
          <label>
            User
            <input value={username} onChange={(e) => setUsername(e.target.value)} placeholder="username" />
          </label>
          <label>
            Patient MRN
            <input value={mrn} onChange={(e) => setMrn(e.target.value)} />
          </label>
          <label>
            Action
            <select value={action} onChange={(e) => setAction(e.target.value as AuditAction | '')}>
              <option value="">Any</option>
              {AUDIT_ACTIONS.map((a) => (
                <option key={a} value={a}>
                  {AUDIT_ACTION_LABELS[a]}
                </option>
              ))}
            </select>
          </label>
          <label>
            From
            <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
          </label>
          <label>
            To
            <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
          </label>
        </div>
        <div className="actions">
          <button type="submit">Apply</button>
          <button type="button" className="secondary" onClick={() => void exportCsv()}>
            Export CSV
          </button>
        </div>
      </form>
      <ErrorBanner message={error} />
      {exported && <p className="banner banner-ok">{exported}</p>}
      {entries && entries.length === 0 && <p className="empty">No entries match.</p>}
      {entries && entries.length >= LIST_LIMIT && (
        <p className="banner banner-warn">Showing the latest {LIST_LIMIT} entries: narrow the filters, or export CSV for all that match.</p>
      )}
      {entries && entries.length > 0 && <AuditTable entries={entries} fmt={fmt} timeZone={timeZone} />}
    </section>
  );
}

function AuditTable({ entries, fmt, timeZone }: { entries: AuditEntry[]; fmt: AuditFormat; timeZone: string | undefined }) {
  return (
    <table className="list" aria-label="Audit entries">
      <thead>
        <tr>
          <th>#</th>
          <th>Time</th>
          <th>User</th>
          <th>Workstation</th>
          <th>Action</th>
          <th>What happened</th>
          <th>Patient</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((e) => (
          <AuditRow key={e.seq} entry={e} fmt={fmt} timeZone={timeZone} />
        ))}
      </tbody>
    </table>
  );
}

function AuditRow({ entry: e, fmt, timeZone }: { entry: AuditEntry; fmt: AuditFormat; timeZone: string | undefined }) {
  const label = Object.hasOwn(AUDIT_ACTION_LABELS, e.action) ? AUDIT_ACTION_LABELS[e.action] : e.action.replace(/_/g, ' ');
  return (
    <tr data-action={e.action} data-seq={e.seq}>
      <td>{e.seq}</td>
      <td>{formatDateTime(e.atMs, timeZone)}</td>
      <td>
        {e.username}
        {e.role && <span className="muted"> ({Object.hasOwn(ROLE_LABELS, e.role) ? ROLE_LABELS[e.role] : e.role})</span>}
      </td>
      <td>{e.workstation ?? ''}</td>
      <td>{label}</td>
      <td>
        <AuditWords entry={e} fmt={fmt} />
      </td>
      <td>{e.patientMrn ?? (e.patientId === null ? '' : `#${e.patientId}`)}</td>
    </tr>
  );
}
