import { useEffect, useState } from 'react';

export type Route =
  | { name: 'worklist' }
  /** Today's clinic (issue 16): appointments, call list, pharmacy. */
  | { name: 'clinic' }
  | { name: 'patients' }
  | { name: 'patient'; id: number }
  | { name: 'devices' }
  | { name: 'settings' }
  | { name: 'users' }
  | { name: 'audit' }
  | { name: 'account' }
  /** `patientId`: opened from a patient's record, on that patient's summary. */
  | { name: 'reports'; patientId?: number }
  /** The PDF print view (features/reports/print): the shell injects the report's data. */
  | { name: 'print' };

/** Routes live in the address hash, so both shells (app:// and http://) need no server routing. */
export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#\/?/, '');
  const patient = /^patients\/(\d+)$/.exec(path);
  if (patient) return { name: 'patient', id: Number(patient[1]) };
  if (path === 'patients') return { name: 'patients' };
  if (path === 'clinic') return { name: 'clinic' };
  if (path === 'devices') return { name: 'devices' };
  if (path === 'settings') return { name: 'settings' };
  if (path === 'users') return { name: 'users' };
  if (path === 'audit') return { name: 'audit' };
  if (path === 'account') return { name: 'account' };
  if (path === 'reports') return { name: 'reports' };
  const summary = /^reports\/patient-summary\/(\d+)$/.exec(path);
  if (summary) return { name: 'reports', patientId: Number(summary[1]) };
  if (path === 'print') return { name: 'print' };
  return { name: 'worklist' };
}

export function href(route: Route): string {
  switch (route.name) {
    case 'worklist':
      return '#/worklist';
    case 'patients':
      return '#/patients';
    case 'clinic':
      return '#/clinic';
    case 'patient':
      return `#/patients/${route.id}`;
    case 'devices':
      return '#/devices';
    case 'settings':
      return '#/settings';
    case 'users':
      return '#/users';
    case 'audit':
      return '#/audit';
    case 'account':
      return '#/account';
    case 'reports':
      return route.patientId === undefined ? '#/reports' : `#/reports/patient-summary/${route.patientId}`;
    case 'print':
      return '#/print';
  }
}

/** Called with the new route as the address changes, before any screen renders (to start a screen's request early). */
const routeListeners = new Set<(route: Route) => void>();
export function onRouteChange(listener: (route: Route) => void): () => void {
  routeListeners.add(listener);
  return () => void routeListeners.delete(listener);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => {
      const next = parseRoute(window.location.hash);
      for (const listener of routeListeners) listener(next);
      setRoute(next);
    };
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
