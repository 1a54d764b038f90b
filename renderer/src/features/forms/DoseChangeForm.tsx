import { useState, type FormEvent } from 'react';
import { doseChangeInput, type PumpHistory } from '../../../../shared/contract/record';
import { call } from '../../api/client';
import { FieldError, FormCard, aria, issuesToErrors, mainErrors, num, type Errors } from './fields';
import type { FormContext } from './RecordActions';
import { currentPrescription } from './RefillForm';

interface Props {
  history: PumpHistory;
  ctx: FormContext;
  onCancel(): void;
  onSaved(message: string): void;
}

/** A new daily dose for one drug of the current prescription, in that drug's own unit. */
export function DoseChangeForm({ history, ctx, onCancel, onSaved }: Props) {
  const prescription = currentPrescription(history);
  const [drug, setDrug] = useState(prescription[0]?.drug ?? '');
  const [dose, setDose] = useState('');
  const [date, setDate] = useState(ctx.today);
  const [clinician, setClinician] = useState('');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const fid = 'dose-form';
  const current = prescription.find((d) => d.drug === drug);
  const unit = current?.unit ?? ctx.drugs.find((d) => d.name === drug)?.unit ?? 'mg';

  async function submit(e: FormEvent) {
    e.preventDefault();
    const parsed = doseChangeInput.safeParse({ pumpId: history.pump.id, date, drug, dailyDose: { value: num(dose), unit }, clinician, note });
    if (!parsed.success) {
      setErrors(issuesToErrors(parsed.error.issues));
      setFormError('Please correct the fields marked below. Nothing was saved.');
      return;
    }
    setSaving(true);
    const r = await call('doseChanges.record', parsed.data);
    setSaving(false);
    if (r.ok) {
      const w = r.value.warnings.map((x) => x.message).join(' ');
      onSaved(`Dose change recorded: ${r.value.doseChange.drug} ${dose} ${unit}/day from ${r.value.doseChange.date}.${w ? ` ${w}` : ''}`);
      return;
    }
    setErrors(mainErrors(r.error));
    setFormError(`${r.error.message} Nothing was saved.`);
  }

  return (
    <FormCard id={fid} title={`Dose change · pump ${history.pump.serial}`} error={formError} saving={saving} submitLabel="Save dose change" onSubmit={submit} onCancel={onCancel}>
      {prescription.length === 0 && <p className="banner banner-warn">This pump has no fill recorded: record the fill before changing a dose.</p>}
      <div className="grid">
        <label>
          Drug
          <select value={drug} onChange={(e) => setDrug(e.target.value)} {...aria(fid, errors, 'drug')}>
            {prescription.map((d) => (
              <option key={d.drug} value={d.drug}>
                {d.drug} (now {d.dose} {d.unit}/day)
              </option>
            ))}
          </select>
          <FieldError formId={fid} errors={errors} name="drug" />
        </label>
        <label>
          New daily dose ({unit}/day)
          <input inputMode="decimal" value={dose} onChange={(e) => setDose(e.target.value)} {...aria(fid, errors, 'dailyDose')} />
          <FieldError formId={fid} errors={errors} name="dailyDose" />
        </label>
        <label>
          Date
          <input type="date" value={date} onChange={(e) => setDate(e.target.value)} {...aria(fid, errors, 'date')} />
          <FieldError formId={fid} errors={errors} name="date" />
        </label>
        <label>
          Clinician
          <input value={clinician} onChange={(e) => setClinician(e.target.value)} {...aria(fid, errors, 'clinician')} />
          <FieldError formId={fid} errors={errors} name="clinician" />
        </label>
      </div>
      <label>
        Note
        <textarea rows={2} value={note} onChange={(e) => setNote(e.target.value)} {...aria(fid, errors, 'note')} />
        <FieldError formId={fid} errors={errors} name="note" />
      </label>
    </FormCard>
  );
}
