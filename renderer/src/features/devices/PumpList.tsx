import { useEffect, useState } from 'react';
import { pumpSearchInput, type PumpSearchResult } from '../../../../shared/contract/devices';
import { PUMP_STATUSES, type DeviceModel } from '../../../../shared/contract/record';
import { call } from '../../api/client';
import { firstErrors } from '../../components/form-errors';
import { PumpTable } from './PumpTable';
import { PUMP_STATUS_LABELS, deviceLabel } from './labels';
import { ErrorBanner } from '../../components/ErrorBanner';

/** Every pump of every patient, with filters by model, status and implant date, and counts. */
export function PumpList({ devices }: { devices: DeviceModel[] }) {
  const [model, setModel] = useState('');
  const [status, setStatus] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [data, setData] = useState<PumpSearchResult | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const parsed = pumpSearchInput.safeParse({
      ...(model ? { deviceModelId: Number(model) } : {}),
      ...(status ? { status } : {}),
      ...(from ? { implantedFrom: from } : {}),
      ...(to ? { implantedTo: to } : {}),
    });
    if (!parsed.success) {
      setErrors(firstErrors(parsed.error.issues));
      return;
    }
    setErrors({});
    let live = true;
    void call('pumps.search', parsed.data).then((r) => {
      if (!live) return;
      if (r.ok) {
        setData(r.value);
        setError(null);
      } else setError(r.error.message);
    });
    return () => {
      live = false;
    };
  }, [model, status, from, to]);

  const fieldError = (name: string) =>
    errors[name] ? (
      <span className="field-error" id={`pumps-${name}-error`}>
        {errors[name]}
      </span>
    ) : null;

  return (
    <section aria-labelledby="pumps-title" className="card">
      <h3 id="pumps-title">All pumps</h3>
      <div className="devices-filters" role="group" aria-label="Filter pumps">
        <label>
          Model
          <select value={model} onChange={(e) => setModel(e.target.value)}>
            <option value="">All models</option>
            {devices.map((d) => (
              <option key={d.id} value={d.id}>
                {deviceLabel(d)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Status
          <select value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">All statuses</option>
            {PUMP_STATUSES.map((s) => (
              <option key={s} value={s}>
                {PUMP_STATUS_LABELS[s]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Implanted from
          <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} aria-invalid={!!errors.implantedFrom} />
          {fieldError('implantedFrom')}
        </label>
        <label>
          Implanted to
          <input type="date" value={to} onChange={(e) => setTo(e.target.value)} aria-invalid={!!errors.implantedTo} />
          {fieldError('implantedTo')}
        </label>
      </div>
      <ErrorBanner message={error} />
      {data && (
        <ul className="counts" aria-label="Pump counts">
          <li className="count">
            <strong>{data.counts.total}</strong> pumps
          </li>
          {PUMP_STATUSES.map((s) => (
            <li key={s} className="count">
              <strong>{data.counts[s]}</strong> {PUMP_STATUS_LABELS[s].toLowerCase()}
            </li>
          ))}
        </ul>
      )}
      {data === null && !error && <p aria-busy="true">Loading pumps…</p>}
      {data?.rows.length === 0 && <p className="empty">No pump matches these filters.</p>}
      {data && data.rows.length > 0 && <PumpTable rows={data.rows} caption="Pumps" />}
    </section>
  );
}
