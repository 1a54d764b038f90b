import { useEffect, useState } from 'react';

export type Route = { name: 'worklist' } | { name: 'patients' } | { name: 'patient'; id: number } | { name: 'devices' } | { name: 'settings' };

/** Routes live in the address hash, so both shells (app:// and http://) need no server routing. */
export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#\/?/, '');
  const patient = /^patients\/(\d+)$/.exec(path);
  if (patient) return { name: 'patient', id: Number(patient[1]) };
  if (path === 'patients') return { name: 'patients' };
  if (path === 'devices') return { name: 'devices' };
  if (path === 'settings') return { name: 'settings' };
  return { name: 'worklist' };
}

export function href(route: Route): string {
  switch (route.name) {
    case 'worklist':
      return '#/worklist';
    case 'patients':
      return '#/patients';
    case 'patient':
      return `#/patients/${route.id}`;
    case 'devices':
      return '#/devices';
    case 'settings':
      return '#/settings';
  }
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
