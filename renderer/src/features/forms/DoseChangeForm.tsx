import { useState, type FormEvent } from 'react';
import { doseChangeInput, type Drug, type PumpHistory } from '../../../../shared/contract/record';
import type { MassUnitName } from '../../../../shared/contract/quantities';
import { dailyDoseToNgPerDay } from '../../../../shared/domain/units';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { call } from '../../api/client';
import { date as showDate, formatNumber, localDates, mass } from '../../format';
import { FormCard, InputField, SelectField, TextAreaField, num, useChanged } from './fields';
import { doseChangeField } from './messages';
import type { FormContext } from './RecordActions';
import { currentPrescription } from './RefillForm';
import { useSubmit } from './submit';
import { useDefaultClinician } from '../accounts/session';

interface Props {
  history: PumpHistory;
  ctx: FormContext;
  onCancel(): void;
  onSaved(message: string): void;
}

/**
 * The question to ask before recording `value` a day of `drug`, when it is outside the drug's
 * typical daily dose (main records it with a warning: a dose change is a deliberate act, so a
 * slip of a decimal point or a unit is stopped here first); null when it is within the range or
 * cannot be judged (no range, not a number: main words that).
 */
export function outOfRangeQuestion(drug: Drug | undefined, value: number | undefined, unit: MassUnitName, nowDose: string | undefined): string | null {
  const range = drug?.typicalDoseNgPerDay;
  if (!drug || !range || value === undefined) return null;
  const ng = dailyDoseToNgPerDay(value, unit);
  if (!ng.ok || (ng.value >= range.min && ng.value <= range.max)) return null;
  const now = nowDose === undefined ? '' : ` (now ${formatNumber(Number(nowDose))} ${unit}/day)`;
  return `${drug.name} ${mass(ng.value, unit, '/day')} is outside the typical range ${mass(range.min, unit)} to ${mass(range.max, unit, '/day')}${now}. Record it anyway?`;
}

/**
 * The soft limit a new daily dose crosses, as a sentence, when it is above the drug's soft (typical)
 * daily dose range: the form then asks for an override reason inline. Null otherwise (below the
 * range main answers with a warning; step-up limits and hard limits are main's to word).
 */
export function softLimitNotice(drug: Drug | undefined, value: number | undefined, unit: MassUnitName): string | null {
  const range = drug?.typicalDoseNgPerDay;
  if (!drug || !range || value === undefined) return null;
  const ng = dailyDoseToNgPerDay(value, unit);
  if (!ng.ok || ng.value <= range.max) return null;
  return `${drug.name} ${mass(ng.value, unit, '/day')} is above the soft limit of ${mass(range.max, unit, '/day')}: give an override reason to record it.`;
}

/** A new daily dose for one drug of the current prescription, in that drug's own unit. */
export function DoseChangeForm({ history, ctx, onCancel, onSaved }: Props) {
  const prescription = currentPrescription(history);
  const [drug, setDrug] = useState(prescription[0]?.drug ?? '');
  const [dose, setDose] = useState('');
  const [date, setDate] = useState(ctx.today);
  const [clinician, setClinician] = useState(useDefaultClinician());
  const [note, setNote] = useState('');
  const [overrideReason, setOverrideReason] = useState('');
  const { errors, formError, saving, submit } = useSubmit({ toField: doseChangeField });
  // The out-of-range question being asked (see outOfRangeQuestion); null: none.
  const [question, setQuestion] = useState<string | null>(null);
  const changed = useChanged({ drug, dose, date, clinician, note, overrideReason });
  const fid = 'dose-form';
  const current = prescription.find((d) => d.drug === drug);
  const unit = current?.unit ?? ctx.drugs.find((d) => d.name === drug)?.unit ?? 'mg';
  const field = { formId: fid, errors };

  // Above the soft range: the override reason is asked inline (main refuses the dose without it).
  const softNotice = softLimitNotice(
    ctx.drugs.find((d) => d.name === drug),
    num(dose),
    unit,
  );
  const askReason = softNotice !== null || errors.overrideReason !== undefined;

  function save(e: FormEvent) {
    e.preventDefault();
    const asked = outOfRangeQuestion(
      ctx.drugs.find((d) => d.name === drug),
      num(dose),
      unit,
      current?.dose,
    );
    // Below the typical range: asked once; above it, the override reason field is the question.
    if (asked !== null && !askReason) setQuestion(asked);
    else send();
  }

  function send() {
    void submit(
      doseChangeInput.safeParse({ pumpId: history.pump.id, date, drug, dailyDose: { value: num(dose), unit }, clinician, note, overrideReason: askReason ? overrideReason : undefined }),
      (input) => call('doseChanges.record', input),
      ({ doseChange: c, warnings }) => {
        const w = warnings.map((x) => localDates(x.message)).join(' ');
        onSaved(`Dose change recorded: ${c.drug} ${mass(c.dailyDoseNgPerDay, c.unit, '/day')} from ${showDate(c.date)}.${w ? ` ${w}` : ''}`);
      },
    );
  }

  return (
    <FormCard id={fid} title={`Dose change · pump ${history.pump.serial}`} error={formError} saving={saving} submitLabel="Save dose change" onSubmit={save} onCancel={onCancel} changed={changed} discardWhat="dose change" confirming={question !== null}>
      {prescription.length === 0 && <p className="banner banner-warn">This pump has no fill recorded: record the fill before changing a dose.</p>}
      <div className="grid">
        <SelectField {...field} name="drug" label="Drug" value={drug} onChange={setDrug} options={prescription.map((d) => ({ value: d.drug, label: `${d.drug} (now ${formatNumber(Number(d.dose))} ${d.unit}/day)` }))} />
        <InputField {...field} name="dailyDose" label={`New daily dose (${unit}/day)`} inputMode="decimal" value={dose} onChange={setDose} />
        <InputField {...field} name="date" label="Date" type="date" max={ctx.today} value={date} onChange={setDate} />
        <InputField {...field} name="clinician" label="Clinician" value={clinician} onChange={setClinician} />
      </div>
      <TextAreaField {...field} name="note" label="Note" value={note} onChange={setNote} />
      {askReason && (
        <>
          {softNotice !== null && <p className="banner banner-warn">{softNotice}</p>}
          <TextAreaField {...field} name="overrideReason" label="Override reason (required: beyond a soft limit of the drug library)" value={overrideReason} onChange={setOverrideReason} />
        </>
      )}
      {question !== null && (
        <ConfirmDialog
          className="confirm-step"
          question={question}
          confirmLabel="Record it"
          cancelLabel="Go back"
          saving={saving}
          onConfirm={() => {
            setQuestion(null);
            send();
          }}
          onCancel={() => {
            setQuestion(null);
            // Back to the dose, to correct it (the form's first text input).
            setTimeout(() => document.getElementById(fid)?.querySelector<HTMLInputElement>('input')?.focus());
          }}
        />
      )}
    </FormCard>
  );
}
