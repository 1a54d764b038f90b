import { useState } from 'react';
import type { Appointment } from '../../../../shared/contract/appointments';
import { call } from '../../api/client';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorBanner } from '../../components/ErrorBanner';
import { date, localDates } from '../../format';
import { useCan } from '../accounts/session';

type Open = 'none' | 'reschedule' | 'cancel' | 'confirm-cancel';

/** "Brandt, Ada on 12/07/2026 09:15" */
const which = (a: Appointment) => `${a.patientName} on ${date(a.date)} ${a.time}`;

/**
 * Reschedule or cancel a booked appointment (issue 16): on Today's clinic and the record's pump
 * bookings. Rescheduling books the new date under the booking rule (a date after the next refill
 * date asks for a reason; after the alarm or empty date it is refused) and cancels the old one
 * with "Rescheduled to DATE TIME", all or nothing. Cancelling needs a reason and a confirmation.
 */
export function ChangeAppointment({ appointment: a, today, onChanged }: { appointment: Appointment; today: string; onChanged: () => void }) {
  const canChange = useCan('appointments.reschedule');
  const [open, setOpen] = useState<Open>('none');
  const [day, setDay] = useState(a.date);
  const [time, setTime] = useState(a.time);
  const [lateReason, setLateReason] = useState('');
  const [needsReason, setNeedsReason] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!canChange || a.state !== 'booked') return null;

  const close = () => {
    setOpen('none');
    setError(null);
  };
  const reschedule = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const r = await call('appointments.reschedule', { id: a.id, date: day, time, ...(lateReason ? { lateReason } : {}) });
    setBusy(false);
    if (r.ok) {
      close();
      onChanged();
      return;
    }
    if (r.error.field === 'lateReason') setNeedsReason(true);
    const msg = localDates(r.error.message);
    setError(r.error.field && /^(must|is) /.test(msg) ? `${r.error.field}: ${msg}` : msg);
  };
  const cancel = async () => {
    setBusy(true);
    const r = await call('appointments.mark', { id: a.id, state: 'cancelled', reason });
    setBusy(false);
    if (r.ok) {
      close();
      onChanged();
    } else {
      setOpen('cancel');
      setError(localDates(r.error.message));
    }
  };

  return (
    <span className="change-appointment">
      {open === 'none' && (
        <>
          {/* A day already past is marked attended or did not attend, not moved (main refuses it too). */}
          {a.date >= today && (
            <>
              <button type="button" className="secondary" onClick={() => setOpen('reschedule')} aria-label={`Reschedule ${which(a)}`}>
                Reschedule
              </button>{' '}
            </>
          )}
          <button type="button" className="secondary" onClick={() => setOpen('cancel')} aria-label={`Cancel ${which(a)}`}>
            Cancel…
          </button>
        </>
      )}
      {open === 'reschedule' && (
        <form className="book-appointment" aria-label={`Reschedule ${which(a)}`} onSubmit={(e) => void reschedule(e)}>
          <label>
            New date
            <input type="date" value={day} onChange={(e) => setDay(e.target.value)} required />
          </label>
          <label>
            New time (clinic)
            <input type="time" value={time} onChange={(e) => setTime(e.target.value)} required />
          </label>
          {needsReason && (
            <label>
              Reason to book after the due date
              <input value={lateReason} onChange={(e) => setLateReason(e.target.value)} required />
            </label>
          )}
          <button type="submit" disabled={busy}>
            {busy ? 'Saving…' : 'Move the appointment'}
          </button>
          <button type="button" className="secondary" onClick={close}>
            Keep it as it is
          </button>
          <ErrorBanner message={error} />
        </form>
      )}
      {open === 'cancel' && (
        <form
          className="book-appointment"
          aria-label={`Cancel ${which(a)}`}
          onSubmit={(e) => {
            e.preventDefault();
            if (reason.trim() === '') return setError('reason: is required: say why the appointment is cancelled.');
            setError(null);
            setOpen('confirm-cancel');
          }}
        >
          <label>
            Why is it cancelled?
            <input value={reason} onChange={(e) => setReason(e.target.value)} required />
          </label>
          <button type="submit">Cancel the appointment</button>
          <button type="button" className="secondary" onClick={close}>
            Keep it
          </button>
          <ErrorBanner message={error} />
        </form>
      )}
      {open === 'confirm-cancel' && (
        <ConfirmDialog
          question={`Cancel the appointment of ${which(a)}? Reason: ${reason.trim()}. The pump will show as not booked.`}
          confirmLabel="Yes, cancel it"
          cancelLabel="Keep the appointment"
          onConfirm={() => void cancel()}
          onCancel={close}
          saving={busy}
        />
      )}
    </span>
  );
}
