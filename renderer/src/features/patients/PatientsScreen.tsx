import { useCallback, useEffect, useState } from 'react';
import type { Patient } from '../../../../shared/contract/patients';
import { INDICATION_LABELS, PATIENT_STATUS_LABELS } from '../../../../shared/contract/patients';
import { call } from '../../api/client';
import { NewPatientForm } from './NewPatientForm';
import { href } from '../../router';

export function PatientsScreen() {
  const [query, setQuery] = useState('');
  const [patients, setPatients] = useState<Patient[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(async (q: string) => {
    const r = await call('patients.list', q.trim() ? { query: q.trim() } : {});
    if (r.ok) {
      setPatients(r.value);
      setError(null);
    } else setError(r.error.message);
  }, []);

  useEffect(() => {
    void load(query);
  }, [query, load]);

  return (
    <section aria-labelledby="patients-title">
      <div className="toolbar">
        <h2 id="patients-title">Patients</h2>
        <input
          type="search"
          aria-label="Search patients by name or MRN"
          placeholder="Search by name or MRN"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        <button type="button" onClick={() => setCreating(true)} disabled={creating}>
          New patient
        </button>
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
            void load(query);
          }}
        />
      )}
      {error && (
        <p role="alert" className="banner banner-error">
          {error}
        </p>
      )}
      {patients === null && !error && <p aria-busy="true">Loading patients…</p>}
      {patients?.length === 0 && (
        <p className="empty">{query ? `No patient matches “${query}”.` : 'No patients yet. Add the first with New patient.'}</p>
      )}
      {patients && patients.length > 0 && (
        <table className="list">
          <caption className="visually-hidden">Patients</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">MRN</th>
              <th scope="col">Birth date</th>
              <th scope="col">Indications</th>
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
                <td>{p.birthDate}</td>
                <td>{p.indications.map((i) => INDICATION_LABELS[i]).join(', ')}</td>
                <td>{PATIENT_STATUS_LABELS[p.status]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
