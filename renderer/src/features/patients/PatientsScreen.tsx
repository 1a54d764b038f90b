import { useCallback, useEffect, useState } from 'react';
import type { Indication, PatientListInput, PatientListRow, PatientStatus } from '../../../../shared/contract/patients';
import { INDICATIONS, INDICATION_LABELS, PATIENT_STATUSES, PATIENT_STATUS_LABELS } from '../../../../shared/contract/patients';
import { call } from '../../api/client';
import { useCan } from '../accounts/session';
import { date, dateOrder } from '../../format';
import { NewPatientForm } from './NewPatientForm';
import { href } from '../../router';
import { ErrorBanner } from '../../components/ErrorBanner';

/** How long typing rests before the list is asked again. */
const SEARCH_DELAY_MS = 150;

interface Filters {
  query: string;
  status: PatientStatus | '';
  indication: Indication | '';
  drug: string;
}

/** The list request for the filters: only what is set. */
function listInput(f: Filters): PatientListInput {
  const input: PatientListInput = {};
  if (f.query.trim()) {
    input.query = f.query.trim();
    // A birth date typed as the user's locale writes it (03/14/1961 or 14/03/1961) is read so.
    input.dateOrder = dateOrder();
  }
  if (f.status) input.status = f.status;
  if (f.indication) input.indication = f.indication;
  if (f.drug) input.drug = f.drug;
  return input;
}

/** The empty list's sentence, naming every filter in force. */
function emptyMessage(f: Filters): string {
  const parts: string[] = [];
  if (f.query.trim()) parts.push(`matches “${f.query.trim()}”`);
  if (f.status) parts.push(`has status ${PATIENT_STATUS_LABELS[f.status]}`);
  if (f.indication) parts.push(`has indication ${INDICATION_LABELS[f.indication]}`);
  if (f.drug) parts.push(`has ${f.drug} in the last refill`);
  if (parts.length === 0) return 'No patients yet. Add the first with New patient.';
  return `No patient ${parts.join(', ')}.`;
}

export function PatientsScreen() {
  const [query, setQuery] = useState('');
  // The query the list was last asked with: typing settles for SEARCH_DELAY_MS first.
  const [settledQuery, setSettledQuery] = useState('');
  const [status, setStatus] = useState<PatientStatus | ''>('');
  const [indication, setIndication] = useState<Indication | ''>('');
  const [drug, setDrug] = useState('');
  const [drugNames, setDrugNames] = useState<string[]>([]);
  const [patients, setPatients] = useState<PatientListRow[] | null>(null);
  const [shownFor, setShownFor] = useState<Filters>({ query: '', status: '', indication: '', drug: '' });
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [reloads, setReloads] = useState(0);
  const canCreate = useCan('patients.create');

  useEffect(() => {
    const t = setTimeout(() => setSettledQuery(query), SEARCH_DELAY_MS);
    return () => clearTimeout(t);
  }, [query]);

  useEffect(() => {
    void call('drugs.list', {}).then((r) => {
      if (r.ok) setDrugNames(r.value.map((d) => d.name));
    });
  }, []);

  const load = useCallback(async (f: Filters, isCurrent: () => boolean) => {
    const r = await call('patients.list', listInput(f));
    // A slower answer to an older request never replaces a newer one.
    if (!isCurrent()) return;
    if (r.ok) {
      setPatients(r.value);
      setShownFor(f);
      setError(null);
    } else setError(r.error.message);
  }, []);

  useEffect(() => {
    let current = true;
    void load({ query: settledQuery, status, indication, drug }, () => current);
    return () => {
      current = false;
    };
  }, [settledQuery, status, indication, drug, reloads, load]);

  const filtered = !!(status || indication || drug);

  /** Enter in the find box: the first match opens (asked now if the list shown is for an older query). */
  async function openFirst() {
    const f: Filters = { query, status, indication, drug };
    let first = shownFor.query.trim() === query.trim() && patients ? patients[0] : undefined;
    if (shownFor.query.trim() !== query.trim()) {
      const r = await call('patients.list', { ...listInput(f), limit: 1 });
      if (!r.ok) {
        setError(r.error.message);
        return;
      }
      first = r.value[0];
    }
    if (first) window.location.hash = href({ name: 'patient', id: first.id });
  }

  return (
    <section aria-labelledby="patients-title">
      <div className="toolbar">
        <h2 id="patients-title">Patients</h2>
        <input
          type="search"
          data-command="find"
          aria-label="Search patients by name, birth date, phone, MRN or pump serial"
          placeholder="Name, birth date, phone, MRN or pump serial — Enter opens the first"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              void openFirst();
            }
          }}
        />
        {canCreate && (
          <button data-command="patient.new" type="button" onClick={() => setCreating(true)} disabled={creating}>
            New patient
          </button>
        )}
      </div>
      <div className="toolbar filters" role="group" aria-label="Filters">
        <label>
          Status{' '}
          <select value={status} onChange={(e) => setStatus(e.target.value as PatientStatus | '')}>
            <option value="">Any status</option>
            {PATIENT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {PATIENT_STATUS_LABELS[s]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Indication{' '}
          <select value={indication} onChange={(e) => setIndication(e.target.value as Indication | '')}>
            <option value="">Any indication</option>
            {INDICATIONS.map((i) => (
              <option key={i} value={i}>
                {INDICATION_LABELS[i]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Drug in the pump{' '}
          <select value={drug} onChange={(e) => setDrug(e.target.value)}>
            <option value="">Any drug</option>
            {drugNames.map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
        </label>
        {filtered && (
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setStatus('');
              setIndication('');
              setDrug('');
            }}
          >
            Clear filters
          </button>
        )}
      </div>
      {notice && (
        <p role="status" className="banner banner-ok">
          {notice}
        </p>
      )}
      {creating && (
        <NewPatientForm
          onCancel={() => setCreating(false)}
          onSaved={(p) => {
            setCreating(false);
            setNotice(`Saved ${p.familyName}, ${p.givenName} (MRN ${p.mrn}).`);
            setReloads((n) => n + 1);
          }}
        />
      )}
      <ErrorBanner message={error} />
      {patients === null && !error && <p aria-busy="true">Loading patients…</p>}
      {patients?.length === 0 && <p className="empty">{emptyMessage(shownFor)}</p>}
      {patients && patients.length > 0 && (
        <table className="list">
          <caption className="visually-hidden">Patients</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">MRN</th>
              <th scope="col">Birth date</th>
              <th scope="col">Indications</th>
              <th scope="col">Pump</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {patients.map((p) => (
              <tr key={p.id}>
                <td>
                  <a href={href({ name: 'patient', id: p.id })}>
                    {p.familyName}, {p.givenName}
                  </a>
                </td>
                <td>{p.mrn}</td>
                <td>{date(p.birthDate)}</td>
                <td>{p.indications.map((i) => INDICATION_LABELS[i]).join(', ')}</td>
                <td>{p.pumpSerial ?? '—'}</td>
                <td>{PATIENT_STATUS_LABELS[p.status]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
