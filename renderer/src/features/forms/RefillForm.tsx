import { useEffect, useRef, useState, type FormEvent } from 'react';
import { INFUSION_MODES, refillInput, refillPreviewInput, therapyRestartInput, type InfusionMode, type PumpHistory, type RefillPreview } from '../../../../shared/contract/record';
import type { MassUnitName } from '../../../../shared/contract/quantities';
import { call } from '../../api/client';
import { date as showDate, localDates } from '../../format';
import { ConfirmStep, FieldError, FormCard, InputField, SelectField, TextAreaField, aria, choices, inUnit, num, useChanged } from './fields';
import { refillField, refillPreviewProblem } from './messages';
import { usePumpState, useSubmit } from './submit';
import type { FormContext } from './RecordActions';
import { RefillPreviewPanel } from './RefillPreviewPanel';
import { currentPrescriptionOf } from '../../../../shared/domain/dose-change';
import { useDefaultClinician } from '../accounts/session';

interface DrugRow {
  drug: string;
  unit: MassUnitName;
  conc: string;
  dose: string;
  lot: string;
  expiry: string;
}

/**
 * The prescription in the reservoir now: the last refill's drugs after every dose change since then
 * (shared/domain/dose-change.ts). In an admixture a change of one drug changes the shared flow rate,
 * so every drug's dose is the current rate × its concentration (nearest ng, shown to 3 decimals of
 * its unit by `inUnit`): the pre-filled doses agree with one rate and the refill saves as it is.
 */
export function currentPrescription(h: PumpHistory): DrugRow[] {
  const last = h.refills.at(-1);
  if (!last) return [];
  const now = currentPrescriptionOf(h.refills, h.doseChanges);
  const doses = now.ok ? now.value.drugs : [];
  return last.drugs.map((d, i) => {
    const dose = doses[i]?.dailyDoseNgPerDay ?? d.dailyDoseNgPerDay;
    return { drug: d.drug, unit: d.unit, conc: inUnit(d.concentrationNgPerMl, d.unit), dose: inUnit(dose, d.unit), lot: '', expiry: '' };
  });
}

const MODE_LABELS: Record<InfusionMode, string> = { simple_continuous: 'Simple continuous', flex: 'Flex schedule', bolus: 'Patient boluses' };

interface Props {
  history: PumpHistory;
  ctx: FormContext;
  onCancel(): void;
  onSaved(message: string): void;
  /**
   * Restart therapy on a pump turned off at a therapy reversal: the same fields (a new prescription
   * and its first fill, pre-filled from the last one), no preview (nothing to compare with: the
   * pump was off), and a confirmation before `restarts.record`.
   */
  restart?: boolean;
}

export function RefillForm({ history, ctx, onCancel, onSaved, restart = false }: Props) {
  const { pump } = history;
  const last = history.refills.at(-1);
  const [confirming, setConfirming] = useState(false);
  const [date, setDate] = useState(ctx.today);
  const [withdrawn, setWithdrawn] = useState('');
  const [added, setAdded] = useState(String(pump.reservoirUl / 1000));
  const [mode, setMode] = useState<InfusionMode>(last?.mode ?? 'simple_continuous');
  const [extra, setExtra] = useState(last && last.extraVolumeUlPerDay > 0 ? String(last.extraVolumeUlPerDay / 1000) : '');
  const [drugs, setDrugs] = useState<DrugRow[]>(() => currentPrescription(history));
  const [portConfirmed, setPortConfirmed] = useState(false);
  const [clinician, setClinician] = useState(useDefaultClinician());
  const [note, setNote] = useState('');
  const [ack, setAck] = useState(false);
  // Why a value beyond a soft limit of the drug library is given anyway (asked when main says so).
  const [overrideReason, setOverrideReason] = useState('');
  const { pumpState, onConflict } = usePumpState(history);
  const { errors, formError, saving, submit: send, check, setErrors, setFormError } = useSubmit({ toField: refillField, onConflict });
  const [preview, setPreview] = useState<RefillPreview | null>(null);
  const [previewProblem, setPreviewProblem] = useState<string | null>(null);
  const seq = useRef(0);
  const fid = 'refill-form';

  const input = {
    pumpId: pump.id,
    date,
    withdrawnMl: withdrawn.trim() === '' ? null : num(withdrawn),
    addedMl: num(added),
    drugs: drugs.map((d) => ({
      drug: d.drug,
      concentration: { value: num(d.conc), unit: d.unit },
      dailyDose: { value: num(d.dose), unit: d.unit },
      lot: d.lot,
      expiryDate: d.expiry === '' ? undefined : d.expiry,
    })),
    mode,
    extraMlPerDay: mode === 'simple_continuous' ? undefined : num(extra),
    reservoirPortConfirmed: portConfirmed,
    clinician,
    note,
    acknowledgeDiscrepancy: ack,
    overrideReason,
    pumpState,
  };
  const changed = useChanged({ date, withdrawn, added, mode, extra, drugs, portConfirmed, clinician, note, ack });
  const key = JSON.stringify({ ...input, reservoirPortConfirmed: true, clinician: '', note: '', acknowledgeDiscrepancy: false, overrideReason: '' });

  // The preview follows the fields as they are typed (debounced); nothing is saved.
  useEffect(() => {
    if (restart) return;
    const mine = ++seq.current;
    const timer = setTimeout(() => {
      const sent = JSON.parse(key) as typeof input;
      const parsed = refillPreviewInput.safeParse(sent); // a preview saves nothing: no pump state needed
      if (!parsed.success) {
        setPreview(null);
        // In the form's words: the preview sits away from the field, so it names it by its label.
        setPreviewProblem(refillPreviewProblem(parsed.error.issues, sent.drugs.map((d) => d.drug)));
        return;
      }
      void call('refills.preview', parsed.data).then((r) => {
        if (mine !== seq.current) return;
        if (r.ok) {
          setPreview(r.value);
          setPreviewProblem(null);
        } else {
          setPreview(null);
          setPreviewProblem(localDates(r.error.message));
        }
      });
    }, 250);
    return () => clearTimeout(timer);
  }, [key, restart]);

  const setDrug = (i: number, patch: Partial<DrugRow>) => setDrugs((cur) => cur.map((d, j) => (j === i ? { ...d, ...patch } : d)));
  const unused = ctx.drugs.filter((d) => !drugs.some((x) => x.drug === d.name));

  const restartInput = () => {
    const { acknowledgeDiscrepancy: _ack, ...rest } = input;
    return therapyRestartInput.safeParse(rest);
  };

  function submit(e: FormEvent) {
    e.preventDefault();
    if (restart) {
      // Checked first, then confirmed: only the confirmation sends.
      if (!check(restartInput())) return;
      setErrors({});
      setFormError(null);
      setConfirming(true);
      return;
    }
    void send(refillInput.safeParse(input), (data) => call('refills.record', data), (r) => onSaved(`Refill recorded: next due ${showDate(r.refill.nextDueDate)}${r.verification ? '. It awaits an independent double check by another clinician.' : ''}`));
  }

  function confirmRestart() {
    setConfirming(false);
    void send(restartInput(), (data) => call('restarts.record', data), (r) => onSaved(`Therapy restarted on pump ${r.pump.serial}: next refill due ${showDate(r.refill.nextDueDate)}`));
  }
  const field = { formId: fid, errors };

  const flagged = preview?.discrepancyFlag === true;
  return (
    <FormCard
      id={fid}
      title={restart ? `Restart therapy · pump ${pump.serial}` : `Record refill · pump ${pump.serial}`}
      error={formError}
      saving={saving}
      submitLabel={restart ? 'Restart therapy…' : 'Save refill'}
      onSubmit={submit}
      onCancel={onCancel}
      changed={changed}
      discardWhat={restart ? 'restart' : 'refill'}
      confirming={confirming}
    >
      {restart && history.reversal && (
        <p>
          Therapy was stopped on {showDate(history.reversal.date)}. Enter the new prescription and its first fill; the restart is dated on or after that day. No expected residual is computed: the pump was
          off.
        </p>
      )}
      <div className="grid">
        <InputField {...field} name="date" label="Date" type="date" max={ctx.today} value={date} onChange={setDate} />
        <InputField {...field} name="withdrawnMl" label="Withdrawn residual (mL)" inputMode="decimal" value={withdrawn} onChange={setWithdrawn} />
        <InputField {...field} name="addedMl" label="Volume added (mL)" inputMode="decimal" value={added} onChange={setAdded} />
        <SelectField {...field} name="mode" label="Mode" value={mode} onChange={(v) => setMode(v as InfusionMode)} options={choices(INFUSION_MODES, MODE_LABELS)} />
        {mode !== 'simple_continuous' && <InputField {...field} name="extraMlPerDay" label="Extra volume per day (mL)" inputMode="decimal" value={extra} onChange={setExtra} />}
      </div>
      <fieldset className="drug-rows" aria-describedby={errors.drugs ? `${fid}-drugs-error` : undefined}>
        <legend>Drugs in the reservoir</legend>
        {drugs.map((d, i) => (
          <div className="drug-row" key={d.drug} role="group" aria-label={d.drug}>
            <strong className="drug-name">{d.drug}</strong>
            <label>
              {d.drug} concentration ({d.unit}/mL)
              <input inputMode="decimal" value={d.conc} onChange={(e) => setDrug(i, { conc: e.target.value })} {...aria(fid, errors, `drugs.${i}.concentration`)} />
              <FieldError formId={fid} errors={errors} name={`drugs.${i}.concentration`} />
            </label>
            <label>
              {d.drug} daily dose ({d.unit}/day)
              <input inputMode="decimal" value={d.dose} onChange={(e) => setDrug(i, { dose: e.target.value })} {...aria(fid, errors, `drugs.${i}.dailyDose`)} />
              <FieldError formId={fid} errors={errors} name={`drugs.${i}.dailyDose`} />
            </label>
            <label>
              {d.drug} lot
              <input value={d.lot} onChange={(e) => setDrug(i, { lot: e.target.value })} {...aria(fid, errors, `drugs.${i}.lot`)} />
              <FieldError formId={fid} errors={errors} name={`drugs.${i}.lot`} />
            </label>
            <label>
              {d.drug} expiry
              <input type="date" value={d.expiry} onChange={(e) => setDrug(i, { expiry: e.target.value })} {...aria(fid, errors, `drugs.${i}.expiryDate`)} />
              <FieldError formId={fid} errors={errors} name={`drugs.${i}.expiryDate`} />
            </label>
            <FieldError formId={fid} errors={errors} name={`drugs.${i}.drug`} />
            <button type="button" className="secondary" onClick={() => setDrugs((cur) => cur.filter((_, j) => j !== i))}>
              Remove {d.drug}
            </button>
          </div>
        ))}
        {unused.length > 0 && drugs.length < 4 && (
          <label>
            Add a drug
            <select
              value=""
              onChange={(e) => {
                const drug = ctx.drugs.find((x) => x.name === e.target.value);
                if (drug) setDrugs((cur) => [...cur, { drug: drug.name, unit: drug.unit, conc: '', dose: '', lot: '', expiry: '' }]);
              }}
            >
              <option value="">Choose…</option>
              {unused.map((x) => (
                <option key={x.id} value={x.name}>
                  {x.name} ({x.unit})
                </option>
              ))}
            </select>
          </label>
        )}
        {errors.drugs && (
          <span className="field-error" id={`${fid}-drugs-error`}>
            {errors.drugs}
          </span>
        )}
      </fieldset>

      {!restart && <RefillPreviewPanel preview={preview} problem={previewProblem} />}

      <label className="check">
        <input type="checkbox" checked={portConfirmed} onChange={(e) => setPortConfirmed(e.target.checked)} {...aria(fid, errors, 'reservoirPortConfirmed')} />
        The drug went into the reservoir port (not the catheter access port)
      </label>
      <FieldError formId={fid} errors={errors} name="reservoirPortConfirmed" />
      {(flagged || errors.acknowledgeDiscrepancy) && (
        <>
          <label className="check">
            <input type="checkbox" checked={ack} onChange={(e) => setAck(e.target.checked)} {...aria(fid, errors, 'acknowledgeDiscrepancy')} />
            I confirm the discrepancy and have noted what was checked
          </label>
          <FieldError formId={fid} errors={errors} name="acknowledgeDiscrepancy" />
        </>
      )}
      <div className="grid">
        <InputField {...field} name="clinician" label="Clinician" value={clinician} onChange={setClinician} />
      </div>
      <TextAreaField {...field} name="note" label={<>Note{flagged && ' (required: what was checked)'}</>} value={note} onChange={setNote} />
      {(errors.overrideReason !== undefined || overrideReason !== '') && (
        <TextAreaField {...field} name="overrideReason" label="Override reason (required: a drug is beyond a soft limit of the drug library)" value={overrideReason} onChange={setOverrideReason} />
      )}
      {confirming && (
        <ConfirmStep
          question={`Restart therapy on pump ${pump.serial} on ${showDate(date)} with ${drugs.map((d) => `${d.drug} ${d.conc} ${d.unit}/mL at ${d.dose} ${d.unit}/day`).join(' + ')}? The pump goes back on the worklist.`}
          confirmLabel="Yes, restart therapy"
          saving={saving}
          onConfirm={confirmRestart}
          onBack={() => setConfirming(false)}
        />
      )}
    </FormCard>
  );
}
