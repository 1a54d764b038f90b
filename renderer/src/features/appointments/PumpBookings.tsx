import { useEffect, useState } from 'react';
import { APPOINTMENT_STATE_LABELS, type Appointment } from '../../../../shared/contract/appointments';
import { call } from '../../api/client';
import { useCan } from '../accounts/session';
import { date } from '../../format';
import { BookAppointment } from './BookAppointment';
import { ChangeAppointment } from './ChangeAppointment';

/**
 * A running pump's refill appointments on its card (issue 16): the upcoming ones, and "Book the
 * next refill" prefilled with the next-due date; each booking can be rescheduled or cancelled. After a refill the record reloads with the new
 * next-due date, so this is also where the refill's result is booked from.
 */
export function PumpBookings({ pumpId, nextDue, today }: { pumpId: number; nextDue: string | null; today: string }) {
  const canBook = useCan('appointments.book');
  const [list, setList] = useState<Appointment[]>([]);
  const [open, setOpen] = useState(false);
  const [refreshed, setRefreshed] = useState(0);

  useEffect(() => {
    let cancelled = false;
    void call('appointments.list', { pumpId, from: today, to: '9999-12-31' }).then((r) => {
      if (!cancelled && r.ok) setList(r.value.filter((a) => a.state === 'booked').reverse());
    });
    return () => {
      cancelled = true;
    };
  }, [pumpId, today, nextDue, refreshed]);

  return (
    <div className="pump-bookings" aria-label="Refill appointments">
      <p>
        <strong>Appointments:</strong> {list.length === 0 && 'not booked'}{' '}
        {canBook && !open && (
          <button type="button" className="secondary" onClick={() => setOpen(true)}>
            Book the next refill
          </button>
        )}
      </p>
      {list.length > 0 && (
        <ul className="bookings">
          {list.map((a) => (
            <li key={a.id} data-testid={`booking-item-${a.id}`}>
              {`${date(a.date)} ${a.time} (${a.homeVisit ? 'home visit' : a.room}, ${APPOINTMENT_STATE_LABELS[a.state].toLowerCase()})`}{' '}
              <ChangeAppointment appointment={a} today={today} onChanged={() => setRefreshed((n) => n + 1)} />
            </li>
          ))}
        </ul>
      )}
      {open && (
        <BookAppointment
          pumpId={pumpId}
          defaultDate={nextDue}
          onBooked={() => {
            setOpen(false);
            setRefreshed((n) => n + 1);
          }}
          onCancel={() => setOpen(false)}
        />
      )}
    </div>
  );
}
