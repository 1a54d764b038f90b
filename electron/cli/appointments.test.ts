import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { fold, zonedToUtcMs } from '../services/features/appointments/ical';
import { useTestServices } from '../services/testing/services';
import { mainAsync } from './main';

// Today is 2026-03-01 in the clinic.
const NOW = Date.UTC(2026, 2, 1, 12);
const t = useTestServices(NOW);

async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await mainAsync(args, { out: (s) => void (stdout += s), err: (s) => void (stderr += s), now: () => NOW });
  return { code, out: stdout, err: stderr };
}

/** RFC 5545 read back: unfold (CRLF + space), then one property per line; events as maps. */
function parseIcs(text: string): { lines: string[]; events: Map<string, string>[] } {
  expect(text.endsWith('\r\n')).toBe(true);
  expect(text.replace(/\r\n/g, '')).not.toContain('\n');
  const lines = text.replace(/\r\n /g, '').split('\r\n').filter(Boolean);
  const events: Map<string, string>[] = [];
  let current: Map<string, string> | null = null;
  for (const l of lines) {
    if (l === 'BEGIN:VEVENT') current = new Map();
    else if (l === 'END:VEVENT') {
      events.push(current!);
      current = null;
    }
    else if (current) {
      const i = l.indexOf(':');
      current.set(l.slice(0, i), l.slice(i + 1));
    }
  }
  return { lines, events };
}

async function pumpWithAppointments() {
  const patient = await t.must<{ id: number }>('patients.create', { mrn: 'MRN-77', familyName: 'Okafor', givenName: 'Ada', birthDate: '1960-04-02', sex: 'female', indications: ['cancer_pain'] });
  const pump = await t.must<{ id: number }>('pumps.implant', { patientId: patient.id, deviceModelId: await t.deviceId('SynchroMed II', 20000), serial: 'SM-77', implantDate: '2026-02-01' });
  await t.must('refills.record', {
    pumpId: pump.id,
    date: '2026-02-01',
    withdrawnMl: null,
    addedMl: 20,
    drugs: [{ drug: 'Baclofen', concentration: { value: 500, unit: 'mcg' }, dailyDose: { value: 100, unit: 'mcg' } }],
    mode: 'simple_continuous',
    reservoirPortConfirmed: true,
  });
  const settings = await t.must<{ version: number }>('settings.get', {});
  await t.as('administrator').dispatch('settings.update', { timeZone: 'Europe/London', basedOn: settings.version });
  await t.must('appointments.book', { pumpId: pump.id, date: '2026-03-10', time: '10:30', clinician: 'Dr. Moreau, RN', room: 'Room 2; east', homeVisit: false });
  // After the clocks go forward (29 March 2026): 10:30 BST is 09:30 UTC.
  await t.must('appointments.book', { pumpId: pump.id, date: '2026-04-02', time: '10:30', homeVisit: true });
}

describe('reservoir appointments', () => {
  it('the clinic time to UTC across a DST change; lines fold at 75 octets', () => {
    expect(new Date(zonedToUtcMs('2026-03-10', '10:30', 'Europe/London')).toISOString()).toBe('2026-03-10T10:30:00.000Z');
    expect(new Date(zonedToUtcMs('2026-04-02', '10:30', 'Europe/London')).toISOString()).toBe('2026-04-02T09:30:00.000Z');
    expect(new Date(zonedToUtcMs('2026-12-10', '10:30', 'America/New_York')).toISOString()).toBe('2026-12-10T15:30:00.000Z');
    const long = `SUMMARY:${'é'.repeat(60)}`;
    const folded = fold(long).split('\r\n');
    for (const l of folded) expect(Buffer.byteLength(l, 'utf8')).toBeLessThanOrEqual(75);
    expect(folded.map((l, i) => (i === 0 ? l : l.slice(1))).join('')).toBe(long);
  });

  it('--format ics: one event per appointment, read back; MRN and initials, never the name or the drug', async () => {
    await pumpWithAppointments();
    const r = await run(['appointments', '--db', t.databasePath, '--from', '2026-03-01', '--to', '2026-04-30']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const { lines, events } = parseIcs(r.out);
    expect(lines[0]).toBe('BEGIN:VCALENDAR');
    expect(lines).toContain('VERSION:2.0');
    expect(lines.at(-1)).toBe('END:VCALENDAR');
    expect(events).toHaveLength(2);
    expect(Object.fromEntries(events[0]!)).toMatchObject({
      DTSTART: '20260310T103000Z',
      DTEND: '20260310T110000Z',
      SUMMARY: 'Pump refill: MRN-77 (A.O.)',
      LOCATION: 'Room 2\\; east',
      DESCRIPTION: 'Pump SM-77\\nClinician: Dr. Moreau\\, RN',
      STATUS: 'CONFIRMED',
    });
    expect(events[0]!.get('UID')).toMatch(/^appointment-\d+@/);
    expect(Object.fromEntries(events[1]!)).toMatchObject({ DTSTART: '20260402T093000Z', LOCATION: 'Home visit' });
    expect(r.out).not.toMatch(/Okafor|Ada|Baclofen|1960/);
  });

  it('--format csv, and bad usage', async () => {
    await pumpWithAppointments();
    const r = await run(['appointments', '--db', t.databasePath, '--from', '2026-03-01', '--to', '2026-03-31', '--format', 'csv']);
    expect(r.code).toBe(0);
    expect(parse(r.out, { columns: true })).toEqual([
      { date: '2026-03-10', time: '10:30', mrn: 'MRN-77', initials: 'A.O.', serial: 'SM-77', place: 'Room 2; east', clinician: 'Dr. Moreau, RN', state: 'booked' },
    ]);
    expect((await run(['appointments', '--db', t.databasePath, '--format', 'pdf'])).code).toBe(2);
    expect((await run(['appointments', '--db', t.databasePath, '--from', '2026-03-10', '--to', '2026-03-01'])).code).toBe(2);
  });
});
