import { useState, type FormEvent } from 'react';
import { normaliseFingerprint, type WorkstationMode, type WorkstationProbe } from '../../../../shared/contract/workstation';
import { call } from '../../api/client';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorBanner } from '../../components/ErrorBanner';

/**
 * How this desktop workstation runs: the one form of the first run (WorkstationChoice) and of
 * Settings → This workstation (ThisWorkstationSection). "This computer only", or the clinic server:
 * its address, then the fingerprint its certificate presents, then the fingerprint the clinic's IT
 * gave, typed or pasted by the person; then a confirmation that says the app restarts (and, when
 * leaving this computer's database, that it stays on this disk untouched). The main process checks
 * everything again (electron/main/workstation.ts): who may change it, and the fingerprint against
 * what the server presents, before anything is saved.
 */

/** What the person is asked before the switch (the app restarts into the new choice). */
export function switchQuestion(current: WorkstationMode | null, next: WorkstationMode): string {
  const target = next.mode === 'local' ? 'on this computer only (its own encrypted database)' : `connected to the clinic server at ${next.url}`;
  const parts = [`Reservoir restarts now and runs ${target}. Anything not yet saved in other screens is lost.`];
  if (current?.mode === 'local' && next.mode === 'server') {
    parts.push('The database on this computer stays on this disk, untouched: it is not copied to the server and not deleted; this workstation just stops using it (choosing "this computer only" again brings it back).');
  }
  if (current?.mode === 'server' && next.mode === 'local') {
    parts.push("Nothing of the clinic server's record is copied to this computer: it opens its own database (a new, empty one if it never had one).");
  }
  if (current?.mode === 'server' && next.mode === 'server' && current.url === next.url) {
    parts.push('From now on this workstation trusts only the new fingerprint.');
  }
  return parts.join(' ');
}

export function WorkstationForm({ current, onDone }: { current: WorkstationMode | null; onDone?: (message: string) => void }) {
  const [url, setUrl] = useState(current?.mode === 'server' ? current.url : '');
  const [probe, setProbe] = useState<WorkstationProbe | null>(null);
  const [given, setGiven] = useState('');
  const [pending, setPending] = useState<WorkstationMode | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const locked = busy || done !== null;

  async function save(input: WorkstationMode) {
    setBusy(true);
    const r = await call('workstation.set', input);
    setBusy(false);
    setPending(null);
    if (r.ok) {
      const message = 'Saved. Reservoir restarts now…';
      setDone(message);
      setError(null);
      onDone?.(message);
    } else setError(r.error.message);
  }

  async function check(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setProbe(null);
    setPending(null);
    const r = await call('workstation.probe', { url });
    setBusy(false);
    if (r.ok) {
      setProbe(r.value);
      setError(null);
    } else setError(r.error.message);
  }

  function confirmServer(e: FormEvent) {
    e.preventDefault();
    if (probe === null) return;
    const typed = normaliseFingerprint(given);
    if (typed !== probe.fingerprint) {
      setError(`The fingerprint you entered is not the one the server at ${probe.origin} presents. Compare them again pair by pair; if they differ, do not connect and tell the clinic's IT. Nothing was changed.`);
      return;
    }
    setError(null);
    setPending({ mode: 'server', url: probe.origin, fingerprint: typed });
  }

  return (
    <div className="workstation-form">
      <ErrorBanner message={error} />
      {done && <p role="status">{done}</p>}
      {current?.mode !== 'local' && (
        <>
          <h4>This computer only</h4>
          <p>The clinic record is kept on this computer, encrypted (one workstation on its own).</p>
          <button type="button" disabled={locked || pending !== null} onClick={() => setPending({ mode: 'local' })}>
            Use this computer only
          </button>
        </>
      )}
      <h4>{current?.mode === 'server' ? 'Connect to a clinic server again (a new address or a renewed certificate)' : 'Connect to the clinic server'}</h4>
      <p>Every workstation shares one record on the clinic server; nothing of it is kept on this computer.</p>
      <form onSubmit={(e) => void check(e)} noValidate aria-label="Clinic server">
        <label>
          Server address
          <input value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://reservoir.clinic.local:8443" disabled={locked} />
        </label>
        <button type="submit" disabled={locked || url.trim() === ''}>
          Check the server
        </button>
      </form>
      {probe && (
        <form role="group" aria-label="Server fingerprint" onSubmit={confirmServer} noValidate>
          <p>
            The server at <strong>{probe.origin}</strong> (Reservoir {probe.serverVersion}) presents this certificate fingerprint:
          </p>
          <p>
            <code data-testid="server-fingerprint">{probe.fingerprint}</code>
          </p>
          <label>
            Fingerprint from the clinic&rsquo;s IT (type or paste it)
            <input value={given} onChange={(e) => setGiven(e.target.value)} placeholder="AA:BB:…" autoComplete="off" spellCheck={false} disabled={locked} />
          </label>
          <button type="submit" disabled={locked || given.trim() === '' || pending !== null}>
            Connect to the clinic server
          </button>
          <p className="muted">If the two fingerprints differ, do not connect: tell the clinic&rsquo;s IT.</p>
        </form>
      )}
      {pending && (
        <ConfirmDialog
          question={switchQuestion(current, pending)}
          confirmLabel={pending.mode === 'local' ? 'Restart on this computer only' : 'Restart connected to the server'}
          cancelLabel="Go back"
          saving={busy}
          onConfirm={() => void save(pending)}
          onCancel={() => setPending(null)}
        />
      )}
    </div>
  );
}
