import { useEffect, useState } from 'react';
import { APPOINTMENT_STATE_LABELS, type Appointment, type ClinicDay } from '../../../../shared/contract/appointments';
import { changesWorklist } from '../../../../shared/contract/changes';
import { call } from '../../api/client';
import { useChanges } from '../../api/changes';
import type { MassUnitName } from '../../../../shared/contract/quantities';
import { CountBox } from '../../components/CountBox';
import { ErrorBanner } from '../../components/ErrorBanner';
import { date, localDates, mass, mL } from '../../format';
import { href } from '../../router';
import { useCan } from '../accounts/session';
import { ChangeAppointment } from './ChangeAppointment';

const addDaysIso = (iso: string, days: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** The cells every appointment row starts with (the visits and the call list): when, who, which pump. */
function AppointmentCells({ a, withDate }: { a: Appointment; withDate: boolean }) {
  return (
    <>
      <td>
        {withDate && `${date(a.date)} `}
        {a.time}
      </td>
      <td>
        <a href={href({ name: 'patient', id: a.patientId })}>{a.patientName}</a> · {a.mrn}
      </td>
      <td>{a.serial}</td>
    </>
  );
}

/**
 * Today's clinic (issue 16): the day's refill appointments in time order with each patient's drugs,
 * expected residual and volume to prepare; mark attended or did not attend (buttons: keyboard
 * usable), reschedule or cancel; the call list of missed appointments; the pharmacy's preparation
 * totals for the day or a period (the same figures as the `pharmacy-preparation` report).
 */
export function ClinicScreen() {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [data, setData] = useState<ClinicDay | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [refreshed, setRefreshed] = useState(0);
  const canExport = useCan('appointments.export');
  const canReport = useCan('reports.preview');
  const [outcomes, setOutcomes] = useState<Record<number, string>>({});
  useChanges(changesWorklist, () => setRefreshed((n) => n + 1));

  useEffect(() => {
    let cancelled = false;
    void call('appointments.day', { ...(from ? { from } : {}), ...(to ? { to } : {}) }).then((r) => {
      if (cancelled) return;
      if (r.ok) {
        setData(r.value);
        setError(null);
        if (!from) setFrom(r.value.from);
      } else setError(localDates(r.error.message));
    });
    return () => {
      cancelled = true;
    };
  }, [from, to, refreshed]);

  const act = async (p: Promise<{ ok: boolean; error?: { message: string } }>) => {
    const r = await p;
    if (!r.ok) setError(localDates(r.error!.message));
    else setRefreshed((n) => n + 1);
  };
  const mark = (a: Appointment, state: 'attended' | 'did_not_attend') => act(call('appointments.mark', { id: a.id, state }));
  const download = async (format: 'ics' | 'csv') => {
    if (!data) return;
    const r = await call('appointments.export', { from: data.from, to: data.to === data.from ? addDaysIso(data.from, 30) : data.to, format });
    if (!r.ok) return setError(localDates(r.error.message));
    const url = URL.createObjectURL(new Blob([r.value.content], { type: r.value.mimeType }));
    const link = document.createElement('a');
    link.href = url;
    link.download = r.value.fileName;
    link.click();
    URL.revokeObjectURL(url);
  };
  const recordCall = (a: Appointment) => act(call('appointments.call', { id: a.id, outcome: outcomes[a.id] ?? '' }));

  return (
    <section aria-labelledby="clinic-title">
      <div className="toolbar">
        <h2 id="clinic-title">Today's clinic</h2>
        <label className="inline">
          Day
          <input type="date" aria-label="Clinic day" value={from} onChange={(e) => e.target.value && (setFrom(e.target.value), setTo(''))} />
        </label>
        <label className="inline">
          To (pharmacy list for a period)
          <input type="date" aria-label="Until" value={to} min={from} onChange={(e) => setTo(e.target.value)} />
        </label>
        {canExport && (
          <>
            <button type="button" className="secondary" onClick={() => void download('ics')} title="The appointments from this day (30 days, or to the end date) for the clinic's calendar: MRN and initials only">
              Calendar (.ics)
            </button>
            <button type="button" className="secondary" onClick={() => void download('csv')}>
              CSV
            </button>
          </>
        )}
      </div>
      <ErrorBanner message={error} />
      {data === null && !error && <p aria-busy="true">Loading the clinic…</p>}
      {data && (
        <>
          <ul className="counts" aria-label="Clinic counts">
            <CountBox count={data.visits.length} label={data.to === data.from ? 'appointments' : 'appointments in the period'} />
            <CountBox count={data.visits.filter((v) => v.state === 'booked').length} label="still to come" />
            <CountBox count={data.visits.filter((v) => v.state === 'attended').length} label="attended" />
            <CountBox count={data.visits.filter((v) => v.state === 'did_not_attend').length} label="did not attend" tone={data.visits.some((v) => v.state === 'did_not_attend') ? 'overdue' : undefined} />
            <CountBox
              count={data.callList.length}
              label="to call (missed)"
              tone={data.callList.length > 0 ? 'due' : undefined}
              onClick={() => document.getElementById('call-title')?.scrollIntoView()}
              testId="clinic-count-call-list"
            />
          </ul>
          <section aria-labelledby="visits-title">
            <h3 id="visits-title">
              Appointments {date(data.from)}
              {data.to !== data.from && ` to ${date(data.to)}`}
            </h3>
            {data.visits.length === 0 ? (
              <p className="empty">No appointment booked.</p>
            ) : (
              <table className="list" aria-label="Appointments">
                <thead>
                  <tr>
                    <th scope="col">Time</th>
                    <th scope="col">Patient</th>
                    <th scope="col">Pump</th>
                    <th scope="col">Drugs</th>
                    <th scope="col">Expected residual</th>
                    <th scope="col">To prepare</th>
                    <th scope="col">Place</th>
                    <th scope="col">State</th>
                  </tr>
                </thead>
                <tbody>
                  {data.visits.map((v) => (
                    <tr key={v.id} data-testid={`visit-${v.id}`}>
                      <AppointmentCells a={v} withDate={data.to !== data.from} />
                      <td>
                        {v.drugs.map((d) => (
                          <div key={d.drug}>
                            {d.drug} {mass(d.concentrationNgPerMl, d.unit as MassUnitName, '/mL')}, {mass(d.dailyDoseNgPerDay, d.unit as MassUnitName, '/day')}
                          </div>
                        ))}
                      </td>
                      <td>{mL(v.expectedResidualUl)}</td>
                      <td>{mL(v.volumeToPrepareUl)}</td>
                      <td>{v.homeVisit ? 'Home visit' : v.room}{v.clinician && ` · ${v.clinician}`}</td>
                      <td>
                        {v.state === 'booked' ? (
                          <>
                            <button type="button" onClick={() => void mark(v, 'attended')}>
                              Attended
                            </button>{' '}
                            <button type="button" onClick={() => void mark(v, 'did_not_attend')}>
                              Did not attend
                            </button>{' '}
                            <ChangeAppointment appointment={v} today={data.today} onChanged={() => setRefreshed((n) => n + 1)} />
                          </>
                        ) : (
                          APPOINTMENT_STATE_LABELS[v.state]
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <section aria-labelledby="call-title">
            <h3 id="call-title">Call list</h3>
            {data.callList.length === 0 ? (
              <p className="empty">No missed appointment to call about.</p>
            ) : (
              <table className="list" aria-label="Call list">
                <thead>
                  <tr>
                    <th scope="col">Missed</th>
                    <th scope="col">Patient</th>
                    <th scope="col">Pump</th>
                    <th scope="col">Outcome of the call</th>
                  </tr>
                </thead>
                <tbody>
                  {data.callList.map((a) => (
                    <tr key={a.id}>
                      <AppointmentCells a={a} withDate />
                      <td>
                        <input aria-label={`Outcome of the call to ${a.patientName}`} value={outcomes[a.id] ?? ''} onChange={(e) => setOutcomes({ ...outcomes, [a.id]: e.target.value })} />{' '}
                        <button type="button" onClick={() => void recordCall(a)}>
                          Record call
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <section aria-labelledby="pharmacy-title">
            <h3 id="pharmacy-title">Pharmacy preparation</h3>
            <p className="hint">
              Booked visits; each pump's reservoir volume (a full fill) per drug and concentration.
              {canReport && (
                <>
                  {' '}
                  As a file (CSV, Excel, PDF) with a row per visit: <a href={href({ name: 'reports' })}>Reports</a>, <em>Pharmacy preparation</em>.
                </>
              )}
            </p>
            {data.pharmacy.length === 0 ? (
              <p className="empty">Nothing to prepare.</p>
            ) : (
              <table className="list" aria-label="Pharmacy totals">
                <thead>
                  <tr>
                    <th scope="col">Drug</th>
                    <th scope="col">Concentration</th>
                    <th scope="col">Patients</th>
                    <th scope="col">Volume</th>
                    <th scope="col">Amount</th>
                  </tr>
                </thead>
                <tbody>
                  {data.pharmacy.map((p) => (
                    <tr key={`${p.drug}-${p.concentrationNgPerMl}`}>
                      <td>{p.drug}</td>
                      <td>{mass(p.concentrationNgPerMl, p.unit as MassUnitName, '/mL')}</td>
                      <td>{p.patients}</td>
                      <td>{mL(p.volumeUl)}</td>
                      <td>{mass(p.amountNg, p.unit as MassUnitName)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </>
      )}
    </section>
  );
}
