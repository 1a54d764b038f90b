import { describe, expect, it } from 'vitest';
import { useTestServices } from '../../testing/services';

// The clinic's today: after every date these tests record (an entry may not be dated after it).
const t = useTestServices(Date.UTC(2026, 5, 1));
const { must, refused, deviceId } = t;

async function patientWithPump(serial = 'SM-001', reservoirUl = 20000) {
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
    deviceModelId: await deviceId('SynchroMed II', reservoirUl),
    serial,
    implantDate: '2026-01-05',
  });
  return { patientId: patient.id, pumpId: pump.id };
}

const baclofen = (dailyMcg: number) => ({
  drug: 'Baclofen',
  concentration: { value: 2000, unit: 'mcg' },
  dailyDose: { value: dailyMcg, unit: 'mcg' },
});

const fill = (pumpId: number, date: string, addedMl: number, withdrawnMl: number | null, extra: object = {}) => ({
  pumpId,
  date,
  withdrawnMl,
  addedMl,
  drugs: [baclofen(500)],
  mode: 'simple_continuous',
  reservoirPortConfirmed: true,
  ...extra,
});

describe('refill arithmetic through the contract (hand-computed)', () => {
  it('baclofen 2000 mcg/mL at 500 mcg/day in a 20 mL pump: 0.25 mL/day, alarm after 72 days, due 7 days before', async () => {
    const { pumpId } = await patientWithPump();
    // 500 / 2000 = 0.25 mL/day = 250 µL/day; (20 − 2) mL / 0.25 = 72 days: 2026-01-05 + 72 = 2026-03-18.
    const { refill } = await must<{ refill: Record<string, unknown> }>('refills.record', fill(pumpId, '2026-01-05', 20, null));
    expect(refill).toMatchObject({
      addedUl: 20000,
      alarmDate: '2026-03-18',
      nextDueDate: '2026-03-11', // 2026-03-18 − 7 days
      nextDueRule: 'alarm',
      expectedResidualUl: null,
      discrepancyFlag: null,
      drugs: [{ drug: 'Baclofen', unit: 'mcg', concentrationNgPerMl: 2_000_000, dailyDoseNgPerDay: 500_000 }],
    });
    const worklist = await must<{ rows: Record<string, unknown>[] }>('worklist.get', { asOf: '2026-03-01', days: 14 });
    expect(worklist.rows).toEqual([
      expect.objectContaining({ serial: 'SM-001', dailyVolumeMl: 0.25, alarmDate: '2026-03-18', nextDue: '2026-03-11', status: 'due', discrepancyFlag: null }),
    ]);
    expect((await must<{ rows: { status: string }[] }>('worklist.get', { asOf: '2026-03-12', days: 14 })).rows[0]!.status).toBe('overdue');
    // A month earlier it is on schedule: counted as running, not listed.
    const early = await must<{ rows: unknown[]; counts: { running: number } }>('worklist.get', { asOf: '2026-02-01', days: 14 });
    expect(early.rows).toEqual([]);
    expect(early.counts.running).toBe(1);
  });

  it('expected residual and discrepancy at the next refill; within 1.0 mL is not flagged', async () => {
    const { pumpId } = await patientWithPump();
    await must('refills.record', fill(pumpId, '2026-01-05', 20, null));
    // 2026-01-05 → 2026-03-02 is 56 days: 20 − 56 × 0.25 = 6.000 mL expected. Withdrawn 5.2 → −0.8 mL.
    const preview = await must<Record<string, unknown>>('refills.preview', fill(pumpId, '2026-03-02', 20, 5.2));
    expect(preview).toMatchObject({ expectedResidualUl: 6000, discrepancyUl: -800, discrepancyFlag: false, thresholdUl: 1000 });
    expect(preview.discrepancyPct).toBeCloseTo(-13.333, 3);
  });

  it('a flagged discrepancy needs confirmation and a note; with them it is saved and flagged on the worklist', async () => {
    const { pumpId } = await patientWithPump();
    await must('refills.record', fill(pumpId, '2026-01-05', 20, null));
    // Expected 6.000 mL, withdrawn 4.9 mL → −1.100 mL, beyond 1.0 mL for a 20 mL pump.
    const err = await refused('refills.record', fill(pumpId, '2026-03-02', 20, 4.9));
    expect(err).toMatchObject({ code: 'refused', field: 'note' });
    expect((await must<{ pumps: { refills: unknown[] }[] }>('patients.get', { id: 1 })).pumps[0]!.refills).toHaveLength(1);
    // In words, never a signed number (issue 13 item 10): a minus sign is easy to misread.
    expect(err.message).toBe('The withdrawn residual is 1.10 mL less than expected, beyond the 1.00 mL threshold: confirm it and add a note saying what was checked.');
    const warned = await must<{ warnings: { field: string; message: string }[] }>('refills.preview', fill(pumpId, '2026-03-02', 20, 4.9));
    expect(warned.warnings[0]).toMatchObject({ field: 'withdrawnMl', message: expect.stringMatching(/^The withdrawn residual is 1\.10 mL less than expected \(expected 6\.00 mL\), beyond the 1\.00 mL threshold: /) });
    const more = await must<{ warnings: { message: string }[] }>('refills.preview', fill(pumpId, '2026-03-02', 20, 7.25));
    expect(more.warnings[0]!.message).toMatch(/^The withdrawn residual is 1\.25 mL more than expected \(expected 6\.00 mL\)/);
    for (const m of [err.message, warned.warnings[0]!.message, more.warnings[0]!.message]) expect(m).not.toMatch(/[-−]\d/);
    const { refill } = await must<{ refill: Record<string, unknown> }>(
      'refills.record',
      fill(pumpId, '2026-03-02', 20, 4.9, { acknowledgeDiscrepancy: true, note: 'Pump interrogated: no alarms; catheter study booked.' }),
    );
    expect(refill).toMatchObject({ expectedResidualUl: 6000, discrepancyUl: -1100, discrepancyFlag: true });
    const wl = await must<{ rows: { discrepancyFlag: boolean }[]; counts: { flagged: number } }>('worklist.get', { asOf: '2026-03-02' });
    expect(wl.rows[0]!.discrepancyFlag).toBe(true);
    expect(wl.counts.flagged).toBe(1);
  });

  it('a dose change between refills changes the projection from its date', async () => {
    const { pumpId } = await patientWithPump();
    await must('refills.record', fill(pumpId, '2026-01-05', 20, null));
    // From 2026-02-01 (27 days at 0.25 mL/day: 6.75 mL used, 13.25 mL left) 600 mcg/day = 0.30 mL/day.
    await must('doseChanges.record', { pumpId, date: '2026-02-01', drug: 'Baclofen', dailyDose: { value: 600, unit: 'mcg' } });
    // Alarm: (13.25 − 2) / 0.30 = 37.5 → 37 days after 2026-02-01 = 2026-03-10; due 2026-03-03.
    const wl = await must<{ rows: Record<string, unknown>[] }>('worklist.get', { asOf: '2026-03-01', days: 14 });
    expect(wl.rows[0]).toMatchObject({ dailyVolumeMl: 0.3, alarmDate: '2026-03-10', nextDue: '2026-03-03' });
    // Expected residual on 2026-03-02: 20 − 27 × 0.25 − 29 × 0.30 = 20 − 6.75 − 8.70 = 4.55 mL.
    const preview = await must<Record<string, unknown>>('refills.preview', fill(pumpId, '2026-03-02', 20, 4.55));
    expect(preview).toMatchObject({ expectedResidualUl: 4550, discrepancyUl: 0, discrepancyFlag: false });
  });

  it('refuses a dose in the wrong unit family, a bare number, and more than the reservoir', async () => {
    const { pumpId } = await patientWithPump();
    const mg = { ...fill(pumpId, '2026-01-05', 20, null), drugs: [{ ...baclofen(500), dailyDose: { value: 0.5, unit: 'mg' } }] };
    expect(await refused('refills.record', mg)).toMatchObject({ code: 'refused', field: 'drugs.0.dailyDose' });
    const bare = { ...fill(pumpId, '2026-01-05', 20, null), drugs: [{ ...baclofen(500), dailyDose: 500 }] };
    expect(await refused('refills.record', bare)).toMatchObject({ code: 'invalid_input', field: 'drugs.0.dailyDose' });
    const noUnit = { ...fill(pumpId, '2026-01-05', 20, null), drugs: [{ ...baclofen(500), dailyDose: { value: 500 } }] };
    expect(await refused('refills.record', noUnit)).toMatchObject({ code: 'invalid_input', field: 'drugs.0.dailyDose.unit' });
    expect(await refused('refills.record', fill(pumpId, '2026-01-05', 20.5, null))).toMatchObject({ code: 'refused' });
    expect(await refused('refills.record', fill(pumpId, '2025-12-31', 20, null))).toMatchObject({ code: 'refused', field: 'date' });
    expect(await refused('refills.record', fill(pumpId, '2026-01-05', 20, null, { reservoirPortConfirmed: false }))).toMatchObject({
      field: 'reservoirPortConfirmed',
    });
  });

  it('an admixture of morphine (mg) and clonidine (mcg) shares one flow rate; disagreeing doses are refused', async () => {
    const { pumpId } = await patientWithPump('SM-040', 40000);
    // Morphine 20 mg/mL at 4 mg/day = 0.2 mL/day; clonidine 500 mcg/mL × 0.2 mL/day = 100 mcg/day.
    const drugs = [
      { drug: 'Morphine', concentration: { value: 20, unit: 'mg' }, dailyDose: { value: 4, unit: 'mg' } },
      { drug: 'Clonidine', concentration: { value: 500, unit: 'mcg' }, dailyDose: { value: 100, unit: 'mcg' } },
    ];
    const { refill } = await must<{ refill: Record<string, unknown> }>('refills.record', { ...fill(pumpId, '2026-01-05', 40, null), drugs });
    // (40 − 2) / 0.2 = 190 days to the alarm; morphine is stable 90 days → due 2026-01-05 + 90 = 2026-04-05.
    expect(refill).toMatchObject({ alarmDate: '2026-07-14', nextDueDate: '2026-04-05', nextDueRule: 'stability' });
    const off = [drugs[0], { ...drugs[1], dailyDose: { value: 102, unit: 'mcg' } }]; // 2 % off the shared rate
    expect(await refused('refills.preview', { ...fill(pumpId, '2026-02-01', 40, 35), drugs: off })).toMatchObject({ field: 'drugs.1.dailyDose' });
  });
});

describe('ziconotide in a new pump (reference: refill within 14 days, then at least every 40)', () => {
  it('the first fill is due 14 days later; a later fill 40 days later (both before the alarm)', async () => {
    const { pumpId } = await patientWithPump();
    const zic = [{ drug: 'Ziconotide', concentration: { value: 25, unit: 'mcg' }, dailyDose: { value: 2.4, unit: 'mcg' } }];
    // 2.4 mcg/day at 25 mcg/mL = 0.096 mL/day: the 2 mL alarm is (20 − 2) / 0.096 = 187.5 days away.
    const first = await must<{ refill: { nextDueDate: string; nextDueRule: string } }>('refills.record', fill(pumpId, '2026-01-05', 20, null, { drugs: zic }));
    expect([first.refill.nextDueDate, first.refill.nextDueRule]).toEqual(['2026-01-19', 'stability']);
    // 13 days later: expected residual 20 − 13 × 0.096 = 18.752 mL.
    const second = await must<{ refill: { nextDueDate: string; nextDueRule: string; expectedResidualUl: number } }>(
      'refills.record',
      fill(pumpId, '2026-01-18', 20, 18.75, { drugs: zic }),
    );
    expect([second.refill.expectedResidualUl, second.refill.nextDueDate, second.refill.nextDueRule]).toEqual([18752, '2026-02-27', 'stability']);
  });
});

describe('a daily dose of 0', () => {
  it('is refused at a refill and at a dose change (a pump turned off is a reversal), saving nothing', async () => {
    const { pumpId, patientId } = await patientWithPump();
    const zero = { code: 'refused', message: 'Baclofen daily dose is 0: enter the programmed dose; a pump turned off is recorded as a therapy reversal.' };
    expect(await refused('refills.record', { ...fill(pumpId, '2026-01-05', 20, null), drugs: [baclofen(0)] })).toMatchObject({ ...zero, field: 'drugs.0.dailyDose' });
    await must('refills.record', fill(pumpId, '2026-01-05', 20, null));
    expect(await refused('doseChanges.record', { pumpId, date: '2026-02-01', drug: 'Baclofen', dailyDose: { value: 0, unit: 'mcg' } })).toMatchObject({ ...zero, field: 'dailyDose' });
    const record = await must<{ pumps: { refills: unknown[]; doseChanges: unknown[] }[] }>('patients.get', { id: patientId });
    expect([record.pumps[0]!.refills.length, record.pumps[0]!.doseChanges.length]).toEqual([1, 0]);
  });
});

describe('nothing dated after the clinic\'s today (2026-06-01 here)', () => {
  it('refuses a refill, dose change, event, reversal, removal or implant dated tomorrow, saving nothing; today is accepted', async () => {
    const { patientId, pumpId } = await patientWithPump();
    await must('refills.record', fill(pumpId, '2026-01-05', 20, null));
    const tomorrow = '2026-06-02';
    const future = { code: 'refused', field: 'date', message: 'The date 2026-06-02 is after today (2026-06-01): record what has happened, on the day it happened.' };
    expect(await refused('refills.record', fill(pumpId, tomorrow, 20, 1))).toMatchObject(future);
    expect(await refused('refills.preview', fill(pumpId, tomorrow, 20, 1))).toMatchObject(future);
    expect(await refused('doseChanges.record', { pumpId, date: tomorrow, drug: 'Baclofen', dailyDose: { value: 550, unit: 'mcg' } })).toMatchObject(future);
    expect(await refused('events.record', { patientId, pumpId, date: tomorrow, kind: 'adverse', adverseKind: 'other', severity: 'mild', status: 'open', note: 'x' })).toMatchObject(future);
    expect(await refused('events.record', { patientId, date: tomorrow, kind: 'adverse', adverseKind: 'other', severity: 'mild', status: 'open', note: 'x' })).toMatchObject(future);
    // An MRI's post-scan check is recorded once done: not ahead either.
    expect(await refused('events.record', { patientId, pumpId, date: '2026-05-30', kind: 'mri', preScanDone: true, postScanCheckDate: tomorrow })).toMatchObject({ ...future, field: 'postScanCheckDate' });
    const scan = await must<{ id: number }>('events.record', { patientId, pumpId, date: '2026-05-30', kind: 'mri', preScanDone: true });
    expect(await refused('events.mriPostScan', { eventId: scan.id, date: tomorrow })).toMatchObject(future);
    expect(await refused('reversals.record', { pumpId, date: tomorrow, kind: 'turned_off', plan: 'Oral baclofen.' })).toMatchObject(future);
    expect(await refused('removals.record', { pumpId, date: tomorrow, reasons: ['infection'], catheterRemoved: true })).toMatchObject(future);
    const other = await must<{ id: number }>('patients.create', { mrn: 'MRN-F', familyName: 'Future', givenName: 'Fay', birthDate: '1980-01-01', sex: 'female', indications: ['spasticity'] });
    expect(
      await refused('pumps.implant', { patientId: other.id, deviceModelId: await deviceId('SynchroMed II', 20000), serial: 'SM-FUT', implantDate: tomorrow }),
    ).toMatchObject({ ...future, field: 'implantDate' });
    const record = await must<{ pumps: { refills: unknown[]; doseChanges: unknown[] }[]; events: unknown[] }>('patients.get', { id: patientId });
    expect([record.pumps[0]!.refills.length, record.pumps[0]!.doseChanges.length, record.events.length]).toEqual([1, 0, 1]); // the MRI scan recorded for the check
    // Today itself is a day like any other.
    await must('doseChanges.record', { pumpId, date: '2026-06-01', drug: 'Baclofen', dailyDose: { value: 550, unit: 'mcg' } });
  });
});

describe('reversal and removal', () => {
  it('a reversal turns the pump off and takes it off the worklist; refills are then refused', async () => {
    const { pumpId } = await patientWithPump();
    await must('refills.record', fill(pumpId, '2026-01-05', 20, null));
    await must('reversals.record', { pumpId, date: '2026-02-10', kind: 'turned_off', plan: 'Oral baclofen 20 mg tid, taper over 2 weeks.' });
    expect((await must<{ rows: unknown[] }>('worklist.get', { asOf: '2026-03-01' })).rows).toHaveLength(0);
    expect(await refused('refills.record', fill(pumpId, '2026-03-01', 20, 1))).toMatchObject({ code: 'refused', field: 'pumpId' });
  });

  it('a removal may not precede the pump\'s reversal; a later pump may not be implanted before an earlier one was removed', async () => {
    const { patientId, pumpId } = await patientWithPump();
    await must('refills.record', fill(pumpId, '2026-01-05', 20, null));
    await must('reversals.record', { pumpId, date: '2026-02-10', kind: 'turned_off', plan: 'Oral baclofen.' });
    expect(await refused('removals.record', { pumpId, date: '2026-02-09', reasons: ['infection'], catheterRemoved: true })).toMatchObject({
      code: 'refused',
      field: 'date',
      message: "The pump's therapy reversal is dated 2026-02-10, after this removal; the removal cannot precede it.",
    });
    await must('removals.record', { pumpId, date: '2026-03-01', reasons: ['infection'], catheterRemoved: true });
    const implant = async (implantDate: string) =>
      refused('pumps.implant', { patientId, deviceModelId: await deviceId('SynchroMed II', 20000), serial: `SM-${implantDate}`, implantDate });
    expect(await implant('2026-02-28')).toMatchObject({ code: 'refused', field: 'implantDate', message: expect.stringMatching(/SM-001 was in place until its removal on 2026-03-01/) });
    await must('pumps.implant', { patientId, deviceModelId: await deviceId('SynchroMed II', 20000), serial: 'SM-002', implantDate: '2026-03-01' });
  });

  it('a removal with a replacement is one transaction: a bad replacement leaves the old pump in place', async () => {
    const { patientId, pumpId } = await patientWithPump();
    await must('refills.record', fill(pumpId, '2026-01-05', 20, null));
    const bad = {
      pumpId,
      date: '2026-02-10',
      reasons: ['battery_end_of_life'],
      catheterRemoved: false,
      replacement: { deviceModelId: 9999, serial: 'SM-002', implantDate: '2026-02-10' },
    };
    expect(await refused('removals.record', bad)).toMatchObject({ code: 'not_found', field: 'replacement.deviceModelId' });
    let record = await must<{ pumps: { pump: { status: string } }[] }>('patients.get', { id: patientId });
    expect(record.pumps.map((p) => p.pump.status)).toEqual(['active']);

    const good = { ...bad, replacement: { ...bad.replacement, deviceModelId: await deviceId('SynchroMed II', 40000) } };
    await must('removals.record', good);
    record = await must('patients.get', { id: patientId });
    expect(record.pumps.map((p) => p.pump.status)).toEqual(['explanted', 'active']);
    const wl = await must<{ rows: { serial: string; status: string }[] }>('worklist.get', { asOf: '2026-02-11' });
    // The new pump has no fill yet: it is listed, overdue since its implant date.
    expect(wl.rows).toEqual([expect.objectContaining({ serial: 'SM-002', status: 'overdue' })]);
    expect(await refused('refills.record', fill(pumpId, '2026-03-01', 20, 1))).toMatchObject({ field: 'pumpId' });
  });

  it('allows only one pump in place per patient', async () => {
    const { patientId } = await patientWithPump();
    const second = { patientId, deviceModelId: await deviceId('SynchroMed II', 20000), serial: 'SM-XYZ', implantDate: '2026-02-01' };
    expect(await refused('pumps.implant', second)).toMatchObject({ code: 'conflict' });
  });
});

describe('settings', () => {
  it('a new safety margin moves every projection in the same transaction', async () => {
    const { pumpId } = await patientWithPump();
    await must('refills.record', fill(pumpId, '2026-01-05', 20, null));
    await must('settings.update', { safetyMarginDays: 3 });
    const wl = await must<{ rows: { nextDue: string }[] }>('worklist.get', { asOf: '2026-03-01' });
    expect(wl.rows[0]!.nextDue).toBe('2026-03-15'); // 2026-03-18 − 3
  });
});
