import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { MASS_UNITS, type MassUnitName } from '../../../../shared/contract/quantities';
import { drugSaveInput, type Drug } from '../../../../shared/contract/record';
import { call } from '../../api/client';
import { firstErrors } from '../../components/form-errors';
import { mass } from '../../format';
import { Field, num, numOrNull } from './fields';

const NG_PER: Record<MassUnitName, number> = { mg: 1_000_000, mcg: 1_000 };
const inUnit = (ng: number | null | undefined, unit: MassUnitName) => (ng === null || ng === undefined ? '' : String(Number((ng / NG_PER[unit]).toFixed(3))));
const range = (r: { min: number; max: number } | null, unit: MassUnitName, per: string) => (r ? `${mass(r.min, unit)}–${mass(r.max, unit, per)}` : '—');

type Draft = Record<'name' | 'unit' | 'tcMin' | 'tcMax' | 'maxConc' | 'tdMin' | 'tdMax' | 'maxDose' | 'stabilityDays', string> & { id?: number };

const blank: Draft = { name: '', unit: '', tcMin: '', tcMax: '', maxConc: '', tdMin: '', tdMax: '', maxDose: '', stabilityDays: '' };

function draftOf(d: Drug): Draft {
  return {
    id: d.id,
    name: d.name,
    unit: d.unit,
    tcMin: inUnit(d.typicalConcNgPerMl?.min, d.unit),
    tcMax: inUnit(d.typicalConcNgPerMl?.max, d.unit),
    maxConc: inUnit(d.maxConcNgPerMl, d.unit),
    tdMin: inUnit(d.typicalDoseNgPerDay?.min, d.unit),
    tdMax: inUnit(d.typicalDoseNgPerDay?.max, d.unit),
    maxDose: inUnit(d.maxDoseNgPerDay, d.unit),
    stabilityDays: d.stabilityDays === null ? '' : String(d.stabilityDays),
  };
}

/** The clinic's drug list: amounts are entered in the drug's own unit, which cannot change once saved. */
export function DrugListEditor() {
  const [drugs, setDrugs] = useState<Drug[] | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(async () => {
    const r = await call('drugs.list', {});
    if (r.ok) setDrugs(r.value);
    else setFormError(r.error.message);
  }, []);
  useEffect(() => void load(), [load]);

  function open(d: Draft) {
    setDraft(d);
    setErrors({});
    setFormError(null);
    setNotice(null);
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!draft) return;
    const unit = draft.unit;
    const amt = (s: string) => ({ value: num(s), unit });
    const optAmt = (s: string) => (s.trim() === '' ? null : amt(s));
    const pair = (a: string, b: string) => (a.trim() === '' && b.trim() === '' ? null : { min: amt(a), max: amt(b) });
    const parsed = drugSaveInput.safeParse({
      ...(draft.id === undefined ? {} : { id: draft.id }),
      name: draft.name,
      unit,
      typicalConcentration: pair(draft.tcMin, draft.tcMax),
      maxConcentration: optAmt(draft.maxConc),
      typicalDailyDose: pair(draft.tdMin, draft.tdMax),
      maxDailyDose: optAmt(draft.maxDose),
      stabilityDays: numOrNull(draft.stabilityDays),
    });
    if (!parsed.success) {
      setErrors(firstErrors(parsed.error.issues));
      setFormError('Please correct the fields marked below.');
      return;
    }
    const r = await call('drugs.save', parsed.data);
    if (r.ok) {
      setDraft(null);
      setNotice(`Saved ${r.value.name}.`);
      void load();
      return;
    }
    setErrors(r.error.field ? { [r.error.field.split('.')[0]!]: r.error.message } : {});
    setFormError(r.error.message);
  }

  const field = (key: keyof Omit<Draft, 'id'>, label: string, errorKey: string = key) => (
    <Field id={`drug-${key}`} label={label} error={errors[errorKey]}>
      {(a11y) => <input {...a11y} type={key === 'name' ? 'text' : 'number'} step="any" value={draft?.[key] ?? ''} onChange={(e) => setDraft((d) => d && { ...d, [key]: e.target.value })} />}
    </Field>
  );
  const u = draft?.unit || 'mg or mcg';

  return (
    <section className="card" aria-labelledby="drugs-title">
      <div className="toolbar">
        <h3 id="drugs-title">Drug list</h3>
        <button type="button" onClick={() => open(blank)} disabled={draft !== null}>
          Add drug
        </button>
      </div>
      {notice && (
        <p role="status" className="banner banner-ok">
          {notice}
        </p>
      )}
      {drugs && (
        <table className="list">
          <caption className="visually-hidden">Drugs</caption>
          <thead>
            <tr>
              <th scope="col">Drug</th>
              <th scope="col">Unit</th>
              <th scope="col">Typical concentration</th>
              <th scope="col">Maximum concentration</th>
              <th scope="col">Typical daily dose</th>
              <th scope="col">Maximum daily dose</th>
              <th scope="col">Stability</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {drugs.map((d) => (
              <tr key={d.id}>
                <td>{d.name}</td>
                <td>{d.unit}</td>
                <td>{range(d.typicalConcNgPerMl, d.unit, '/mL')}</td>
                <td>{d.maxConcNgPerMl === null ? '—' : mass(d.maxConcNgPerMl, d.unit, '/mL')}</td>
                <td>{range(d.typicalDoseNgPerDay, d.unit, '/day')}</td>
                <td>{d.maxDoseNgPerDay === null ? '—' : mass(d.maxDoseNgPerDay, d.unit, '/day')}</td>
                <td>{d.stabilityDays === null ? '—' : `${d.stabilityDays} days`}</td>
                <td>
                  <button type="button" className="secondary" onClick={() => open(draftOf(d))} aria-label={`Edit ${d.name}`} disabled={draft !== null}>
                    Edit
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {draft && (
        <form className="form card" onSubmit={submit} aria-labelledby="drug-form-title" noValidate>
          <h4 id="drug-form-title">{draft.id === undefined ? 'New drug' : `Edit ${draft.name}`}</h4>
          {formError && (
            <p role="alert" className="banner banner-error">
              {formError}
            </p>
          )}
          <div className="grid">
            {field('name', 'Name')}
            <Field id="drug-unit" label="Unit" error={errors.unit}>
              {(a11y) => (
                <select {...a11y} value={draft.unit} disabled={draft.id !== undefined} onChange={(e) => setDraft((d) => d && { ...d, unit: e.target.value })}>
                  <option value="">Choose…</option>
                  {MASS_UNITS.map((m) => (
                    <option key={m} value={m}>
                      {m}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            {field('tcMin', `Typical concentration from (${u}/mL)`, 'typicalConcentration')}
            {field('tcMax', `Typical concentration to (${u}/mL)`, 'typicalConcentration')}
            {field('maxConc', `Maximum concentration (${u}/mL)`, 'maxConcentration')}
            {field('tdMin', `Typical daily dose from (${u}/day)`, 'typicalDailyDose')}
            {field('tdMax', `Typical daily dose to (${u}/day)`, 'typicalDailyDose')}
            {field('maxDose', `Maximum daily dose (${u}/day)`, 'maxDailyDose')}
            {field('stabilityDays', 'Stability (days)')}
          </div>
          {draft.id !== undefined && <p className="hint">The unit of a saved drug cannot change: past prescriptions are recorded in it.</p>}
          <div className="actions">
            <button type="submit">Save drug</button>
            <button type="button" className="secondary" onClick={() => setDraft(null)}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
