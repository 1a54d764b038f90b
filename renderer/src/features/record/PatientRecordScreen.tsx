import { useEffect, useState } from 'react';
import { INDICATION_LABELS, PATIENT_STATUS_LABELS } from '../../../../shared/contract/patients';
import type { PatientRecord, PumpHistory } from '../../../../shared/contract/record';
import { call } from '../../api/client';
import { ageOn, date, localToday, mass, mL } from '../../format';
import { href } from '../../router';
import { Timeline } from './Timeline';
import { RecordCharts } from './charts/RecordCharts';
import { RecordActions } from '../forms/RecordActions';
import { EditPatientDetails } from './EditPatientForm';

export function PatientRecordScreen({ id }: { id: number }) {
  const [record, setRecord] = useState<PatientRecord | null>(null);
  const [error, setError] = useState<string | null>(null);

  const [version, setVersion] = useState(0);
  useEffect(() => {
    void call('patients.get', { id }).then((r) => (r.ok ? setRecord(r.value) : setError(r.error.message)));
  }, [id, version]);

  if (error)
    return (
      <p role="alert" className="banner banner-error">
        {error} <a href={href({ name: 'patients' })}>Back to patients</a>
      </p>
    );
  if (!record) return <p aria-busy="true">Loading the record…</p>;

  const { patient } = record;
  const inPlace = record.pumps.find((p) => p.pump.status !== 'explanted') ?? null;
  return (
    <article aria-labelledby="patient-title">
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
              {patient.birthDate} (age {ageOn(patient.birthDate, localToday())})
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
            <dd>{PATIENT_STATUS_LABELS[patient.status]}</dd>
          </div>
          <div>
            <dt>Clinician</dt>
            <dd>{patient.clinician ?? '—'}</dd>
          </div>
        </dl>
        <EditPatientDetails patient={patient} onSaved={() => setVersion((v) => v + 1)} />
      </header>
      <RecordActions record={record} onSaved={() => setVersion((v) => v + 1)} />
      {inPlace ? <CurrentPump history={inPlace} /> : <p className="empty">No pump in place.</p>}
      <RecordCharts record={record} />
      {record.pumps.map((h) => (
        <RefillTable key={h.pump.id} history={h} />
      ))}
      <Timeline record={record} />
    </article>
  );
}

function CurrentPump({ history }: { history: PumpHistory }) {
  const { pump, projection } = history;
  const last = history.refills.at(-1);
  const changes = last ? history.doseChanges.filter((c) => c.date >= last.date) : [];
  return (
    <section className="card" aria-labelledby="pump-title">
      <h3 id="pump-title">
        {pump.manufacturer} {pump.model} · serial {pump.serial} {pump.status === 'off' && <span className="badge badge-overdue">Off</span>}
      </h3>
      <dl className="facts">
        <div>
          <dt>Implanted</dt>
          <dd>{pump.implantDate}</dd>
        </div>
        <div>
          <dt>Reservoir</dt>
          <dd>
            {mL(pump.reservoirUl, 0)} (alarm at {mL(pump.alarmUl, 1)})
          </dd>
        </div>
        <div>
          <dt>Daily volume</dt>
          <dd>{projection?.dailyVolumeUl == null ? '—' : `${(projection.dailyVolumeUl / 1000).toFixed(3)} mL/day`}</dd>
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
        <div>
          <dt>Replacement from</dt>
          <dd>{date(projection?.replacementFromDate)}</dd>
        </div>
      </dl>
      {last && (
        <p>
          <strong>In the reservoir since {last.date}:</strong>{' '}
          {last.drugs.map((d) => `${d.drug} ${mass(d.concentrationNgPerMl, d.unit, '/mL')} at ${mass(d.dailyDoseNgPerDay, d.unit, '/day')}`).join(' + ')}
          {changes.map((c) => ` · from ${c.date}: ${c.drug} ${mass(c.dailyDoseNgPerDay, c.unit, '/day')}`).join('')}
        </p>
      )}
    </section>
  );
}

function RefillTable({ history }: { history: PumpHistory }) {
  const { pump, refills } = history;
  if (refills.length === 0) return null;
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
          </tr>
        </thead>
        <tbody>
          {[...refills].reverse().map((r) => (
            <tr key={r.id}>
              <td>{r.date}</td>
              <td>{mL(r.withdrawnUl)}</td>
              <td>{mL(r.expectedResidualUl)}</td>
              <td>
                {r.discrepancyUl === null ? '—' : mL(r.discrepancyUl)}
                {r.discrepancyFlag && <span className="badge badge-overdue"> Flagged</span>}
              </td>
              <td>{mL(r.addedUl)}</td>
              <td>{r.drugs.map((d) => `${d.drug} ${mass(d.dailyDoseNgPerDay, d.unit, '/day')}`).join(' + ')}</td>
              <td>{date(r.nextDueDate)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
