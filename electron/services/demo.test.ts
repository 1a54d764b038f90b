import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type OpenedStore } from '../cli/database';
import { AuditLog } from './audit/log';
import { DEMO_GENERATED, seedDemoClinic } from './demo';
import { clinicDay } from './features/appointments/service';
import { verificationRepository } from './features/verifications/repository';
import { worklist } from './features/record/worklist';
import { tempDir } from './testing/temp';

const NOW = Date.UTC(2026, 10, 24, 12); // the clinic's today (UTC): 2026-11-24
const TODAY = '2026-11-24';
const HAND_WRITTEN = [
  'Okafor, Grace',
  'Brennan, Thomas',
  'Haddad, Layla',
  'Novak, Pavel',
  'Sato, Emi',
  'Fischer, Jonas',
  'Quinn, Nora',
  'Reyes, Marco',
  'Halvorsen, Maja',
  'Mercer, Daniel',
  'Abara, Chidi',
];
const HAND_WRITTEN_MRNS = HAND_WRITTEN.map((_, i) => `RSV-${1001 + i}`);

let tmp: ReturnType<typeof tempDir>;
let demo: OpenedStore;
let loadMs = 0;

function seeded(name: string, now = NOW): OpenedStore {
  const r = openStore(tmp.file(name), { mustExist: false, now: () => now, keys: { plain: true } }); // unencrypted: the tests read the file directly
  if (!r.ok) throw new Error(r.message);
  // As the shells do: the demo is written in one transaction on an empty database.
  r.value.ctx.store.transaction(() => seedDemoClinic(r.value.ctx));
  return r.value;
}

/** Every row of every table (rows as JSON, sorted: some tables have no rowid): the database's whole content. */
function content(file: string): Record<string, string[]> {
  const db = new Database(file, { readonly: true });
  try {
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as { name: string }[];
    return Object.fromEntries(tables.map(({ name }) => [name, db.prepare(`SELECT * FROM "${name}"`).all().map((row) => JSON.stringify(row)).sort()]));
  } finally {
    db.close();
  }
}

beforeAll(() => {
  tmp = tempDir('reservoir-demo-');
  const t = performance.now();
  demo = seeded('demo.db');
  loadMs = performance.now() - t;
});
afterAll(() => {
  demo.close();
  tmp.cleanup();
});

describe('demo clinic', () => {
  it('loads dozens of patients quickly: the eleven hand-written ones and the generated clinic', () => {
    const patients = demo.ctx.store.patients.list(1000);
    expect(patients).toHaveLength(HAND_WRITTEN.length + DEMO_GENERATED.patients);
    const names = patients.map((p) => `${p.familyName}, ${p.givenName}`);
    for (const name of HAND_WRITTEN) expect(names.filter((n) => n === name)).toEqual([name]);
    // No generated patient shares a hand-written family name, so a search for one finds only the one.
    const families = new Set(HAND_WRITTEN.map((n) => n.split(',')[0]));
    expect(patients.filter((p) => families.has(p.familyName))).toHaveLength(HAND_WRITTEN.length);
    console.info(`demo clinic loaded in ${Math.round(loadMs)} ms`);
    expect(loadMs).toBeLessThan(10_000); // a generous ceiling for a loaded CI machine; ~0.5 s here
  });

  it('is deterministic: the same seed and date give the same database content; another date moves the dates', () => {
    for (const [name, now] of [['a.db', NOW], ['b.db', NOW], ['c.db', NOW + 86_400_000]] as const) seeded(name, now).close();
    const ca = content(tmp.file('a.db'));
    expect(Object.keys(ca)).toEqual(expect.arrayContaining(['patients', 'pumps', 'refills', 'refill_drugs', 'dose_changes', 'events', 'reversals', 'removals', 'pump_projection']));
    expect(ca.refills!.length).toBeGreaterThan(500);
    expect(content(tmp.file('b.db'))).toEqual(ca);
    // A day later every date is a day later: the same clinic, moved.
    const dates = (rows: string[]) => rows.map((r) => (JSON.parse(r) as { date: string }).date).sort();
    const cc = content(tmp.file('c.db'));
    expect(cc.refills!.length).toBe(ca.refills!.length);
    expect(dates(cc.refills!)).not.toEqual(dates(ca.refills!));
  });

  it('is in the audit trail: one entry for the hand-written patients and one for the generated clinic, the chain intact', () => {
    const db = new Database(tmp.file('demo.db'), { readonly: true });
    try {
      const entries = db.prepare(`SELECT username, action, entity, detail_json FROM audit_log ORDER BY seq`).all() as { username: string; action: string; entity: string; detail_json: string }[];
      // (By the seed's actor: the shells seed as `system`; this test's store acts as the command line does.)
      // The demo's entry awaiting a double check is asked for as every such request is: audited.
      expect(entries.map((e) => [e.action, e.entity])).toEqual([
        ['verification_request', 'dose_change'],
        ['create', 'appointment'],
        ['create', 'appointment'],
        ['create', 'demo_clinic'],
        ['create', 'synthetic_clinic'],
      ]);
      expect(JSON.parse(entries[3]!.detail_json)).toEqual({ asOf: TODAY, patients: HAND_WRITTEN_MRNS });
      expect(JSON.parse(entries[4]!.detail_json)).toMatchObject({ seed: DEMO_GENERATED.seed, asOf: TODAY, created: { patients: DEMO_GENERATED.patients } });
      expect(new AuditLog(db).verify()).toMatchObject({ ok: true });
    } finally {
      db.close();
    }
  });

  it('shows a soft-limit override with its reason (issue 17): Quinn\'s morphine raised to 21 mg/day, above the soft 20', () => {
    const pump = demo.ctx.store.record.pumpBySerial('NGP215566H')!;
    const changes = demo.ctx.store.record.doseChanges(pump.id);
    expect(changes.map((c) => [c.drug, c.dailyDoseNgPerDay, c.overrideReason !== null])).toEqual([['Morphine', 21_000_000, true]]);
    expect(changes[0]!.overrideReason).toMatch(/^End-of-life care/);
  });

  it('shows an entry awaiting an independent double check (issue 17): Haddad\'s hydromorphone raised 1.5 → 1.8 mg/day by Dr. Moreau', () => {
    const pump = demo.ctx.store.record.pumpBySerial('PII-13827-0451')!;
    const checks = verificationRepository(demo.ctx.store).ofPumps([pump.id]);
    expect(checks).toMatchObject([
      { kind: 'dose_change', state: 'awaiting', reasons: ['opioid_increase'], summary: 'Hydromorphone 1.5 → 1.8 mg/day', requestedBy: { userId: null, name: 'Dr. Moreau', role: 'clinician' } },
    ]);
    expect(worklist(demo.ctx, TODAY, 14).counts.awaitingVerification).toBe(1);
  });

  it('gives every patient contacts (issue 16, item 6): fictional 555-01xx numbers, found by phone and by "First Last"', () => {
    const rows = demo.ctx.store.patients.list(1000);
    expect(rows.length).toBe(HAND_WRITTEN.length + DEMO_GENERATED.patients);
    for (const p of rows) {
      expect(p.contacts.phones.length, p.mrn).toBeGreaterThan(0);
      for (const phone of p.contacts.phones) expect(phone.number).toMatch(/^\(\d{3}\) 555-01\d\d$/);
    }
    const okafor = demo.ctx.store.patients.findByMrn('RSV-1001')!;
    expect(okafor.contacts).toMatchObject({
      phones: [{ use: 'mobile', number: '(312) 555-0110' }, { use: 'home', number: '(312) 555-0111' }],
      emergencyContact: { name: 'Daniel Okafor', relationship: 'Son' },
      familyDoctor: { name: 'Dr. Helen Park' },
      language: 'en',
    });
    const find = (query: string) => demo.ctx.store.patients.search({ query, limit: 50 }).map((p) => p.mrn);
    expect(find('312 555 0110')).toEqual(['RSV-1001']);
    expect(find('5550110')).toEqual(['RSV-1001']);
    expect(find('Grace Okafor')).toEqual(['RSV-1001']);
    expect(find('Okafor, Grace')).toEqual(['RSV-1001']);
    expect(find('1958-03-14')).toEqual(['RSV-1001']);
  });

  it('keeps the hand-written patients exactly as the tests and README describe them', () => {
    const wl = worklist(demo.ctx, TODAY, 14);
    const serials = wl.rows.map((r) => r.serial);
    expect(serials).not.toContain('NGP203344H'); // Sato: turned off (reversal)
    expect(serials).not.toContain('NGP190001H'); // Fischer: explanted and replaced
    // Baclofen raised to 500 mcg/day (0.25 mL/day) 30 days ago with 14.15 mL left:
    // (14.15 − 2) / 0.25 = 48.6 → alarm 48 days later = 2026-12-12, due 7 days before.
    expect(wl.rows.find((r) => r.serial === 'NGP207781H')).toMatchObject({ patientName: 'Brennan, Thomas', dailyVolumeMl: 0.25, alarmDate: '2026-12-12', nextDue: '2026-12-05', status: 'due' });
    expect(wl.rows.find((r) => r.serial === 'PII-13827-0451')).toMatchObject({ patientName: 'Haddad, Layla', status: 'due' });
    expect(wl.rows.find((r) => r.serial === 'NGP401122H')).toMatchObject({ patientName: 'Okafor, Grace', discrepancyFlag: true, replacementDue: true });
    expect(wl.rows.find((r) => r.serial === 'NGP208812H')).toMatchObject({ patientName: 'Novak, Pavel', status: 'overdue', openAdverseEvents: 1 });
    expect(serials).not.toContain('NGP215566H'); // Quinn: deceased
    // Reyes: restarted 80 days ago at 2.5 mg/day (0.1 mL/day); due on morphine's 90-day limit, in 10 days.
    expect(wl.rows.find((r) => r.serial === 'NGP216677H')).toMatchObject({ patientName: 'Reyes, Marco', dailyVolumeMl: 0.1, status: 'due' });
    const { record, patients } = demo.ctx.store;
    const quinn = patients.findByMrn('RSV-1007')!;
    expect(quinn).toMatchObject({ status: 'deceased', deathDate: expect.any(String) });
    const sato = record.implantedPump(patients.findByMrn('RSV-1005')!.id)!;
    expect(record.projection(sato.id)).toMatchObject({ inWorklist: false, dailyVolumeUl: null, nextDueDate: null });
    const reyes = record.implantedPump(patients.findByMrn('RSV-1008')!.id)!;
    expect(record.history(reyes)).toMatchObject({ pump: { status: 'active' }, reversals: [{ kind: 'turned_off' }], restarts: [{}] });
  });

  it("has today's appointments and a missed one on the call list (issue 16)", () => {
    const r = clinicDay(demo.ctx, {});
    if (!r.ok) throw new Error(r.error.message);
    const day = r.value;
    expect(day.today).toBe(TODAY);
    // Mercer 09:00 in Room 1: 20 mL filled 2026-08-23 (today − 93) at 0.2 mL/day → 20 − 18.6 = 1.4 mL expected; a full 20 mL to prepare.
    expect(day.visits.map((v) => [v.time, v.patientName, v.homeVisit ? 'home' : v.room, v.expectedResidualUl, v.volumeToPrepareUl])).toEqual([
      ['09:00', 'Mercer, Daniel', 'Room 1', 1_400, 20_000],
      // Abara at home: 40 mL filled today − 20 at 0.2 mL/day → 36 mL; 40 mL to prepare.
      ['11:30', 'Abara, Chidi', 'home', 36_000, 40_000],
    ]);
    // Halvorsen missed 2026-11-19 (today − 5) and is on the call list.
    expect(day.callList.map((a) => [a.date, a.patientName, a.state])).toEqual([['2026-11-19', 'Halvorsen, Maja', 'did_not_attend']]);
    // The pharmacy: morphine 10 mg/mL 20 mL (200 mg), hydromorphone 10 mg/mL 40 mL (400 mg).
    expect(day.pharmacy.map((p) => [p.drug, p.volumeUl, p.amountNg])).toEqual([
      ['Hydromorphone', 40_000, 400_000_000],
      ['Morphine', 20_000, 200_000_000],
    ]);
  });

  it('shows an estimated-empty baclofen pump, an alarming pump and a severe open adverse event, worst first (issue 13)', () => {
    const wl = worklist(demo.ctx, TODAY, 14);
    // Halvorsen: 20 mL of baclofen at 0.25 mL/day on 2026-09-01 (today − 84): alarm + 72 = 2026-11-12, empty + 80 = 2026-11-20 (today − 4).
    const lindgren = wl.rows.find((r) => r.mrn === 'RSV-1009')!;
    expect(lindgren).toMatchObject({ urgency: 'empty', emptyDate: '2026-11-20', alarmDate: '2026-11-12' });
    expect(lindgren.withdrawalWarnings.map((w) => w.drug)).toEqual(['Baclofen']);
    // Mercer: 20 mL of morphine at 0.2 mL/day on 2026-08-23 (today − 93): alarm + 90 = 2026-11-21, empty + 100 = 2026-12-01;
    // due at alarm − 7 = 2026-11-14 (morphine's 90 days come later): overdue by 10 days.
    expect(wl.rows.find((r) => r.mrn === 'RSV-1010')).toMatchObject({ urgency: 'alarm', alarmDate: '2026-11-21', emptyDate: '2026-12-01', nextDue: '2026-11-14', daysOverdue: 10, nextDueRule: 'alarm' });
    const abara = wl.rows.find((r) => r.mrn === 'RSV-1011')!;
    expect(abara.openAdverse).toEqual([{ severity: 'severe', kind: 'overdose', date: '2026-11-21' }]);
    expect(wl.counts.empty).toBeGreaterThanOrEqual(1);
    expect(wl.counts.alarm).toBeGreaterThanOrEqual(1);
    expect(wl.counts.severeAdverse).toBeGreaterThanOrEqual(1); // the generated clinic may have its own
    // Worst first: every empty pump before every alarming one, before Abara's severe event, before any merely overdue or due pump.
    const at = (mrn: string) => wl.rows.findIndex((r) => r.mrn === mrn);
    expect(at('RSV-1009')).toBeLessThan(at('RSV-1010'));
    expect(at('RSV-1010')).toBeLessThan(at('RSV-1011'));
    expect(wl.rows.slice(at('RSV-1011') + 1).every((r) => r.urgency !== 'empty' && r.urgency !== 'alarm')).toBe(true);
    const severe = (r: (typeof wl.rows)[number]) => r.openAdverse.some((e) => e.severity === 'severe' || e.severity === 'life_threatening');
    expect(wl.rows.slice(0, at('RSV-1011')).every((r) => r.urgency === 'empty' || r.urgency === 'alarm' || severe(r))).toBe(true);
  });

  it('has pumps overdue and due among the generated patients too, and counts that agree with the rows', () => {
    const wl = worklist(demo.ctx, TODAY, 14);
    const generated = wl.rows.filter((r) => !HAND_WRITTEN_MRNS.includes(r.mrn));
    expect(generated.filter((r) => r.status === 'overdue').length).toBeGreaterThan(0);
    expect(generated.filter((r) => r.status === 'due').length).toBeGreaterThan(0);
    expect(wl.counts.overdue).toBe(wl.rows.filter((r) => r.status === 'overdue').length);
    expect(wl.counts.due).toBe(wl.rows.filter((r) => r.status === 'due').length);
    expect(wl.counts.replacementDue).toBe(wl.rows.filter((r) => r.replacementDue).length);
    expect(wl.counts.running).toBeGreaterThanOrEqual(30);
  });

  it('shows what a real clinic has: every pump model, drug and admixture, years of refills, flags, events, reversals, removals and replacements', () => {
    const record = demo.ctx.store.record;
    const pumps = record.allPumps();
    expect(new Set(pumps.map((p) => `${p.model} ${p.reservoirUl / 1000} mL`))).toEqual(new Set(['SynchroMed II 20 mL', 'SynchroMed II 40 mL', 'Prometra II 20 mL']));
    const refills = pumps.flatMap((p) => record.refills(p.id));
    const drugs = new Set(refills.flatMap((r) => r.drugs.map((d) => d.drug)));
    expect(drugs).toEqual(new Set(['Morphine', 'Hydromorphone', 'Baclofen', 'Ziconotide', 'Bupivacaine', 'Clonidine']));
    const mixes = new Set(refills.filter((r) => r.drugs.length > 1).map((r) => r.drugs.map((d) => d.drug).join('+')));
    expect(mixes).toEqual(new Set(['Morphine+Bupivacaine', 'Morphine+Clonidine']));
    expect(refills.length).toBeGreaterThan(500);
    expect(refills.map((r) => r.date).sort()[0]! < '2019-11-24').toBe(true); // history of more than 7 years
    const flagged = refills.filter((r) => r.discrepancyFlag === true);
    expect(flagged.length).toBeGreaterThan(5);
    for (const r of flagged) expect(r.note).toBeTruthy();
    expect(pumps.flatMap((p) => record.doseChanges(p.id)).length).toBeGreaterThan(50);

    const events = demo.ctx.store.patients.list(1000).flatMap((p) => record.eventsOfPatient(p.id));
    expect(events.filter((e) => e.kind === 'adverse').length).toBeGreaterThan(5);
    expect(events.filter((e) => e.kind === 'mri').length).toBeGreaterThan(5);

    const reversals = pumps.map((p) => record.reversal(p.id)).filter((r) => r !== null);
    expect(reversals.length).toBeGreaterThanOrEqual(3);
    const removals = pumps.map((p) => record.removal(p.id)).filter((r) => r !== null);
    expect(removals.filter((r) => r.replacementPumpId !== null && r.reasons.includes('battery_end_of_life')).length).toBeGreaterThanOrEqual(2);
    expect(removals.filter((r) => r.replacementPumpId !== null && !r.reasons.includes('battery_end_of_life')).length).toBeGreaterThanOrEqual(1);
    expect(removals.filter((r) => r.replacementPumpId === null).length).toBeGreaterThanOrEqual(1);
    expect(pumps.filter((p) => p.status === 'explanted')).toHaveLength(removals.length);
  });
});
