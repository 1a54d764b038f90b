import { useEffect, useState } from 'react';
import type { Worklist, WorklistCategory, WorklistRow } from '../../../../shared/contract/record';
import { call } from '../../api/client';
import { useChanges } from '../../api/changes';
import { changesWorklist } from '../../../../shared/contract/changes';
import { date, formatFixed, formatNumber } from '../../format';
import { href } from '../../router';
import { ErrorBanner } from '../../components/ErrorBanner';
import { CountBox, type CountTone } from '../../components/CountBox';
import { anySevere, openAdverseWords, URGENCY_LABELS, urgencySentence } from '../../../../shared/domain/urgency-words';
import { attentionRank } from '../../../../shared/domain/worklist';
import { VERIFIED_ENTRY_LABELS, type AwaitingVerification } from '../../../../shared/contract/verifications';
import { DOUBLE_CHECK_REASON_LABELS } from '../../../../shared/domain/double-check';
import { BookAppointment, bookedWords } from '../appointments/BookAppointment';

/** The badge of each urgency: an estimated-empty pump loudest, then alarming (styles.css). */
const URGENCY_BADGE: Record<WorklistRow['urgency'], string> = { empty: 'badge-empty', alarm: 'badge-alarm', overdue: 'badge-overdue', due: 'badge-due', ok: 'badge-ok' };

const PAGE = 100;

const label = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** A warning's first clause ("Abrupt withdrawal can be life-threatening"), for a worklist row. */
const headline = (warning: string) => /^[^:.]*/.exec(warning)?.[0] ?? warning;

/** The lists a count opens: its label after the number, and the count it shows. */
const CATEGORIES: { category: WorklistCategory; label: (days: number) => string; count: (c: Worklist['counts']) => number; tone?: CountTone }[] = [
  { category: 'attention', label: () => 'need attention', count: (c) => c.attention },
  { category: 'empty', label: () => 'estimated empty', count: (c) => c.empty, tone: 'empty' },
  { category: 'alarm', label: () => 'alarming', count: (c) => c.alarm, tone: 'alarm' },
  { category: 'severe', label: () => 'severe open adverse events', count: (c) => c.severeAdverse, tone: 'severe' },
  { category: 'overdue', label: () => 'overdue', count: (c) => c.overdue, tone: 'overdue' },
  { category: 'due', label: (days) => `due in ${days} days`, count: (c) => c.due, tone: 'due' },
  { category: 'replacement', label: () => 'replacement due', count: (c) => c.replacementDue },
  { category: 'flagged', label: () => 'flagged discrepancy', count: (c) => c.flagged },
  { category: 'adverse', label: () => 'open adverse events', count: (c) => c.openAdverseEvents },
  { category: 'not_booked', label: () => 'due, not booked', count: (c) => c.dueNotBooked, tone: 'due' },
];

export function WorklistScreen() {
  const [asOf, setAsOf] = useState('');
  const [category, setCategory] = useState<WorklistCategory>('attention');
  const [data, setData] = useState<Worklist | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  // What others save (a refill, a dose change, a new patient) shows here without a reload.
  const [refreshed, setRefreshed] = useState(0);
  useChanges(changesWorklist, () => setRefreshed((n) => n + 1));
  const [checks, setChecks] = useState<AwaitingVerification[]>([]);
  const [booking, setBooking] = useState<number | null>(null);

  useEffect(() => {
    let cancelled = false;
    void call('worklist.get', { ...(asOf ? { asOf } : {}), category, limit: PAGE }).then((r) => {
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
  }, [asOf, category, refreshed]);

  // The entries awaiting an independent double check (any pump, oldest first), when there are any.
  const awaitingCount = data?.counts.awaitingVerification ?? 0;
  useEffect(() => {
    if (awaitingCount === 0) return setChecks([]);
    let cancelled = false;
    void call('verifications.list', { limit: PAGE }).then((r) => {
      if (!cancelled && r.ok) setChecks(r.value.entries);
    });
    return () => {
      cancelled = true;
    };
  }, [awaitingCount, refreshed]);

  /** The next page, appended (a large clinic lists thousands of pumps; each page comes from an index). */
  const showMore = async () => {
    if (!data) return;
    setLoadingMore(true);
    const r = await call('worklist.get', { asOf: data.asOf, category: data.category, limit: PAGE, offset: data.rows.length });
    setLoadingMore(false);
    if (r.ok) setData({ ...r.value, rows: [...data.rows, ...r.value.rows], offset: 0 });
    else setError(r.error.message);
  };

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
      <ErrorBanner message={error} />
      {data === null && !error && <p aria-busy="true">Loading the worklist…</p>}
      {counts && (
        <ul className="counts" aria-label="Worklist counts">
          <CountBox count={counts.running} label="pumps running" />
          <CountBox count={counts.callList} label="to call (missed)" tone={counts.callList > 0 ? 'due' : undefined} href={href({ name: 'clinic' })} testId="count-call-list" />
          <CountBox
            count={counts.awaitingVerification}
            label="awaiting double check"
            tone={counts.awaitingVerification > 0 ? 'due' : undefined}
            onClick={() => document.getElementById('double-checks')?.scrollIntoView()}
            testId="count-double-check"
          />
          {CATEGORIES.map((c) => (
            <CountBox key={c.category} count={c.count(counts)} label={c.label(data.days)} tone={c.tone} pressed={category === c.category} onClick={() => setCategory(c.category)} />
          ))}
        </ul>
      )}
      {checks.length > 0 && (
        <section id="double-checks" aria-labelledby="double-checks-title">
          <h3 id="double-checks-title">Awaiting independent double check</h3>
          <table className="list">
            <thead>
              <tr>
                <th scope="col">Patient</th>
                <th scope="col">MRN</th>
                <th scope="col">Pump</th>
                <th scope="col">Entry</th>
                <th scope="col">Recorded by</th>
              </tr>
            </thead>
            <tbody>
              {checks.map((v) => (
                <tr key={v.id}>
                  <td>
                    <a href={href({ name: 'patient', id: v.patientId })}>{v.patientName}</a>
                  </td>
                  <td>{v.mrn}</td>
                  <td>{v.serial}</td>
                  <td>
                    {label(VERIFIED_ENTRY_LABELS[v.kind])} {date(v.date)}: {v.summary} ({v.reasons.map((r) => DOUBLE_CHECK_REASON_LABELS[r]).join(', ')})
                  </td>
                  <td>{v.requestedBy.name}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {data && data.rows.length === 0 && (
        <p className="empty">
          {data.counts.running === 0
            ? "No pump in place and running. Implant a pump from a patient's record."
            : category === 'attention'
              ? `Every pump is on schedule: none needs a refill within ${data.days} days, a replacement or a follow-up.`
              : 'No pump in this list.'}
        </p>
      )}
      {data && data.rows.length > 0 && (
        <table className="list">
          <caption className="visually-hidden">Pumps needing attention, worst first, then by next refill date</caption>
          <thead>
            <tr>
              <th scope="col">Urgency</th>
              <th scope="col">Patient</th>
              <th scope="col">MRN</th>
              <th scope="col">Pump</th>
              <th scope="col">Last refill</th>
              <th scope="col">Daily volume</th>
              <th scope="col">Alarm date</th>
              <th scope="col">Next due</th>
              <th scope="col">Appointment</th>
              <th scope="col">Attention</th>
            </tr>
          </thead>
          <tbody>
            {data.rows.map((r) => (
              <tr key={r.pumpId} className={`row-${r.urgency}`} data-urgency={r.urgency} data-rank={attentionRank(r.urgency, anySevere(r.openAdverse))}>
                <td>
                  <span className={`badge ${URGENCY_BADGE[r.urgency]}`}>{URGENCY_LABELS[r.urgency]}</span>
                  <div className="urgency-why">{urgencySentence({ ...r, nextDue: r.nextDue }, (iso) => date(iso))}</div>
                  {(r.urgency === 'empty' || r.urgency === 'alarm') &&
                    r.withdrawalWarnings.map((w) => (
                      // The headline in the row; the whole warning (signs, source) one click away.
                      <details key={w.drug} className="withdrawal-line">
                        <summary>
                          <strong>{w.drug}:</strong> {headline(w.warning)}
                        </summary>
                        {w.warning}
                      </details>
                    ))}
                </td>
                <td>
                  <a href={href({ name: 'patient', id: r.patientId })}>{r.patientName}</a>
                </td>
                <td>{r.mrn}</td>
                <td>
                  {r.model} · {r.serial}
                </td>
                <td>{r.lastRefill === null ? 'No fill recorded' : date(r.lastRefill)}</td>
                <td>{r.dailyVolumeMl === null ? '—' : `${formatFixed(r.dailyVolumeMl, 3)} mL/day`}</td>
                <td>{date(r.alarmDate)}</td>
                <td>{date(r.nextDue)}</td>
                <td className="booking" data-testid={`booking-${r.pumpId}`}>
                  {bookedWords(r.booked)}
                  {r.onCallList && <div className="adverse-severe">Missed: on the call list</div>}
                  {booking === r.pumpId ? (
                    <BookAppointment pumpId={r.pumpId} defaultDate={r.nextDue} onBooked={() => (setBooking(null), setRefreshed((n) => n + 1))} onCancel={() => setBooking(null)} />
                  ) : (
                    r.booked === null && (
                      <button type="button" onClick={() => setBooking(r.pumpId)} aria-label={`Book the next refill of ${r.patientName}`}>
                        Book
                      </button>
                    )
                  )}
                </td>
                <td>
                  {anySevere(r.openAdverse) && <div className="adverse-severe">{openAdverseWords(r.openAdverse)}</div>}
                  {[
                    r.discrepancyFlag ? 'Discrepancy flagged' : null,
                    r.replacementDue ? 'Replacement due' : null,
                    r.awaitingVerification > 0 ? `Awaiting double check (${r.awaitingVerification})` : null,
                    anySevere(r.openAdverse) ? null : openAdverseWords(r.openAdverse),
                  ]
                    .filter(Boolean)
                    .join(' · ') || (anySevere(r.openAdverse) ? null : '—')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {data && data.rows.length > 0 && (
        <p className="list-more" aria-live="polite">
          Showing {formatNumber(data.rows.length)} of {formatNumber(data.total)}
          {data.rows.length < data.total && (
            <button type="button" onClick={() => void showMore()} disabled={loadingMore}>
              {loadingMore ? 'Loading…' : `Show ${formatNumber(Math.min(PAGE, data.total - data.rows.length))} more`}
            </button>
          )}
        </p>
      )}
    </section>
  );
}
