import { describe, expect, it } from 'vitest';
import { REVERSAL_KINDS, refillInput, reversalInput } from '../../../../shared/contract/record';
import { choices, issuesToErrors, mainErrors } from './fields';
import { choiceMessage, commonField, doseChangeField, refillField, refillPreviewProblem } from './messages';

const refill = {
  pumpId: 1,
  date: '2026-03-02',
  withdrawnMl: 3.3,
  addedMl: 20,
  drugs: [{ drug: 'Morphine', concentration: { value: 10, unit: 'mg' }, dailyDose: { value: 2, unit: 'mg' }, lot: '' }],
  mode: 'simple_continuous',
  reservoirPortConfirmed: true,
  clinician: '',
  note: '',
  acknowledgeDiscrepancy: false,
};
const problem = (input: unknown) => {
  const parsed = refillInput.safeParse(input);
  if (parsed.success) throw new Error('expected the schema to refuse');
  return refillPreviewProblem(parsed.error.issues, ['Morphine']);
};

describe('the refill preview names a field by its label, not its path', () => {
  it('volume added, withdrawn residual and date', () => {
    expect(problem({ ...refill, addedMl: undefined })).toMatch(/^Volume added: /);
    expect(problem({ ...refill, withdrawnMl: -1 })).toMatch(/^Withdrawn residual: /);
    expect(problem({ ...refill, date: '2026-02-30' })).toBe('Date: must be a real date written YYYY-MM-DD');
  });
  it('a drug row by the drug’s name (a NaN typed value arrives as null through the preview’s JSON)', () => {
    const p = problem({ ...refill, drugs: [{ ...refill.drugs[0], concentration: { value: null, unit: 'mg' } }] });
    expect(p).toMatch(/^Morphine concentration: /);
    expect(p).not.toMatch(/drugs\.0/);
  });
});

describe('main’s field names are mapped to the form’s inputs', () => {
  const refused = (field: string) => ({ code: 'refused' as const, message: 'The volume added (25.000 mL) is more than the reservoir holds (20.000 mL)', field });
  it('µL volumes are the mL inputs', () => {
    expect(mainErrors(refused('addedUl'), refillField)).toEqual({ addedMl: 'The volume added (25.000 mL) is more than the reservoir holds (20.000 mL).' });
    expect(refillField('withdrawnUl')).toBe('withdrawnMl');
    expect(commonField('replacement.alarmUl')).toBe('replacement.alarmMl');
    expect(commonField('date')).toBe('date');
  });
  it('a refill’s drug fields go to that drug’s row', () => {
    expect(refillField('drugs.1.dailyDose')).toBe('drugs.1.dailyDose');
    expect(refillField('drugs.2.name')).toBe('drugs.2.drug');
    expect(refillField('drugs.0.unit')).toBe('drugs.0.concentration');
  });
  it('a dose change’s prescription refusals (the daily volume, a dose, a concentration) go to its one dose input', () => {
    expect(doseChangeField('drugs.0.dailyDose')).toBe('dailyDose');
    expect(doseChangeField('drugs.1.concentration')).toBe('dailyDose');
    expect(doseChangeField('drugs')).toBe('dailyDose');
    expect(doseChangeField('date')).toBe('date');
  });
});

describe('choice fields say what to choose, in the select’s words', () => {
  it('the reversal kind, submitted empty', () => {
    const parsed = reversalInput.safeParse({ pumpId: 1, date: '2026-03-02', kind: '' });
    expect(parsed.success).toBe(false);
    const errors = issuesToErrors(parsed.error!.issues, { kind: choiceMessage('Choose what was done', choices(REVERSAL_KINDS)) });
    expect(errors.kind).toBe('Choose what was done: turned off, drained or weaned.');
    expect(Object.values(errors).join(' ')).not.toMatch(/turned_off/);
  });
  it('other fields keep the schema’s message', () => {
    const parsed = reversalInput.safeParse({ pumpId: 1, date: 'x', kind: 'drained' });
    expect(issuesToErrors(parsed.error!.issues, { kind: 'Choose' }).date).toBe('Must be a real date written YYYY-MM-DD.');
  });
});
