import { useEffect, useRef, useState, type FormEvent } from 'react';
import { doseChangeInput, doseChangePreviewInput, type DoseChangePreview, type Drug, type PumpHistory } from '../../../../shared/contract/record';
import type { MassUnitName } from '../../../../shared/contract/quantities';
import { dailyDoseToNgPerDay, type NgPerDay } from '../../../../shared/domain/units';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { call } from '../../api/client';
import { date as showDate, formatNumber, localDates, mass } from '../../format';
import { describeDoseChange } from '../../../../shared/domain/dose-change';
import { DoseChangePreviewPanel } from './DoseChangePreviewPanel';
import { FormCard, InputField, SelectField, TextAreaField, num, useChanged } from './fields';
import { doseChangeField } from './messages';
import type { FormContext } from './RecordActions';
import { currentPrescription } from './RefillForm';
import { usePumpState, useSubmit } from './submit';
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
  const { pumpState, onConflict } = usePumpState(history);
  const { errors, formError, saving, submit } = useSubmit({ toField: doseChangeField, onConflict });
  // The out-of-range question being asked (see outOfRangeQuestion); null: none.
  const [question, setQuestion] = useState<string | null>(null);
  const changed = useChanged({ drug, dose, date, clinician, note, overrideReason });
  const fid = 'dose-form';
  const now = prescription.find((d) => d.drug === drug);
  const unit = now?.unit ?? ctx.drugs.find((d) => d.name === drug)?.unit ?? 'mg';
  const field = { formId: fid, errors };

  // The preview (every drug before and after, daily volume, dates) follows the fields as they are
  // typed (debounced); nothing is saved. Save waits until the preview of exactly these fields is in
  // (or main has answered why it cannot be computed: saving then shows that at its field).
  const input = { pumpId: history.pump.id, date, drug, dailyDose: { value: num(dose), unit } };
  const key = JSON.stringify(input);
  const [preview, setPreview] = useState<{ key: string; value: DoseChangePreview | null; problem: string | null } | null>(null);
  const seq = useRef(0);
  useEffect(() => {
    const mine = ++seq.current;
    const timer = setTimeout(() => {
      const parsed = doseChangePreviewInput.safeParse(JSON.parse(key)); // a preview saves nothing: no pump state needed
      if (!parsed.success) {
        setPreview({ key, value: null, problem: 'Enter the new daily dose and the date to see what the change does.' });
        return;
      }
      void call('doseChanges.preview', parsed.data).then((r) => {
        if (mine !== seq.current) return;
        setPreview(r.ok ? { key, value: r.value, problem: null } : { key, value: null, problem: localDates(r.error.message) });
      });
    }, 250);
    return () => clearTimeout(timer);
  }, [key]);
  const current = preview !== null && preview.key === key ? preview : null;
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
      now?.dose,
    );
    // Below the typical range: asked once; above it, the override reason field is the question.
    if (asked !== null && !askReason) setQuestion(asked);
    else send();
  }

  function send() {
    void submit(
      doseChangeInput.safeParse({ pumpId: history.pump.id, date, drug, dailyDose: { value: num(dose), unit }, clinician, note, overrideReason: askReason ? overrideReason : undefined, pumpState }),
      (input) => call('doseChanges.record', input),
      ({ doseChange: c, warnings, drugs, verification }) => {
        const w = warnings.map((x) => localDates(x.message)).join(' ');
        // An admixture: every drug's new dose (they share one flow rate).
        const what =
          drugs.length > 1
            ? `${describeDoseChange({ drugs: drugs.map((d) => ({ name: d.drug, unit: d.unit, beforeNgPerDay: d.beforeNgPerDay as NgPerDay, afterNgPerDay: d.afterNgPerDay as NgPerDay, typed: d.typed })) })} from ${showDate(c.date)}`
            : `${c.drug} ${mass(c.dailyDoseNgPerDay, c.unit, '/day')} from ${showDate(c.date)}`;
        const check = verification ? ' It awaits an independent double check by another clinician.' : '';
        onSaved(`Dose change recorded: ${what}.${check}${w ? ` ${w}` : ''}`);
      },
    );
  }

  return (
    <FormCard id={fid} title={`Dose change · pump ${history.pump.serial}`} error={formError} saving={saving} submitLabel="Save dose change" onSubmit={save} onCancel={onCancel} changed={changed} discardWhat="dose change" confirming={question !== null} submitDisabled={current === null}>
      {prescription.length === 0 && <p className="banner banner-warn">This pump has no fill recorded: record the fill before changing a dose.</p>}
      <div className="grid">
        <SelectField {...field} name="drug" label="Drug" value={drug} onChange={setDrug} options={prescription.map((d) => ({ value: d.drug, label: `${d.drug} (now ${formatNumber(Number(d.dose))} ${d.unit}/day)` }))} />
        <InputField {...field} name="dailyDose" label={`New daily dose (${unit}/day)`} inputMode="decimal" value={dose} onChange={setDose} />
        <InputField {...field} name="date" label="Date" type="date" max={ctx.today} value={date} onChange={setDate} />
        <InputField {...field} name="clinician" label="Clinician" value={clinician} onChange={setClinician} />
      </div>
      <TextAreaField {...field} name="note" label="Note" value={note} onChange={setNote} />
      {prescription.length > 0 && <DoseChangePreviewPanel preview={current?.value ?? null} problem={current?.problem ?? null} typedDrug={drug} />}
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
