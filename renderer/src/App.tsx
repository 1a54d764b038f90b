import { useEffect, useState } from 'react';
import type { SystemStatus } from '../../shared/contract/system';
import { call } from './api/client';
import { PatientsScreen } from './features/patients/PatientsScreen';

export function App() {
  const [status, setStatus] = useState<SystemStatus | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void call('system.status', {}).then((r) => (r.ok ? setStatus(r.value) : setError(r.error.message)));
  }, []);

  return (
    <div className="app">
      <header className="app-header">
        <h1 className="brand">Reservoir</h1>
        <nav aria-label="Main">
          <a href="#patients" aria-current="page">
            Patients
          </a>
        </nav>
      </header>
      <main className="app-main">
        {error && (
          <div role="alert" className="banner banner-error">
            {error}
          </div>
        )}
        {status?.state === 'recovery' && (
          <div role="alert" className="banner banner-error">
            <strong>The database is damaged and open for recovery only.</strong> {status.message} Nothing can be
            recorded until a good backup is restored.
          </div>
        )}
        {status === null && !error && <p aria-busy="true">Opening the clinic record…</p>}
        {status?.state === 'ok' && <PatientsScreen />}
      </main>
    </div>
  );
}
