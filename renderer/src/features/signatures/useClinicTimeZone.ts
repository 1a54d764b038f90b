import { useEffect, useState } from 'react';
import { clinicSettings } from '../../api/clinic-settings';

/** The clinic's time zone (signature times are shown in it); undefined until known or if unreadable. */
export function useClinicTimeZone(): string | undefined {
  const [zone, setZone] = useState<string | undefined>(undefined);
  useEffect(() => {
    let live = true;
    void clinicSettings().then((r) => live && r.ok && setZone(r.value.timeZone));
    return () => {
      live = false;
    };
  }, []);
  return zone;
}
