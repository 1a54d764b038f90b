import { useEffect, useState } from 'react';
import type { SystemStatus } from '../../shared/contract/system';
import { call } from './api/client';
import { PatientsScreen } from './features/patients/PatientsScreen';
import { WorklistScreen } from './features/worklist/WorklistScreen';
import { PatientRecordScreen } from './features/record/PatientRecordScreen';
import { DevicesScreen } from './features/devices/DevicesScreen';
import { SettingsScreen } from './features/settings/SettingsScreen';
import { href, useRoute, type Route } from './router';
import { useShortcuts } from './shortcuts';

function Screen({ route }: { route: Route }) {
  switch (route.name) {
    case 'worklist':
      return <WorklistScreen />;
    case 'patients':
      return <PatientsScreen />;
    case 'patient':
      return <PatientRecordScreen key={route.id} id={route.id} />;
    case 'devices':
      return <DevicesScreen />;
    case 'settings':
      return <SettingsScreen />;
  }
}

export function App() {
  const [status, setStatus] = useState<SystemStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const route = useRoute();
  useShortcuts();

  useEffect(() => {
    void call('system.status', {}).then((r) => (r.ok ? setStatus(r.value) : setError(r.error.message)));
  }, []);

  return (
    <div className="app">
      <header className="app-header">
        <h1 className="brand">Reservoir</h1>
        <nav aria-label="Main">
          <a href={href({ name: 'worklist' })} aria-current={route.name === 'worklist' ? 'page' : undefined}>
            Worklist
          </a>
          <a href={href({ name: 'patients' })} aria-current={route.name === 'patients' || route.name === 'patient' ? 'page' : undefined}>
            Patients
          </a>
          <a href={href({ name: 'devices' })} aria-current={route.name === 'devices' ? 'page' : undefined}>
            Devices
          </a>
          <a href={href({ name: 'settings' })} aria-current={route.name === 'settings' ? 'page' : undefined}>
            Settings
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
        {status?.state === 'ok' && <Screen route={route} />}
      </main>
    </div>
  );
}
