import { useState, type FormEvent } from 'react';
import { doseChangeInput, type PumpHistory } from '../../../../shared/contract/record';
import { call } from '../../api/client';
import { date as showDate, formatNumber, mass } from '../../format';
import { FormCard, InputField, SelectField, TextAreaField, num, useChanged } from './fields';
import { doseChangeField } from './messages';
import type { FormContext } from './RecordActions';
import { currentPrescription } from './RefillForm';
import { useSubmit } from './submit';

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
  const { errors, formError, saving, submit } = useSubmit({ toField: doseChangeField });
  const changed = useChanged({ drug, dose, date, clinician, note });
  const fid = 'dose-form';
  const current = prescription.find((d) => d.drug === drug);
  const unit = current?.unit ?? ctx.drugs.find((d) => d.name === drug)?.unit ?? 'mg';
  const field = { formId: fid, errors };

  function save(e: FormEvent) {
    e.preventDefault();
    void submit(
      doseChangeInput.safeParse({ pumpId: history.pump.id, date, drug, dailyDose: { value: num(dose), unit }, clinician, note }),
      (input) => call('doseChanges.record', input),
      ({ doseChange: c, warnings }) => {
        const w = warnings.map((x) => x.message).join(' ');
        onSaved(`Dose change recorded: ${c.drug} ${mass(c.dailyDoseNgPerDay, c.unit, '/day')} from ${showDate(c.date)}.${w ? ` ${w}` : ''}`);
      },
    );
  }

  return (
    <FormCard id={fid} title={`Dose change · pump ${history.pump.serial}`} error={formError} saving={saving} submitLabel="Save dose change" onSubmit={save} onCancel={onCancel} changed={changed} discardWhat="dose change">
      {prescription.length === 0 && <p className="banner banner-warn">This pump has no fill recorded: record the fill before changing a dose.</p>}
      <div className="grid">
        <SelectField {...field} name="drug" label="Drug" value={drug} onChange={setDrug} options={prescription.map((d) => ({ value: d.drug, label: `${d.drug} (now ${formatNumber(Number(d.dose))} ${d.unit}/day)` }))} />
        <InputField {...field} name="dailyDose" label={`New daily dose (${unit}/day)`} inputMode="decimal" value={dose} onChange={setDose} />
        <InputField {...field} name="date" label="Date" type="date" max={ctx.today} value={date} onChange={setDate} />
        <InputField {...field} name="clinician" label="Clinician" value={clinician} onChange={setClinician} />
      </div>
      <TextAreaField {...field} name="note" label="Note" value={note} onChange={setNote} />
    </FormCard>
  );
}
