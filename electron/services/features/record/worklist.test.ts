import { beforeEach, describe, expect, it } from 'vitest';
import { useTestServices } from '../../testing/services';
import type { PatientRecord, RefillPreview, Worklist } from '../../../../shared/contract/record';
import { attentionRank, isSevere } from '../../../../shared/domain/worklist';

/**
 * The worklist pages through each list from indexes, and counts every list at a glance.
 * Four pumps, each filled with baclofen 2000 mcg/mL at 500 mcg/day (0.25 mL/day) to 20 mL in a
 * 20 mL SynchroMed II: alarm at 2 mL after (20 − 2) ÷ 0.25 = 72 days, due 7 days earlier = 65 days
 * after the fill. As of 2026-03-01 with a 14-day window (until 03-15):
 *   A filled 2025-12-01 → due 2026-02-04: overdue
 *   B filled 2026-01-01 → due 2026-03-07: due
 *   C filled 2026-01-05 → due 2026-03-11: due, and an open adverse event
 *   D filled 2026-02-01 → due 2026-04-07: on schedule, but an open adverse event
 *   E filled 2026-02-10 → due 2026-04-16: on schedule: counted, never listed
 */
const t = useTestServices(Date.UTC(2026, 2, 1, 12));
const { must, deviceId } = t;

const baclofen = [{ drug: 'Baclofen', concentration: { value: 2000, unit: 'mcg' }, dailyDose: { value: 500, unit: 'mcg' } }];

async function pump(name: string, filled: string): Promise<{ patientId: number; pumpId: number }> {
  const patientId = (await must<{ id: number }>('patients.create', { mrn: `MRN-${name}`, familyName: name, givenName: 'Test', birthDate: '1970-01-01', sex: 'female', indications: ['spasticity'] })).id;
  const pumpId = (await must<{ id: number }>('pumps.implant', { patientId, deviceModelId: await deviceId('SynchroMed II', 20000), serial: `SER-${name}`, implantDate: '2025-11-01' })).id;
  await must('refills.record', { pumpId, date: filled, withdrawnMl: null, addedMl: 20, drugs: baclofen, mode: 'simple_continuous', reservoirPortConfirmed: true });
  return { patientId, pumpId };
}

async function openAdverse(p: { patientId: number; pumpId: number }) {
  await must('events.record', { kind: 'adverse', patientId: p.patientId, pumpId: p.pumpId, date: '2026-02-20', adverseKind: 'pocket_fill', severity: 'mild', status: 'open', note: 'Swelling over the pump.' });
}

const get = (input: object) => must<Worklist>('worklist.get', { asOf: '2026-03-01', days: 14, ...input });
const names = (w: Worklist) => w.rows.map((r) => r.patientName.split(',')[0]);

describe('worklist lists and counts', () => {
  beforeEach(async () => {
    await pump('Aalto', '2025-12-01');
    await pump('Berg', '2026-01-01');
    await openAdverse(await pump('Cruz', '2026-01-05'));
    await openAdverse(await pump('Diaz', '2026-02-01'));
    await pump('Eng', '2026-02-10');
  });

  it('counts each list, and a pump needing attention twice once', async () => {
    const w = await get({});
    // Aalto is also estimated empty: 2025-12-01 + 80 days = 2026-02-19 (Dec 31 +30, Jan 31 +61, Feb 19 +80).
    expect(w.counts).toEqual({ running: 5, attention: 4, empty: 1, alarm: 0, severeAdverse: 0, overdue: 1, due: 2, replacementDue: 0, flagged: 0, openAdverseEvents: 2, awaitingVerification: 0, dueNotBooked: 3, callList: 0 });
    expect(names(w)).toEqual(['Aalto', 'Berg', 'Cruz', 'Diaz']); // worst first, then in due order; Eng on schedule
    expect(w.rows.map((r) => r.nextDue)).toEqual(['2026-02-04', '2026-03-07', '2026-03-11', '2026-04-07']);
    expect(w.rows.map((r) => r.status)).toEqual(['overdue', 'due', 'due', 'ok']);
    expect(w.total).toBe(4);
  });

  it('pages through a list in due order', async () => {
    const first = await get({ limit: 3 });
    expect(names(first)).toEqual(['Aalto', 'Berg', 'Cruz']);
    const second = await get({ limit: 3, offset: 3 });
    expect(names(second)).toEqual(['Diaz']);
    expect(second).toMatchObject({ total: 4, offset: 3 });
  });

  it('lists one kind at a time', async () => {
    expect(names(await get({ category: 'overdue' }))).toEqual(['Aalto']);
    expect(names(await get({ category: 'due' }))).toEqual(['Berg', 'Cruz']);
    expect(names(await get({ category: 'adverse' }))).toEqual(['Cruz', 'Diaz']);
    expect(await get({ category: 'flagged' })).toMatchObject({ rows: [], total: 0 });
    // Two weeks later Eng is due too, and Aalto to Diaz still need attention.
    expect((await must<Worklist>('worklist.get', { asOf: '2026-04-02', days: 14 })).counts).toMatchObject({ attention: 5, overdue: 3, due: 2 });
  });

  it('refuses a page it cannot serve, naming the field', async () => {
    expect((await t.refused('worklist.get', { limit: 0 })).field).toBe('limit');
    expect((await t.refused('worklist.get', { category: 'everything' })).field).toBe('category');
    expect((await t.refused('worklist.get', { offset: -1 })).field).toBe('offset');
  });
});

describe('urgency, worst first (issue 13, items 1 and 3)', () => {
  /**
   * Baclofen 0.25 mL/day in a 20 mL pump filled to 20 mL: alarm + 72, empty + 80, due + 65 days. As of 2026-03-01:
   *   Empty  filled 2025-12-01 → due 02-04, alarm 02-11, empty 02-19: estimated empty
   *   Alarm  filled 2025-12-15 → due 02-18, alarm 02-25 (Dec 31 +16, Jan 31 +47, Feb 25 +72), empty 03-05: alarming
   *   Over   filled 2025-12-20 → due 02-23 (Dec 31 +11, Jan 31 +42, Feb 23 +65), alarm 03-02: overdue by 6 days (alarm margin)
   *   Due    filled 2026-01-01 → due 03-07: due
   *   Severe filled 2026-02-10 → due 04-16: on schedule, but an open severe overdose
   *   Mild   filled 2026-02-01 → due 04-07: on schedule, an open mild pocket fill
   */
  beforeEach(async () => {
    await pump('Empty', '2025-12-01');
    await pump('Alarm', '2025-12-15');
    await pump('Over', '2025-12-20');
    await pump('Due', '2026-01-01');
    const severe = await pump('Severe', '2026-02-10');
    await must('events.record', { kind: 'adverse', patientId: severe.patientId, pumpId: severe.pumpId, date: '2026-02-25', adverseKind: 'overdose', severity: 'severe', status: 'open', note: 'Drowsy, slow breathing.' });
    await openAdverse(await pump('Mild', '2026-02-01'));
  });

  it('sorts empty, alarming, a severe open event, overdue, due, then the rest, and counts each', async () => {
    const w = await get({});
    expect(names(w)).toEqual(['Empty', 'Alarm', 'Severe', 'Over', 'Due', 'Mild']);
    expect(w.rows.map((r) => r.urgency)).toEqual(['empty', 'alarm', 'ok', 'overdue', 'due', 'ok']);
    expect(w.rows.map((r) => r.status)).toEqual(['overdue', 'overdue', 'ok', 'overdue', 'due', 'ok']); // status keeps its meaning
    expect(w.counts).toMatchObject({ running: 6, attention: 6, empty: 1, alarm: 1, severeAdverse: 1, overdue: 3, due: 1, openAdverseEvents: 2 });
    // The SQL order is attentionRank's.
    const ranks = w.rows.map((r) => attentionRank(r.urgency, r.openAdverse.some((e) => isSevere(e.severity))));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  });

  it('says why and by how much a row is overdue, its open events by severity, and the withdrawal warning', async () => {
    const w = await get({});
    const over = w.rows.find((r) => r.serial === 'SER-Over')!;
    expect(over).toMatchObject({ urgency: 'overdue', nextDue: '2026-02-23', nextDueRule: 'alarm', daysOverdue: 6 }); // Mar 1 − Feb 23
    const empty = w.rows.find((r) => r.serial === 'SER-Empty')!;
    expect(empty).toMatchObject({ emptyDate: '2026-02-19', daysOverdue: 25 }); // Feb 4 → Mar 1: 24 + 1
    expect(empty.withdrawalWarnings).toEqual([{ drug: 'Baclofen', warning: expect.stringContaining('Boxed warning, Lioresal Intrathecal and Gablofen labels') }]);
    expect(w.rows.find((r) => r.serial === 'SER-Severe')!.openAdverse).toEqual([{ severity: 'severe', kind: 'overdose', date: '2026-02-25' }]);
    expect(w.rows.find((r) => r.serial === 'SER-Mild')!.openAdverse).toEqual([{ severity: 'mild', kind: 'pocket_fill', date: '2026-02-20' }]);
  });

  it('the boundaries: as of the empty date the pump is empty, the day before alarming', async () => {
    const on = await must<Worklist>('worklist.get', { asOf: '2026-02-19', days: 14, category: 'empty' });
    expect(names(on)).toEqual(['Empty']);
    const before = await must<Worklist>('worklist.get', { asOf: '2026-02-18', days: 14 });
    expect(before.rows.find((r) => r.serial === 'SER-Empty')!.urgency).toBe('alarm');
    expect(before.counts).toMatchObject({ empty: 0, alarm: 1 });
    // As of the alarm date 2026-02-25, Alarm is alarming; the day before it is overdue (due 02-18).
    expect((await must<Worklist>('worklist.get', { asOf: '2026-02-25', days: 14 })).rows.find((r) => r.serial === 'SER-Alarm')!.urgency).toBe('alarm');
    expect((await must<Worklist>('worklist.get', { asOf: '2026-02-24', days: 14 })).rows.find((r) => r.serial === 'SER-Alarm')!.urgency).toBe('overdue');
  });

  it('the record carries each running pump\'s urgency as of the clinic\'s today (2026-03-01), with the withdrawal warnings', async () => {
    const w = await get({});
    const urgencyOfRecord = async (serial: string) => {
      const row = w.rows.find((r) => r.serial === serial)!;
      const record = await must<PatientRecord>('patients.get', { id: row.patientId });
      return record.pumps[0]!.urgency;
    };
    expect(await urgencyOfRecord('SER-Empty')).toEqual({
      asOf: '2026-03-01',
      urgency: 'empty',
      daysOverdue: 25,
      withdrawalWarnings: [{ drug: 'Baclofen', warning: expect.stringContaining('life-threatening') }],
    });
    expect(await urgencyOfRecord('SER-Alarm')).toMatchObject({ urgency: 'alarm', daysOverdue: 11 }); // Feb 18 → Mar 1
    expect(await urgencyOfRecord('SER-Over')).toMatchObject({ urgency: 'overdue', daysOverdue: 6 });
    expect(await urgencyOfRecord('SER-Severe')).toMatchObject({ urgency: 'ok', daysOverdue: 0 });
  });

  it('the refill preview of an estimated-empty pump says since when, never a plain check', async () => {
    const w = await get({});
    const visit = (serial: string) => ({
      pumpId: w.rows.find((r) => r.serial === serial)!.pumpId,
      date: '2026-03-01',
      withdrawnMl: 0,
      addedMl: 20,
      drugs: baclofen,
      mode: 'simple_continuous',
      reservoirPortConfirmed: true,
    });
    // Empty: filled 2025-12-01, empty 2026-02-19 (floor(20000 / 250) = 80 days); expected residual 0 on 03-01.
    const empty = await must<RefillPreview>('refills.preview', visit('SER-Empty'));
    expect(empty).toMatchObject({ expectedResidualUl: 0, discrepancyFlag: false, estimatedEmptySince: '2026-02-19', alarmingSince: null });
    expect(empty.withdrawalWarnings.map((x) => x.drug)).toEqual(['Baclofen']);
    // Alarm: empty on 03-05, after the visit: an ordinary check (expected 20000 − 76 × 250 = 1000 µL; Dec 15 → Mar 1 = 76 days),
    // alarming since 02-25, with the withdrawal warning.
    const alarming = await must<RefillPreview>('refills.preview', { ...visit('SER-Alarm'), withdrawnMl: 1 });
    expect(alarming).toMatchObject({ expectedResidualUl: 1000, discrepancyFlag: false, estimatedEmptySince: null, alarmingSince: '2026-02-25' });
    expect(alarming.withdrawalWarnings.map((x) => x.drug)).toEqual(['Baclofen']);
    // Over: alarm 03-02, after the visit: neither.
    const over = await must<RefillPreview>('refills.preview', { ...visit('SER-Over'), withdrawnMl: 2.3 });
    expect(over).toMatchObject({ estimatedEmptySince: null, alarmingSince: null, withdrawalWarnings: [] });
  });

  it('pages through the worst-first order across the boundary between the pumps ranked first and the rest', async () => {
    for (const limit of [1, 2, 3, 4, 5]) {
      const seen: (string | undefined)[] = [];
      for (let offset = 0; offset < 6; offset += limit) seen.push(...names(await get({ limit, offset })));
      expect(seen, `pages of ${limit}`).toEqual(['Empty', 'Alarm', 'Severe', 'Over', 'Due', 'Mild']);
    }
    expect(names(await get({ limit: 2, offset: 6 }))).toEqual([]);
  });

  it('lists each urgency and the severe events on their own', async () => {
    expect(names(await get({ category: 'empty' }))).toEqual(['Empty']);
    expect(names(await get({ category: 'alarm' }))).toEqual(['Alarm']);
    expect(names(await get({ category: 'severe' }))).toEqual(['Severe']);
    expect(names(await get({ category: 'overdue' }))).toEqual(['Empty', 'Alarm', 'Over']);
  });
});
