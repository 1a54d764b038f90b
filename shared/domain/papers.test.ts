import { describe, expect, it } from 'vitest';
import type { DoseChange, Refill } from '../contract/record';
import type { CalendarDate } from './calendar';
import { alarmSound, genericKey, overdoseSigns, overdoseUnconfirmed, worksheetFigures } from './papers';

const pump = { reservoirUl: 20_000, alarmUl: 2_000 };
/** Baclofen 2000 mcg/mL (2,000,000 ng/mL) at 500 mcg/day: 0.25 mL/day. */
const fill = (date: string, addedUl: number, mcgPerDay = 500): Pick<Refill, 'date' | 'addedUl' | 'drugs' | 'mode' | 'extraVolumeUlPerDay'> => ({
  date,
  addedUl,
  mode: 'simple_continuous',
  extraVolumeUlPerDay: 0,
  drugs: [{ drugId: 1, drug: 'Baclofen', unit: 'mcg', concentrationNgPerMl: 2_000_000, dailyDoseNgPerDay: mcgPerDay * 1000, lot: null, expiryDate: null }],
});
const change = (date: string, mcgPerDay: number): Pick<DoseChange, 'date' | 'drug' | 'dailyDoseNgPerDay'> => ({ date, drug: 'Baclofen', dailyDoseNgPerDay: mcgPerDay * 1000 });
const d = (s: string) => s as CalendarDate;

describe('the refill worksheet: expected residual and volume to add', () => {
  it('projects the residual at the visit date from the last fill (hand-worked: 20 mL − 40 days × 0.25 mL = 10.000 mL) and adds the reservoir volume', () => {
    const r = worksheetFigures(pump, [fill('2026-01-01', 20_000)], [], d('2026-02-10'));
    expect(r.ok && r.value).toMatchObject({ lastFillDate: '2026-01-01', expectedResidualUl: 10_000, volumeToAddUl: 20_000, alarmUl: 2_000, estimatedEmpty: false });
  });

  it('follows a dose change between refills: 20 days × 0.25 + 20 days × 0.5 = 15 mL used → 5.000 mL, at the new dose', () => {
    const r = worksheetFigures(pump, [fill('2026-01-01', 20_000)], [change('2026-01-21', 1000)], d('2026-02-10'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.expectedResidualUl).toBe(5_000);
    expect(r.value.drugs.map((x) => [x.name, x.dailyDoseNgPerDay])).toEqual([['Baclofen', 1_000_000]]);
  });

  it('says the pump is estimated empty when the projection ran dry by the visit (never a negative residual)', () => {
    // From 01-21 at 0.5 mL/day, 15 mL last 30 days: empty 02-20.
    const r = worksheetFigures(pump, [fill('2026-01-01', 20_000)], [change('2026-01-21', 1000)], d('2026-03-01'));
    expect(r.ok && r.value).toMatchObject({ expectedResidualUl: 0, estimatedEmpty: true });
  });

  it('uses the last of several fills, and refuses a visit date before it', () => {
    const fills = [fill('2025-11-01', 20_000), fill('2026-01-01', 18_000)];
    const r = worksheetFigures(pump, fills, [], d('2026-01-09'));
    expect(r.ok && r.value.expectedResidualUl).toBe(16_000); // 18 − 8 × 0.25
    const before = worksheetFigures(pump, fills, [], d('2025-12-31'));
    expect(!before.ok && before.error).toMatchObject({ code: 'invalid_input', field: 'date' });
  });

  it('has no expected residual for a pump never filled', () => {
    const r = worksheetFigures(pump, [], [], d('2026-01-09'));
    expect(r.ok && r.value).toMatchObject({ expectedResidualUl: null, lastFillDate: null, drugs: [], volumeToAddUl: 20_000 });
  });
});

describe("the patient's card: only sourced patient wording", () => {
  const SOURCED_DRUGS = ['Baclofen', 'Morphine', 'Hydromorphone', 'Fentanyl', 'Sufentanil', 'Ziconotide', 'Clonidine', 'Bupivacaine'];

  it('describes the SynchroMed II alarm with its source, and no model without one (ask your clinic instead)', () => {
    expect(alarmSound('Medtronic', 'SynchroMed II')?.source).toMatch(/FDA/);
    expect(alarmSound('medtronic', '  synchromed 2 ')?.text).toMatch(/single repeating tone/);
    // Searched, no source found: the card says ALARM_ASK_CLINIC, never a guess.
    for (const [maker, model] of [
      ['Flowonix', 'Prometra II'],
      ['Flowonix', 'Prometra'],
      ['Medtronic', 'SynchroMed EL'],
      ['Codman', '3000'],
      ['Codman', 'MedStream'],
    ] as const)
      expect(alarmSound(maker, model), `${maker} ${model}`).toBeNull();
  });

  it('gives every drug of the seeded drug library its overdose signs with a named source, ending with what to do', () => {
    for (const drug of SOURCED_DRUGS) {
      const s = overdoseSigns(drug);
      expect(s, drug).not.toBeNull();
      expect(s!.text.trim().length, drug).toBeGreaterThan(20);
      expect(s!.source, drug).toMatch(/https?:\/\/\S+/);
      // The last thing a frightened reader sees is the action.
      expect(s!.text, drug).toMatch(/(call the emergency number at once|call the clinic at once)\.$/i);
    }
    expect(overdoseSigns('Morphine')?.source).toMatch(/Medtronic/);
    expect(overdoseSigns('Baclofen')?.source).toMatch(/Lioresal Intrathecal.*OVERDOSAGE/);
    expect(overdoseSigns('Ziconotide')?.source).toMatch(/Prialt/);
    expect(overdoseSigns('Clonidine')?.source).toMatch(/Duraclon/);
  });

  it('sends breathing trouble and a person who cannot be woken to the emergency number, for every drug whose label names them', () => {
    for (const drug of SOURCED_DRUGS) {
      const t = overdoseSigns(drug)!.text;
      if (/breathing|wake|woken/i.test(t)) expect(t, drug).toMatch(/call the emergency number at once/i);
    }
  });

  it('matches by generic name whatever the case, spaces or salt, and never by a brand name or an unknown drug', () => {
    const baclofen = overdoseSigns('baclofen');
    expect(baclofen).not.toBeNull();
    expect(overdoseSigns('Baclofen ')).toEqual(baclofen);
    expect(overdoseSigns('  BACLOFEN')).toEqual(baclofen);
    expect(overdoseSigns('Morphine sulfate')).toEqual(overdoseSigns('morphine'));
    expect(overdoseSigns('Hydromorphone  HCl')).toEqual(overdoseSigns('Hydromorphone'));
    expect(genericKey('  Clonidine   Hydrochloride ')).toBe('clonidine');
    expect(overdoseSigns('Ropivacaine')).toBeNull();
    expect(overdoseSigns('Lioresal')).toBeNull(); // a brand name is not matched: the card asks the clinic
    expect(overdoseSigns('')).toBeNull();
    expect(overdoseSigns('constructor')).toBeNull(); // a drug named like an object's property is no source
    expect(overdoseSigns('__proto__')).toBeNull();
  });

  it('gives both drugs of an admixture their own signs, and lists only the unsourced ones as missing', () => {
    const mix = ['Morphine', 'Clonidine'];
    expect(mix.map((d) => overdoseSigns(d)?.source)).toEqual([expect.stringMatching(/Medtronic/), expect.stringMatching(/Duraclon/)]);
    expect(overdoseUnconfirmed(mix)).toEqual([]);
    expect(overdoseUnconfirmed(['Morphine', 'Ropivacaine', 'Baclofen', 'Gabapentin'])).toEqual(['Ropivacaine', 'Gabapentin']);
  });
});
