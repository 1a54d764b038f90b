import { useEffect, useState } from 'react';
import type { SystemStatus } from '../../shared/contract/system';
import { call, onDatabaseDamaged } from './api/client';
import { onReconnected } from './api/connection';
import { ConnectionBanner } from './components/ConnectionBanner';
import type { WorkstationInfo } from '../../shared/contract/workstation';
import { WorkstationChoice } from './features/workstation/WorkstationChoice';
import { PatientsScreen } from './features/patients/PatientsScreen';
import { WorklistScreen } from './features/worklist/WorklistScreen';
import { ClinicScreen } from './features/appointments/ClinicScreen';
import { PatientRecordScreen } from './features/record/PatientRecordScreen';
import { DevicesScreen } from './features/devices/DevicesScreen';
import { SettingsScreen } from './features/settings/SettingsScreen';
import { href, useRoute, type Route } from './router';
import { useShortcuts } from './shortcuts';
import { CurrentUser, SessionGate } from './features/accounts/SessionGate';
import { useCan } from './features/accounts/session';
import { UsersScreen } from './features/accounts/UsersScreen';
import { AccountScreen } from './features/accounts/AccountScreen';
import { AuditScreen } from './features/audit/AuditScreen';
import { RecoveryPanel } from './features/backups/RecoveryPanel';
import { ReportsScreen } from './features/reports/ReportsScreen';
import { PrintScreen } from './features/reports/print/PrintScreen';

function Screen({ route }: { route: Route }) {
  switch (route.name) {
    case 'worklist':
      return <WorklistScreen />;
    case 'patients':
      return <PatientsScreen />;
    case 'clinic':
      return <ClinicScreen />;
    case 'patient':
      return <PatientRecordScreen key={route.id} id={route.id} />;
    case 'devices':
      return <DevicesScreen />;
    case 'settings':
      return <SettingsScreen />;
    case 'users':
      return <UsersScreen />;
    case 'audit':
      return <AuditScreen />;
    case 'account':
      return <AccountScreen />;
    case 'reports':
      return <ReportsScreen key={route.patientId ?? 'all'} patientId={route.patientId} />;
    case 'print':
      return <PrintScreen />;
  }
}

/** The screens this user's role can use (hidden links are not security: main refuses the requests). */
function MainNav({ route }: { route: Route }) {
  const canSettings = useCan('settings.update');
  const canUsers = useCan('users.list');
  const canAudit = useCan('audit.list');
  const canReports = useCan('reports.preview');
  const link = (to: Route, label: string, current: boolean) => (
    <a href={href(to)} aria-current={current ? 'page' : undefined}>
      {label}
    </a>
  );
  return (
    <nav aria-label="Main">
      {link({ name: 'worklist' }, 'Worklist', route.name === 'worklist')}
      {link({ name: 'clinic' }, "Today's clinic", route.name === 'clinic')}
      {link({ name: 'patients' }, 'Patients', route.name === 'patients' || route.name === 'patient')}
      {link({ name: 'devices' }, 'Devices', route.name === 'devices')}
      {canSettings && link({ name: 'settings' }, 'Settings', route.name === 'settings')}
      {canUsers && link({ name: 'users' }, 'Users', route.name === 'users')}
      {canAudit && link({ name: 'audit' }, 'Audit trail', route.name === 'audit')}
      {canReports && link({ name: 'reports' }, 'Reports', route.name === 'reports')}
    </nav>
  );
}

export function App() {
  const [status, setStatus] = useState<SystemStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  // The desktop app asks first how this workstation runs (first run, or a damaged settings file).
  const [choice, setChoice] = useState<WorkstationInfo | null>(null);
  const route = useRoute();
  useShortcuts();

  useEffect(() => {
    const load = () =>
      void call('system.status', {}).then((r) => {
        if (r.ok) {
          setStatus(r.value);
          setError(null);
        } else if (r.error.code !== 'unreachable') setError(r.error.message); // unreachable: the banner says so, and it is asked again
      });
    if (typeof window !== 'undefined' && window.reservoir) {
      void call('workstation.get', {}).then((r) => {
        if (r.ok && r.value.current === null) setChoice(r.value);
        else load();
      });
    } else load();
    // The full integrity check runs after opening: when it fails, requests are refused as damaged
    // and the console asks for the status again, which brings up the recovery screen.
    const offDamaged = onDatabaseDamaged(load);
    // The server answers again (perhaps restarted, perhaps another version): ask again.
    const offBack = onReconnected(load);
    return () => {
      offDamaged();
      offBack();
    };
  }, []);

  if (choice !== null) {
    return (
      <div className="app">
        <header className="app-header">
          <h1 className="brand">Reservoir</h1>
        </header>
        <main className="app-main">
          <WorkstationChoice info={choice} />
        </main>
      </div>
    );
  }

  // The PDF print view stands alone: no session, no status; the shell printing it injects its data.
  if (route.name === 'print') return <PrintScreen />;

  const shell = (
    <div className="app">
      <header className="app-header">
        <h1 className="brand">Reservoir</h1>
        {status?.state === 'ok' && <MainNav route={route} />}
        <CurrentUser />
      </header>
      <main className="app-main">
        <ConnectionBanner />
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
        {status?.state === 'recovery' && <RecoveryPanel confirm={status.restoreConfirmation ?? 'code'} />}
        {status === null && !error && <p aria-busy="true">Opening the clinic record…</p>}
        {status?.state === 'ok' && <Screen route={route} />}
      </main>
    </div>
  );
  // Signed in first: the first-run, sign-in and lock screens come before the console.
  return status?.state === 'ok' ? (
    <SessionGate banner={<ConnectionBanner />}>{shell}</SessionGate>
  ) : (
    shell
  );
}
