import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { patientCreateInput } from '../../../../shared/contract/patients';
import { pumpImplantInput, refillEntryInput } from '../../../../shared/contract/record';
import type { ReportData } from '../../../../shared/contract/reports';
import { main } from '../../../cli/main';
import { openStore } from '../../../cli/database';
import { createServices } from '../../app';
import { openTestDb, NOW } from '../interchange/test-support';
import { buildReport } from '../reports/build';
import { tempDir } from '../../testing/temp';
import type { SqliteStore } from '../../store/store';
import { PROJECTION_RULES_KEY } from './repository';
import { PROJECTION_RULES_VERSION } from './projection';
import { recordRefill } from './refills';
import { implantPump, patientRecord } from './service';
import { worklist } from './worklist';

/**
 * One empty date everywhere (issue 13, item 2). A pump filled on 2025-06-20 with 20 mL of baclofen
 * 2000 mcg/mL at 600 mcg/day = 0.3 mL/day runs dry on refill + floor(20 / 0.3) = floor(66.67) = 66
 * days = 2025-08-25 (Jun 30 +10, Jul 31 +41, Aug 25 +66): 0.2 mL that morning. The rule before issue
 * 13 said the first day at 0, + 67 = 2025-08-26, and a database written then holds that date in
 * its refill row (signed content, never rewritten) and its projection. Opened today, the record, the
 * worklist, `reservoir worklist` and the refill-schedule report all say 2025-08-25.
 */
const NEW_RULE = '2025-08-25';
const OLD_RULE = '2025-08-26';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => (tmp = tempDir('reservoir-empty-date-')));
afterEach(() => tmp.cleanup());

function olderDatabase(file: string): { patientId: number; pumpId: number } {
  const db = openTestDb(file); // today: 2025-09-01
  const { ctx } = db;
  const patient = ctx.store.patients.create(
    patientCreateInput.parse({ mrn: 'EMPTY-1', familyName: 'Dry', givenName: 'Run', birthDate: '1960-01-01', sex: 'female', indications: ['spasticity'] }),
    ctx.now(),
  );
  const device = ctx.store.catalog.devices().find((d) => d.model === 'SynchroMed II' && d.reservoirUl === 20000)!;
  const pump = implantPump(ctx, pumpImplantInput.parse({ patientId: patient.id, deviceModelId: device.id, serial: 'SN-DRY', implantDate: '2025-06-20' }));
  if (!pump.ok) throw new Error(pump.error.message);
  const refill = recordRefill(
    ctx,
    refillEntryInput.parse({
      pumpId: pump.value.id,
      date: '2025-06-20',
      withdrawnMl: null,
      addedMl: 20,
      drugs: [{ drug: 'Baclofen', concentration: { value: 2000, unit: 'mcg' }, dailyDose: { value: 600, unit: 'mcg' } }],
      mode: 'simple_continuous',
      reservoirPortConfirmed: true,
    }),
  );
  if (!refill.ok) throw new Error(refill.error.message);
  expect(ctx.store.record.projection(pump.value.id)!.emptyDate).toBe(NEW_RULE);
  db.close();
  // As the older Reservoir left it.
  const raw = new Database(file);
  raw.prepare('UPDATE refills SET empty_date = ?').run(OLD_RULE);
  raw.prepare('UPDATE pump_projection SET empty_date = ?').run(OLD_RULE);
  raw.prepare('DELETE FROM settings WHERE key = ?').run(PROJECTION_RULES_KEY);
  raw.close();
  return { patientId: patient.id, pumpId: pump.value.id };
}

describe('the empty date of a pump whose stored refill row holds the old rule', () => {
  it('opening the services brings the projection up to date, and the refill row is left as signed', () => {
    const file = tmp.file('clinic.db');
    olderDatabase(file);
    const services = createServices({ databasePath: file, shell: 'browser', now: () => NOW });
    if (!services.ok) throw new Error(services.error.message);
    services.value.close();
    const raw = new Database(file, { readonly: true });
    expect(raw.prepare('SELECT empty_date FROM pump_projection').get()).toEqual({ empty_date: NEW_RULE });
    expect(raw.prepare('SELECT empty_date FROM refills').get()).toEqual({ empty_date: OLD_RULE });
    expect(raw.prepare('SELECT value FROM settings WHERE key = ?').get(PROJECTION_RULES_KEY)).toEqual({ value: String(PROJECTION_RULES_VERSION) });
    raw.close();
  });

  it('the record, the worklist, reservoir worklist and the refill-schedule report agree', () => {
    const file = tmp.file('clinic.db');
    const { patientId, pumpId } = olderDatabase(file);

    // reservoir worklist (opens the database itself).
    let out = '';
    const code = main(['worklist', '--db', file, '--as-of', '2025-09-01', '--format', 'json'], { out: (t) => void (out += t), err: () => {}, now: () => NOW });
    expect(code).toBe(0);
    const cliRow = JSON.parse(out).rows.find((r: { serial: string }) => r.serial === 'SN-DRY');
    expect(cliRow).toMatchObject({ empty_date: NEW_RULE, urgency: 'empty' });

    const opened = openStore(file, { mustExist: true, now: () => NOW });
    if (!opened.ok) throw new Error(opened.message);
    try {
      const { ctx } = opened.value;
      const record = patientRecord(ctx, patientId);
      if (!record.ok) throw new Error(record.error.message);
      const history = record.value.pumps.find((h) => h.pump.id === pumpId)!;
      expect(history.projection!.emptyDate).toBe(NEW_RULE); // the pump card
      expect(history.urgency).toMatchObject({ urgency: 'empty' });
      expect(history.refills[0]!.emptyDate).toBe(OLD_RULE); // the signed row, shown nowhere as the pump's empty date

      expect(worklist(ctx, '2025-09-01', 14).rows.find((r) => r.pumpId === pumpId)).toMatchObject({ emptyDate: NEW_RULE, urgency: 'empty' });

      const report = buildReport({ db: (ctx.store as SqliteStore).db, store: ctx.store, nowMs: NOW }, { report: 'refill-schedule', from: '2025-09-01', to: '2025-09-30', clinician: undefined, drug: undefined });
      if (!report.ok) throw new Error(report.error.message);
      const section = (report.value as ReportData).sections.find((s) => s.key === 'due')!;
      const column = (key: string) => section.columns.findIndex((c) => c.key === key);
      const row = section.rows.find((r) => r[column('serial')] === 'SN-DRY')!;
      expect(row[column('empty_date')]).toBe(NEW_RULE);
      expect(row[column('urgency')]).toBe('Empty (estimated)');
      expect(row[column('why')]).toBe('estimated empty — risk of withdrawal');
    } finally {
      opened.value.close();
    }
  });
});
