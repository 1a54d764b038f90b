import { useEffect, useState, type FormEvent } from 'react';
import { backupConfigureInput, type BackupInfo, type BackupOverview, type BackupRestoreResult } from '../../../../shared/contract/backups';
import { call } from '../../api/client';
import { BackupList } from './BackupList';
import { when } from './format';
import './backups.css';
import { ErrorBanner } from '../../components/ErrorBanner';

/**
 * Settings > Backups (administrators): where backups go, when the last one was made, a manual
 * backup, and restore with a confirmation. A restore reopens the database: everyone signs in again.
 */
export function BackupsSection() {
  const [overview, setOverview] = useState<BackupOverview | null>(null);
  const [folder, setFolder] = useState('');
  const [folderError, setFolderError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState<BackupInfo | null>(null);
  const [restored, setRestored] = useState<BackupRestoreResult | null>(null);

  function show(o: BackupOverview) {
    setOverview(o);
    setFolder(o.configured ? o.folder : '');
  }

  useEffect(() => {
    void call('backups.list', {}).then((r) => (r.ok ? show(r.value) : setError(r.error.message)));
  }, []);

  async function backupNow() {
    setBusy(true);
    setNotice(null);
    setError(null);
    const made = await call('backups.create', {});
    const list = await call('backups.list', {});
    setBusy(false);
    if (list.ok) show(list.value);
    if (made.ok) setNotice(`Backup made: ${made.value.name}`);
    else setError(made.error.message);
  }

  async function saveFolder(e: FormEvent) {
    e.preventDefault();
    setNotice(null);
    const input = { folder: folder.trim() === '' ? null : folder, basedOn: overview?.version };
    const parsed = backupConfigureInput.safeParse(input);
    if (!parsed.success) {
      setFolderError(parsed.error.issues[0]?.message ?? 'is not valid');
      return;
    }
    const r = await call('backups.configure', parsed.data);
    if (r.ok) {
      show(r.value);
      setFolderError(null);
      setNotice(r.value.configured ? `Backups now go to ${r.value.folder}.` : 'Backups go to the default folder again.');
    } else if (r.error.field === 'folder') setFolderError(r.error.message);
    else if (r.error.conflict) {
      // Someone else changed the folder first: the overview as it is now; the typed folder stays.
      const now = r.error.conflict.current as { folder?: string } | null;
      setError(`${r.error.message} Now: ${now?.folder ?? 'unknown'}.`);
      const list = await call('backups.list', {});
      if (list.ok) setOverview(list.value);
    } else setError(r.error.message);
  }

  async function restore(b: BackupInfo) {
    setBusy(true);
    setError(null);
    const r = await call('backups.restore', { name: b.name });
    setBusy(false);
    setConfirming(null);
    if (r.ok) setRestored(r.value);
    else setError(r.error.message);
  }

  if (restored) {
    return (
      <section className="card" aria-labelledby="backups-title">
        <h3 id="backups-title">Backups</h3>
        <div role="status" className="banner banner-ok">
          <p>
            Restored from <span className="mono">{restored.restoredFrom}</span>. The database it replaced is kept at{' '}
            <span className="mono">{restored.setAside}</span>.
          </p>
          <p>The clinic record was reopened: everyone signs in again.</p>
          <button type="button" onClick={() => window.location.reload()}>
            Continue
          </button>
        </div>
      </section>
    );
  }

  return (
    <section className="card" aria-labelledby="backups-title">
      <h3 id="backups-title">Backups</h3>
      <ErrorBanner message={error} />
      {notice && (
        <p role="status" className="banner banner-ok">
          {notice}
        </p>
      )}
      {overview === null ? (
        !error && <p aria-busy="true">Loading backups…</p>
      ) : (
        <>
          <p className="hint">
            Reservoir backs up the database every day while it runs, and before every upgrade. It keeps the daily backups of the
            last 7 days, 4 weeks and 12 months; manual and pre-upgrade backups are never deleted. Keep this folder on an encrypted
            disk (see docs/security.md).
          </p>
          <p>
            Last backup: <strong>{overview.lastBackupAtMs === null ? 'never' : when(overview.lastBackupAtMs)}</strong>
          </p>
          {overview.lastError && (
            <p role="alert" className="banner banner-warn">
              The last backup failed: {overview.lastError}
            </p>
          )}
          <form className="form backup-folder" onSubmit={(e) => void saveFolder(e)} noValidate>
            <label htmlFor="backup-folder">Backup folder (empty: {overview.defaultFolder})</label>
            <input
              id="backup-folder"
              type="text"
              value={folder}
              placeholder={overview.defaultFolder}
              aria-invalid={folderError ? true : undefined}
              aria-describedby={folderError ? 'backup-folder-error' : undefined}
              onChange={(e) => setFolder(e.target.value)}
            />
            {folderError && (
              <span id="backup-folder-error" className="field-error">
                {folderError}
              </span>
            )}
            <div className="actions">
              <button type="submit" className="secondary">
                Save folder
              </button>
              <button type="button" onClick={() => void backupNow()} disabled={busy}>
                {busy ? 'Working…' : 'Back up now'}
              </button>
            </div>
          </form>
          {confirming && (
            <div className="banner banner-warn confirm" role="group" aria-label="Confirm restore">
              <p>
                Restore the backup made {when(confirming.createdAtMs)}? Everything recorded since then will no longer be in the console.
                The current database is kept aside (not deleted), and everyone signs in again.
              </p>
              <div className="actions">
                <button type="button" onClick={() => void restore(confirming)} disabled={busy}>
                  {busy ? 'Restoring…' : 'Verify and restore'}
                </button>
                <button type="button" className="secondary" onClick={() => setConfirming(null)}>
                  Cancel
                </button>
              </div>
            </div>
          )}
          <BackupList backups={overview.backups} onRestore={setConfirming} disabled={busy} />
          <p className="hint">Folder: {overview.folder}</p>
        </>
      )}
    </section>
  );
}
