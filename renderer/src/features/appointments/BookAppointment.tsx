import { useState } from 'react';
import type { Appointment } from '../../../../shared/contract/appointments';
import { call } from '../../api/client';
import { ErrorBanner } from '../../components/ErrorBanner';
import { date, localDates } from '../../format';

/**
 * Books a pump's next refill (issue 16): date (prefilled with the next-due date), the clinic's
 * local time, clinician, room or home visit. A date after the next refill or alarm date is refused
 * or needs a reason, as the clinic's setting says; on or after the empty date it is always refused.
 */
export function BookAppointment({ pumpId, defaultDate, onBooked, onCancel }: { pumpId: number; defaultDate: string | null; onBooked: (a: Appointment) => void; onCancel?: () => void }) {
  const [day, setDay] = useState(defaultDate ?? '');
  const [time, setTime] = useState('09:00');
  const [clinician, setClinician] = useState('');
  const [room, setRoom] = useState('');
  const [homeVisit, setHomeVisit] = useState(false);
  const [lateReason, setLateReason] = useState('');
  const [needsReason, setNeedsReason] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const r = await call('appointments.book', {
      pumpId,
      date: day,
      time,
      homeVisit,
      ...(clinician ? { clinician } : {}),
      ...(!homeVisit && room ? { room } : {}),
      ...(lateReason ? { lateReason } : {}),
    });
    setBusy(false);
    if (r.ok) {
      setError(null);
      onBooked(r.value);
      return;
    }
    if (r.error.field === 'lateReason') setNeedsReason(true);
    const msg = localDates(r.error.message);
    setError(r.error.field && /^(must|is) /.test(msg) ? `${r.error.field}: ${msg}` : msg);
  };

  return (
    <form className="book-appointment" aria-label="Book the next refill" onSubmit={(e) => void submit(e)}>
      <label>
        Date
        <input type="date" value={day} onChange={(e) => setDay(e.target.value)} required />
      </label>
      <label>
        Time (clinic)
        <input type="time" value={time} onChange={(e) => setTime(e.target.value)} required />
      </label>
      <label>
        Clinician
        <input value={clinician} onChange={(e) => setClinician(e.target.value)} />
      </label>
      <label>
        <input type="checkbox" checked={homeVisit} onChange={(e) => setHomeVisit(e.target.checked)} /> Home visit
      </label>
      {!homeVisit && (
        <label>
          Room
          <input value={room} onChange={(e) => setRoom(e.target.value)} required />
        </label>
      )}
      {needsReason && (
        <label>
          Reason to book after the due date
          <input value={lateReason} onChange={(e) => setLateReason(e.target.value)} required />
        </label>
      )}
      <button type="submit" disabled={busy}>
        {busy ? 'Booking…' : 'Book'}
      </button>
      {onCancel && (
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      )}
      {defaultDate && <span className="hint">Next refill due {date(defaultDate)}</span>}
      <ErrorBanner message={error} />
    </form>
  );
}

/** "booked for 12/10/2026 10:30" or "not booked". */
export function bookedWords(booked: { date: string; time: string } | null): string {
  return booked === null ? 'not booked' : `booked for ${date(booked.date)} ${booked.time}`;
}
