import { useEffect, useState } from 'react';
import type { Worklist, WorklistRow } from '../../../../shared/contract/record';
import { call } from '../../api/client';
import { href } from '../../router';

const STATUS_LABEL: Record<WorklistRow['status'], string> = { overdue: 'Overdue', due: 'Due', ok: 'On schedule' };

export function WorklistScreen() {
  const [asOf, setAsOf] = useState('');
  const [data, setData] = useState<Worklist | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    void call('worklist.get', asOf ? { asOf } : {}).then((r) => {
      if (cancelled) return;
      if (r.ok) {
        setData(r.value);
        setError(null);
        if (!asOf) setAsOf(r.value.asOf);
      } else setError(r.error.message);
    });
    return () => {
      cancelled = true;
    };
  }, [asOf]);

  const counts = data?.counts;
  return (
    <section aria-labelledby="worklist-title">
      <div className="toolbar">
        <h2 id="worklist-title">Worklist</h2>
        <label className="inline">
          As of
          <input type="date" value={asOf} onChange={(e) => e.target.value && setAsOf(e.target.value)} />
        </label>
      </div>
      {error && (
        <p role="alert" className="banner banner-error">
          {error}
        </p>
      )}
      {data === null && !error && <p aria-busy="true">Loading the worklist…</p>}
      {counts && (
        <ul className="counts" aria-label="Worklist counts">
          <li className="count count-overdue">
            <strong>{counts.overdue}</strong> overdue
          </li>
          <li className="count count-due">
            <strong>{counts.due}</strong> due in {data.days} days
          </li>
          <li className="count">
            <strong>{counts.replacementDue}</strong> replacement due
          </li>
          <li className="count">
            <strong>{counts.flagged}</strong> flagged discrepancy
          </li>
          <li className="count">
            <strong>{counts.openAdverseEvents}</strong> open adverse events
          </li>
        </ul>
      )}
      {data && data.rows.length === 0 && <p className="empty">No pump in place and running. Implant a pump from a patient's record.</p>}
      {data && data.rows.length > 0 && (
        <table className="list">
          <caption className="visually-hidden">Pumps in place, by next refill date</caption>
          <thead>
            <tr>
              <th scope="col">Status</th>
              <th scope="col">Patient</th>
              <th scope="col">MRN</th>
              <th scope="col">Pump</th>
              <th scope="col">Last refill</th>
              <th scope="col">Daily volume</th>
              <th scope="col">Alarm date</th>
              <th scope="col">Next due</th>
              <th scope="col">Attention</th>
            </tr>
          </thead>
          <tbody>
            {data.rows.map((r) => (
              <tr key={r.pumpId} className={`row-${r.status}`}>
                <td>
                  <span className={`badge badge-${r.status}`}>{STATUS_LABEL[r.status]}</span>
                </td>
                <td>
                  <a href={href({ name: 'patient', id: r.patientId })}>{r.patientName}</a>
                </td>
                <td>{r.mrn}</td>
                <td>
                  {r.model} · {r.serial}
                </td>
                <td>{r.lastRefill ?? 'No fill recorded'}</td>
                <td>{r.dailyVolumeMl === null ? '—' : `${r.dailyVolumeMl.toFixed(3)} mL/day`}</td>
                <td>{r.alarmDate ?? '—'}</td>
                <td>{r.nextDue ?? '—'}</td>
                <td>
                  {[
                    r.discrepancyFlag ? 'Discrepancy flagged' : null,
                    r.replacementDue ? 'Replacement due' : null,
                    r.openAdverseEvents > 0 ? `${r.openAdverseEvents} open adverse event${r.openAdverseEvents > 1 ? 's' : ''}` : null,
                  ]
                    .filter(Boolean)
                    .join(' · ') || '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
