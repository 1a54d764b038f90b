import { useEffect, useState } from 'react';
import { call } from '../../api/client';

/** The clinic's time zone (signature times are shown in it); undefined until known or if unreadable. */
export function useClinicTimeZone(): string | undefined {
  const [zone, setZone] = useState<string | undefined>(undefined);
  useEffect(() => {
    let live = true;
    void call('settings.get', {}).then((r) => live && r.ok && setZone(r.value.timeZone));
    return () => {
      live = false;
    };
  }, []);
  return zone;
}
