import { useEffect, useState, type FormEvent } from 'react';
import type { BackupInfo, BackupOverview, BackupRestoreResult } from '../../../../shared/contract/backups';
import { call } from '../../api/client';
import { BackupList } from './BackupList';
import { size, when } from './format';
import './backups.css';
import { ErrorBanner } from '../../components/ErrorBanner';

/** What the person chose to restore: the latest good backup (`name: null`) or one from the list. */
interface Choice {
  name: string | null;
  backup: BackupInfo | null;
}

/**
 * On the recovery screen (the database failed its integrity check): restore the latest good backup
 * (each is verified, newest first), or a chosen one. A deliberate act: the screen says which file
 * is replaced (its size and last change) by which backup (its time), and asks for a confirmation
 * typed by the person at the keyboard — the one-time restore code the browser shell printed in its
 * own window, or RESTORE in the desktop app. The damaged file is kept aside, never deleted.
 */
export function RecoveryPanel({ confirm }: { confirm: 'code' | 'word' }) {
  const [overview, setOverview] = useState<BackupOverview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [choice, setChoice] = useState<Choice | null>(null);
  const [typed, setTyped] = useState('');
  const [restored, setRestored] = useState<BackupRestoreResult | null>(null);

  useEffect(() => {
    void call('backups.list', {}).then((r) => (r.ok ? setOverview(r.value) : setError(r.error.message)));
  }, []);

  function choose(c: Choice) {
    setChoice(c);
    setTyped('');
    setError(null);
  }

  async function restore(e: FormEvent) {
    e.preventDefault();
    if (choice === null) return;
    setBusy(true);
    setError(null);
    const r = await call('backups.restore', { name: choice.name, confirmation: typed });
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

  const newest = overview?.backups[0] ?? null;
  const current = overview?.current ?? null;
  return (
    <section className="card recovery" aria-labelledby="recovery-title">
      <h2 id="recovery-title">Recover the clinic record</h2>
      <ErrorBanner message={error} />
      {overview === null ? (
        !error && <p aria-busy="true">Looking for backups…</p>
      ) : (
        <>
          <p className="hint">Backups in {overview.folder}. Each is checked before it is used; the damaged database is kept aside.</p>
          {choice === null ? (
            <div className="actions">
              <button type="button" onClick={() => choose({ name: null, backup: newest })} disabled={busy || newest === null}>
                Restore the latest good backup
              </button>
            </div>
          ) : (
            <form className="banner banner-warn confirm" role="group" aria-label="Confirm restore" onSubmit={(e) => void restore(e)}>
              <p>
                This replaces the current database{' '}
                {current ? (
                  <>
                    <span className="mono">{current.path}</span> ({size(current)}, last changed {when(current.modifiedAtMs)})
                  </>
                ) : (
                  '(its file is missing)'
                )}{' '}
                with{' '}
                {choice.name === null
                  ? newest
                    ? `the latest backup that passes its check: the one made ${when(newest.createdAtMs)}, or an older one if that one fails`
                    : 'the latest backup that passes its check'
                  : `the backup made ${choice.backup ? when(choice.backup.createdAtMs) : choice.name}`}
                . Everything recorded after that backup will no longer be in the console. The current file is kept aside, not deleted.
              </p>
              <label>
                {confirm === 'code' ? 'Restore code (printed in the window where the Reservoir browser shell runs)' : 'Type RESTORE to confirm'}
                <input value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" spellCheck={false} autoFocus />
              </label>
              <div className="actions">
                <button type="submit" disabled={busy || typed.trim() === ''}>
                  {busy ? 'Verifying and restoring…' : 'Replace the database'}
                </button>
                <button type="button" className="secondary" onClick={() => setChoice(null)} disabled={busy}>
                  Cancel
                </button>
              </div>
            </form>
          )}
          <BackupList backups={overview.backups} onRestore={(b: BackupInfo) => choose({ name: b.name, backup: b })} disabled={busy} />
        </>
      )}
    </section>
  );
}
