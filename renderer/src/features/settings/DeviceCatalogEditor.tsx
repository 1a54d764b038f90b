import type { Versioned } from '../../../../shared/contract/versions';
import type { FormEvent, ReactNode } from 'react';
import { DEVICE_KINDS, deviceSaveInput, type DeviceModel } from '../../../../shared/contract/record';
import { call } from '../../api/client';
import { SERVICE_LIFE_NOT_SET } from '../../../../shared/domain/devices';
import { formatNumber, mL } from '../../format';
import { Field, num, numOrNull } from './fields';
import { DraftForm, DraftInput, ListSection, ListTable, useListEditor } from './ListEditor';

const KIND_LABELS = { programmable: 'Programmable', constant_flow: 'Constant flow' } as const;

type Draft = Record<'manufacturer' | 'model' | 'aliases' | 'catalogueNumbers' | 'reservoirMl' | 'defaultAlarmMl' | 'serviceLifeMonths' | 'replacementLeadMonths' | 'kind' | 'mriNotes', string> & {
  id?: number;
};
const blank: Draft = { manufacturer: '', model: '', aliases: '', catalogueNumbers: '', reservoirMl: '', defaultAlarmMl: '', serviceLifeMonths: '', replacementLeadMonths: '6', kind: 'programmable', mriNotes: '' };

function draftOf(d: DeviceModel): Draft {
  return {
    id: d.id,
    manufacturer: d.manufacturer,
    model: d.model,
    aliases: d.aliases.join(', '),
    catalogueNumbers: d.catalogueNumbers.join(', '),
    reservoirMl: String(d.reservoirUl / 1000),
    defaultAlarmMl: String(d.defaultAlarmUl / 1000),
    serviceLifeMonths: d.serviceLifeMonths === null ? '' : String(d.serviceLifeMonths),
    replacementLeadMonths: String(d.replacementLeadMonths),
    kind: d.kind,
    mriNotes: d.mriNotes ?? '',
  };
}

const listDevices = () => call('devices.list', {});
const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');

const DEVICE_COLUMNS: readonly [string, (d: DeviceModel) => ReactNode][] = [
  ['Manufacturer', (d) => d.manufacturer],
  ['Model', (d) => d.model],
  ['Also written', (d) => d.aliases.join(', ') || '—'],
  ['Catalogue numbers', (d) => d.catalogueNumbers.join(', ') || '—'],
  ['Reservoir', (d) => mL(d.reservoirUl, 0)],
  ['Default alarm', (d) => mL(d.defaultAlarmUl, 1)],
  ['Service life', (d) => (d.serviceLifeMonths === null ? <span className="badge badge-due">{SERVICE_LIFE_NOT_SET}</span> : `${formatNumber(d.serviceLifeMonths)} months`)],
  ['Replacement lead', (d) => `${formatNumber(d.replacementLeadMonths)} months`],
  ['Kind', (d) => KIND_LABELS[d.kind]],
];

/** The device catalog: the pump models a pump can be implanted as. */
export function DeviceCatalogEditor() {
  const { items: devices, draft, basedOn, errors, formError, notice, open, close, save, setField } = useListEditor<Versioned<DeviceModel>, Draft>(listDevices);

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!draft) return;
    const parsed = deviceSaveInput.safeParse({
      ...(draft.id === undefined ? {} : { id: draft.id, basedOn }),
      manufacturer: draft.manufacturer,
      model: draft.model,
      aliases: list(draft.aliases),
      catalogueNumbers: list(draft.catalogueNumbers),
      reservoirMl: num(draft.reservoirMl),
      defaultAlarmMl: num(draft.defaultAlarmMl),
      serviceLifeMonths: numOrNull(draft.serviceLifeMonths),
      replacementLeadMonths: num(draft.replacementLeadMonths),
      kind: draft.kind,
      mriNotes: draft.mriNotes,
    });
    void save(parsed, (input) => call('devices.save', input), (d) => `Saved ${d.manufacturer} ${d.model}.`);
  }

  const field = (key: keyof Omit<Draft, 'id' | 'kind' | 'mriNotes'>, label: string, type: 'text' | 'number' = 'number') => (
    <DraftInput id={`device-${key}`} label={label} error={errors[key]} type={type} value={draft?.[key] ?? ''} onChange={(v) => setField(key, v)} />
  );

  return (
    <ListSection id="catalog" title="Device catalog" addLabel="Add device model" editing={draft !== null} onAdd={() => open(blank)} notice={notice}>
      <p className="hint">
        The import and the implant form find a model by its manufacturer, then its model name, another way it is written or a catalogue number (case, spaces and
        hyphens in catalogue numbers do not matter), and its reservoir volume. A model whose service life is not set is never flagged for replacement: set it when
        the manufacturer gives one.
      </p>
      {devices && (
        <ListTable caption="Device models" columns={DEVICE_COLUMNS} items={devices} editLabel={(d) => `Edit ${d.manufacturer} ${d.model} ${mL(d.reservoirUl, 0)}`} onEdit={(d) => open(draftOf(d), d.version)} editing={draft !== null} />
      )}
      {draft && (
        <DraftForm id="device-form" title={draft.id === undefined ? 'New device model' : `Edit ${draft.manufacturer} ${draft.model}`} error={formError} submitLabel="Save device model" onSubmit={submit} onCancel={close}>
          <div className="grid">
            {field('manufacturer', 'Manufacturer', 'text')}
            {field('model', 'Model', 'text')}
            {field('aliases', 'Also written as (comma-separated)', 'text')}
            {field('catalogueNumbers', 'Catalogue numbers (comma-separated)', 'text')}
            {field('reservoirMl', 'Reservoir (mL)')}
            {field('defaultAlarmMl', 'Default low-reservoir alarm (mL)')}
            {field('serviceLifeMonths', 'Service life (months; blank: not set, never flagged for replacement)')}
            {field('replacementLeadMonths', 'Replacement lead time (months)')}
            <Field id="device-kind" label="Kind" error={errors.kind}>
              {(a11y) => (
                <select {...a11y} value={draft.kind} onChange={(e) => setField('kind', e.target.value)}>
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
            {(a11y) => <textarea {...a11y} rows={2} value={draft.mriNotes} onChange={(e) => setField('mriNotes', e.target.value)} />}
          </Field>
        </DraftForm>
      )}
    </ListSection>
  );
}
