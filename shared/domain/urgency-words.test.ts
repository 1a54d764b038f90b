import { describe, expect, it } from 'vitest';
import { ADVERSE_KINDS } from '../contract/record';
import { ADVERSE_KIND_WORDS, adverseKindLabel, adverseKindWords, anySevere, openAdverseWords, urgencySentence } from './urgency-words';

const us = (iso: string) => `${Number(iso.slice(5, 7))}/${Number(iso.slice(8, 10))}`;
const base = { emptyDate: '2026-11-19', alarmDate: '2026-11-11', nextDue: '2026-11-04', nextDueRule: 'alarm' as const, daysOverdue: 0 };

describe('urgencySentence', () => {
  it('says each urgency as a nurse reads it', () => {
    expect(urgencySentence({ ...base, urgency: 'empty', daysOverdue: 20 }, us)).toBe('Empty since 11/19 (estimated) — risk of withdrawal');
    expect(urgencySentence({ ...base, urgency: 'alarm' }, us)).toBe('Alarming since 11/11 (low reservoir, estimated) — empty on 11/19');
    expect(urgencySentence({ ...base, urgency: 'overdue', daysOverdue: 1 }, us)).toBe('Overdue by 1 day: due 11/4 by the safety margin before the alarm date');
    expect(urgencySentence({ ...base, urgency: 'overdue', nextDueRule: 'stability', daysOverdue: 6 }, us)).toBe('Overdue by 6 days: due 11/4 by the drug’s stability limit');
    expect(urgencySentence({ ...base, urgency: 'overdue', nextDueRule: 'max_interval', daysOverdue: 2 }, us)).toBe('Overdue by 2 days: due 11/4 by the maximum interval between refills');
    expect(urgencySentence({ ...base, urgency: 'due' }, us)).toBe('Due 11/4');
    expect(urgencySentence({ ...base, urgency: 'ok' }, us)).toBe('On schedule: next refill 11/4');
  });
});

describe('openAdverseWords', () => {
  it('words open events by severity, worst first', () => {
    expect(openAdverseWords([])).toBeNull();
    expect(openAdverseWords([{ severity: 'severe', kind: 'overdose' }])).toBe('1 open severe adverse event: overdose');
    expect(
      openAdverseWords([
        { severity: 'mild', kind: 'pocket_fill' },
        { severity: 'life_threatening', kind: 'withdrawal' },
        { severity: 'mild', kind: 'csf_leak' },
      ]),
    ).toBe('1 open life-threatening adverse event: withdrawal · 2 open mild adverse events: pocket fill, CSF leak');
  });
  it('severe and life-threatening are severe; mild and moderate are not', () => {
    expect(anySevere([{ severity: 'moderate', kind: 'infection' }, { severity: 'mild', kind: 'other' }])).toBe(false);
    expect(anySevere([{ severity: 'life_threatening', kind: 'overdose' }])).toBe(true);
    expect(anySevere([{ severity: 'severe', kind: 'overdose' }])).toBe(true);
  });
});

describe('adverse event kinds in words (one labels map)', () => {
  it('says "CSF leak" with CSF in capitals, mid-sentence and as a label, never "Csf leak" or "csf_leak"', () => {
    expect(adverseKindWords('csf_leak')).toBe('CSF leak');
    expect(adverseKindLabel('csf_leak')).toBe('CSF leak');
    expect(openAdverseWords([{ severity: 'severe', kind: 'csf_leak' }])).toBe('1 open severe adverse event: CSF leak');
  });
  it('has words for every kind of the contract, none with an underscore', () => {
    for (const kind of ADVERSE_KINDS) {
      expect(adverseKindWords(kind)).toBe(ADVERSE_KIND_WORDS[kind]);
      expect(adverseKindLabel(kind)).not.toMatch(/_/);
    }
    expect(adverseKindLabel('pocket_fill')).toBe('Pocket fill');
    expect(adverseKindWords('motor_stall')).toBe('motor stall');
  });
});
