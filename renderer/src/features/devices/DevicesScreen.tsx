import { useEffect, useState } from 'react';
import type { DeviceModel } from '../../../../shared/contract/record';
import { call } from '../../api/client';
import { PumpList } from './PumpList';
import { RecallLookup } from './RecallLookup';
import './devices.css';
import { ErrorBanner } from '../../components/ErrorBanner';

/** Every pump, filtered; and the recall look-up. */
export function DevicesScreen() {
  const [devices, setDevices] = useState<DeviceModel[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void call('devices.list', {}).then((r) => (r.ok ? setDevices(r.value) : setError(r.error.message)));
  }, []);

  return (
    <section aria-labelledby="devices-title">
      <div className="toolbar">
        <h2 id="devices-title">Devices</h2>
      </div>
      <ErrorBanner message={error} />
      {devices === null && !error && <p aria-busy="true">Loading devices…</p>}
      {devices && (
        <>
          <PumpList devices={devices} />
          <RecallLookup devices={devices} />
        </>
      )}
    </section>
  );
}
