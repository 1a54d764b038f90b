import { useEffect, useState } from 'react';
import type { WorkstationInfo } from '../../../../shared/contract/workstation';
import { call } from '../../api/client';
import { WorkstationForm } from './WorkstationForm';

/**
 * Settings → This workstation: how this desktop app runs, changeable by an administrator of this
 * workstation (issue 14, item 2). Only the desktop app has it: the renderer asks `workstation.get`
 * only where the preload is (`window.reservoir`), and shows nothing unless main answers — the
 * browser shell and the clinic server refuse `workstation.*`.
 */
export function ThisWorkstationSection() {
  const [info, setInfo] = useState<WorkstationInfo | null>(null);
  useEffect(() => {
    if (!isDesktopApp()) return;
    let live = true;
    void call('workstation.get', {}).then((r) => {
      if (live && r.ok) setInfo(r.value);
    });
    return () => {
      live = false;
    };
  }, []);
  return info === null ? null : <ThisWorkstationView info={info} />;
}

/** The desktop app (its preload's `window.reservoir`), not a browser page of a shell or server. */
export function isDesktopApp(): boolean {
  return typeof window !== 'undefined' && window.reservoir !== undefined;
}

export function ThisWorkstationView({ info }: { info: WorkstationInfo }) {
  const current = info.current;
  return (
    <section className="card" aria-labelledby="this-workstation-title">
      <h3 id="this-workstation-title">This workstation</h3>
      <dl className="facts">
        <dt>Runs</dt>
        <dd data-testid="workstation-mode">{current === null ? 'Not chosen yet' : current.mode === 'local' ? 'On this computer only (its own encrypted database)' : 'Connected to the clinic server'}</dd>
        {current?.mode === 'server' && (
          <>
            <dt>Server address</dt>
            <dd className="mono">{current.url}</dd>
            <dt>Certificate fingerprint (SHA-256, pinned)</dt>
            <dd className="mono" data-testid="pinned-fingerprint">
              {current.fingerprint}
            </dd>
          </>
        )}
      </dl>
      {info.mayChange ? (
        <WorkstationForm current={current} />
      ) : (
        <p className="muted" data-testid="workstation-read-only">
          Only a Reservoir administrator signed in on this workstation may change how it connects: this computer only, or the clinic server. Ask one to sign in here.
        </p>
      )}
    </section>
  );
}
