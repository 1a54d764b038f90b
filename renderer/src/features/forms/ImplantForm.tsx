import { useState, type FormEvent } from 'react';
import { POCKET_SIDES, pumpImplantInput, type DeviceModel } from '../../../../shared/contract/record';
import { matchDeviceModel } from '../../../../shared/domain/device-match';
import { call } from '../../api/client';
import { date, mL } from '../../format';
import { FieldError, FormCard, InputField, SelectField, aria, choices, num, useChanged, type Errors } from './fields';
import { choiceMessage } from './messages';
import { useSubmit } from './submit';
import type { FormContext } from './RecordActions';

export interface PumpFieldValues {
  deviceModelId: string;
  serial: string;
  udi: string;
  implantDate: string;
  implantingPhysician: string;
  catheterModel: string;
  catheterTipLevel: string;
  catheterLengthCm: string;
  catheterVolumeMl: string;
  pocketSide: string;
  alarmMl: string;
}

export const emptyPump = (today: string): PumpFieldValues => ({
  deviceModelId: '',
  serial: '',
  udi: '',
  implantDate: today,
  implantingPhysician: '',
  catheterModel: '',
  catheterTipLevel: '',
  catheterLengthCm: '',
  catheterVolumeMl: '',
  pocketSide: '',
  alarmMl: '',
});

/** The pump fields as the contract takes them (numbers parsed, blanks left out). */
export function pumpInput(v: PumpFieldValues) {
  return {
    deviceModelId: num(v.deviceModelId),
    serial: v.serial,
    udi: v.udi,
    implantDate: v.implantDate,
    implantingPhysician: v.implantingPhysician,
    catheterModel: v.catheterModel,
    catheterTipLevel: v.catheterTipLevel,
    catheterLengthCm: num(v.catheterLengthCm),
    catheterVolumeMl: num(v.catheterVolumeMl),
    pocketSide: v.pocketSide === '' ? undefined : v.pocketSide,
    alarmMl: num(v.alarmMl),
  };
}

const POCKET_CHOICES = choices(POCKET_SIDES);

/** The pump fields' choice messages in the form's words (the schema says "must be a record id"), under `prefix`. */
export const pumpChoiceMessages = (prefix = ''): Record<string, string> => ({
  [`${prefix}deviceModelId`]: 'Choose the pump model',
  [`${prefix}pocketSide`]: choiceMessage('Choose the pocket side', POCKET_CHOICES),
});

/**
 * Model, serial, UDI, implant date, catheter and alarm fields; `prefix` is the error path prefix (`replacement.`).
 * `today` bounds the implant date: main refuses an implant dated after the clinic's today.
 */
export function PumpFields({ fid, value, onChange, errors, devices, prefix = '', today }: { fid: string; value: PumpFieldValues; onChange(v: PumpFieldValues): void; errors: Errors; devices: DeviceModel[]; prefix?: string; today: string }) {
  const set = (patch: Partial<PumpFieldValues>) => onChange({ ...value, ...patch });
  const chooseModel = (d: DeviceModel | undefined, id: string) => set({ deviceModelId: id, alarmMl: d ? String(d.defaultAlarmUl / 1000) : '' });
  // The look-up finds the model as the import does (shared/domain/device-match.ts): a catalogue
  // number, or a name or alias with its reservoir ("Prometra II 20" is not enough: pick the size below).
  const [lookup, setLookup] = useState('');
  const [lookupProblem, setLookupProblem] = useState<string | null>(null);
  const lookupId = `${fid}-${prefix}model-lookup`;
  function find(text: string, final: boolean) {
    setLookup(text);
    if (text.trim() === '') return setLookupProblem(null);
    const m = matchDeviceModel(devices, { manufacturer: '', model: text, reservoirUl: null });
    if (m.ok) {
      setLookupProblem(null);
      if (String(m.model.id) !== value.deviceModelId) chooseModel(m.model, String(m.model.id));
    } else setLookupProblem(final ? m.message : null);
  }
  const text = (name: keyof PumpFieldValues, title: string, type: 'text' | 'date' | 'decimal' = 'text') => (
    <InputField formId={fid} errors={errors} name={prefix + name} label={title} type={type === 'date' ? 'date' : 'text'} max={type === 'date' ? today : undefined} inputMode={type === 'decimal' ? 'decimal' : undefined} value={value[name]} onChange={(v) => set({ [name]: v })} />
  );
  return (
    <div className="grid">
      <label>
        Model
        <select
          value={value.deviceModelId}
          onChange={(e) => chooseModel(devices.find((x) => String(x.id) === e.target.value), e.target.value)}
          {...aria(fid, errors, `${prefix}deviceModelId`)}
        >
          <option value="">Choose…</option>
          {devices.map((d) => (
            <option key={d.id} value={d.id}>
              {d.manufacturer} {d.model} ({mL(d.reservoirUl, 0)}){d.catalogueNumbers.length > 0 ? ` · ${d.catalogueNumbers.join(', ')}` : ''}
            </option>
          ))}
        </select>
        <FieldError formId={fid} errors={errors} name={`${prefix}deviceModelId`} />
      </label>
      <label htmlFor={lookupId}>
        Find the model by catalogue number or name
        <input
          id={lookupId}
          type="text"
          value={lookup}
          placeholder="e.g. 13827 or 8637-40"
          aria-invalid={lookupProblem !== null}
          aria-describedby={lookupProblem === null ? undefined : `${lookupId}-problem`}
          onChange={(e) => find(e.target.value, false)}
          onBlur={(e) => find(e.target.value, true)}
        />
        {lookupProblem !== null && (
          <span className="field-error" id={`${lookupId}-problem`} role="alert">
            {lookupProblem}
          </span>
        )}
      </label>
      {text('serial', 'Serial')}
      {text('udi', 'UDI')}
      {text('implantDate', 'Implant date', 'date')}
      {text('implantingPhysician', 'Implanting physician')}
      {text('catheterModel', 'Catheter model')}
      {text('catheterTipLevel', 'Catheter tip level')}
      {text('catheterLengthCm', 'Catheter length (cm)', 'decimal')}
      {text('catheterVolumeMl', 'Catheter volume (mL)', 'decimal')}
      <SelectField formId={fid} errors={errors} name={`${prefix}pocketSide`} label="Pocket side" value={value.pocketSide} onChange={(v) => set({ pocketSide: v })} options={POCKET_CHOICES} placeholder="Not recorded" />
      {text('alarmMl', 'Low-reservoir alarm (mL)', 'decimal')}
    </div>
  );
}

export function ImplantForm({ patientId, ctx, onCancel, onSaved }: { patientId: number; ctx: FormContext; onCancel(): void; onSaved(message: string): void }) {
  const [value, setValue] = useState(() => emptyPump(ctx.today));
  const { errors, formError, saving, submit: send } = useSubmit({ choices: pumpChoiceMessages() });
  const changed = useChanged(value);
  const fid = 'implant-form';

  function submit(e: FormEvent) {
    e.preventDefault();
    void send(pumpImplantInput.safeParse({ patientId, ...pumpInput(value) }), (data) => call('pumps.implant', data), (p) =>
      onSaved(`Pump ${p.serial} implanted on ${date(p.implantDate)}. Record its first fill next.`),
    );
  }

  return (
    <FormCard id={fid} title="Implant pump" error={formError} saving={saving} submitLabel="Save implant" onSubmit={submit} onCancel={onCancel} changed={changed} discardWhat="implant">
      <PumpFields fid={fid} value={value} onChange={setValue} errors={errors} devices={ctx.devices} today={ctx.today} />
    </FormCard>
  );
}
