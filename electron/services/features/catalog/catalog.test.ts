/**
 * The device catalog and the drug list through `dispatch` (issue 13, items 7 and 8): a service life
 * set in Settings is validated and audited and gives the pump a replacement date; words that would
 * match two models and half-given undiluted figures are refused at their field and change nothing.
 */
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../../shared/contract/audit';
import type { DeviceModel, Drug, PatientRecord } from '../../../../shared/contract/record';
import { useTestServices } from '../../testing/services';

const t = useTestServices(Date.UTC(2026, 2, 1, 12));

const devices = () => t.must<DeviceModel[]>('devices.list', {});
const drugs = () => t.must<Drug[]>('drugs.list', {});
const saveInput = (d: DeviceModel) => ({
  id: d.id,
  manufacturer: d.manufacturer,
  model: d.model,
  aliases: d.aliases,
  catalogueNumbers: d.catalogueNumbers,
  reservoirMl: d.reservoirUl / 1000,
  defaultAlarmMl: d.defaultAlarmUl / 1000,
  serviceLifeMonths: d.serviceLifeMonths,
  replacementLeadMonths: d.replacementLeadMonths,
  kind: d.kind,
  mriNotes: d.mriNotes ?? undefined,
});

describe('device catalog: service life', () => {
  it('a Prometra II has no service life (UNCONFIRMED); setting one is audited and gives its pumps a replacement date', async () => {
    const prometra = (await devices()).find((d) => d.model === 'Prometra II' && d.reservoirUl === 20000)!;
    expect(prometra).toMatchObject({ serviceLifeMonths: null, catalogueNumbers: ['13827'], aliases: ['Prometra 2'] });
    const patient = await t.must<{ id: number }>('patients.create', { mrn: 'P-2017', familyName: 'Old', givenName: 'Pump', birthDate: '1950-01-01', sex: 'male', indications: ['cancer_pain'] });
    await t.must('pumps.implant', { patientId: patient.id, deviceModelId: prometra.id, serial: 'PII-2017', implantDate: '2017-06-15' });
    const projection = async () => (await t.must<PatientRecord>('patients.get', { id: patient.id })).pumps[0]!.projection;
    expect((await projection())?.replacementFromDate).toBeNull();

    const refused = await t.refused('devices.save', { ...saveInput(prometra), serviceLifeMonths: 0 });
    expect(refused).toMatchObject({ code: 'invalid_input', field: 'serviceLifeMonths' });
    expect((await devices()).find((d) => d.id === prometra.id)!.serviceLifeMonths).toBeNull();

    await t.must('devices.save', { ...saveInput(prometra), serviceLifeMonths: 96 });
    // 2017-06-15 + (96 − 6) months = 2017-06-15 + 7 years 6 months → 2024-12-15
    expect((await projection())?.replacementFromDate).toBe('2024-12-15');
    const audit = await t.must<AuditEntry[]>('audit.list', { action: 'update' });
    const entry = audit.find((e) => e.entity === 'device_model' && e.entityId === String(prometra.id))!;
    expect(entry.before).toMatchObject({ serviceLifeMonths: null });
    expect(entry.after).toMatchObject({ serviceLifeMonths: 96 });
  });
});

describe('device catalog: words that match one model only', () => {
  it('refuses a catalogue number another model has, however it is spaced, and saves nothing', async () => {
    const before = await devices();
    const error = await t.refused('devices.save', {
      manufacturer: 'Flowonix',
      model: 'Prometra III',
      catalogueNumbers: ['13 827'],
      reservoirMl: 20,
      defaultAlarmMl: 3,
      serviceLifeMonths: null,
      replacementLeadMonths: 6,
      kind: 'programmable',
    });
    expect(error).toEqual({ code: 'conflict', field: 'catalogueNumbers', message: 'Catalogue number 13 827 is already Flowonix Prometra II 20 mL (13827).' });
    expect(await devices()).toEqual(before);
  });

  it('refuses an alias that already names a model of the same size; takes it for another size', async () => {
    const sm = (await devices()).find((d) => d.model === 'SynchroMed EL' && d.reservoirUl === 10000)!;
    expect(await t.refused('devices.save', { ...saveInput(sm), aliases: ['SynchroMed 2'], reservoirMl: 20 })).toMatchObject({ code: 'conflict', field: 'aliases' });
    const saved = await t.must<DeviceModel>('devices.save', { ...saveInput(sm), aliases: ['SynchroMed 2'] });
    expect(saved.aliases).toEqual(['SynchroMed 2']);
  });
});

describe('drug list: stability that depends on dilution, with its source', () => {
  it('seeds ziconotide\'s undiluted 100 mcg/mL and 84 days and names the Prialt label; morphine names the UW guidance', async () => {
    const list = await drugs();
    expect(list.find((d) => d.name === 'Ziconotide')).toMatchObject({ stabilityDays: 40, firstFillStabilityDays: 14, undilutedConcNgPerMl: 100_000, undilutedStabilityDays: 84 });
    expect(list.find((d) => d.name === 'Ziconotide')!.stabilitySource).toMatch(/Prialt/);
    expect(list.find((d) => d.name === 'Morphine')!.stabilitySource).toMatch(/UW pump-refill guidance/);
  });

  it('refuses an undiluted concentration without its limit, or in the other unit, naming the field; saves nothing', async () => {
    const z = (await drugs()).find((d) => d.name === 'Ziconotide')!;
    const input = {
      id: z.id,
      name: z.name,
      unit: 'mcg',
      typicalConcentration: { min: { value: 25, unit: 'mcg' }, max: { value: 100, unit: 'mcg' } },
      maxConcentration: null,
      typicalDailyDose: null,
      maxDailyDose: { value: 19.2, unit: 'mcg' },
      stabilityDays: 40,
      firstFillStabilityDays: 14,
      undilutedConcentration: { value: 100, unit: 'mcg' },
      undilutedStabilityDays: 84,
      stabilitySource: 'Prialt label',
    };
    expect(await t.refused('drugs.save', { ...input, undilutedStabilityDays: null })).toMatchObject({ code: 'invalid_input', field: 'undilutedStabilityDays' });
    expect(await t.refused('drugs.save', { ...input, undilutedConcentration: null })).toMatchObject({ code: 'invalid_input', field: 'undilutedConcentration' });
    expect(await t.refused('drugs.save', { ...input, undilutedConcentration: { value: 0.1, unit: 'mg' } })).toMatchObject({ code: 'invalid_input', field: 'undilutedConcentration', message: expect.stringMatching(/must be in mcg/) });
    expect((await drugs()).find((d) => d.id === z.id)).toEqual(z);
    const saved = await t.must<Drug>('drugs.save', { ...input, undilutedConcentration: { value: 50, unit: 'mcg' }, undilutedStabilityDays: 60 });
    expect(saved).toMatchObject({ undilutedConcNgPerMl: 50_000, undilutedStabilityDays: 60, stabilitySource: 'Prialt label' });
  });
});
