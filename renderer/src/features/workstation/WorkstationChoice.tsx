import { useState, type FormEvent } from 'react';
import type { WorkstationInfo, WorkstationProbe } from '../../../../shared/contract/workstation';
import { call } from '../../api/client';
import { ErrorBanner } from '../../components/ErrorBanner';

/**
 * The desktop app's first run (or after a damaged settings file): this computer only, or the
 * clinic server — its address, then the fingerprint its certificate presents, shown for the person
 * to compare with the one the clinic's IT gave them before confirming. Saving restarts the app.
 */
export function WorkstationChoice({ info }: { info: WorkstationInfo }) {
  const [url, setUrl] = useState('');
  const [probe, setProbe] = useState<WorkstationProbe | null>(null);
  const [error, setError] = useState<string | null>(info.problem);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);

  async function choose(input: { mode: 'local' } | { mode: 'server'; url: string; fingerprint: string }) {
    setBusy(true);
    const r = await call('workstation.set', input);
    setBusy(false);
    if (r.ok) setDone('Saved. Reservoir restarts now…');
    else setError(r.error.message);
  }

  async function check(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setProbe(null);
    const r = await call('workstation.probe', { url });
    setBusy(false);
    if (r.ok) {
      setProbe(r.value);
      setError(null);
    } else setError(r.error.message);
  }

  return (
    <section className="card" aria-labelledby="workstation-title">
      <h2 id="workstation-title">How does this computer use Reservoir?</h2>
      <ErrorBanner message={error} />
      {done && <p role="status">{done}</p>}
      <h3>This computer only</h3>
      <p>The clinic record is kept on this computer, encrypted (one workstation on its own).</p>
      <button type="button" disabled={busy || done !== null} onClick={() => void choose({ mode: 'local' })}>
        This computer only
      </button>
      <h3>Connect to the clinic server</h3>
      <p>Every workstation shares one record on the clinic server; nothing of it is kept on this computer.</p>
      <form onSubmit={(e) => void check(e)} noValidate aria-label="Clinic server">
        <label>
          Server address
          <input value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://reservoir.clinic.local:8443" />
        </label>
        <button type="submit" disabled={busy || url.trim() === '' || done !== null}>
          Connect to the clinic server
        </button>
      </form>
      {probe && (
        <div role="group" aria-label="Server fingerprint">
          <p>
            The server at <strong>{probe.origin}</strong> (Reservoir {probe.serverVersion}) presents this certificate fingerprint. Compare it, pair by pair, with the one the clinic&rsquo;s IT gave you:
          </p>
          <p>
            <code data-testid="server-fingerprint">{probe.fingerprint}</code>
          </p>
          <button type="button" disabled={busy || done !== null} onClick={() => void choose({ mode: 'server', url: probe.origin, fingerprint: probe.fingerprint })}>
            The fingerprints match: connect
          </button>
          <p className="muted">If they differ, do not connect: tell the clinic&rsquo;s IT.</p>
        </div>
      )}
    </section>
  );
}
