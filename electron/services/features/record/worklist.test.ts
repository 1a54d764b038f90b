import { beforeEach, describe, expect, it } from 'vitest';
import { useTestServices } from '../../testing/services';
import type { Worklist } from '../../../../shared/contract/record';

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
    expect(w.counts).toEqual({ running: 5, attention: 4, overdue: 1, due: 2, replacementDue: 0, flagged: 0, openAdverseEvents: 2 });
    expect(names(w)).toEqual(['Aalto', 'Berg', 'Cruz', 'Diaz']); // in due order; Eng on schedule
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
