import { beforeEach, describe, expect, it } from 'vitest';
import type { PatientRecord } from '../../../../shared/contract/record';
import type { Paper, ReportData } from '../../../../shared/contract/reports';
import { ALARM_ASK_CLINIC } from '../../../../shared/domain/papers';
import { useTestServices } from '../../testing/services';
import { buildFixture, type Fixture } from './fixture';
import { pdfLayout } from './pdf-templates';

// Clock 2026-03-01 12:00 UTC; the fixture's figures are worked out in fixture.ts.
const t = useTestServices(Date.UTC(2026, 2, 1, 12));
let f: Fixture;
beforeEach(async () => {
  f = await buildFixture(t);
});

const pumpOf = async (patientId: number) => (await t.must<PatientRecord>('patients.get', { id: patientId })).pumps.find((h) => h.pump.status === 'active')!.pump.id;
const paper = async <K extends Paper['kind']>(params: Record<string, unknown>) => {
  const d = await t.must<ReportData>('reports.preview', { params });
  return { data: d, paper: d.paper as Extract<Paper, { kind: K }> };
};

describe('refill worksheet', () => {
  it("Able's visit today: expected residual 8.600 mL (12 days × 0.25 + 28 days × 0.3 = 11.4 mL used of 20), volume to add 20 mL, the dose after the change", async () => {
    const { data, paper: w } = await paper<'refill-worksheet'>({ report: 'refill-worksheet', patientId: f.able, pumpId: await pumpOf(f.able) });
    expect(w).toMatchObject({ kind: 'refill-worksheet', visitDate: '2026-03-01', lastFillDate: '2026-01-20', expectedResidualUl: 8600, volumeToAddUl: 20000, alarmUl: 2000, estimatedEmpty: false });
    expect(w.pump).toMatchObject({ model: 'Medtronic SynchroMed II', serial: 'NGP1001' });
    expect(w.drugs).toEqual([{ drug: 'Baclofen', concentration: '2000 mcg/mL', dailyDose: '600 mcg/day' }]);
    expect(data.patient).toEqual({ name: 'Able, Ann', mrn: 'A1', birthDate: '1960-05-05' });
  });

  it('refuses a pump of another patient (a paper never mixes two records), naming the field', async () => {
    const err = await t.refused('reports.preview', { params: { report: 'refill-worksheet', patientId: f.able, pumpId: await pumpOf(f.baker) } });
    expect(err).toMatchObject({ code: 'invalid_input', field: 'params.pumpId' });
  });

  it('refuses a visit date before the last fill', async () => {
    const err = await t.refused('reports.preview', { params: { report: 'refill-worksheet', patientId: f.able, pumpId: await pumpOf(f.able), date: '2026-01-01' } });
    expect(err).toMatchObject({ code: 'invalid_input', field: 'params.date' });
  });
});

describe("patient's card and letter", () => {
  it("Able: next refill 2026-03-16 and alarm 2026-03-23 (after the dose change), SynchroMed II alarm with its source, baclofen's overdose signs with their label", async () => {
    const { paper: c } = await paper<'patient-card'>({ report: 'patient-card', patientId: f.able, pumpId: await pumpOf(f.able) });
    expect(c).toMatchObject({ kind: 'patient-card', refillDate: '2026-01-20', nextRefillDate: '2026-03-16', alarmDate: '2026-03-23', overdoseMissing: [] });
    expect(c.overdose).toEqual([{ drug: 'Baclofen', text: expect.stringMatching(/emergency number/), source: expect.stringMatching(/Lioresal Intrathecal/) }]);
    expect(c.alarm?.source).toMatch(/FDA/);
    expect(c.drugs).toEqual([{ drug: 'Baclofen', concentration: '2000 mcg/mL', dailyDose: '600 mcg/day' }]);
  });

  it("Baker (Prometra, morphine + clonidine): no confirmed alarm wording (ask the clinic), both drugs' overdose signs with their sources", async () => {
    const { data, paper: c } = await paper<'patient-card'>({ report: 'patient-card', patientId: f.baker, pumpId: await pumpOf(f.baker) });
    expect(c.alarm).toBeNull();
    expect(data.sections[0]!.rows).toContainEqual(['Alarm', ALARM_ASK_CLINIC]);
    expect(c.overdose.map((o) => [o.drug, o.source])).toEqual([
      ['Morphine', expect.stringMatching(/Medtronic/)],
      ['Clonidine', expect.stringMatching(/Duraclon/)],
    ]);
    expect(c.overdoseMissing).toEqual([]);
    expect(c).toMatchObject({ nextRefillDate: '2026-03-24', alarmDate: '2026-03-31' });
  });

  it("prints the clinic's phone from the settings (administrators; only a phone number's characters), a blank line while none is set", async () => {
    const pumpId = await pumpOf(f.able);
    expect((await paper<'patient-card'>({ report: 'patient-card', patientId: f.able, pumpId })).paper.clinicPhone).toBeNull();
    const err = await t.refused('settings.update', { clinicPhone: '<script>alert(1)</script>' });
    expect(err).toMatchObject({ code: 'invalid_input', field: 'clinicPhone' });
    await t.must('settings.update', { clinicPhone: '+44 (0)20 7946 0958' });
    expect((await paper<'patient-card'>({ report: 'patient-card', patientId: f.able, pumpId })).paper.clinicPhone).toBe('+44 (0)20 7946 0958');
  });

  it('is refused for a pump never refilled', async () => {
    const pumps = (await t.must<PatientRecord>('patients.get', { id: f.dunn })).pumps;
    const err = await t.refused('reports.preview', { params: { report: 'patient-card', patientId: f.dunn, pumpId: pumps[0]!.pump.id } });
    expect(err).toMatchObject({ code: 'invalid_input', field: 'params.pumpId' });
  });
});

describe('every page of a one-patient PDF', () => {
  it("carries the patient's name, MRN and birth date (in the user's locale) and Page N of M in the header/footer templates; the time in the clinic's zone", async () => {
    const { data } = await paper<'patient-card'>({ report: 'patient-card', patientId: f.able, pumpId: await pumpOf(f.able) });
    const layout = pdfLayout({ ...data, locale: 'de-DE', timeZone: 'Europe/Berlin' });
    expect(layout.headerTemplate).toContain('Able, Ann · MRN A1 · born 05.05.1960');
    expect(layout.footerTemplate).toContain('Able, Ann · MRN A1 · born 05.05.1960');
    expect(layout.footerTemplate).toContain('Page <span class="pageNumber"></span> of <span class="totalPages"></span>');
    expect(layout.footerTemplate).toContain('01.03.2026, 13:00 MEZ');
    expect(layout.landscape).toBe(false);
  });

  it('the patient summary names its patient on every page too', async () => {
    const d = await t.must<ReportData>('reports.preview', { params: { report: 'patient-summary', patientId: f.baker } });
    expect(pdfLayout(d).headerTemplate).toContain('Baker, Bob · MRN B2 · born 1960-05-05');
  });
});
