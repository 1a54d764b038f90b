/**
 * Issue 13, item 6: a dose change and a refill on the same date, recorded in either order.
 *
 * The rule (SAME_DATE_RULE in refills.ts): at a refill visit the nurse withdraws, refills, then
 * reprograms. On one date the refill comes first; the dose changes of that date apply after it,
 * from that day on. The refill's stored figures are those of the prescription it filled (as when
 * the dose change is recorded after it); the pump's projection counts the new dose from the refill
 * day. Either recording order stores the same refill and the same projection.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { doseChangeEntryInput, pumpImplantInput, refillEntryInput } from '../../../../shared/contract/record';
import { patientCreateInput } from '../../../../shared/contract/patients';
import { useTestServices } from '../../testing/services';
import { workspace, type TestDb } from '../interchange/test-support';
import { computeProjection } from './projection';
import { recordDoseChange, recordRefill } from './refills';
import { implantPump } from './service';

// ---- the worked example through dispatch --------------------------------------------------------

const t = useTestServices(Date.UTC(2026, 5, 1)); // the clinic's today: after every date recorded here
const { must, refused, deviceId } = t;

const FIRST_FILL = '2026-01-05';
const DAY_60 = '2026-03-06'; // 2026-01-05 + 60 days (26 days to 31 Jan, 28 in February, 6 in March)

async function pumpFilledOn5January(serial: string, drugs = [baclofen(500)]) {
  const patient = await must<{ id: number }>('patients.create', {
    mrn: `MRN-${serial}`,
    familyName: 'Brennan',
    givenName: 'Thomas',
    birthDate: '1971-11-02',
    sex: 'male',
    indications: ['spasticity'],
  });
  const pump = await must<{ id: number }>('pumps.implant', {
    patientId: patient.id,
    deviceModelId: await deviceId('SynchroMed II', 20000), // 20 mL, alarm at 2 mL
    serial,
    implantDate: FIRST_FILL,
  });
  patientOf.set(pump.id, patient.id);
  await must('refills.record', visit(pump.id, FIRST_FILL, null, drugs));
  return pump.id;
}

function baclofen(dailyMcg: number) {
  return { drug: 'Baclofen', concentration: { value: 2000, unit: 'mcg' }, dailyDose: { value: dailyMcg, unit: 'mcg' } };
}

function visit(pumpId: number, date: string, withdrawnMl: number | null, drugs = [baclofen(500)]) {
  return { pumpId, date, withdrawnMl, addedMl: 20, drugs, mode: 'simple_continuous', reservoirPortConfirmed: true };
}

const change600 = (pumpId: number, date = DAY_60) => ({ pumpId, date, drug: 'Baclofen', dailyDose: { value: 600, unit: 'mcg' } });

type Row = Record<string, unknown>;
/** A stored refill without the columns that name the row itself (id, pump). */
const content = ({ id: _id, pumpId: _pump, drugs, ...rest }: Row & { drugs: Row[] }) => ({ ...rest, drugs: drugs.map(({ id: _d, refillId: _r, ...d }) => d) });

/** The patient of each pump these tests implant. */
const patientOf = new Map<number, number>();

type History = { pump: { id: number }; projection: Row; refills: (Row & { drugs: Row[] })[] };
async function history(pumpId: number): Promise<History> {
  const record = await must<{ pumps: History[] }>('patients.get', { id: patientOf.get(pumpId) });
  return record.pumps.find((h) => h.pump.id === pumpId)!;
}

async function storedRefills(pumpId: number): Promise<Row[]> {
  return (await history(pumpId)).refills.map(content);
}

/** The stored pump_projection row, without its pump id. */
async function storedProjection(pumpId: number): Promise<Row> {
  const { pumpId: _p, ...rest } = (await history(pumpId)).projection;
  return rest;
}

async function worklistRow(serial: string): Promise<Row> {
  const list = await must<{ rows: Row[] }>('worklist.get', { asOf: '2026-04-30', days: 60 });
  const row = list.rows.find((r) => r.serial === serial);
  expect(row, serial).toBeDefined();
  const { patientId: _p, pumpId: _q, serial: _s, mrn: _m, patientName: _n, ...rest } = row!;
  return rest;
}

describe('a refill and a dose change on the same date (worked example through dispatch)', () => {
  // Baclofen 2000 mcg/mL at 500 mcg/day = 0.25 mL/day, 20 mL SynchroMed II (alarm 2 mL), filled
  // with 20 mL on 2026-01-05. On day 60 (2026-03-06) the nurse withdraws 5.0 mL, refills 20 mL of
  // the same prescription and reprograms baclofen to 600 mcg/day.
  //
  // Refill on day 60, its own figures (the prescription it filled, 0.25 mL/day):
  //   expected residual = 20 − 60 × 0.25 = 5.000 mL; withdrawn 5.0 → discrepancy 0, not flagged
  //   (the dose change dated 2026-03-06 delivers nothing from the old fill: days 0..59 only);
  //   alarm  = 2026-03-06 + floor((20 − 2) / 0.25) = + 72 days = 2026-05-17
  //   empty  = 2026-03-06 + ceil(20 / 0.25)        = + 80 days = 2026-05-25
  //   due    = alarm − 7 days safety margin          = 2026-05-10
  // The pump's projection, 600 mcg/day from 2026-03-06 on: 600 / 2000 = 0.3 mL/day
  //   alarm  = 2026-03-06 + floor(18 / 0.3) = + 60 days = 2026-05-05
  //   empty  = 2026-03-06 + ceil(20 / 0.3)  = ceil(66.67) = + 67 days = 2026-05-12
  //   due    = 2026-05-05 − 7 = 2026-04-28
  const refillOwn = {
    date: DAY_60,
    withdrawnUl: 5000,
    addedUl: 20000,
    expectedResidualUl: 5000,
    discrepancyUl: 0,
    discrepancyFlag: false,
    alarmDate: '2026-05-17',
    emptyDate: '2026-05-25',
    nextDueDate: '2026-05-10',
    nextDueRule: 'alarm',
  };
  const projected = { dailyVolumeMl: 0.3, alarmDate: '2026-05-05', nextDue: '2026-04-28' };

  it('refill first, then the dose change (the order that always worked)', async () => {
    const pumpId = await pumpFilledOn5January('SAME-A');
    const { refill } = await must<{ refill: Row }>('refills.record', visit(pumpId, DAY_60, 5.0));
    expect(refill).toMatchObject(refillOwn);
    await must('doseChanges.record', change600(pumpId));
    expect(await worklistRow('SAME-A')).toMatchObject(projected);
  });

  it('dose change first, then the refill: accepted (it used to be refused), with the same stored refill and projection', async () => {
    const a = await pumpFilledOn5January('SAME-A');
    await must('refills.record', visit(a, DAY_60, 5.0));
    await must('doseChanges.record', change600(a));

    const b = await pumpFilledOn5January('SAME-B');
    await must('doseChanges.record', change600(b));
    // The preview shows the refill's own figures and says what the pump does with the change.
    const preview = await must<Row & { warnings: { field: string; message: string }[] }>('refills.preview', visit(b, DAY_60, 5.0));
    expect(preview).toMatchObject({ expectedResidualUl: 5000, discrepancyUl: 0, alarmDate: '2026-05-17', nextDueDate: '2026-05-10', dailyVolumeUl: 250 });
    expect(preview.warnings).toContainEqual({
      field: 'date',
      message:
        'A dose change already recorded on 2026-03-06 applies after this refill: with it the pump runs at 0.300 mL/day, reaches the alarm volume on 2026-05-05 and is next due on 2026-04-28. The dates above are this refill\'s own prescription.',
    });
    const { refill } = await must<{ refill: Row }>('refills.record', visit(b, DAY_60, 5.0));
    expect(refill).toMatchObject(refillOwn);

    expect(await storedRefills(b)).toEqual(await storedRefills(a));
    expect(await storedProjection(b)).toEqual(await storedProjection(a));
    expect(await storedProjection(b)).toMatchObject({ dailyVolumeUl: 300, alarmDate: '2026-05-05', emptyDate: '2026-05-11', nextDueDate: '2026-04-28' }); // empty: floor(20 / 0.3) = 66 days
    expect(await worklistRow('SAME-B')).toEqual(await worklistRow('SAME-A'));
    expect(await worklistRow('SAME-B')).toMatchObject(projected);
  });

  it('the next refill after a same-day pair counts 0.3 mL/day from the refill day, in either order', async () => {
    // 20 days after 2026-03-06 (2026-03-26): 20 − 20 × 0.3 = 14.000 mL expected, in both pumps.
    const a = await pumpFilledOn5January('SAME-A');
    await must('refills.record', visit(a, DAY_60, 5.0));
    await must('doseChanges.record', change600(a));
    const b = await pumpFilledOn5January('SAME-B');
    await must('doseChanges.record', change600(b));
    await must('refills.record', visit(b, DAY_60, 5.0));
    for (const pumpId of [a, b]) {
      const preview = await must<Row>('refills.preview', visit(pumpId, '2026-03-26', 14, [baclofen(600)]));
      expect(preview).toMatchObject({ expectedResidualUl: 14000, discrepancyUl: 0, discrepancyFlag: false });
    }
  });

  it('attack: a dose change dated after the refill still blocks it; a second refill on the date is still refused; nothing is written', async () => {
    const pumpId = await pumpFilledOn5January('SAME-C');
    await must('doseChanges.record', change600(pumpId, '2026-03-07'));
    expect(await refused('refills.record', visit(pumpId, DAY_60, 5.0))).toMatchObject({
      code: 'refused',
      field: 'date',
      message: "The pump's history already runs to 2026-03-07 (a dose change); a new refill must be dated on or after 2026-03-07.",
    });
    await must('refills.record', visit(pumpId, '2026-03-07', 4.75)); // 20 − 61 × 0.25 = 4.75 mL
    expect(await refused('refills.record', visit(pumpId, '2026-03-07', 4.75))).toMatchObject({ code: 'refused', field: 'date' });
    expect(await storedRefills(pumpId)).toHaveLength(2);
  });

  it('attack: a same-day dose change of a drug the refill no longer holds refuses the refill, naming the drugs, and writes nothing', async () => {
    const pumpId = await pumpFilledOn5January('SAME-D');
    await must('doseChanges.record', change600(pumpId));
    const morphine = { drug: 'Morphine', concentration: { value: 10, unit: 'mg' }, dailyDose: { value: 3, unit: 'mg' } };
    const error = await refused('refills.record', visit(pumpId, DAY_60, 5.0, [morphine]));
    expect(error).toMatchObject({ code: 'refused', field: 'drugs' });
    expect(error.message).toContain('A dose change to Baclofen 600 mcg/day is recorded on 2026-03-06 and applies after this refill');
    expect(await storedRefills(pumpId)).toHaveLength(1);
    expect(await worklistRow('SAME-D')).toMatchObject({ dailyVolumeMl: 0.3 }); // still the first fill with the change
  });

  it('attack: a same-day dose change that breaks a hard limit with the new concentration refuses the refill', async () => {
    // 900 mcg/day was accepted on the old 2000 mcg/mL fill (0.45 mL/day); refilled at 40 mcg/mL
    // (500 / 40 = 12.5 mL/day alone) it would need 900 / 40 = 22.5 mL/day, more than the whole
    // 20 mL reservoir: the prescription check refuses it.
    const pumpId = await pumpFilledOn5January('SAME-E');
    await must('doseChanges.record', { pumpId, date: DAY_60, drug: 'Baclofen', dailyDose: { value: 900, unit: 'mcg' } });
    const weak = { drug: 'Baclofen', concentration: { value: 40, unit: 'mcg' }, dailyDose: { value: 500, unit: 'mcg' } };
    const error = await refused('refills.record', visit(pumpId, DAY_60, 5.0, [weak]));
    expect(error.field).toBe('drugs');
    expect(error.message).toContain('With the dose change to Baclofen 900 mcg/day recorded on 2026-03-06, which applies after this refill:');
    expect(await storedRefills(pumpId)).toHaveLength(1);
  });
});

// ---- the property: the recording order never changes what is stored -----------------------------

let ws: ReturnType<typeof workspace>;
let db: TestDb;
let deviceModelId: number;
beforeAll(() => {
  ws = workspace();
  db = ws.db();
  deviceModelId = db.store.catalog.devices().find((d) => d.model === 'SynchroMed II' && d.reservoirUl === 40000)!.id;
});
afterAll(() => ws.cleanup());

let serial = 0;
function newPump(firstFill: { drugs: unknown[] }) {
  const n = ++serial;
  const patient = db.store.patients.create(
    patientCreateInput.parse({ mrn: `P-${n}`, familyName: 'Order', givenName: 'Test', birthDate: '1960-01-01', sex: 'female', indications: ['spasticity'] }),
    db.ctx.now(),
  );
  const pump = implantPump(db.ctx, pumpImplantInput.parse({ patientId: patient.id, deviceModelId, serial: `ORD-${n}`, implantDate: '2024-01-02' }));
  if (!pump.ok) throw new Error(pump.error.message);
  const filled = recordRefill(db.ctx, refillEntryInput.parse({ ...firstFill, pumpId: pump.value.id, date: '2024-01-02', withdrawnMl: null, addedMl: 40, mode: 'simple_continuous', reservoirPortConfirmed: true }));
  if (!filled.ok) throw new Error(filled.error.message);
  return pump.value.id;
}

const stripRefill = ({ id: _i, pumpId: _p, drugs, ...r }: Row & { drugs: Row[] }) => ({ ...r, drugs: drugs.map(({ id: _d, refillId: _r, ...d }) => d) });
const stripChange = ({ id: _i, pumpId: _p, ...c }: Row) => c;
const stripProjection = ({ pumpId: _p, ...p }: Row) => p;

describe('permuting the recording order of a same-date refill and dose changes (property)', () => {
  it('stores the same refills, dose changes and projection, and the projection never drifts from a recomputation', () => {
    const mcg = (value: number) => ({ value, unit: 'mcg' });
    fc.assert(
      fc.property(
        fc.record({
          day: fc.integer({ min: 1, max: 150 }), // the refill day, counted from the first fill
          conc: fc.constantFrom(500, 1000, 2000),
          dose: fc.integer({ min: 100, max: 800 }),
          refillDose: fc.integer({ min: 100, max: 800 }),
          newDose: fc.integer({ min: 100, max: 800 }),
          clonidine: fc.boolean(), // an admixture: the change of one drug moves both
          changes: fc.integer({ min: 1, max: 2 }), // one dose change, or one of each drug
          withdrawnMl: fc.integer({ min: 0, max: 40 }),
        }),
        (c) => {
          const drugsAt = (dose: number) => [
            { drug: 'Baclofen', concentration: mcg(c.conc), dailyDose: mcg(dose) },
            ...(c.clonidine ? [{ drug: 'Clonidine', concentration: mcg(c.conc / 2), dailyDose: mcg(dose / 2) }] : []),
          ];
          const date = new Date(Date.UTC(2024, 0, 2 + c.day)).toISOString().slice(0, 10);
          const refill = { date, withdrawnMl: c.withdrawnMl, addedMl: 40, drugs: drugsAt(c.refillDose), mode: 'simple_continuous', reservoirPortConfirmed: true, acknowledgeDiscrepancy: true, note: 'checked' };
          const changes = [{ date, drug: 'Baclofen', dailyDose: mcg(c.newDose) }];
          if (c.clonidine && c.changes === 2) changes.push({ date, drug: 'Clonidine', dailyDose: mcg(Math.round(c.newDose / 3)) });

          const outcomes = [false, true].map((refillLast) => {
            const pumpId = newPump({ drugs: drugsAt(c.dose) });
            const writeRefill = () => recordRefill(db.ctx, refillEntryInput.parse({ ...refill, pumpId }));
            const writeChanges = () => changes.map((ch) => recordDoseChange(db.ctx, doseChangeEntryInput.parse({ ...ch, pumpId })));
            let results: { ok: boolean }[];
            if (refillLast) {
              const before = writeChanges();
              results = [...before, writeRefill()];
            } else results = [writeRefill(), ...writeChanges()];
            const { record } = db.store;
            expect(record.projection(pumpId)).toEqual(computeProjection(db.ctx, pumpId));
            return {
              accepted: results.map((r) => r.ok),
              refills: record.refills(pumpId).map((r) => stripRefill(r as unknown as Row & { drugs: Row[] })),
              doseChanges: record.doseChanges(pumpId).map((ch) => stripChange(ch as unknown as Row)),
              projection: stripProjection(record.projection(pumpId) as unknown as Row),
            };
          });
          const [refillFirst, changeFirst] = outcomes as [(typeof outcomes)[number], (typeof outcomes)[number]];
          // Every case here names drugs of both prescriptions and stays within the limits: accepted either way.
          expect(refillFirst.accepted.every(Boolean)).toBe(true);
          expect(changeFirst.accepted.every(Boolean)).toBe(true);
          expect(changeFirst.refills).toEqual(refillFirst.refills);
          expect(changeFirst.projection).toEqual(refillFirst.projection);
          // The same dose changes (the recording order is the only difference, so compare as sets).
          const sorted = (rows: Row[]) => [...rows].sort((x, y) => String(x.drug).localeCompare(String(y.drug)));
          expect(sorted(changeFirst.doseChanges)).toEqual(sorted(refillFirst.doseChanges));
        },
      ),
      { numRuns: 40 },
    );
  });
});
