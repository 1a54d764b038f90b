import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import type { Appointment, ClinicDay } from '../../../../shared/contract/appointments';
import type { AuditEntry } from '../../../../shared/contract/audit';
import type { ChangeNotice } from '../../../../shared/contract/changes';
import type { PatientRecord, Worklist } from '../../../../shared/contract/record';
import { bookingVerdict, preparationTotals } from '../../../../shared/domain/appointments';
import type { CalendarDate } from '../../../../shared/domain/calendar';
import { useTestServices } from '../../testing/services';

// Today is 2026-03-01 in the clinic (UTC).
const NOW = Date.UTC(2026, 2, 1, 14, 5);
const t = useTestServices(NOW);
const { must, deviceId } = t;

/**
 * SynchroMed II 20 mL (alarm at 2 mL), filled 2026-02-01 with 20 mL of morphine 10 mg/mL at
 * 5 mg/day = 0.5 mL/day = 500 µL/day. Hand-worked: 18 mL to the alarm = 36 days → alarm 2026-03-09;
 * 20 mL = 40 days → empty 2026-03-13; next due = alarm − 7-day safety margin = 2026-03-02.
 */
async function morphinePump(mrn = 'MRN-AP', serial = 'SM-AP', family = 'Okafor') {
  const patient = await must<{ id: number }>('patients.create', { mrn, familyName: family, givenName: 'Ada', birthDate: '1960-04-02', sex: 'female', indications: ['cancer_pain'] });
  const pump = await must<{ id: number }>('pumps.implant', { patientId: patient.id, deviceModelId: await deviceId('SynchroMed II', 20000), serial, implantDate: '2026-02-01' });
  await must('refills.record', {
    pumpId: pump.id,
    date: '2026-02-01',
    withdrawnMl: null,
    addedMl: 20,
    drugs: [{ drug: 'Morphine', concentration: { value: 10, unit: 'mg' }, dailyDose: { value: 5, unit: 'mg' }, lot: 'M-1' }],
    mode: 'simple_continuous',
    reservoirPortConfirmed: true,
  });
  return { patientId: patient.id, pumpId: pump.id };
}

const book = (pumpId: number, date: string, extra: object = {}) =>
  t.as('staff').dispatch('appointments.book', { pumpId, date, time: '10:30', clinician: 'Dr. Moreau', room: 'Room 2', homeVisit: false, ...extra });
const errorOf = (r: { ok: boolean; error?: { code: string; message: string; field?: string } }) => (r.ok ? null : r.error!);

describe('the booking rule (hand-worked dates)', () => {
  const dates = { nextDue: '2026-12-10', alarmDate: '2026-12-17', emptyDate: '2026-12-24' };
  const defaults = { bookingAfterAlarm: 'refuse', bookingAfterNextDue: 'warn' } as const;
  const d = (s: string) => s as CalendarDate;
  it('on the next-due date: fine; the day after: a reason; after the alarm date: refused by default', () => {
    expect(bookingVerdict(d('2026-12-10'), dates, defaults).kind).toBe('ok');
    expect(bookingVerdict(d('2026-12-11'), dates, defaults).kind).toBe('needs_reason');
    expect(bookingVerdict(d('2026-12-17'), dates, defaults).kind).toBe('needs_reason'); // on the alarm date: after next-due only
    expect(bookingVerdict(d('2026-12-18'), dates, defaults)).toMatchObject({ kind: 'refused', message: expect.stringContaining('2026-12-17') });
  });
  it('on or after the empty date: refused whatever the settings, naming the date', () => {
    const lax = { bookingAfterAlarm: 'warn', bookingAfterNextDue: 'warn' } as const;
    expect(bookingVerdict(d('2026-12-23'), dates, lax).kind).toBe('needs_reason');
    expect(bookingVerdict(d('2026-12-24'), dates, lax)).toMatchObject({ kind: 'refused', message: expect.stringContaining('EMPTY on 2026-12-24') });
    expect(bookingVerdict(d('2027-01-05'), dates, lax).kind).toBe('refused');
    // An empty pump (empty date already passed) cannot be booked for any later day.
    expect(bookingVerdict(d('2026-12-25'), { ...dates, emptyDate: '2026-11-30' }, lax).kind).toBe('refused');
  });
  it('an alarming or overdue pump may be booked for today (the earliest visit), not later', () => {
    const today = d('2026-12-19');
    expect(bookingVerdict(today, dates, defaults, today).kind).toBe('ok');
    expect(bookingVerdict(d('2026-12-20'), dates, defaults, today).kind).toBe('refused');
  });
  it('a pump already empty may be booked for today only (a same-day visit), never for a later day', () => {
    // Empty on 2026-12-24 (the estimate). On that day, and on 12-26 after it, today is bookable; tomorrow is not.
    expect(bookingVerdict(d('2026-12-24'), dates, defaults, d('2026-12-24')).kind).toBe('ok');
    expect(bookingVerdict(d('2026-12-26'), dates, defaults, d('2026-12-26')).kind).toBe('ok');
    expect(bookingVerdict(d('2026-12-25'), dates, defaults, d('2026-12-24'))).toMatchObject({ kind: 'refused', message: expect.stringContaining('EMPTY since 2026-12-24') });
    expect(bookingVerdict(d('2026-12-27'), dates, defaults, d('2026-12-26'))).toMatchObject({ kind: 'refused', message: expect.stringContaining('book it for today') });
    // Not yet empty by today: booking on or after the empty date is refused as before.
    expect(bookingVerdict(d('2026-12-24'), dates, defaults, d('2026-12-19')).kind).toBe('refused');
  });
  it("'refuse' after next-due refuses the day after", () => {
    expect(bookingVerdict(d('2026-12-11'), dates, { bookingAfterAlarm: 'refuse', bookingAfterNextDue: 'refuse' })).toMatchObject({ kind: 'refused', message: expect.stringContaining('2026-12-10') });
  });
});

describe('pharmacy totals (exact integers)', () => {
  it('per drug and concentration: volume in µL, amount = Σ µL × ng/mL / 1000', () => {
    const totals = preparationTotals([
      { drug: 'Morphine', unit: 'mg', concentrationNgPerMl: 10_000_000, volumeUl: 20_000 },
      { drug: 'Morphine', unit: 'mg', concentrationNgPerMl: 10_000_000, volumeUl: 40_000 },
      { drug: 'Morphine', unit: 'mg', concentrationNgPerMl: 25_000_000, volumeUl: 20_000 },
      { drug: 'Baclofen', unit: 'mcg', concentrationNgPerMl: 500_000, volumeUl: 18_000 },
    ]);
    // Morphine 10 mg/mL: 60 mL = 600 mg; 25 mg/mL: 20 mL = 500 mg; baclofen 500 mcg/mL: 18 mL = 9,000 mcg.
    expect(totals).toEqual([
      { drug: 'Baclofen', unit: 'mcg', concentrationNgPerMl: 500_000, patients: 1, volumeUl: 18_000, amountNg: 9_000_000 },
      { drug: 'Morphine', unit: 'mg', concentrationNgPerMl: 10_000_000, patients: 2, volumeUl: 60_000, amountNg: 600_000_000 },
      { drug: 'Morphine', unit: 'mg', concentrationNgPerMl: 25_000_000, patients: 1, volumeUl: 20_000, amountNg: 500_000_000 },
    ]);
  });
});

describe('booking a refill', () => {
  it('the projection is as hand-worked; next-due is fine, a day later needs a reason, after the alarm is refused, the empty date always', async () => {
    const { patientId, pumpId } = await morphinePump();
    const rec = await must<PatientRecord>('patients.get', { id: patientId });
    expect(rec.pumps[0]!.projection).toMatchObject({ nextDueDate: '2026-03-02', alarmDate: '2026-03-09', emptyDate: '2026-03-13' });

    const onDue = await book(pumpId, '2026-03-02');
    expect(onDue).toMatchObject({ ok: true, value: { state: 'booked', date: '2026-03-02', time: '10:30', room: 'Room 2', createdBy: 'Test staff', mrn: 'MRN-AP' } });
    expect(errorOf(await book(pumpId, '2026-03-03'))).toMatchObject({ code: 'invalid_input', field: 'lateReason', message: expect.stringContaining('2026-03-02') });
    expect(await book(pumpId, '2026-03-03', { lateReason: 'Patient away until the 3rd' })).toMatchObject({ ok: true, value: { lateReason: 'Patient away until the 3rd' } });
    expect(errorOf(await book(pumpId, '2026-03-10', { lateReason: 'x' }))).toMatchObject({ code: 'refused', field: 'date', message: expect.stringContaining('2026-03-09') });
    expect(errorOf(await book(pumpId, '2026-02-28'))).toMatchObject({ field: 'date' });

    // The clinic warns after the alarm date instead: 03-10 with a reason; 03-13 (empty) still refused.
    const settings = await must<{ version: number }>('settings.get', {});
    await t.as('administrator').dispatch('settings.update', { bookingAfterAlarm: 'warn', basedOn: settings.version });
    expect(await book(pumpId, '2026-03-10', { lateReason: 'Only free day' })).toMatchObject({ ok: true });
    expect(errorOf(await book(pumpId, '2026-03-13', { lateReason: 'x' }))).toMatchObject({ code: 'refused', message: expect.stringContaining('EMPTY on 2026-03-13') });
    expect(errorOf(await t.as('staff').dispatch('settings.update', { bookingAfterAlarm: 'warn' }))).toMatchObject({ code: 'forbidden' });

    const audit = (await t.as('auditor').dispatch('audit.list', { action: 'create' })) as { ok: true; value: AuditEntry[] };
    expect(audit.value.filter((e) => e.entity === 'appointment')).toHaveLength(3);
  });

  it('a home visit needs no room; a room visit needs one', async () => {
    const { pumpId } = await morphinePump();
    expect(await book(pumpId, '2026-03-02', { room: undefined, homeVisit: true })).toMatchObject({ ok: true, value: { homeVisit: true, room: null } });
    expect(errorOf(await book(pumpId, '2026-03-02', { room: undefined }))).toMatchObject({ code: 'invalid_input', field: 'room' });
  });
});

describe("today's clinic, the call list and the worklist", () => {
  it('expected residual and volume to prepare; a missed appointment goes on the call list until called', async () => {
    const { pumpId } = await morphinePump();
    const today = await must<Appointment>('appointments.book', { pumpId, date: '2026-03-01', time: '09:15', room: 'Room 1', homeVisit: false });
    const day = await must<ClinicDay>('appointments.day', {});
    expect(day.today).toBe('2026-03-01');
    // 28 days at 500 µL/day from 20,000 µL: 20,000 − 14,000 = 6,000 µL expected on 2026-03-01.
    expect(day.visits).toMatchObject([{ id: today.id, time: '09:15', expectedResidualUl: 6_000, volumeToPrepareUl: 20_000, drugs: [{ drug: 'Morphine', concentrationNgPerMl: 10_000_000 }] }]);
    // The pharmacy: 20 mL of morphine 10 mg/mL = 200 mg.
    expect(day.pharmacy).toEqual([{ drug: 'Morphine', unit: 'mg', concentrationNgPerMl: 10_000_000, patients: 1, volumeUl: 20_000, amountNg: 200_000_000 }]);

    let wl = await must<Worklist>('worklist.get', { asOf: '2026-03-01' });
    expect(wl.rows[0]).toMatchObject({ pumpId, booked: { date: '2026-03-01', time: '09:15' }, onCallList: false });
    expect(wl.counts.dueNotBooked).toBe(0);

    await must('appointments.mark', { id: today.id, state: 'did_not_attend' });
    expect((await must<ClinicDay>('appointments.day', {})).callList.map((a) => a.id)).toEqual([today.id]);
    wl = await must<Worklist>('worklist.get', { asOf: '2026-03-01' });
    expect(wl.rows[0]).toMatchObject({ pumpId, booked: null, onCallList: true });
    expect(wl.counts).toMatchObject({ dueNotBooked: 1, callList: 1 });

    // Marking twice is refused; a future appointment cannot be marked attended.
    expect(errorOf(await t.as('staff').dispatch('appointments.mark', { id: today.id, state: 'attended' }))).toMatchObject({ code: 'conflict' });
    const later = await must<Appointment>('appointments.book', { pumpId, date: '2026-03-02', time: '08:00', room: 'Room 1', homeVisit: false });
    // Rebooked: off the call list, and booked.
    expect((await must<ClinicDay>('appointments.day', {})).callList).toEqual([]);
    expect(errorOf(await t.as('staff').dispatch('appointments.mark', { id: later.id, state: 'attended' }))).toMatchObject({ code: 'refused' });
    expect(errorOf(await t.as('staff').dispatch('appointments.mark', { id: later.id, state: 'cancelled' }))).toMatchObject({ field: 'reason' });
    await must('appointments.mark', { id: later.id, state: 'cancelled', reason: 'Patient in hospital' });
    expect((await must<ClinicDay>('appointments.day', {})).callList.map((a) => a.id)).toEqual([today.id]);
    // The call recorded: off the list.
    await must('appointments.call', { id: today.id, outcome: 'Spoke to daughter; will call back' });
    expect((await must<ClinicDay>('appointments.day', {})).callList).toEqual([]);
    wl = await must<Worklist>('worklist.get', { asOf: '2026-03-01' });
    expect(wl.counts).toMatchObject({ dueNotBooked: 1, callList: 0 });
  });

  it('the console export (.ics) is the calendar subset, and is audited as an export', async () => {
    const { pumpId } = await morphinePump();
    await must('appointments.book', { pumpId, date: '2026-03-02', time: '08:00', room: 'Room 1', homeVisit: false });
    const file = await must<{ fileName: string; mimeType: string; content: string; rows: number }>('appointments.export', { from: '2026-03-01', to: '2026-03-31', format: 'ics' });
    expect(file).toMatchObject({ fileName: 'appointments-2026-03-01-to-2026-03-31.ics', mimeType: 'text/calendar', rows: 1 });
    expect(file.content).toContain('SUMMARY:Pump refill: MRN-AP (A.O.)');
    expect(file.content).not.toMatch(/Okafor|Morphine/);
    const audit = (await t.as('auditor').dispatch('audit.list', { action: 'export' })) as { ok: true; value: AuditEntry[] };
    expect(audit.value.some((e) => e.entity === 'appointments')).toBe(true);
  });
});

describe('rescheduling and cancelling', () => {
  const reschedule = (id: number, date: string, extra: object = {}) => t.as('staff').dispatch('appointments.reschedule', { id, date, time: '14:00', ...extra });
  const stateOf = async (id: number) => (await must<Appointment[]>('appointments.list', { from: '2026-03-01', to: '2026-12-31' })).find((a) => a.id === id);

  it('cancels the old with "Rescheduled to DATE TIME" and books the new, keeping the place; both audited; one live notice', async () => {
    const { patientId, pumpId } = await morphinePump();
    const old = await must<Appointment>('appointments.book', { pumpId, date: '2026-03-01', time: '09:15', clinician: 'Dr. Moreau', room: 'Room 1', homeVisit: false });
    const notices: ChangeNotice[] = [];
    const sub = t.raw.subscribe!(t.slot('auditor'), (n) => notices.push(n), () => undefined);
    const r = await reschedule(old.id, '2026-03-02');
    expect(notices).toEqual([{ kind: 'record', patientId, pumpId }]);
    if (sub.ok) sub.value();
    expect(r).toMatchObject({
      ok: true,
      value: {
        cancelled: { id: old.id, state: 'cancelled', cancelReason: 'Rescheduled to 2026-03-02 14:00', updatedBy: 'Test staff' },
        booked: { state: 'booked', date: '2026-03-02', time: '14:00', room: 'Room 1', clinician: 'Dr. Moreau', pumpId },
      },
    });
    const day = await must<ClinicDay>('appointments.day', { from: '2026-03-01', to: '2026-03-02' });
    expect(day.visits.map((v) => [v.date, v.time])).toEqual([['2026-03-02', '14:00']]);
    const audit = (await t.as('auditor').dispatch('audit.list', {})) as { ok: true; value: AuditEntry[] };
    const mine = audit.value.filter((e) => e.entity === 'appointment');
    expect(mine.some((e) => e.action === 'update' && e.entityId === String(old.id) && (e.detail as { rescheduledTo?: number } | null)?.rescheduledTo !== undefined)).toBe(true);
    expect(mine.filter((e) => e.action === 'create')).toHaveLength(2);
    // A cancelled appointment cannot be rescheduled again.
    expect(errorOf(await reschedule(old.id, '2026-03-02', { time: '15:00' }))).toMatchObject({ code: 'conflict', field: 'id' });
  });

  it('a new date past the alarm date is refused and the old booking stays booked (nothing half-written)', async () => {
    const { pumpId } = await morphinePump();
    const old = await must<Appointment>('appointments.book', { pumpId, date: '2026-03-02', time: '10:00', room: 'Room 1', homeVisit: false });
    const auditBefore = ((await t.as('auditor').dispatch('audit.list', {})) as { ok: true; value: AuditEntry[] }).value.length;
    // Alarm 2026-03-09 (hand-worked above): 03-10 is refused by the default setting, even with a reason.
    expect(errorOf(await reschedule(old.id, '2026-03-10', { lateReason: 'Only free day' }))).toMatchObject({ code: 'refused', field: 'date', message: expect.stringContaining('2026-03-09') });
    // The empty date (03-13) is refused whatever the settings.
    expect(errorOf(await reschedule(old.id, '2026-03-13', { lateReason: 'x' }))).toMatchObject({ code: 'refused', message: expect.stringContaining('EMPTY') });
    // After next-due (03-02) needs a reason, as a new booking does.
    expect(errorOf(await reschedule(old.id, '2026-03-05'))).toMatchObject({ code: 'invalid_input', field: 'lateReason' });
    expect(await stateOf(old.id)).toMatchObject({ state: 'booked', cancelReason: null, date: '2026-03-02', time: '10:00' });
    const all = await must<Appointment[]>('appointments.list', { from: '2026-03-01', to: '2026-12-31' });
    expect(all).toHaveLength(1);
    const auditAfter = ((await t.as('auditor').dispatch('audit.list', {})) as { ok: true; value: AuditEntry[] }).value.filter((e) => e.entity === 'appointment');
    expect(auditAfter.filter((e) => e.action === 'update')).toHaveLength(0);
    expect(auditBefore).toBeGreaterThan(0);
    // With a reason, a day after next-due is fine; a home visit needs no room.
    expect(await reschedule(old.id, '2026-03-05', { lateReason: 'Patient away', homeVisit: true })).toMatchObject({ ok: true, value: { booked: { homeVisit: true, room: null, lateReason: 'Patient away' } } });
  });

  it('the same date and time, a date in the past, an auditor, an unknown id: refused', async () => {
    const { pumpId } = await morphinePump();
    const old = await must<Appointment>('appointments.book', { pumpId, date: '2026-03-02', time: '10:00', room: 'Room 1', homeVisit: false });
    expect(errorOf(await reschedule(old.id, '2026-03-02', { time: '10:00' }))).toMatchObject({ code: 'invalid_input', field: 'date' });
    expect(errorOf(await reschedule(old.id, '2026-02-27'))).toMatchObject({ field: 'date' });
    expect(errorOf(await t.as('auditor').dispatch('appointments.reschedule', { id: old.id, date: '2026-03-01', time: '08:00' }))).toMatchObject({ code: 'forbidden' });
    expect(errorOf(await reschedule(9999, '2026-03-01'))).toMatchObject({ code: 'not_found' });
    expect(errorOf(await reschedule(old.id, '2026-03-01', { homeVisit: false }))).toBeNull();
    // A booked day already past (yesterday, written directly: booking is never in the past) is marked, not moved.
    const past = await must<Appointment>('appointments.book', { pumpId, date: '2026-03-02', time: '11:00', room: 'Room 1', homeVisit: false });
    const db = new Database(t.databasePath);
    db.prepare('UPDATE appointments SET date = ? WHERE id = ?').run('2026-02-28', past.id);
    db.close();
    expect(errorOf(await reschedule(past.id, '2026-03-02'))).toMatchObject({ code: 'refused', field: 'id', message: expect.stringContaining('did not attend') });
  });

  it('cancelling needs a reason, keeps it, and leaves the day', async () => {
    const { pumpId } = await morphinePump();
    const a = await must<Appointment>('appointments.book', { pumpId, date: '2026-03-01', time: '09:00', room: 'Room 1', homeVisit: false });
    expect(errorOf(await t.as('staff').dispatch('appointments.mark', { id: a.id, state: 'cancelled', reason: '   ' }))).toMatchObject({ field: 'reason' });
    expect(await t.as('staff').dispatch('appointments.mark', { id: a.id, state: 'cancelled', reason: 'Patient in hospital' })).toMatchObject({ ok: true, value: { state: 'cancelled', cancelReason: 'Patient in hospital' } });
    expect((await must<ClinicDay>('appointments.day', {})).visits).toEqual([]);
  });
});
