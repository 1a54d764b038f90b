import { beforeEach, describe, expect, it } from 'vitest';
import { cellText, type ReportData, type ReportSection, type ReportValue } from '../../../../shared/contract/reports';
import { reportJson, sectionCsv } from './formats';
import { useTestServices } from '../../testing/services';
import { buildFixture, type Fixture } from './fixture';

const t = useTestServices(Date.UTC(2026, 2, 1, 12));
let f: Fixture;
beforeEach(async () => {
  f = await buildFixture(t);
});

const preview = (params: Record<string, unknown>) => t.must<ReportData>('reports.preview', { params });
const rows = (data: ReportData, key: string): ReportValue[][] => data.sections.find((s) => s.key === key)!.rows;
const mcg = (n: number) => ({ ng: n * 1000, unit: 'mcg' });
const mg = (n: number) => ({ ng: n * 1_000_000, unit: 'mg' });

describe('activity report (January 2026)', () => {
  it('sums the drug put into pumps per drug and concentration, exactly, and lists the month', async () => {
    const d = await preview({ report: 'activity', from: '2026-01-01', to: '2026-01-31' });
    expect(d.period).toEqual({ from: '2026-01-01', to: '2026-01-31' });
    expect(d.clinicName).toBe('Reservoir clinic');
    // Baclofen 2000 mcg/mL: Able 20 mL (01-20) + Clark's new pump 20 mL (01-25) = 40 mL = 80000 mcg.
    // Baker's admixture (01-15), 18 mL: morphine 25 mg/mL → 450 mg; clonidine 37.5 mcg/mL → 675 mcg.
    expect(rows(d, 'drug-usage')).toEqual([
      ['Baclofen', mcg(2000), 2, 40000, mcg(80000)],
      ['Clonidine', { ng: 37500, unit: 'mcg' }, 1, 18000, mcg(675)],
      ['Morphine', mg(25), 1, 18000, mg(450)],
    ]);
    expect(rows(d, 'summary')).toEqual([
      ['Refill visits', 3],
      ['Patients refilled', 3],
      ['Flagged discrepancies at refill', 1],
      ['New implants', 0],
      ['Replacements', 1],
      ['Removals', 1],
      ['Therapy reversals', 1],
      ['Therapy restarts', 0],
    ]);
    expect(rows(d, 'refills').map((r) => [r[0], r[2], r[5], r[6], r[8]])).toEqual([
      ['2026-01-15', 'B2', 7500, 18000, true],
      ['2026-01-20', 'A1', 7500, 20000, false],
      ['2026-01-25', 'C3', null, 20000, null],
    ]);
    expect(rows(d, 'refills')[0]![7]).toBe('Morphine 25 mg/mL + Clonidine 37.5 mcg/mL');
    expect(rows(d, 'implants')).toEqual([['2026-01-25', 'Clark, Cara', 'C3', 'Medtronic SynchroMed II', 'NGP4004', null, true]]);
    expect(rows(d, 'removals')).toEqual([
      ['2026-01-25', 'Clark, Cara', 'C3', 'Medtronic SynchroMed II', 'NGP3003', 'battery end of life', false, null, 'NGP4004', null],
    ]);
    expect(rows(d, 'reversals')).toEqual([['2026-01-28', 'Dunn, Dee', 'D4', 'EL5005', 'turned off', null, 'Oral baclofen taper', null]]);
    expect(d.patientCount).toBe(4); // Able, Baker, Clark (refills, implant, removal), Dunn (reversal)
  });

  it('lists a therapy restart (its fill is among the refill visits)', async () => {
    const record = await t.must<{ pumps: { pump: { id: number } }[] }>('patients.get', { id: f.dunn });
    await t.must('restarts.record', {
      pumpId: record.pumps[0]!.pump.id,
      date: '2026-02-10',
      withdrawnMl: null,
      addedMl: 18,
      drugs: [{ drug: 'Baclofen', concentration: { value: 2000, unit: 'mcg' }, dailyDose: { value: 300, unit: 'mcg' } }],
      mode: 'simple_continuous',
      reservoirPortConfirmed: true,
      clinician: 'Nurse Kim',
      note: 'Oral taper failed',
    });
    const d = await preview({ report: 'activity', from: '2026-02-01', to: '2026-02-28' });
    expect(rows(d, 'restarts')).toEqual([['2026-02-10', 'Dunn, Dee', 'D4', 'EL5005', '2026-01-28', 'Nurse Kim', 'Oral taper failed']]);
    expect(rows(d, 'summary')).toContainEqual(['Therapy restarts', 1]);
    expect(rows(d, 'refills').map((r) => r[2])).toContain('D4');
  });

  it('narrows refills and drug usage by clinician and drug', async () => {
    const kim = await preview({ report: 'activity', from: '2026-01-01', to: '2026-01-31', clinician: 'nurse kim' });
    expect(rows(kim, 'refills').map((r) => r[2])).toEqual(['B2', 'A1']);
    expect(rows(kim, 'drug-usage').map((r) => [r[0], r[4]])).toEqual([
      ['Baclofen', mcg(40000)],
      ['Clonidine', mcg(675)],
      ['Morphine', mg(450)],
    ]);
    const morphine = await preview({ report: 'activity', from: '2026-01-01', to: '2026-01-31', drug: 'Morphine' });
    expect(rows(morphine, 'drug-usage')).toEqual([['Morphine', mg(25), 1, 18000, mg(450)]]);
    expect(rows(morphine, 'refills').map((r) => r[2])).toEqual(['B2']);
  });

  it('gives a valid, clearly empty report for a period with nothing in it', async () => {
    const d = await preview({ report: 'activity', from: '2024-01-01', to: '2024-01-31' });
    expect(rows(d, 'drug-usage')).toEqual([]);
    expect(d.sections.find((s) => s.key === 'refills')!.empty).toBe('No refill visits in this period.');
    expect(rows(d, 'summary').every((r) => r[1] === 0)).toBe(true);
    expect(d.patientCount).toBe(0);
  });
});

describe('safety report (January 2026)', () => {
  it('says a discrepancy in words for people (preview, PDF) and keeps the signed number in the files machines read', async () => {
    const d = await preview({ report: 'safety', from: '2026-01-01', to: '2026-01-31' });
    const section = d.sections.find((s) => s.key === 'discrepancies')!;
    // A short residual too (withdrawn 3.9 of 5.0 mL expected), to try the sign both ways.
    const short: ReportValue[] = ['2026-01-20', 'Able, Ann', 'A1', 'NGP1001', 3900, 5000, -1100, -22, 'Nurse Kim', 'Nora Quinn (Clinician)', null];
    const both: ReportSection = { ...section, rows: [...section.rows, short], totalRows: 2 };
    const [disc, pct] = [both.columns.findIndex((c) => c.key === 'discrepancy_ml'), both.columns.findIndex((c) => c.key === 'discrepancy_pct')];
    const shown = both.rows.map((r) => [cellText(r[disc]!, both.columns[disc]!), cellText(r[pct]!, both.columns[pct]!)]);
    expect(shown).toEqual([
      ['2.50 mL more than expected', '50.0 % more than expected'],
      ['1.10 mL less than expected', '22.0 % less than expected'],
    ]);
    expect(shown.flat().join(' ')).not.toMatch(/[-−+]\d/);
    // The header says which way the number goes; CSV and JSON keep it signed for machines.
    expect(both.columns[disc]!.label).toBe('Discrepancy (mL, withdrawn − expected)');
    expect(sectionCsv(both).split('\r\n')[2]).toBe('2026-01-20,"Able, Ann",A1,NGP1001,3.900,5.000,-1.100,-22.0,Nurse Kim,Nora Quinn (Clinician),,');
    const json = JSON.parse(reportJson({ ...d, sections: [both] })) as { sections: { rows: Record<string, unknown>[] }[] };
    expect(json.sections[0]!.rows.map((r) => [r.discrepancy_ml, r.discrepancy_pct])).toEqual([
      [2.5, 50],
      [-1.1, -22],
    ]);
  });

  it('lists flagged discrepancies, adverse events by kind and severity, pocket fills and unchecked MRI scans', async () => {
    const d = await preview({ report: 'safety', from: '2026-01-01', to: '2026-01-31' });
    // Baker 01-15: withdrawn 7.5, expected 20 - 75 days × 0.2 = 5.0 → +2.5 mL, 50 % of expected.
    expect(rows(d, 'discrepancies')).toEqual([
      // Recorded by the fixture's signed-in clinician (the recorded_by column, beside the clinician written on the visit).
      // Baker's morphine raised at this visit by a signed-in clinician: unverified until a second clinician checks it (issue 17).
      ['2026-01-15', 'Baker, Bob', 'B2', 'PRO2002', 7500, 5000, 2500, 50, 'Nurse Kim', 'Test clinician (Clinician)', 'UNVERIFIED: awaiting independent double check', 'Residual larger than expected; pump interrogated'],
    ]);
    // Every entry still awaiting an independent double check, whatever its date: Baker's first fill
    // (morphine from nothing) and the January raise 2 → 5 mg/day with clonidine added (issue 17).
    expect(rows(d, 'double-checks')).toEqual([
      ['2025-11-01', 'Baker, Bob', 'B2', 'PRO2002', 'refill', 'Morphine 0 → 2 mg/day', 'opioid increase', 'Test clinician (clinician)', 'UNVERIFIED: awaiting independent double check'],
      ['2026-01-15', 'Baker, Bob', 'B2', 'PRO2002', 'refill', 'Morphine 2 → 5 mg/day; Clonidine 0 → 7.5 mcg/day (same flow rate)', 'opioid increase', 'Test clinician (clinician)', 'UNVERIFIED: awaiting independent double check'],
    ]);
    expect(d.filters).toContainEqual({ label: 'Independent double check', value: '2 entries are UNVERIFIED (awaiting a second clinician)' });
    expect(rows(d, 'adverse-by-kind')).toEqual([
      ['pocket fill', 'severe', 1, 1, 0],
      ['infection', 'mild', 1, 0, 1],
    ]);
    expect(rows(d, 'pocket-fills')).toEqual([['2026-01-15', 'Baker, Bob', 'B2', 'PRO2002', 'severe', 'open', 'Nurse Kim', 'Test clinician (Clinician)', null]]);
    // Able's MRI of 2026-01-08 has no post-scan check (52 days before 2026-03-01); Clark's was checked.
    expect(rows(d, 'mri-unchecked')).toEqual([['2026-01-08', 'Able, Ann', 'A1', 'NGP1001', 'SynchroMed II', true, 52, 'Test clinician (Clinician)', 'Lumbar MRI']]);
    expect(rows(d, 'summary')).toEqual([
      ['Flagged discrepancies', 1],
      ['Adverse events', 2],
      ['Adverse events still open', 1],
      ['Pocket fills', 1],
      ['MRI scans without a post-scan check', 1],
      ['Soft-limit overrides', 0],
      ['Entries awaiting an independent double check (UNVERIFIED)', 2],
      ['Entries rejected at the double check', 0],
    ]);
    expect(rows(d, 'soft-limit-overrides')).toEqual([]);
    expect(d.patientCount).toBe(2);
  });

  it('filters by clinician on the clinician written on the entry or on who recorded it', async () => {
    const byRecorder = await preview({ report: 'safety', from: '2026-01-01', to: '2026-01-31', clinician: 'Test clinician' });
    expect(rows(byRecorder, 'discrepancies').map((r) => [r[8], r[9]])).toEqual([['Nurse Kim', 'Test clinician (Clinician)']]);
    const byWritten = await preview({ report: 'safety', from: '2026-01-01', to: '2026-01-31', clinician: 'nurse kim' });
    expect(rows(byWritten, 'discrepancies')).toHaveLength(1);
    const nobody = await preview({ report: 'safety', from: '2026-01-01', to: '2026-01-31', clinician: 'Someone Else' });
    expect(rows(nobody, 'discrepancies')).toEqual([]);
  });
});

describe('refill schedule', () => {
  it('lists overdue and due refills per treating clinician', async () => {
    const d = await preview({ report: 'refill-schedule', from: '2026-03-01', to: '2026-03-31' });
    // Baker: alarm 2026-03-31 (18 - 75 × 0.2 = 3 mL) - 7 days = 03-24. Able: 17 mL on 02-01 at 0.3 mL/day
    // reaches 2 mL on 03-23 - 7 = 03-16. Evans: alarm 2025-11-06 - 7 = 2025-10-30 (overdue).
    // Clark's new pump (no clinician) is due 2026-04-18, after the period.
    expect(rows(d, 'due').map((r) => [r[0], r[1], r[2], r[4], r[5]])).toEqual([
      ['Dr Grey', 'due', '2026-03-16', 'A1', 'NGP1001'],
      ['Dr Grey', 'due', '2026-03-24', 'B2', 'PRO2002'],
      ['Dr Hale', 'overdue', '2025-10-30', 'E5', 'NGP6006'],
    ]);
    expect(rows(d, 'due')[0]![8]).toBe(300); // 0.300 mL/day after the dose change
    expect(rows(d, 'by-clinician')).toEqual([
      ['Dr Grey', 0, 2, 2],
      ['Dr Hale', 1, 0, 1],
    ]);
    const hale = await preview({ report: 'refill-schedule', from: '2026-03-01', to: '2026-04-30', clinician: 'Dr Hale' });
    expect(rows(hale, 'due').map((r) => r[4])).toEqual(['E5']);
    const april = await preview({ report: 'refill-schedule', from: '2026-03-01', to: '2026-04-30', drug: 'baclofen' });
    expect(rows(april, 'due').map((r) => r[4])).toEqual(['A1', 'E5', 'C3']);
  });

  it('leaves out the pump of a patient recorded as deceased or transferred, and a pump turned off (issue 13)', async () => {
    await t.must('patients.update', { id: f.able, status: 'transferred', transferDate: '2026-02-15', transferredTo: 'Northside Pain Clinic' });
    const record = await t.must<{ pumps: { pump: { id: number; status: string } }[] }>('patients.get', { id: f.baker });
    await t.must('reversals.record', { pumpId: record.pumps.find((p) => p.pump.status === 'active')!.pump.id, date: '2026-02-20', kind: 'drained' });
    const d = await preview({ report: 'refill-schedule', from: '2026-03-01', to: '2026-03-31' });
    expect(rows(d, 'due').map((r) => r[4])).toEqual(['E5']);
  });
});

describe('device inventory', () => {
  it('counts pumps in place by model, lists replacements due and recall matches', async () => {
    const d = await preview({ report: 'device-inventory', to: '2026-03-01', monthsAhead: 12, recallModelId: f.sm20, serialFrom: 'NGP1000', serialTo: 'NGP4999' });
    // Columns: model, reservoir, service life, running, turned off, patient deceased or transferred, in place.
    expect(rows(d, 'by-model')).toEqual([
      ['Flowonix Prometra II', 20000, 'Service life not set', 1, 0, 0, 1],
      ['Medtronic SynchroMed EL', 18000, '60 months', 0, 1, 0, 1],
      ['Medtronic SynchroMed II', 20000, '84 months', 3, 0, 0, 3],
    ]);
    // The Prometra II has no service life (UNCONFIRMED in the reference): never in `replacements`,
    // so it is listed on its own rather than silently never due.
    expect(rows(d, 'no-service-life')).toEqual([['Baker, Bob', 'B2', 'Flowonix Prometra II', 'PRO2002', '2025-11-01', 'running']]);
    // Evans's pump: 2019-09-01 + 84 months service - 6 months lead = 2026-03-01.
    expect(rows(d, 'replacements')).toEqual([['2026-03-01', 'due now', 'Evans, Eve', 'E5', 'Medtronic SynchroMed II', 'NGP6006', '2019-09-01', 'running']]);
    expect(rows(d, 'recall')).toEqual([
      ['Able, Ann', 'A1', 'NGP1001', '2025-12-01', 'running'],
      ['Clark, Cara', 'C3', 'NGP4004', '2026-01-25', 'running'],
    ]);
    expect(d.periodLabel).toBe('as of 2026-03-01');

    // A deceased patient's pump is no longer counted as running.
    await t.must('patients.update', { id: f.able, status: 'deceased', deathDate: '2026-02-20' });
    const after = await preview({ report: 'device-inventory', to: '2026-03-01', monthsAhead: 12, recallModelId: f.sm20, serialFrom: 'NGP1000', serialTo: 'NGP4999' });
    expect(rows(after, 'by-model')[2]).toEqual(['Medtronic SynchroMed II', 20000, '84 months', 2, 0, 1, 3]);
    expect(rows(after, 'recall')[0]).toEqual(['Able, Ann', 'A1', 'NGP1001', '2025-12-01', 'patient deceased']);
  });
});

describe('patient summary', () => {
  it('lists the contacts recorded: phones, address, emergency contact, physicians, preferred language (issue 16, item 2)', async () => {
    await t.must('patients.update', {
      id: f.baker,
      contacts: {
        phones: [{ use: 'mobile', number: '(312) 555-0110' }],
        address: { lines: ['14 Alder Lane'], city: 'Springfield', region: 'IL', postalCode: '62704' },
        emergencyContact: { name: 'Daniel Baker', relationship: 'Son', phone: '(312) 555-0111' },
        referringPhysician: { name: 'Dr. Anil Rao', practice: 'Springfield Spine Centre' },
        familyDoctor: { name: 'Dr. Helen Park', phone: '(312) 555-0190' },
        language: 'es',
      },
    });
    const d = await preview({ report: 'patient-summary', patientId: f.baker });
    expect(rows(d, 'patient').slice(-6)).toEqual([
      ['Phones', 'Mobile (312) 555-0110'],
      ['Address', '14 Alder Lane, 62704 Springfield, IL'],
      ['Emergency contact', 'Daniel Baker (Son), (312) 555-0111'],
      ['Referring physician', 'Dr. Anil Rao, Springfield Spine Centre'],
      ['Family doctor', 'Dr. Helen Park, (312) 555-0190'],
      ['Preferred language', 'Spanish (es)'],
    ]);
  });

  it("holds one patient's history with its notes, and the record for the charts", async () => {
    const d = await preview({ report: 'patient-summary', patientId: f.baker });
    expect(rows(d, 'patient')[0]).toEqual(['MRN', 'B2']);
    expect(rows(d, 'patient').map((r) => r[0])).not.toContain('Phones'); // none recorded: no empty contact lines
    expect(rows(d, 'refills').map((r) => [r[0], r[2], r[3], r[4], r[5], r[6]])).toEqual([
      ['2026-01-15', 7500, 5000, 2500, true, 18000],
      ['2025-11-01', null, null, null, null, 20000],
    ]);
    expect(rows(d, 'refills')[0]![7]).toBe('Morphine 25 mg/mL, 5 mg/day + Clonidine 37.5 mcg/mL, 7.5 mcg/day');
    expect(rows(d, 'events').map((r) => [r[0], r[1]])).toEqual([
      ['2025-11-01', 'implant'],
      ['2026-01-15', 'adverse event'],
    ]);
    expect(d.patientRecord?.record.patient.mrn).toBe('B2');
    expect(d.patientCount).toBe(1);
    const able = await preview({ report: 'patient-summary', patientId: f.able, from: '2026-02-01' });
    expect(rows(able, 'dose-changes')).toEqual([['2026-02-01', 'NGP1001', 'Baclofen', mcg(600), null, 'Test clinician (Clinician)', null, null]]);
    expect(rows(able, 'refills')).toEqual([]);
  });

  it('lists the pumps and refills newest pump first (the replacement before the pump it replaced), newest visit first', async () => {
    const bac = [{ drug: 'Baclofen', concentration: { value: 2000, unit: 'mcg' }, dailyDose: { value: 400, unit: 'mcg' } }];
    const fill = (pumpId: number, date: string, withdrawnMl: number | null) =>
      t.must('refills.record', { pumpId, date, withdrawnMl, addedMl: 20, drugs: bac, mode: 'simple_continuous', reservoirPortConfirmed: true, acknowledgeDiscrepancy: true, note: 'test' });
    const id = (await t.must<{ id: number }>('patients.create', { mrn: 'F6', familyName: 'Ford', givenName: 'Fay', birthDate: '1970-01-01', sex: 'female', indications: ['spasticity'] })).id;
    const old = (await t.must<{ id: number }>('pumps.implant', { patientId: id, deviceModelId: f.sm20, serial: 'OLD1', implantDate: '2025-01-10' })).id;
    await fill(old, '2025-01-10', null);
    await fill(old, '2025-02-20', 9);
    const removal = await t.must<{ replacement: { id: number } }>('removals.record', {
      pumpId: old,
      date: '2025-03-01',
      reasons: ['battery_end_of_life'],
      catheterRemoved: false,
      replacement: { deviceModelId: f.sm20, serial: 'NEW2', implantDate: '2025-03-01' },
    });
    await fill(removal.replacement.id, '2025-03-01', null);
    await fill(removal.replacement.id, '2025-04-10', 4);
    const d = await preview({ report: 'patient-summary', patientId: id });
    expect(rows(d, 'pumps').map((r) => r[1])).toEqual(['NEW2', 'OLD1']);
    expect(rows(d, 'refills').map((r) => [r[0], r[1]])).toEqual([
      ['2025-04-10', 'NEW2'],
      ['2025-03-01', 'NEW2'],
      ['2025-02-20', 'OLD1'],
      ['2025-01-10', 'OLD1'],
    ]);
  });

  it('refuses a patient that does not exist, naming the field', async () => {
    const e = await t.refused('reports.preview', { params: { report: 'patient-summary', patientId: 999 } });
    expect(e).toMatchObject({ code: 'not_found', field: 'params.patientId' });
  });
});

describe('parameters and roles', () => {
  it('refuses bad periods and unknown reports with the field named', async () => {
    expect(await t.refused('reports.preview', { params: { report: 'activity', from: '2026-02-01', to: '2026-01-01' } })).toMatchObject({ code: 'invalid_input', field: 'params.to' });
    expect(await t.refused('reports.preview', { params: { report: 'activity', from: '2026-02-30' } })).toMatchObject({ field: 'params.from' });
    expect((await t.refused('reports.preview', { params: { report: 'nonsense' } })).code).toBe('invalid_input');
    expect(await t.refused('reports.preview', { params: { report: 'device-inventory', serialFrom: 'A1' } })).toMatchObject({ field: 'params.recallModelId' });
  });

  it('lets a clinician make the patient summary only', async () => {
    const clinician = t.as('clinician');
    const ok = await clinician.dispatch('reports.preview', { params: { report: 'patient-summary', patientId: f.able } });
    expect(ok.ok).toBe(true);
    const no = await clinician.dispatch('reports.preview', { params: { report: 'activity' } });
    expect(no.ok ? null : no.error.code).toBe('forbidden');
    const staff = await t.as('staff').dispatch('reports.preview', { params: { report: 'patient-summary', patientId: f.able } });
    expect(staff.ok ? null : staff.error.code).toBe('forbidden');
  });
});
