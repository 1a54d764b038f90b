import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { DEVICE_KINDS, deviceSaveInput, type DeviceModel } from '../../../../shared/contract/record';
import { call } from '../../api/client';
import { firstErrors } from '../../components/form-errors';
import { mL } from '../../format';
import { Field, num, numOrNull } from './fields';

const KIND_LABELS = { programmable: 'Programmable', constant_flow: 'Constant flow' } as const;

type Draft = Record<'manufacturer' | 'model' | 'catalogueNumbers' | 'reservoirMl' | 'defaultAlarmMl' | 'serviceLifeMonths' | 'replacementLeadMonths' | 'kind' | 'mriNotes', string> & {
  id?: number;
};
const blank: Draft = { manufacturer: '', model: '', catalogueNumbers: '', reservoirMl: '', defaultAlarmMl: '', serviceLifeMonths: '', replacementLeadMonths: '6', kind: 'programmable', mriNotes: '' };

function draftOf(d: DeviceModel): Draft {
  return {
    id: d.id,
    manufacturer: d.manufacturer,
    model: d.model,
    catalogueNumbers: d.catalogueNumbers.join(', '),
    reservoirMl: String(d.reservoirUl / 1000),
    defaultAlarmMl: String(d.defaultAlarmUl / 1000),
    serviceLifeMonths: d.serviceLifeMonths === null ? '' : String(d.serviceLifeMonths),
    replacementLeadMonths: String(d.replacementLeadMonths),
    kind: d.kind,
    mriNotes: d.mriNotes ?? '',
  };
}

/** The device catalog: the pump models a pump can be implanted as. */
export function DeviceCatalogEditor() {
  const [devices, setDevices] = useState<DeviceModel[] | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(async () => {
    const r = await call('devices.list', {});
    if (r.ok) setDevices(r.value);
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
    const parsed = deviceSaveInput.safeParse({
      ...(draft.id === undefined ? {} : { id: draft.id }),
      manufacturer: draft.manufacturer,
      model: draft.model,
      catalogueNumbers: draft.catalogueNumbers
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== ''),
      reservoirMl: num(draft.reservoirMl),
      defaultAlarmMl: num(draft.defaultAlarmMl),
      serviceLifeMonths: numOrNull(draft.serviceLifeMonths),
      replacementLeadMonths: num(draft.replacementLeadMonths),
      kind: draft.kind,
      mriNotes: draft.mriNotes,
    });
    if (!parsed.success) {
      setErrors(firstErrors(parsed.error.issues));
      setFormError('Please correct the fields marked below.');
      return;
    }
    const r = await call('devices.save', parsed.data);
    if (r.ok) {
      setDraft(null);
      setNotice(`Saved ${r.value.manufacturer} ${r.value.model}.`);
      void load();
      return;
    }
    setErrors(r.error.field ? { [r.error.field.split('.')[0]!]: r.error.message } : {});
    setFormError(r.error.message);
  }

  const field = (key: keyof Omit<Draft, 'id' | 'kind' | 'mriNotes'>, label: string, type: 'text' | 'number' = 'number') => (
    <Field id={`device-${key}`} label={label} error={errors[key]}>
      {(a11y) => <input {...a11y} type={type} step="any" value={draft?.[key] ?? ''} onChange={(e) => setDraft((d) => d && { ...d, [key]: e.target.value })} />}
    </Field>
  );

  return (
    <section className="card" aria-labelledby="catalog-title">
      <div className="toolbar">
        <h3 id="catalog-title">Device catalog</h3>
        <button type="button" onClick={() => open(blank)} disabled={draft !== null}>
          Add device model
        </button>
      </div>
      {notice && (
        <p role="status" className="banner banner-ok">
          {notice}
        </p>
      )}
      {devices && (
        <table className="list">
          <caption className="visually-hidden">Device models</caption>
          <thead>
            <tr>
              <th scope="col">Manufacturer</th>
              <th scope="col">Model</th>
              <th scope="col">Catalogue numbers</th>
              <th scope="col">Reservoir</th>
              <th scope="col">Default alarm</th>
              <th scope="col">Service life</th>
              <th scope="col">Replacement lead</th>
              <th scope="col">Kind</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {devices.map((d) => (
              <tr key={d.id}>
                <td>{d.manufacturer}</td>
                <td>{d.model}</td>
                <td>{d.catalogueNumbers.join(', ') || '—'}</td>
                <td>{mL(d.reservoirUl, 0)}</td>
                <td>{mL(d.defaultAlarmUl, 1)}</td>
                <td>{d.serviceLifeMonths === null ? 'Not set' : `${d.serviceLifeMonths} months`}</td>
                <td>{d.replacementLeadMonths} months</td>
                <td>{KIND_LABELS[d.kind]}</td>
                <td>
                  <button type="button" className="secondary" onClick={() => open(draftOf(d))} aria-label={`Edit ${d.manufacturer} ${d.model} ${mL(d.reservoirUl, 0)}`} disabled={draft !== null}>
                    Edit
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {draft && (
        <form className="form card" onSubmit={submit} aria-labelledby="device-form-title" noValidate>
          <h4 id="device-form-title">{draft.id === undefined ? 'New device model' : `Edit ${draft.manufacturer} ${draft.model}`}</h4>
          {formError && (
            <p role="alert" className="banner banner-error">
              {formError}
            </p>
          )}
          <div className="grid">
            {field('manufacturer', 'Manufacturer', 'text')}
            {field('model', 'Model', 'text')}
            {field('catalogueNumbers', 'Catalogue numbers (comma-separated)', 'text')}
            {field('reservoirMl', 'Reservoir (mL)')}
            {field('defaultAlarmMl', 'Default low-reservoir alarm (mL)')}
            {field('serviceLifeMonths', 'Service life (months; blank if unknown)')}
            {field('replacementLeadMonths', 'Replacement lead time (months)')}
            <Field id="device-kind" label="Kind" error={errors.kind}>
              {(a11y) => (
                <select {...a11y} value={draft.kind} onChange={(e) => setDraft((d) => d && { ...d, kind: e.target.value })}>
                  {DEVICE_KINDS.map((k) => (
                    <option key={k} value={k}>
                      {KIND_LABELS[k]}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </div>
          <Field id="device-mriNotes" label="MRI notes" error={errors.mriNotes}>
            {(a11y) => <textarea {...a11y} rows={2} value={draft.mriNotes} onChange={(e) => setDraft((d) => d && { ...d, mriNotes: e.target.value })} />}
          </Field>
          <div className="actions">
            <button type="submit">Save device model</button>
            <button type="button" className="secondary" onClick={() => setDraft(null)}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
