import { useEffect, useState } from 'react';
import { pumpsNewestFirst } from '../../../../shared/domain/record-order';
import { PumpBookings } from '../appointments/PumpBookings';
import { INDICATION_LABELS, PATIENT_STATUS_LABELS, type Patient } from '../../../../shared/contract/patients';
import { REVERSAL_KIND_LABELS, type ClinicalEvent, type PatientRecord, type PumpHistory } from '../../../../shared/contract/record';
import { WithdrawalWarnings } from '../../components/WithdrawalWarnings';
import { anySevere, openAdverseWords, urgencySentence } from '../../../../shared/domain/urgency-words';
import { describeDoseChange, doseChangeEffects } from '../../../../shared/domain/dose-change';
import type { Result } from '../../../../shared/contract/result';
import { SERVICE_LIFE_NOT_SET } from '../../../../shared/domain/devices';
import { call } from '../../api/client';
import { useChanges } from '../../api/changes';
import { changesRecord } from '../../../../shared/contract/changes';
import { EarlyRequest } from '../../api/early';
import { ageOn, date, discrepancy, localToday, mass, mL, mLPerDay } from '../../format';
import { href, onRouteChange } from '../../router';
import { Timeline } from './Timeline';
import type { EntryVerification } from '../../../../shared/contract/verifications';
import { VerificationPanel } from '../verifications/VerificationPanel';
import { useClinicTimeZone } from '../signatures/useClinicTimeZone';
import { ChartWidthProbe, prefetchChartSettings, RecordCharts } from './charts/RecordCharts';
import { RecordActions, type FormRequest } from '../forms/RecordActions';
import { PaperButtons } from '../reports/PaperButtons';
import { EditPatientDetails } from './EditPatientForm';
import { PatientContactsSection } from './ContactsForm';
import { useCan } from '../accounts/session';

/** A record requested as the address changed to it (before the screen rendered), taken once by the screen; an older one than 5 s is not used. */
const early = new EarlyRequest<number, Result<PatientRecord>>(5_000);

function requestRecord(id: number): Promise<Result<PatientRecord>> {
  prefetchChartSettings(); // in parallel with the record, not after it
  return call('patients.get', { id });
}

// Opening a record starts its request with the address change, so the request runs while the
// previous screen is taken down and the loading state drawn (instead of after).
onRouteChange((route) => {
  if (route.name === 'patient') early.start(route.id, () => requestRecord(route.id));
  else early.drop();
});

export function PatientRecordScreen({ id }: { id: number }) {
  const [record, setRecord] = useState<PatientRecord | null>(null);
  const [error, setError] = useState<string | null>(null);

  const [version, setVersion] = useState(0);
  const [requested, setRequested] = useState<FormRequest | null>(null);
  const canRestart = useCan('restarts.record');
  const canReport = useCan('reports.preview');
  // What others save on this patient's record shows here without a reload (an open form keeps what was typed).
  useChanges((n) => changesRecord(n, id), () => setVersion((v) => v + 1));
  useEffect(() => {
    void early.take(id, () => requestRecord(id)).then((r) => (r.ok ? setRecord(r.value) : setError(r.error.message)));
  }, [id, version]);

  if (error)
    return (
      <p role="alert" className="banner banner-error">
        {error} <a href={href({ name: 'patients' })}>Back to patients</a>
      </p>
    );
  if (!record)
    return (
      <>
        <p aria-busy="true">Loading the record…</p>
        <ChartWidthProbe />
      </>
    );

  const { patient } = record;
  const inPlace = record.pumps.find((p) => p.pump.status !== 'explanted') ?? null;
  return (
    <article aria-labelledby="patient-title" className="record-print">
      {/*
        On paper, the patient on every page, the last one too: the header group of a table that frames
        the record repeats on each printed page (styles.css @media print). A fixed element in the page
        margin did so on every page but the last in Chromium. On screen the frame takes no part in the
        layout (display: contents) and its header is hidden.
      */}
      <table className="record-print-frame" role="presentation">
        <thead aria-hidden="true">
          <tr>
            <td className="record-print-patient">
              {patient.familyName}, {patient.givenName} · MRN {patient.mrn} · born {date(patient.birthDate)}
            </td>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td>
            <header className="card record-header">
              <h2 id="patient-title">
                {patient.familyName}, {patient.givenName}
              </h2>
              <dl className="facts">
                <div>
                  <dt>MRN</dt>
                  <dd>{patient.mrn}</dd>
                </div>
                <div>
                  <dt>Born</dt>
                  <dd>
                    {date(patient.birthDate)} (age {ageOn(patient.birthDate, localToday())})
                  </dd>
                </div>
                <div>
                  <dt>Indications</dt>
                  <dd>{patient.indications.map((i) => INDICATION_LABELS[i]).join(', ')}</dd>
                </div>
                <div>
                  <dt>Allergies</dt>
                  <dd>{patient.allergies ?? 'None recorded'}</dd>
                </div>
                <div>
                  <dt>Status</dt>
                  <dd>{patientStatus(patient)}</dd>
                </div>
                <div>
                  <dt>Clinician</dt>
                  <dd>{patient.clinician ?? '—'}</dd>
                </div>
              </dl>
              {(patient.status === 'deceased' || patient.status === 'transferred') && (
                <p className="banner banner-error patient-status" data-testid="patient-status">
                  <strong>{patientStatus(patient)}</strong> — this patient’s pumps are off the worklist; only a pump removal can be recorded.
                </p>
              )}
              <EditPatientDetails patient={patient} version={record.patientVersion} onSaved={() => setVersion((v) => v + 1)} />
              <PatientContactsSection patient={patient} version={record.patientVersion} onSaved={() => setVersion((v) => v + 1)} />
              {canReport && (
                <p className="no-print">
                  <a href={href({ name: 'reports', patientId: patient.id })}>Patient summary report (PDF, for a referral letter or the paper chart)</a>
                </p>
              )}
            </header>
            <RecordActions record={record} onSaved={() => setVersion((v) => v + 1)} requested={requested} />
            {inPlace ? (
              <CurrentPump
                history={inPlace}
                events={record.events}
                verifications={(record.verifications ?? []).filter((v) => v.pumpId === inPlace.pump.id && v.state === 'awaiting')}
                onChanged={() => setVersion((v) => v + 1)}
                onRestart={canRestart && patient.status !== 'deceased' && patient.status !== 'transferred' ? () => setRequested((r) => ({ form: 'restart', seq: (r?.seq ?? 0) + 1 })) : null}
              />
            ) : (
              <p className="empty">No pump in place.</p>
            )}
            <RecordCharts record={record} />
            {/* The pump in place first, then the removed ones latest first; each table newest visit first. */}
            {pumpsNewestFirst(record.pumps).map((h) => (
              <RefillTable key={h.pump.id} history={h} record={record} />
            ))}
            <Timeline record={record} onChanged={() => setVersion((v) => v + 1)} />
            </td>
          </tr>
        </tbody>
      </table>
    </article>
  );
}

/** "Deceased 11/02/2026", "Transferred 11/02/2026 to Northside Pain Clinic", "Active". */
export function patientStatus(p: Patient): string {
  switch (p.status) {
    case 'deceased':
      return `Deceased${p.deathDate ? ` ${date(p.deathDate)}` : ''}`;
    case 'transferred':
      return `Transferred${p.transferDate ? ` ${date(p.transferDate)}` : ''}${p.transferredTo ? ` to ${p.transferredTo}` : ''}`;
    case 'active':
    case 'therapy_stopped':
      return PATIENT_STATUS_LABELS[p.status];
  }
}

function CurrentPump({
  history,
  events,
  onRestart,
  verifications,
  onChanged,
}: {
  history: PumpHistory;
  events: ClinicalEvent[];
  onRestart: (() => void) | null;
  /** The pump's entries awaiting an independent double check. */
  verifications: EntryVerification[];
  onChanged(): void;
}) {
  const { pump } = history;
  const timeZone = useClinicTimeZone();
  const [checked, setChecked] = useState<string | null>(null);
  const awaiting = (verifications.length > 0 || checked) && (
    <div className="double-checks" aria-label="Independent double check">
      {checked && (
        <p role="status" className="banner banner-ok">
          {checked}
        </p>
      )}
      {verifications.map((v) => (
        <VerificationPanel
          key={v.id}
          verification={v}
          timeZone={timeZone}
          onChanged={(message) => {
            setChecked(message);
            onChanged();
          }}
        />
      ))}
    </div>
  );
  const last = history.refills.at(-1);
  const changes = last ? history.doseChanges.filter((c) => c.date >= last.date) : [];
  // An admixture's change names every drug (they share one flow rate, so all change).
  const effects = doseChangeEffects(history.refills, history.doseChanges);
  const changeWords = (c: (typeof changes)[number]): string => {
    const e = effects.get(c.id);
    return e && e.drugs.length > 1 ? describeDoseChange(e) : `${c.drug} ${mass(c.dailyDoseNgPerDay, c.unit, '/day')}`;
  };
  const stopped = pump.status === 'off' ? history.reversal : null;
  if (stopped) {
    // Nothing flows: no daily volume, alarm, empty or due date, and nothing "in the reservoir" to infuse.
    return (
      <section className="card" aria-labelledby="pump-title">
        <h3 id="pump-title">
          {pump.manufacturer} {pump.model} · serial {pump.serial} <span className="badge badge-overdue">Off</span>
        </h3>
        <p className="banner banner-warn" data-testid="therapy-stopped">
          <strong>
            Therapy stopped on {date(stopped.date)} ({REVERSAL_KIND_LABELS[stopped.kind]})
          </strong>
          {stopped.plan && ` · Plan: ${stopped.plan}`}
        </p>
        {awaiting}
        <OpenAdverseLine events={events.filter((e) => e.pumpId === pump.id)} />
        {onRestart && (
          <p className="no-print">
            <button type="button" className="secondary" onClick={onRestart}>
              Restart therapy on this pump…
            </button>
          </p>
        )}
        <PumpFacts history={history} running={false} />
      </section>
    );
  }
  return (
    <section className="card" aria-labelledby="pump-title">
      <h3 id="pump-title">
        {pump.manufacturer} {pump.model} · serial {pump.serial} {pump.status === 'off' && <span className="badge badge-overdue">Off</span>}
      </h3>
      <PumpUrgencyLine history={history} />
      {awaiting}
      <OpenAdverseLine events={events.filter((e) => e.pumpId === pump.id)} />
      <PumpFacts history={history} running />
      {last && (
        <p>
          <strong>In the reservoir since {date(last.date)}:</strong>{' '}
          {last.drugs.map((d) => `${d.drug} ${mass(d.concentrationNgPerMl, d.unit, '/mL')} at ${mass(d.dailyDoseNgPerDay, d.unit, '/day')}`).join(' + ')}
          {changes.map((c) => ` · from ${date(c.date)}: ${changeWords(c)}`).join('')}
        </p>
      )}
      {pump.status === 'active' && <PaperButtons patientId={pump.patientId} pumpId={pump.id} hasRefill={last !== undefined} />}
      {history.urgency && <PumpBookings pumpId={pump.id} nextDue={history.projection?.nextDueDate ?? null} today={history.urgency.asOf} />}
    </section>
  );
}

/**
 * The pump's facts: its device, and while therapy runs its daily volume, alarm, empty and due dates
 * (a pump turned off has none). A model without a service life is never due: say so rather than
 * show nothing (issue 13, item 7).
 */
function PumpFacts({ history, running }: { history: PumpHistory; running: boolean }) {
  const { pump, projection } = history;
  return (
    <dl className="facts">
      <div>
        <dt>Implanted</dt>
        <dd>{date(pump.implantDate)}</dd>
      </div>
      <div>
        <dt>Reservoir</dt>
        <dd>
          {mL(pump.reservoirUl, 0)} (alarm at {mL(pump.alarmUl, 1)})
        </dd>
      </div>
      {running && (
        <>
          <div>
            <dt>Daily volume</dt>
            <dd>{mLPerDay(projection?.dailyVolumeUl)}</dd>
          </div>
          <div>
            <dt>Alarm date</dt>
            <dd>{date(projection?.alarmDate)}</dd>
          </div>
          <div>
            <dt>Empty date</dt>
            <dd>{date(projection?.emptyDate)}</dd>
          </div>
          <div>
            <dt>Next refill due</dt>
            <dd>{date(projection?.nextDueDate)}</dd>
          </div>
        </>
      )}
      <div>
        <dt>Replacement from</dt>
        <dd>
          {projection && projection.replacementFromDate === null ? (
            <span className="badge badge-due" title="The device catalog has no service life for this model, so it is never flagged for replacement. An administrator sets it in Settings > Device catalog.">
              {SERVICE_LIFE_NOT_SET}
            </span>
          ) : (
            date(projection?.replacementFromDate)
          )}
        </dd>
      </div>
    </dl>
  );
}

/**
 * The pump's urgency as of the clinic's today (issue 13), worst loudest: an estimated-empty pump is a
 * full-width red alert with its drugs' withdrawal warnings; an alarming one a red alert; overdue
 * says why and by how much.
 */
function PumpUrgencyLine({ history }: { history: PumpHistory }) {
  const u = history.urgency;
  const p = history.projection;
  if (!u || !p) return null;
  const sentence = urgencySentence(
    { urgency: u.urgency, emptyDate: p.emptyDate, alarmDate: p.alarmDate, nextDue: p.nextDueDate, nextDueRule: p.nextDueRule, daysOverdue: u.daysOverdue },
    (iso) => date(iso),
  );
  const loud = u.urgency === 'empty' || u.urgency === 'alarm';
  return (
    <div className={`urgency urgency-${u.urgency}`} role={loud ? 'alert' : undefined} data-urgency={u.urgency}>
      <p>{sentence}</p>
      {loud && <WithdrawalWarnings warnings={u.withdrawalWarnings} />}
    </div>
  );
}

/** The pump's open adverse events, worded by severity; red when one is severe or life-threatening. */
function OpenAdverseLine({ events }: { events: ClinicalEvent[] }) {
  const open = events.flatMap((e) => (e.kind === 'adverse' && e.status === 'open' && e.severity && e.adverseKind ? [{ severity: e.severity, kind: e.adverseKind }] : []));
  const words = openAdverseWords(open);
  if (words === null) return null;
  const severe = anySevere(open);
  return (
    <p className={severe ? 'banner banner-error adverse-severe' : 'banner banner-warn'} role={severe ? 'alert' : undefined} data-testid="open-adverse">
      {words}
    </p>
  );
}

/** The most recent refills a table shows until "Show all" (a 25-year history has 300). */
const RECENT_REFILLS = 12;

function RefillTable({ history, record }: { history: PumpHistory; record: PatientRecord }) {
  const { pump, refills } = history;
  const [all, setAll] = useState(false);
  if (refills.length === 0) return null;
  const shown = (all ? refills : refills.slice(-RECENT_REFILLS)).slice().reverse();
  return (
    <section className="card" aria-label={`Refills of pump ${pump.serial}`}>
      <h3>Refills · {pump.serial}</h3>
      <table className="list">
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Withdrawn</th>
            <th scope="col">Expected</th>
            <th scope="col">Discrepancy</th>
            <th scope="col">Added</th>
            <th scope="col">Drugs</th>
            <th scope="col">Next due</th>
            <th scope="col">Signed</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((r) => (
            <tr key={r.id}>
              <td>{date(r.date)}</td>
              <td>{mL(r.withdrawnUl)}</td>
              <td>{mL(r.expectedResidualUl)}</td>
              <td>
                {discrepancy(r.discrepancyUl)}
                {r.discrepancyFlag && <span className="badge badge-overdue"> Flagged</span>}
              </td>
              <td>{mL(r.addedUl)}</td>
              <td>{r.drugs.map((d) => `${d.drug} ${mass(d.dailyDoseNgPerDay, d.unit, '/day')}`).join(' + ')}</td>
              <td>{date(r.nextDueDate)}</td>
              <td>{refillSignedBy(record, r.id)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {shown.length < refills.length && (
        <p>
          <button type="button" className="secondary" onClick={() => setAll(true)}>
            Show all {refills.length} refills
          </button>
        </p>
      )}
    </section>
  );
}

/** Who signed a refill visit (details and amendments are in the timeline), or "Not signed". */
function refillSignedBy(record: PatientRecord, refillId: number): string {
  const a = record.attestations?.find((x) => x.kind === 'refill' && x.entryId === refillId);
  const signed = a?.signature ? a.signature.printedName : 'Not signed';
  return a && a.amendments.length > 0 ? `${signed} · amended ${a.amendments.length}×` : signed;
}
