import { useState } from 'react';
import type { ClinicalEvent, PatientRecord } from '../../../../shared/contract/record';
import { call } from '../../api/client';
import { date as showDate, localDates } from '../../format';

/** MRI scans with no post-scan check recorded yet, each with the date of the check and a button to record it. */
export function PendingMriChecks({ record, today, onSaved }: { record: PatientRecord; today: string; onSaved(message: string): void }) {
  const pending = record.events.filter((e) => e.kind === 'mri' && e.mriPostScanCheckDate === null);
  if (pending.length === 0) return null;
  return (
    <section className="card open-adverse" aria-label="MRI scans awaiting a post-scan check">
      <h3>MRI scans awaiting a post-scan check</h3>
      <ul>
        {pending.map((e) => (
          <PendingMri key={e.id} event={e} today={today} onSaved={onSaved} />
        ))}
      </ul>
    </section>
  );
}

function PendingMri({ event, today, onSaved }: { event: ClinicalEvent; today: string; onSaved(message: string): void }) {
  const [date, setDate] = useState(today);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const errorId = `mri-check-${event.id}-error`;
  async function save() {
    setSaving(true);
    const r = await call('events.mriPostScan', { eventId: event.id, date });
    setSaving(false);
    if (r.ok) onSaved(`Post-scan check recorded for the MRI of ${showDate(event.date)}.`);
    else setError(localDates(r.error.message));
  }
  return (
    <li>
      MRI of {showDate(event.date)}
      {event.note && ` · ${event.note}`}{' '}
      <label className="inline">
        Post-scan check on
        <input type="date" max={today} value={date} onChange={(e) => setDate(e.target.value)} aria-invalid={error !== null} aria-describedby={error ? errorId : undefined} />
      </label>{' '}
      <button type="button" className="secondary" disabled={saving || date === ''} onClick={() => void save()}>
        Record check
      </button>
      {error && (
        <span className="field-error" id={errorId} role="alert">
          {error}
        </span>
      )}
    </li>
  );
}
