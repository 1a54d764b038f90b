import { useEffect, useState, type FormEvent } from 'react';
import { settingsUpdateInput, type ClinicSettings } from '../../../../shared/contract/record';
import { call } from '../../api/client';
import { forgetClinicSettings } from '../../api/clinic-settings';
import { firstErrors } from '../../components/form-errors';
import { mL } from '../../format';
import { Field, num } from './fields';
import { ErrorBanner } from '../../components/ErrorBanner';
import { ConflictValues } from '../forms/ConflictValues';

/** The form's own fields, checked before the confirmation; the version read is added when it is sent. */
const settingsFields = settingsUpdateInput.omit({ basedOn: true });
type Parsed = ReturnType<typeof settingsFields.parse>;

const ml = (ul: number) => String(ul / 1000);

/** Clinic name, time zone and the numbers every pump's projection is computed with. */
export function ClinicSettingsForm() {
  const [saved, setSaved] = useState<ClinicSettings | null>(null);
  const [form, setForm] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [pending, setPending] = useState<Parsed | null>(null);
  const [saving, setSaving] = useState(false);
  // The settings' version as read (sent as `basedOn`), and what someone else saved first.
  const [version, setVersion] = useState<number | undefined>(undefined);
  const [current, setCurrent] = useState<ClinicSettings | null>(null);

  function show(s: ClinicSettings & { version?: number }) {
    if (s.version !== undefined) setVersion(s.version);
    setCurrent(null);
    setSaved(s);
    setForm({
      clinicName: s.clinicName,
      clinicPhone: s.clinicPhone,
      timeZone: s.timeZone,
      safetyMarginDays: String(s.safetyMarginDays),
      maxIntervalDays: String(s.maxIntervalDays),
      discrepancyThresholdSmallMl: ml(s.discrepancyThresholdSmallUl),
      discrepancyThresholdLargeMl: ml(s.discrepancyThresholdLargeUl),
      dueWindowDays: String(s.dueWindowDays),
      doubleCheckDoseIncreases: String(s.doubleCheckDoseIncreases),
      doubleCheckSoftLimitOverrides: String(s.doubleCheckSoftLimitOverrides),
    });
  }

  useEffect(() => {
    void call('settings.get', {}).then((r) => (r.ok ? show(r.value) : setFormError(r.error.message)));
  }, []);

  const set = (k: string) => (e: { target: { value: string } }) => {
    setForm((f) => ({ ...f, [k]: e.target.value }));
    setPending(null);
    setNotice(null);
  };

  function review(e: FormEvent) {
    e.preventDefault();
    setNotice(null);
    const parsed = settingsFields.safeParse({
      clinicName: form.clinicName,
      clinicPhone: form.clinicPhone ?? '',
      timeZone: form.timeZone,
      safetyMarginDays: num(form.safetyMarginDays ?? ''),
      maxIntervalDays: num(form.maxIntervalDays ?? ''),
      discrepancyThresholdSmallMl: num(form.discrepancyThresholdSmallMl ?? ''),
      discrepancyThresholdLargeMl: num(form.discrepancyThresholdLargeMl ?? ''),
      dueWindowDays: num(form.dueWindowDays ?? ''),
      doubleCheckDoseIncreases: form.doubleCheckDoseIncreases === 'true',
      doubleCheckSoftLimitOverrides: form.doubleCheckSoftLimitOverrides === 'true',
    });
    if (!parsed.success) {
      setErrors(firstErrors(parsed.error.issues));
      setFormError('Please correct the fields marked below. Nothing was saved.');
      setPending(null);
      return;
    }
    setErrors({});
    setFormError(null);
    setPending(parsed.data);
  }

  async function confirm() {
    if (!pending) return;
    if (version === undefined) {
      setFormError('The settings have not been read yet: reload the page. Nothing was saved.');
      return;
    }
    setSaving(true);
    const r = await call('settings.update', { ...pending, basedOn: version });
    setSaving(false);
    setPending(null);
    if (r.ok) {
      forgetClinicSettings(); // the record screens read the new settings
      show(r.value);
      // The version now (this save's): read again, so the next save is based on it.
      void call('settings.get', {}).then((g) => g.ok && show(g.value));
      setNotice('Settings saved. Every pump’s projection was recomputed.');
      return;
    }
    if (r.error.field) setErrors({ [r.error.field]: r.error.message });
    setFormError(r.error.message);
    // Someone else saved first: the values now beside the form, which keeps what was typed.
    if (r.error.conflict) {
      setVersion(r.error.conflict.version);
      setCurrent(r.error.conflict.current as ClinicSettings);
    }
  }

  if (!saved) return formError ? <p role="alert" className="banner banner-error">{formError}</p> : <p aria-busy="true">Loading settings…</p>;

  const field = (key: string, label: string, type: 'text' | 'number' = 'number', step?: string) => (
    <Field id={`settings-${key}`} label={label} error={errors[key]}>
      {(a11y) => <input {...a11y} type={type} step={step} value={form[key] ?? ''} onChange={set(key)} />}
    </Field>
  );

  const check = (key: string, label: string) => (
    <label className="check">
      <input
        type="checkbox"
        checked={form[key] === 'true'}
        onChange={(e) => set(key)({ target: { value: String(e.target.checked) } })}
      />
      {label}
    </label>
  );

  return (
    <form className="card form" onSubmit={review} aria-labelledby="clinic-settings-title" noValidate>
      <h3 id="clinic-settings-title">Clinic settings</h3>
      <p className="hint">Changing these recomputes every pump’s projection: alarm and next-due dates on the Worklist and in every record.</p>
      <ErrorBanner message={formError} />
      {current && (
        <ConflictValues
          id="clinic-settings-conflict"
          rows={[
            ['Clinic name', current.clinicName],
            ['Clinic phone', current.clinicPhone],
            ['Time zone', current.timeZone],
            ['Safety margin (days)', String(current.safetyMarginDays)],
            ['Maximum interval (days)', String(current.maxIntervalDays)],
            ['Discrepancy threshold, small reservoirs', mL(current.discrepancyThresholdSmallUl)],
            ['Discrepancy threshold, large reservoirs', mL(current.discrepancyThresholdLargeUl)],
            ['Due window (days)', String(current.dueWindowDays)],
          ]}
        />
      )}
      {notice && (
        <p role="status" className="banner banner-ok">
          {notice}
        </p>
      )}
      <div className="grid">
        {field('clinicName', 'Clinic name', 'text')}
        {field('clinicPhone', "Clinic phone (printed on the patient's card)", 'text')}
        {field('timeZone', 'Time zone', 'text')}
        {field('safetyMarginDays', 'Safety margin (days before the alarm)')}
        {field('maxIntervalDays', 'Maximum refill interval (days)')}
        {field('discrepancyThresholdSmallMl', `Discrepancy threshold, reservoirs up to ${mL(saved.smallReservoirMaxUl, 0)} (mL)`, 'number', '0.001')}
        {field('discrepancyThresholdLargeMl', `Discrepancy threshold, larger reservoirs (mL)`, 'number', '0.001')}
        {field('dueWindowDays', 'Due window (days)')}
      </div>
      <fieldset className="double-check-settings">
        <legend>Independent double check (a second clinician verifies with their password)</legend>
        {check('doubleCheckDoseIncreases', 'Opioid (morphine, hydromorphone, fentanyl, sufentanil) and ziconotide dose increases, first fills and restarts')}
        {check('doubleCheckSoftLimitOverrides', 'Any entry saved beyond a soft limit of the drug library (with an override reason)')}
      </fieldset>
      {pending ? (
        <div className="banner banner-warn confirm" role="group" aria-label="Confirm settings change">
          <p>This changes the due dates of every pump. Save these settings?</p>
          <div className="actions">
            <button type="button" onClick={() => void confirm()} disabled={saving}>
              {saving ? 'Saving…' : 'Confirm and save'}
            </button>
            <button type="button" className="secondary" onClick={() => setPending(null)}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <div className="actions">
          <button type="submit">Save settings</button>
          <button type="button" className="secondary" onClick={() => { show(saved); setErrors({}); setFormError(null); }}>
            Revert
          </button>
        </div>
      )}
    </form>
  );
}
