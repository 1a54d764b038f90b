import { useEffect, useState } from 'react';
import type { BackupInfo, BackupOverview, BackupRestoreResult } from '../../../../shared/contract/backups';
import { call } from '../../api/client';
import { BackupList } from './BackupList';
import './backups.css';
import { ErrorBanner } from '../../components/ErrorBanner';

/**
 * On the recovery screen (the database failed its integrity check): restore the latest good backup
 * (each is verified, newest first), or a chosen one. The damaged file is kept aside, never deleted.
 */
export function RecoveryPanel() {
  const [overview, setOverview] = useState<BackupOverview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [restored, setRestored] = useState<BackupRestoreResult | null>(null);

  useEffect(() => {
    void call('backups.list', {}).then((r) => (r.ok ? setOverview(r.value) : setError(r.error.message)));
  }, []);

  async function restore(name: string | null) {
    setBusy(true);
    setError(null);
    const r = await call('backups.restore', { name });
    setBusy(false);
    if (r.ok) setRestored(r.value);
    else setError(r.error.message);
  }

  if (restored) {
    return (
      <div role="status" className="banner banner-ok recovery">
        <p>
          Restored from <span className="mono">{restored.restoredFrom}</span>. The damaged database is kept at{' '}
          <span className="mono">{restored.setAside}</span>.
        </p>
        {restored.skipped.length > 0 && (
          <ul>
            {restored.skipped.map((s) => (
              <li key={s.name}>
                Skipped <span className="mono">{s.name}</span>: {s.reason}
              </li>
            ))}
          </ul>
        )}
        <button type="button" onClick={() => window.location.reload()}>
          Open the console
        </button>
      </div>
    );
  }

  return (
    <section className="card recovery" aria-labelledby="recovery-title">
      <h2 id="recovery-title">Recover the clinic record</h2>
      <ErrorBanner message={error} />
      {overview === null ? (
        !error && <p aria-busy="true">Looking for backups…</p>
      ) : (
        <>
          <p className="hint">Backups in {overview.folder}. Each is checked before it is used; the damaged database is kept aside.</p>
          <div className="actions">
            <button type="button" onClick={() => void restore(null)} disabled={busy || overview.backups.length === 0}>
              {busy ? 'Verifying and restoring…' : 'Restore the latest good backup'}
            </button>
          </div>
          <BackupList backups={overview.backups} onRestore={(b: BackupInfo) => void restore(b.name)} disabled={busy} />
        </>
      )}
    </section>
  );
}
