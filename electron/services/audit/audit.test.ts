import Database from 'better-sqlite3-multiple-ciphers';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../shared/contract/audit';
import { auditChangeRows, describeAudit, genericSentence, ISO_FORMAT } from '../../../shared/domain/audit-words';
import { TEST_PASSWORD, useTestServices } from '../testing/services';
import { verifyAuditChain } from './chain';
import { auditCsv, csvField } from './csv';
import { describeWorkstation, withWorkstation } from './workstation';

const t = useTestServices(Date.UTC(2026, 2, 1, 12));

async function patientWithPump() {
  const patient = await t.must<{ id: number }>('patients.create', {
    mrn: 'MRN-1',
    familyName: 'Brennan',
    givenName: 'Thomas',
    birthDate: '1971-11-02',
    sex: 'male',
    indications: ['spasticity'],
  });
  const pump = await t.must<{ id: number }>('pumps.implant', {
    patientId: patient.id,
    deviceModelId: await t.deviceId('SynchroMed II', 20000),
    serial: 'SM-001',
    implantDate: '2026-01-05',
  });
  return { patientId: patient.id, pumpId: pump.id };
}

const refill = (pumpId: number, date: string, addedMl: number) => ({
  pumpId,
  date,
  withdrawnMl: null,
  addedMl,
  drugs: [{ drug: 'Baclofen', concentration: { value: 2000, unit: 'mcg' }, dailyDose: { value: 500, unit: 'mcg' } }],
  mode: 'simple_continuous',
  reservoirPortConfirmed: true,
});

const trail = async (filter: object = {}) => t.must<AuditEntry[]>('audit.list', filter);

describe('what the audit trail records', () => {
  it('a refill: who, when, the record, no value before and the visit after; a view of the record; an update with before and after', async () => {
    const { patientId, pumpId } = await patientWithPump();
    const { refill: saved } = await t.must<{ refill: { id: number } }>('refills.record', refill(pumpId, '2026-01-05', 20));
    const [entry] = await trail({ action: 'create', patientId, limit: 1 });
    expect(entry).toMatchObject({
      username: 'clinician',
      role: 'clinician',
      action: 'create',
      entity: 'refill',
      entityId: String(saved.id),
      patientId,
      before: null,
      after: { id: saved.id, pumpId, date: '2026-01-05', addedUl: 20000 },
      atMs: Date.UTC(2026, 2, 1, 12),
    });

    await t.as('staff').dispatch('patients.get', { id: patientId });
    expect((await trail({ action: 'view' }))[0]).toMatchObject({ username: 'staff', entity: 'patient', entityId: String(patientId), patientId, after: null });

    await t.must('patients.update', { id: patientId, givenName: 'Tom' });
    expect((await trail({ action: 'update', patientId }))[0]).toMatchObject({ before: { givenName: 'Thomas' }, after: { givenName: 'Tom' } });
    // By MRN, as people know the patient; an unknown MRN is named.
    expect((await trail({ mrn: 'mrn-1' })).every((e) => e.patientId === patientId && e.patientMrn === 'MRN-1')).toBe(true);
    expect(await t.svc.dispatch('audit.list', { mrn: 'NOPE-1' })).toMatchObject({ ok: false, error: { code: 'not_found', field: 'mrn' } });
    expect(await t.svc.dispatch('audit.list', { from: '2026-03-02', to: '2026-03-01' })).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'to' } });
  });

  it('a refused write leaves neither the write nor an audit entry', async () => {
    const { pumpId } = await patientWithPump();
    const before = (await trail({ limit: 5000 })).length;
    const r = await t.svc.dispatch('refills.record', refill(pumpId, '2026-01-05', 25)); // above the 20 mL reservoir
    expect(r.ok).toBe(false);
    const after = await trail({ limit: 5000 });
    expect(after.length).toBe(before);
  });

  it('filters by user, action and period; exports CSV with its own audit entry', async () => {
    await patientWithPump();
    expect((await trail({ username: 'Clinician' })).every((e) => e.username === 'clinician')).toBe(true);
    expect(await trail({ from: '2026-03-02' })).toEqual([]);
    expect((await trail({ from: '2026-03-01', to: '2026-03-01' })).length).toBeGreaterThan(3);
    const csv = await t.must<{ csv: string; rows: number }>('audit.export', { action: 'create' });
    expect(csv.rows).toBe(2);
    expect(csv.csv.split('\r\n')[0]).toBe('seq,time_utc,username,role,action,entity,entity_id,patient_id,patient_mrn,before,after,detail,workstation,hash,description');
    expect((await trail({ action: 'export' }))[0]).toMatchObject({ username: 'auditor', entity: 'audit_log', detail: { rows: 2 } });
  });

  it('reads each entry with the names it is worded with, and the CSV export carries the sentence; the chain still verifies', async () => {
    const { patientId, pumpId } = await patientWithPump();
    const { refill: saved } = await t.must<{ refill: { id: number } }>('refills.record', refill(pumpId, '2026-01-05', 20));
    await t.must('patients.update', { id: patientId, familyName: 'Brennan-Hall' });
    const entries = await trail({ patientId });
    const recorded = entries.find((e) => e.entity === 'refill' && e.entityId === String(saved.id))!;
    // The names as they are now: the user's full name, the patient's (changed) name, the pump's serial.
    expect(recorded.names).toEqual({ actor: 'Test clinician', patient: 'Thomas Brennan-Hall', pumpSerial: 'SM-001', user: null });
    expect(entries.find((e) => e.action === 'update')!.names).toMatchObject({ actor: 'Test clinician', patient: 'Thomas Brennan-Hall' });

    const exported = await t.must<{ csv: string; rows: number }>('audit.export', { patientId });
    const rows = parse(exported.csv, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(exported.rows);
    const row = rows.find((r) => r.entity === 'refill' && r.entity_id === String(saved.id))!;
    // Every earlier column is where it was; the sentence is the last one.
    expect(Object.keys(row).at(-1)).toBe('description');
    expect(row.action).toBe('create');
    expect(row.description).toBe('Test clinician recorded a refill of pump SM-001 (Thomas Brennan-Hall, MRN MRN-1) on 2026-01-05: 20.00 mL added, Baclofen 500 mcg/day.');
    const update = rows.find((r) => r.action === 'update')!;
    expect(update.description).toBe('Test clinician changed the details of Thomas Brennan-Hall (MRN MRN-1): Family name.');
    expect(rows.every((r) => (r.description ?? '') !== '' && !(r.description ?? '{').includes('{'))).toBe(true);
    expect(await t.must('audit.verify', {})).toMatchObject({ ok: true });
  });
});

describe('the trail in words, from entries the services really write', () => {
  it('each entry written here reads as its own sentence, not the generic fallback; a patient edit has its before/after rows', async () => {
    const { patientId, pumpId } = await patientWithPump();
    await t.must('refills.record', refill(pumpId, '2026-01-05', 20));
    await t.must('patients.update', { id: patientId, allergies: 'Latex', birthDate: '1971-11-03' });
    await t.must('patients.get', { id: patientId });
    await t.raw.dispatch('session.login', { username: 'staff', password: 'not the password' }, { id: null });
    await t.raw.dispatch('session.login', { username: 'nobody', password: 'not the password' }, { id: null });
    await t.as('staff').dispatch('refills.record', refill(pumpId, '2026-02-05', 10)); // refused: the role may not
    await t.must('audit.export', {});
    const entries = await trail({ limit: 5000 });
    expect(new Set(entries.map((e) => e.action))).toEqual(new Set(['user_create', 'login', 'create', 'update', 'view', 'login_failed', 'denied', 'export']));
    for (const e of entries) expect(describeAudit(e, ISO_FORMAT), `${e.action} ${e.entity}`).not.toBe(genericSentence(e));
    const words = entries.map((e) => describeAudit(e, ISO_FORMAT));
    expect(words).toContain("Sign-in failed for user 'staff' (wrong password, attempt 1 of 5).");
    expect(words).toContain("Sign-in failed for user 'nobody' (no such user).");
    expect(words).toContain('Test staff was refused refills.record: the role Staff may not make it.');
    expect(words.filter((w) => /^Test clinician recorded the implant of pump SM-001 \(\w+ SynchroMed II\) on 2026-01-05 for Thomas Brennan \(MRN MRN-1\)\.$/.test(w))).toHaveLength(1);
    const edit = entries.find((e) => e.action === 'update' && e.entity === 'patient')!;
    expect(describeAudit(edit, ISO_FORMAT)).toBe('Test clinician changed the details of Thomas Brennan (MRN MRN-1): Birth date, Allergies.');
    expect(auditChangeRows(edit, ISO_FORMAT)).toEqual([
      { field: 'Birth date', before: '1971-11-02', after: '1971-11-03' },
      { field: 'Allergies', before: '—', after: 'Latex' },
    ]);
  });
});

describe('signatures, amendments and events in words', () => {
  it('a refill signed and amended (its changed fields as rows, by path), an adverse event recorded and resolved', async () => {
    const { patientId, pumpId } = await patientWithPump();
    const { refill: saved } = await t.must<{ refill: { id: number } }>('refills.record', refill(pumpId, '2026-01-05', 20));
    await t.must('entries.sign', { kind: 'refill', id: saved.id, password: TEST_PASSWORD });
    await t.must('entries.amend', { kind: 'refill', id: saved.id, password: TEST_PASSWORD, reason: 'Lot misread', changes: { note: 'First fill.', drugs: [{ position: 0, lot: 'L-7' }] } });
    const event = await t.must<{ id: number }>('events.record', { patientId, pumpId, date: '2026-02-25', kind: 'adverse', adverseKind: 'csf_leak', severity: 'severe', status: 'open' });
    await t.must('events.resolve', { eventId: event.id, note: 'Blood patch.' });
    const entries = await trail({ patientId, limit: 5000 });
    for (const e of entries) expect(describeAudit(e, ISO_FORMAT), `${e.action} ${e.entity}`).not.toBe(genericSentence(e));
    const said = (action: string) => entries.filter((e) => e.action === action).map((e) => describeAudit(e, ISO_FORMAT));
    expect(said('sign')).toEqual([expect.stringMatching(/^Test clinician signed the refill visit of pump SM-001 \(Thomas Brennan, MRN MRN-1\) \('.+'\)\.$/)]);
    expect(said('amend')).toEqual(["Test clinician amended the refill visit of pump SM-001 (Thomas Brennan, MRN MRN-1), giving the reason 'Lot misread'."]);
    expect(auditChangeRows(entries.find((e) => e.action === 'amend')!, ISO_FORMAT)).toEqual([
      { field: 'Note', before: '—', after: 'First fill.' },
      { field: 'Drug 1 lot', before: '—', after: 'L-7' },
    ]);
    expect(said('create')).toContain('Test clinician recorded an adverse event (CSF leak, severe) on 2026-02-25 for Thomas Brennan (MRN MRN-1).');
    expect(said('update')).toContain('Test clinician marked an adverse event (CSF leak, severe) on 2026-02-25 of Thomas Brennan (MRN MRN-1) as resolved.');
  });

  it('a refill appointment booked', async () => {
    const { pumpId } = await patientWithPump();
    await t.must('refills.record', refill(pumpId, '2026-02-20', 20));
    await t.must('appointments.book', { pumpId, date: '2026-03-05', time: '10:00', clinician: 'RN Patel', room: 'Room 1', homeVisit: false });
    const [booked] = await trail({ action: 'create', limit: 1 });
    expect(describeAudit(booked!, ISO_FORMAT)).toBe('Test clinician booked a refill appointment for pump SM-001 (Thomas Brennan, MRN MRN-1) on 2026-03-05 at 10:00 (Room 1).');
  });
});

describe('accounts, access tokens and sign-in settings in words', () => {
  it('a role change, an access token made and revoked, the lock setting: sentences and rows from what the services wrote', async () => {
    const admin = t.as('administrator');
    const overview = await t.must<{ users: { id: number; username: string; version: string }[] }>('users.list', {});
    const staff = overview.users.find((u) => u.username === 'staff')!;
    expect((await admin.dispatch('users.update', { id: staff.id, role: 'auditor', displayName: 'Sam Desk' })).ok).toBe(true);
    const made = await admin.dispatch('tokens.create', { name: 'nightly export', role: 'auditor', expiresInDays: 30 });
    if (!made.ok) throw new Error(made.error.message);
    expect((await admin.dispatch('tokens.revoke', { id: (made.value as { token: { id: number } }).token.id })).ok).toBe(true);
    expect((await admin.dispatch('access.update', { sessionLockMinutes: 15 })).ok).toBe(true);
    const entries = await trail({ limit: 5000 });
    for (const e of entries) expect(describeAudit(e, ISO_FORMAT), `${e.action} ${e.entity}`).not.toBe(genericSentence(e));
    const said = (action: string) => entries.filter((e) => e.action === action).map((e) => describeAudit(e, ISO_FORMAT));
    expect(said('role_change')).toEqual(["Ada Admin changed the role of user 'staff' (Sam Desk) from Staff to Auditor; their sessions ended."]);
    const update = entries.find((e) => e.action === 'user_update')!;
    expect(describeAudit(update, ISO_FORMAT)).toBe("Ada Admin changed user 'staff' (Sam Desk): Full name, Role; their sessions ended.");
    expect(auditChangeRows(update, ISO_FORMAT)).toEqual([
      { field: 'Full name', before: 'Test staff', after: 'Sam Desk' },
      { field: 'Role', before: 'Staff', after: 'Auditor' },
    ]);
    expect(said('token_create')).toEqual(["Ada Admin created access token 'nightly export' for auditors, expiring 2026-03-31."]);
    expect(said('token_revoke')).toEqual(["Ada Admin revoked access token 'nightly export' (for auditors)."]);
    const access = entries.find((e) => e.entity === 'access_settings')!;
    expect(describeAudit(access, ISO_FORMAT)).toBe('Ada Admin changed the sign-in settings: Lock the console after.');
    expect(auditChangeRows(access, ISO_FORMAT)).toEqual([{ field: 'Lock the console after', before: '10 minutes', after: '15 minutes' }]);
  });
});

describe('append-only and hash-chained', () => {
  it('the database refuses UPDATE and DELETE on the audit trail', async () => {
    await patientWithPump();
    const db = new Database(t.databasePath);
    try {
      expect(() => db.prepare("UPDATE audit_log SET username = 'mallory' WHERE seq = 1").run()).toThrow(/append-only/);
      expect(() => db.prepare('DELETE FROM audit_log WHERE seq = 1').run()).toThrow(/append-only/);
      expect(verifyAuditChain(db)).toMatchObject({ ok: true });
    } finally {
      db.close();
    }
  });

  it('verification finds an edited entry and a deleted one (with the triggers dropped), naming the first broken entry', async () => {
    await patientWithPump();
    expect(await t.must('audit.verify', {})).toMatchObject({ ok: true, entries: expect.any(Number) });
    const db = new Database(t.databasePath);
    try {
      db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
      db.prepare("UPDATE audit_log SET after_json = json_set(after_json, '$.givenName', 'X') WHERE seq = 9").run();
      expect(verifyAuditChain(db)).toMatchObject({ ok: false, brokenSeq: 9, reason: expect.stringContaining('changed') });
      expect(await t.must('audit.verify', {})).toMatchObject({ ok: false, brokenSeq: 9 });
    } finally {
      db.close();
    }
  });

  it('names the workstation of a request served over the network, and the chain covers it: changed, added or removed, it breaks', async () => {
    const { patientId } = await withWorkstation('ROOM1-PC (10.0.0.21)', () => patientWithPump());
    await t.must('patients.get', { id: patientId }); // outside any request context: no workstation
    const entries = await trail();
    const created = entries.find((e) => e.entity === 'patient' && e.action === 'create')!;
    expect(created.workstation).toBe('ROOM1-PC (10.0.0.21)');
    expect(entries.find((e) => e.action === 'view')!.workstation).toBeNull();
    const csvLine = auditCsv(entries).split('\r\n').find((l) => l.startsWith(`${created.seq},`))!;
    expect(csvLine).toContain(',ROOM1-PC (10.0.0.21),');
    const db = new Database(t.databasePath);
    try {
      expect(verifyAuditChain(db)).toMatchObject({ ok: true });
      db.exec('DROP TRIGGER audit_log_no_update;');
      const seq = created.seq;
      db.prepare("UPDATE audit_log SET workstation = 'ADMIN-PC (10.0.0.2)' WHERE seq = ?").run(seq);
      expect(verifyAuditChain(db)).toMatchObject({ ok: false, brokenSeq: seq, reason: expect.stringContaining('changed') });
      db.prepare('UPDATE audit_log SET workstation = NULL WHERE seq = ?').run(seq);
      expect(verifyAuditChain(db)).toMatchObject({ ok: false, brokenSeq: seq });
      db.prepare("UPDATE audit_log SET workstation = 'ROOM1-PC (10.0.0.21)' WHERE seq = ?").run(seq);
      expect(verifyAuditChain(db)).toMatchObject({ ok: true });
      const view = entries.find((e) => e.action === 'view')!.seq;
      db.prepare("UPDATE audit_log SET workstation = 'ROOM1-PC (10.0.0.21)' WHERE seq = ?").run(view);
      expect(verifyAuditChain(db)).toMatchObject({ ok: false, brokenSeq: view });
    } finally {
      db.close();
    }
  });

  it('a workstation is the address the server saw, with the host name its client sent in front', () => {
    expect(describeWorkstation('::ffff:10.0.0.21', 'ROOM1-PC')).toBe('ROOM1-PC (10.0.0.21)');
    expect(describeWorkstation('fe80::1', null)).toBe('fe80::1');
    expect(describeWorkstation(undefined, null)).toBe('unknown address');
  });

  it('a deleted entry breaks the chain at the next one', async () => {
    await patientWithPump();
    const db = new Database(t.databasePath);
    try {
      db.exec('DROP TRIGGER audit_log_no_delete;');
      db.prepare('DELETE FROM audit_log WHERE seq = 3').run();
      expect(verifyAuditChain(db)).toMatchObject({ ok: false, brokenSeq: 4, reason: expect.stringContaining('missing') });
    } finally {
      db.close();
    }
  });
});

describe('csv', () => {
  it('quotes, doubles quotes, and defuses spreadsheet formulas', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(auditCsv([])).toBe('seq,time_utc,username,role,action,entity,entity_id,patient_id,patient_mrn,before,after,detail,workstation,hash,description\r\n');
  });

  it('no cell of any text begins with = + - @, tab or CR as a spreadsheet reads it', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', "'", '"', ',', 'x') })), (s) => {
        const [cells] = parse(csvField(s) + '\r\n', { relax_column_count: true }) as string[][];
        expect(cells).toHaveLength(1);
        expect(cells![0]).not.toMatch(/^[=+\-@\t\r]/);
      }),
      { numRuns: 1000 },
    );
  });
});
