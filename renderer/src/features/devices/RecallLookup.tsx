import { useState, type FormEvent } from 'react';
import { pumpRecallInput, type PumpRecallResult } from '../../../../shared/contract/devices';
import type { DeviceModel } from '../../../../shared/contract/record';
import { call } from '../../api/client';
import { firstErrors } from '../../components/form-errors';
import { PumpTable } from './PumpTable';
import { deviceLabel } from './labels';
import { ErrorBanner } from '../../components/ErrorBanner';

/** Which implanted pumps does a manufacturer's recall (model, serial range, implant dates) touch? */
export function RecallLookup({ devices }: { devices: DeviceModel[] }) {
  const [model, setModel] = useState('');
  const [serialFrom, setSerialFrom] = useState('');
  const [serialTo, setSerialTo] = useState('');
  const [implantedFrom, setImplantedFrom] = useState('');
  const [implantedTo, setImplantedTo] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [result, setResult] = useState<PumpRecallResult | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const parsed = pumpRecallInput.safeParse({
      deviceModelId: model ? Number(model) : undefined,
      serialFrom,
      serialTo,
      ...(implantedFrom ? { implantedFrom } : {}),
      ...(implantedTo ? { implantedTo } : {}),
    });
    if (!parsed.success) {
      setErrors(firstErrors(parsed.error.issues));
      setFormError('Please correct the fields marked below.');
      setResult(null);
      return;
    }
    setBusy(true);
    const r = await call('pumps.recall', parsed.data);
    setBusy(false);
    if (r.ok) {
      setErrors({});
      setFormError(null);
      setResult(r.value);
      return;
    }
    setResult(null);
    setErrors(r.error.field ? { [r.error.field]: r.error.message } : {});
    setFormError(r.error.message);
  }

  const fieldError = (name: string) =>
    errors[name] ? (
      <span className="field-error" id={`recall-${name}-error`}>
        {errors[name]}
      </span>
    ) : null;
  const a11y = (name: string) => ({ 'aria-invalid': !!errors[name], 'aria-describedby': errors[name] ? `recall-${name}-error` : undefined });

  return (
    <section aria-labelledby="recall-title" className="card">
      <h3 id="recall-title">Recall look-up</h3>
      <form className="form" onSubmit={submit} aria-labelledby="recall-title" noValidate>
        <ErrorBanner message={formError} />
        <div className="grid">
          <label>
            Device model
            <select value={model} onChange={(e) => setModel(e.target.value)} {...a11y('deviceModelId')}>
              <option value="">Choose…</option>
              {devices.map((d) => (
                <option key={d.id} value={d.id}>
                  {deviceLabel(d)}
                </option>
              ))}
            </select>
            {fieldError('deviceModelId')}
          </label>
          <label>
            Serial from
            <input value={serialFrom} onChange={(e) => setSerialFrom(e.target.value)} {...a11y('serialFrom')} />
            {fieldError('serialFrom')}
          </label>
          <label>
            Serial to
            <input value={serialTo} onChange={(e) => setSerialTo(e.target.value)} {...a11y('serialTo')} />
            {fieldError('serialTo')}
          </label>
          <label>
            Implanted from
            <input type="date" value={implantedFrom} onChange={(e) => setImplantedFrom(e.target.value)} {...a11y('implantedFrom')} />
            {fieldError('implantedFrom')}
          </label>
          <label>
            Implanted to
            <input type="date" value={implantedTo} onChange={(e) => setImplantedTo(e.target.value)} {...a11y('implantedTo')} />
            {fieldError('implantedTo')}
          </label>
        </div>
        <p className="hint">
          Serial bounds made only of digits are compared as numbers; otherwise a serial must have as many characters as the bounds and is compared letter by
          letter (case ignored). Both ends of each range are included.
        </p>
        <div className="actions">
          <button type="submit" disabled={busy}>
            {busy ? 'Looking up…' : 'Look up'}
          </button>
        </div>
      </form>
      {result && (
        <div aria-live="polite">
          <p className="recall-summary" role="status">
            {deviceLabel(result.deviceModel)}: {result.inPlace.length} {result.inPlace.length === 1 ? 'pump' : 'pumps'} still in place;{' '}
            {result.explantedCount} explanted {result.explantedCount === 1 ? 'match' : 'matches'}.
          </p>
          {result.inPlace.length === 0 ? <p className="empty">No pump matches.</p> : <PumpTable rows={result.inPlace} caption="Pumps matching the recall" />}
        </div>
      )}
    </section>
  );
}
