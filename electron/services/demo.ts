import type { HandlerContext } from './handler-types';
import { bookAppointment } from './features/appointments/service';
import { appointmentRepository } from './features/appointments/repository';
import { type InputOf, type ParsedInputOf } from '../../shared/contract';
import { parseInternal, type InternalInputOf, type ParsedInternalInputOf } from '../../shared/contract/entries';
import { addDays, todayIn, type CalendarDate } from '../../shared/domain/calendar';
import { implantPump, recordEvent, recordRemoval, recordReversal } from './features/record/service';
import { recordDoseChange, recordRefill } from './features/record/refills';
import { restartTherapy } from './features/record/restart';
import { updatePatient } from './features/patients/handlers';
import type { Result } from '../../shared/contract/result';
import { generateClinic, type GenerateOptions } from './generate/generate';
import { dosesInEffect, saveDoubleCheck } from './features/verifications/request';

/**
 * The demo clinic loaded on an empty database with `--demo` (and by `npm start` on first run).
 * Built through the same services as real entries, with dates relative to the clinic's today,
 * so the worklist always has pumps overdue, due and fine. Deterministic for a given date.
 *
 * Eleven hand-written patients (RSV-1001…1011, the ones the tests and the README name) and a
 * generated clinic around them (`DEMO_GENERATED`: MRNs RSV-000001…, the synthetic clinic of
 * `reservoir generate` with a fixed seed, as of the same today, with more reversals, removals and
 * missed visits than a load test wants, so that every screen has something to show).
 */
export const DEMO_GENERATED: Omit<GenerateOptions, 'asOf'> = {
  patients: 34,
  years: 9,
  seed: 4,
  mrnPrefix: 'RSV-',
  batchSize: 1000,
  rates: { reversal: 0.1, removal: 0.1, missedLastVisit: 0.15 },
};

/**
 * The hand-written patients' contacts: fictional numbers in the 555-0100…0199 range reserved for
 * fiction, a made-up street in Springfield, IL.
 */
function contactsFor(
  mobile: string,
  home: string,
  street: string,
  emergencyContact: { name: string; relationship: string; phone: string },
  referringPhysician: { name: string; practice: string; phone: string },
  familyDoctor: { name: string; practice: string; phone: string },
  language: string,
): ParsedInputOf<'patients.create'>['contacts'] {
  return {
    phones: [
      { use: 'mobile', number: mobile },
      { use: 'home', number: home },
    ],
    address: { lines: [street], city: 'Springfield', region: 'IL', postalCode: '62704', country: 'US' },
    emergencyContact,
    referringPhysician,
    familyDoctor,
    language,
  };
}

const PATIENTS: ParsedInputOf<'patients.create'>[] = [
  { mrn: 'RSV-1001', familyName: 'Okafor', givenName: 'Grace', birthDate: '1958-03-14', sex: 'female', indications: ['cancer_pain'], allergies: 'Penicillin', clinician: 'Dr. Lindqvist', contacts: contactsFor('(312) 555-0110', '(312) 555-0111', '14 Alder Lane', { name: 'Daniel Okafor', relationship: 'Son', phone: '(312) 555-0111' }, { name: 'Dr. Anil Rao', practice: 'Springfield Spine Centre', phone: '(312) 555-0192' }, { name: 'Dr. Helen Park', practice: 'Harbour Family Practice', phone: '(312) 555-0190' }, 'en') },
  { mrn: 'RSV-1002', familyName: 'Brennan', givenName: 'Thomas', birthDate: '1971-11-02', sex: 'male', indications: ['spasticity'], allergies: undefined, clinician: 'Dr. Lindqvist', contacts: contactsFor('(312) 555-0112', '(312) 555-0113', '7 Birch Court', { name: 'Siobhan Brennan', relationship: 'Wife', phone: '(312) 555-0113' }, { name: 'Dr. Anil Rao', practice: 'Springfield Spine Centre', phone: '(312) 555-0192' }, { name: 'Dr. Samuel Idowu', practice: 'Lakeside Medical Group', phone: '(312) 555-0191' }, 'en') },
  { mrn: 'RSV-1003', familyName: 'Haddad', givenName: 'Layla', birthDate: '1966-07-29', sex: 'female', indications: ['failed_back_surgery_syndrome', 'arachnoiditis'], allergies: undefined, clinician: 'Dr. Moreau', contacts: contactsFor('(312) 555-0114', '(312) 555-0115', '220 Cedar Avenue', { name: 'Karim Haddad', relationship: 'Husband', phone: '(312) 555-0115' }, { name: 'Dr. Beatriz Costa', practice: 'Northside Oncology', phone: '(312) 555-0193' }, { name: 'Dr. Helen Park', practice: 'Harbour Family Practice', phone: '(312) 555-0190' }, 'ar') },
  { mrn: 'RSV-1004', familyName: 'Novak', givenName: 'Pavel', birthDate: '1982-01-17', sex: 'male', indications: ['crps'], allergies: 'Latex', clinician: 'Dr. Moreau', contacts: contactsFor('(312) 555-0116', '(312) 555-0117', '9 Dogwood Row', { name: 'Lenka Novak', relationship: 'Sister', phone: '(312) 555-0117' }, { name: 'Dr. Anil Rao', practice: 'Springfield Spine Centre', phone: '(312) 555-0192' }, { name: 'Dr. Samuel Idowu', practice: 'Lakeside Medical Group', phone: '(312) 555-0191' }, 'cs') },
  { mrn: 'RSV-1005', familyName: 'Sato', givenName: 'Emi', birthDate: '1949-09-05', sex: 'female', indications: ['chronic_pancreatitis'], allergies: undefined, clinician: 'Dr. Lindqvist', contacts: contactsFor('(312) 555-0118', '(312) 555-0119', '31 Elm Street', { name: 'Yuki Sato', relationship: 'Daughter', phone: '(312) 555-0119' }, { name: 'Dr. Anil Rao', practice: 'Springfield Spine Centre', phone: '(312) 555-0192' }, { name: 'Dr. Helen Park', practice: 'Harbour Family Practice', phone: '(312) 555-0190' }, 'ja') },
  { mrn: 'RSV-1006', familyName: 'Fischer', givenName: 'Jonas', birthDate: '1990-04-21', sex: 'male', indications: ['spasticity'], allergies: undefined, clinician: 'Dr. Moreau', contacts: contactsFor('(312) 555-0120', '(312) 555-0121', '5 Fir Close', { name: 'Ingrid Fischer', relationship: 'Mother', phone: '(312) 555-0121' }, { name: 'Dr. Beatriz Costa', practice: 'Northside Oncology', phone: '(312) 555-0193' }, { name: 'Dr. Samuel Idowu', practice: 'Lakeside Medical Group', phone: '(312) 555-0191' }, 'de') },
  { mrn: 'RSV-1007', familyName: 'Quinn', givenName: 'Nora', birthDate: '1944-02-11', sex: 'female', indications: ['cancer_pain'], allergies: undefined, clinician: 'Dr. Lindqvist', contacts: contactsFor('(312) 555-0122', '(312) 555-0123', '88 Grove Road', { name: 'Clara Quinn', relationship: 'Niece', phone: '(312) 555-0123' }, { name: 'Dr. Anil Rao', practice: 'Springfield Spine Centre', phone: '(312) 555-0192' }, { name: 'Dr. Helen Park', practice: 'Harbour Family Practice', phone: '(312) 555-0190' }, 'en') },
  { mrn: 'RSV-1008', familyName: 'Reyes', givenName: 'Marco', birthDate: '1975-06-30', sex: 'male', indications: ['failed_back_surgery_syndrome'], allergies: undefined, clinician: 'Dr. Moreau', contacts: contactsFor('(312) 555-0124', '(312) 555-0125', '402 Hawthorn Drive', { name: 'Lucia Reyes', relationship: 'Wife', phone: '(312) 555-0125' }, { name: 'Dr. Anil Rao', practice: 'Springfield Spine Centre', phone: '(312) 555-0192' }, { name: 'Dr. Samuel Idowu', practice: 'Lakeside Medical Group', phone: '(312) 555-0191' }, 'es') },
  // Issue 13: an estimated-empty baclofen pump, an alarming pump, a severe open adverse event.
  { mrn: 'RSV-1009', familyName: 'Halvorsen', givenName: 'Maja', birthDate: '1979-06-11', sex: 'female', indications: ['spasticity'], allergies: undefined, clinician: 'Dr. Lindqvist', contacts: contactsFor('(312) 555-0126', '(312) 555-0127', '17 Ivy Way', { name: 'Erik Halvorsen', relationship: 'Partner', phone: '(312) 555-0127' }, { name: 'Dr. Beatriz Costa', practice: 'Northside Oncology', phone: '(312) 555-0193' }, { name: 'Dr. Helen Park', practice: 'Harbour Family Practice', phone: '(312) 555-0190' }, 'nb') },
  { mrn: 'RSV-1010', familyName: 'Mercer', givenName: 'Daniel', birthDate: '1955-02-23', sex: 'male', indications: ['cancer_pain'], allergies: undefined, clinician: 'Dr. Moreau', contacts: contactsFor('(312) 555-0128', '(312) 555-0129', '63 Juniper Place', { name: 'Ruth Mercer', relationship: 'Daughter', phone: '(312) 555-0129' }, { name: 'Dr. Anil Rao', practice: 'Springfield Spine Centre', phone: '(312) 555-0192' }, { name: 'Dr. Samuel Idowu', practice: 'Lakeside Medical Group', phone: '(312) 555-0191' }, 'en') },
  { mrn: 'RSV-1011', familyName: 'Abara', givenName: 'Chidi', birthDate: '1968-10-08', sex: 'male', indications: ['cancer_pain'], allergies: 'Codeine', clinician: 'Dr. Lindqvist', contacts: contactsFor('(312) 555-0130', '(312) 555-0131', '12 Kestrel Street', { name: 'Emeka Abara', relationship: 'Brother', phone: '(312) 555-0131' }, { name: 'Dr. Anil Rao', practice: 'Springfield Spine Centre', phone: '(312) 555-0192' }, { name: 'Dr. Helen Park', practice: 'Harbour Family Practice', phone: '(312) 555-0190' }, 'ig') },
];

function must<T>(r: Result<T>, what: string): T {
  if (!r.ok) throw new Error(`demo clinic: ${what}: ${r.error.message}`);
  return r.value;
}

/**
 * Demo entries pass the same schemas as real requests, on the internal path (entries.ts): the demo
 * records a history, based on nothing it read, so without `pumpState`/`basedOn`.
 */
function parse<K extends 'appointments.book' | 'pumps.implant' | 'refills.record' | 'doseChanges.record' | 'events.record' | 'reversals.record' | 'removals.record' | 'restarts.record' | 'patients.update'>(
  name: K,
  input: InternalInputOf<K>,
): ParsedInternalInputOf<K> {
  return parseInternal(name, input);
}

const amount = (value: number, unit: 'mg' | 'mcg') => ({ value, unit });

export function seedDemoClinic(ctx: HandlerContext): void {
  const today = todayIn(ctx.store.catalog.settings().timeZone, ctx.now());
  const day = (offset: number) => addDays(today as CalendarDate, offset);
  const device = (model: string, reservoirUl: number) =>
    ctx.store.catalog.devices().find((d) => d.model === model && d.reservoirUl === reservoirUl)!.id;
  const ids = PATIENTS.map((p) => ctx.store.patients.create(p, ctx.now()).id);

  const refill = (pumpId: number, date: string, addedMl: number, withdrawnMl: number | null, drugs: InputOf<'refills.record'>['drugs'], note?: string) =>
    must(
      recordRefill(
        ctx,
        parse('refills.record', { pumpId, date, withdrawnMl, addedMl, drugs, mode: 'simple_continuous', reservoirPortConfirmed: true, clinician: 'RN Patel', note, acknowledgeDiscrepancy: true }),
      ),
      `refill ${date}`,
    );

  // Grace Okafor: morphine + bupivacaine admixture, 40 mL SynchroMed II, refilled about every 60 days.
  const okafor = must(implantPump(ctx, parse('pumps.implant', { patientId: ids[0]!, deviceModelId: device('SynchroMed II', 40000), serial: 'NGP401122H', implantDate: day(-2400), catheterTipLevel: 'T10', implantingPhysician: 'Dr. Lindqvist' })), 'implant');
  const admixture = (morphineMg: number) => [
    { drug: 'Morphine', concentration: amount(20, 'mg'), dailyDose: amount(morphineMg, 'mg') },
    { drug: 'Bupivacaine', concentration: amount(20, 'mg'), dailyDose: amount(morphineMg, 'mg') },
  ];
  refill(okafor.id, day(-400), 40, null, admixture(6));
  refill(okafor.id, day(-340), 40, 21.8, admixture(6)); // expected 40 − 60 × 0.3 = 22.0 mL
  refill(okafor.id, day(-280), 40, 22.3, admixture(6));
  refill(okafor.id, day(-220), 40, 21.6, admixture(8));
  refill(okafor.id, day(-160), 40, 15.7, admixture(8)); // expected 40 − 60 × 0.4 = 16.0 mL
  refill(okafor.id, day(-100), 40, 16.1, admixture(8));
  refill(okafor.id, day(-40), 40, 13.5, admixture(8), 'Residual 2.5 mL below expected: pump interrogated, no alarms; catheter study booked.');

  // Thomas Brennan: baclofen 2000 mcg/mL in a 20 mL SynchroMed II; dose raised between refills; due soon.
  const brennan = must(implantPump(ctx, parse('pumps.implant', { patientId: ids[1]!, deviceModelId: device('SynchroMed II', 20000), serial: 'NGP207781H', implantDate: day(-200), catheterTipLevel: 'T11' })), 'implant');
  const bac = (mcg: number) => [{ drug: 'Baclofen', concentration: amount(2000, 'mcg'), dailyDose: amount(mcg, 'mcg') }];
  refill(brennan.id, day(-200), 20, null, bac(400));
  refill(brennan.id, day(-120), 20, 4.1, bac(450));
  refill(brennan.id, day(-56), 20, 5.7, bac(450));
  must(recordDoseChange(ctx, parse('doseChanges.record', { pumpId: brennan.id, date: day(-30), drug: 'Baclofen', dailyDose: amount(500, 'mcg'), clinician: 'Dr. Lindqvist', note: 'More spasm at night.' })), 'dose change');

  // Layla Haddad: hydromorphone in a Prometra II 20 mL; due within the fortnight.
  const haddad = must(implantPump(ctx, parse('pumps.implant', { patientId: ids[2]!, deviceModelId: device('Prometra II', 20000), serial: 'PII-13827-0451', implantDate: day(-150) })), 'implant');
  const hm = [{ drug: 'Hydromorphone', concentration: amount(10, 'mg'), dailyDose: amount(1.5, 'mg') }];
  refill(haddad.id, day(-150), 20, null, hm);
  refill(haddad.id, day(-95), 20, 11.6, hm);
  must(recordEvent(ctx, parse('events.record', { patientId: ids[2]!, pumpId: haddad.id, date: day(-60), kind: 'mri', preScanDone: true, note: 'Lumbar MRI. Pump emptied before the scan; valve reset pending.', clinician: 'Dr. Moreau' })), 'mri');
  // Issue 17, item 3: an opioid dose increase awaiting its independent double check — hydromorphone
  // 1.5 → 1.8 mg/day, recorded by the demo clinician Dr. Moreau (no account: any clinician may verify it).
  const moreau = { ...ctx, actor: { userId: null, username: 'Dr. Moreau', role: 'clinician' as const } };
  const before = dosesInEffect(ctx, haddad.id);
  const raised = must(
    recordDoseChange(moreau, parse('doseChanges.record', { pumpId: haddad.id, date: day(-10), drug: 'Hydromorphone', dailyDose: amount(1.8, 'mg'), clinician: 'Dr. Moreau', note: 'Pain 7/10 in the evenings; 20 % increase.' })),
    'dose change awaiting verification',
  );
  saveDoubleCheck(
    moreau,
    { kind: 'dose_change', entryId: raised.doseChange.id, pumpId: haddad.id, before, after: dosesInEffect(ctx, haddad.id), overrideReason: null },
    { userId: null, name: 'Dr. Moreau', role: 'clinician' },
  );

  // Pavel Novak: ziconotide (40-day stability limit), overdue; an open adverse event.
  const novak = must(implantPump(ctx, parse('pumps.implant', { patientId: ids[3]!, deviceModelId: device('SynchroMed II', 20000), serial: 'NGP208812H', implantDate: day(-70) })), 'implant');
  const zic = [{ drug: 'Ziconotide', concentration: amount(25, 'mcg'), dailyDose: amount(2.4, 'mcg') }];
  refill(novak.id, day(-70), 20, null, zic);
  refill(novak.id, day(-57), 20, 18.7, zic);
  must(recordEvent(ctx, parse('events.record', { patientId: ids[3]!, pumpId: novak.id, date: day(-20), kind: 'adverse', adverseKind: 'other', severity: 'mild', status: 'open', note: 'Dizziness and nausea since the last refill.', clinician: 'Dr. Moreau' })), 'event');

  // Emi Sato: therapy reversed (pump turned off) after cancer pain resolved.
  const sato = must(implantPump(ctx, parse('pumps.implant', { patientId: ids[4]!, deviceModelId: device('SynchroMed II', 20000), serial: 'NGP203344H', implantDate: day(-300) })), 'implant');
  refill(sato.id, day(-300), 20, null, [{ drug: 'Morphine', concentration: amount(10, 'mg'), dailyDose: amount(1, 'mg') }]);
  must(recordReversal(ctx, parse('reversals.record', { pumpId: sato.id, date: day(-200), kind: 'weaned', plan: 'Intrathecal morphine tapered by 20 % a week; oral morphine 10 mg as needed.', outcome: 'Off intrathecal therapy, comfortable on oral analgesia.', clinician: 'Dr. Lindqvist' })), 'reversal');

  // Jonas Fischer: battery end of life; old pump removed and replaced the same day.
  const old = must(implantPump(ctx, parse('pumps.implant', { patientId: ids[5]!, deviceModelId: device('SynchroMed II', 20000), serial: 'NGP190001H', implantDate: '2019-05-02' })), 'implant');
  refill(old.id, day(-120), 20, null, bac(300));
  const replaced = must(
    recordRemoval(ctx, parse('removals.record', {
      pumpId: old.id,
      date: day(-35),
      reasons: ['battery_end_of_life'],
      catheterRemoved: false,
      disposition: 'returned_to_manufacturer',
      note: 'Elective replacement indicator reached. Catheter intact, left in place.',
      clinician: 'Dr. Moreau',
      replacement: { deviceModelId: device('SynchroMed II', 40000), serial: 'NGP409921H', implantDate: day(-35) },
    })),
    'removal',
  ).replacement!;
  refill(replaced.id, day(-35), 40, null, bac(300));

  // Nora Quinn: morphine for cancer pain; died 12 days ago. Her pump is off the worklist; only a
  // removal can be recorded.
  const quinn = must(implantPump(ctx, parse('pumps.implant', { patientId: ids[6]!, deviceModelId: device('SynchroMed II', 20000), serial: 'NGP215566H', implantDate: day(-240) })), 'implant');
  const mor = (mg: number) => [{ drug: 'Morphine', concentration: amount(25, 'mg'), dailyDose: amount(mg, 'mg') }];
  refill(quinn.id, day(-240), 20, null, mor(3));
  refill(quinn.id, day(-150), 20, 8.9, mor(4)); // expected 20 − 90 × 0.12 = 9.2 mL
  refill(quinn.id, day(-70), 20, 7.4, mor(4)); // expected 20 − 80 × 0.16 = 7.2 mL
  // End-of-life escalation above morphine's soft limit (20 mg/day): recorded with the override reason
  // the drug library asks for (21 mg/day at 25 mg/mL = 0.84 mL/day; below the hard 30 mg/day).
  must(
    recordDoseChange(
      ctx,
      parse('doseChanges.record', {
        pumpId: quinn.id,
        date: day(-20),
        drug: 'Morphine',
        dailyDose: amount(21, 'mg'),
        clinician: 'Dr. Moreau',
        overrideReason: 'End-of-life care: pain 9/10 on 4 mg/day, oral breakthrough doses failing. Escalation agreed with the palliative team.',
      }),
    ),
    'soft-limit override',
  );
  must(updatePatient(ctx, parse('patients.update', { id: ids[6]!, status: 'deceased', deathDate: day(-12) })), 'deceased');

  // Marco Reyes: morphine turned off for an oral trial, restarted when it failed; back on the worklist
  // (2.5 mg/day at 25 mg/mL = 0.1 mL/day; due on morphine's 90-day stability limit, in 10 days).
  const reyes = must(implantPump(ctx, parse('pumps.implant', { patientId: ids[7]!, deviceModelId: device('SynchroMed II', 20000), serial: 'NGP216677H', implantDate: day(-330) })), 'implant');
  refill(reyes.id, day(-330), 20, null, mor(2));
  refill(reyes.id, day(-240), 20, 12.9, mor(2)); // expected 20 − 90 × 0.08 = 12.8 mL
  must(recordReversal(ctx, parse('reversals.record', { pumpId: reyes.id, date: day(-180), kind: 'turned_off', plan: 'Oral morphine trial; pump kept in place.', clinician: 'Dr. Moreau' })), 'reversal');
  must(
    restartTherapy(
      ctx,
      parse('restarts.record', { pumpId: reyes.id, date: day(-80), withdrawnMl: 15.1, addedMl: 20, drugs: mor(2.5), mode: 'simple_continuous', reservoirPortConfirmed: true, clinician: 'RN Patel', note: 'Oral trial failed (pain 8/10): intrathecal morphine restarted.' }),
    ),
    'restart',
  );

  // Maja Halvorsen: baclofen 2000 mcg/mL at 500 mcg/day (0.25 mL/day), 20 mL; missed her refill.
  // Last filled day −84: alarm −84 + 72 = day −12, empty −84 + 80 = day −4: estimated empty since then.
  const lindgren = must(implantPump(ctx, parse('pumps.implant', { patientId: ids[8]!, deviceModelId: device('SynchroMed II', 20000), serial: 'NGP215530H', implantDate: day(-400), catheterTipLevel: 'T10' })), 'implant');
  refill(lindgren.id, day(-160), 20, null, bac(500));
  refill(lindgren.id, day(-84), 20, 1.1, bac(500)); // expected 20 − 76 × 0.25 = 1.0 mL

  // Daniel Mercer: morphine 10 mg/mL at 2 mg/day (0.2 mL/day), 20 mL: due on day −93 + 83 (alarm − 7),
  // alarming since day −93 + 90 = day −3, empty on day −93 + 100 = day +7.
  const mercer = must(implantPump(ctx, parse('pumps.implant', { patientId: ids[9]!, deviceModelId: device('SynchroMed II', 20000), serial: 'NGP216610H', implantDate: day(-400) })), 'implant');
  const mor2 = [{ drug: 'Morphine', concentration: amount(10, 'mg'), dailyDose: amount(2, 'mg') }];
  refill(mercer.id, day(-180), 20, null, mor2);
  refill(mercer.id, day(-93), 20, 2.5, mor2); // expected 20 − 87 × 0.2 = 2.6 mL

  // Chidi Abara: hydromorphone, refilled on schedule; an open severe overdose.
  const abara = must(implantPump(ctx, parse('pumps.implant', { patientId: ids[10]!, deviceModelId: device('SynchroMed II', 40000), serial: 'NGP417720H', implantDate: day(-400) })), 'implant');
  const hm2 = [{ drug: 'Hydromorphone', concentration: amount(10, 'mg'), dailyDose: amount(2, 'mg') }];
  refill(abara.id, day(-80), 40, null, hm2);
  refill(abara.id, day(-20), 40, 28.2, hm2); // expected 40 − 60 × 0.2 = 28.0 mL
  must(
    recordEvent(ctx, parse('events.record', {
      patientId: ids[10]!,
      pumpId: abara.id,
      date: day(-3),
      kind: 'adverse',
      adverseKind: 'overdose',
      severity: 'severe',
      status: 'open',
      note: 'Drowsy with slow breathing; naloxone in the emergency department. Pump interrogated: programmed as prescribed; concentration being checked with the pharmacy.',
      clinician: 'Dr. Lindqvist',
    })),
    'event',
  );

  // Refill appointments (issue 16), relative to the seeding day like everything above: Daniel Mercer
  // (alarming, empty on day +7) is booked today at 09:00 in Room 1; Chidi Abara today at 11:30 at
  // home. Maja Halvorsen missed hers on day −5 and is on the call list (estimated empty since day −4).
  must(bookAppointment(ctx, parse('appointments.book', { pumpId: mercer.id, date: today, time: '09:00', clinician: 'RN Patel', room: 'Room 1', homeVisit: false })), 'appointment');
  must(bookAppointment(ctx, parse('appointments.book', { pumpId: abara.id, date: today, time: '11:30', clinician: 'RN Patel', homeVisit: true })), 'appointment');
  // A past appointment cannot be booked through the service (booked ahead only): the record as it was.
  const appointments = appointmentRepository(ctx.store);
  const missed = appointments.insert({ pumpId: lindgren.id, date: day(-5), time: '10:00', clinician: 'RN Patel', room: 'Room 1', homeVisit: false, lateReason: null, by: 'RN Patel', atMs: ctx.now() });
  appointments.mark(missed.id, 'did_not_attend', null, 'RN Patel', ctx.now());

  // The hand-written patients' entry in the audit trail (the generated clinic records its own).
  ctx.audit.record({ action: 'create', entity: 'demo_clinic', entityId: null, detail: { asOf: today, patients: PATIENTS.map((p) => p.mrn) } });
  generateClinic(ctx, { ...DEMO_GENERATED, asOf: today });
}
