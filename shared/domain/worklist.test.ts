import { describe, expect, it } from 'vitest';
import { calendarDate } from './calendar';
import fc from 'fast-check';
import { addDays } from './calendar';
import { fillPeriod } from './reservoir';
import { nextRefillDue } from './schedule';
import type { Microlitres } from './units';
import { attentionRank, classifyRefill, daysOverdue, URGENCIES, urgencyOf, type Urgency } from './worklist';

const d = calendarDate;

describe('classifyRefill', () => {
  const asOf = d('2025-06-10');
  it('overdue before the day, due within the window (both ends), ok after', () => {
    expect(classifyRefill(d('2025-06-09'), asOf, 14)).toBe('overdue');
    expect(classifyRefill(d('2025-06-10'), asOf, 14)).toBe('due');
    expect(classifyRefill(d('2025-06-24'), asOf, 14)).toBe('due'); // 06-10 + 14
    expect(classifyRefill(d('2025-06-25'), asOf, 14)).toBe('ok');
  });
  it('a zero window: only today is due', () => {
    expect(classifyRefill(d('2025-06-10'), asOf, 0)).toBe('due');
    expect(classifyRefill(d('2025-06-11'), asOf, 0)).toBe('ok');
  });
  it('the window crosses a leap day', () => {
    // 2024-02-20 + 10 = 2024-03-01 (Feb 2024 has 29 days)
    expect(classifyRefill(d('2024-03-01'), d('2024-02-20'), 10)).toBe('due');
    expect(classifyRefill(d('2024-03-02'), d('2024-02-20'), 10)).toBe('ok');
  });
});

describe('urgencyOf: one urgency per running pump, the worst that applies', () => {
  // Baclofen 2000 mcg/mL at 500 mcg/day = 250 µL/day; 20 mL pump filled to 20 mL on 2026-09-01; alarm 2 mL; margin 7 days.
  //   alarm = R + floor((20000 − 2000) / 250) = R + 72; empty = R + floor(20000 / 250) = R + 80 (0 µL that morning);
  //   next due = alarm − 7 = R + 65. From 2026-09-01: + 29 → Sep 30, + 31 → Oct 31 (60), + 5 → Nov 5 (65),
  //   + 7 → Nov 12 (72), + 8 → Nov 20 (80).
  const period = fillPeriod(d('2026-09-01'), 20_000 as Microlitres, [{ from: d('2026-09-01'), rate: { num: 250, den: 1 } }]);
  if (!period.ok) throw new Error('period');
  const due = nextRefillDue({ period: period.value, alarmUl: 2_000 as Microlitres, stabilityDays: [null], safetyMarginDays: 7, maxIntervalDays: 180 });
  const dates = { emptyDate: due.emptyDate, alarmDate: due.alarmDate, nextDue: due.date };

  it('the hand-computed dates', () => {
    expect(dates).toEqual({ emptyDate: '2026-11-20', alarmDate: '2026-11-12', nextDue: '2026-11-05' });
  });
  it('boundaries: as-of = empty date, = alarm date, = due date', () => {
    expect(urgencyOf(dates, d('2026-11-21'), 14)).toBe('empty');
    expect(urgencyOf(dates, d('2026-11-20'), 14)).toBe('empty'); // = the empty date: the day it runs dry
    expect(urgencyOf(dates, d('2026-11-19'), 14)).toBe('alarm');
    expect(urgencyOf(dates, d('2026-11-12'), 14)).toBe('alarm'); // = the alarm date
    expect(urgencyOf(dates, d('2026-11-11'), 14)).toBe('overdue');
    expect(urgencyOf(dates, d('2026-11-06'), 14)).toBe('overdue');
    expect(urgencyOf(dates, d('2026-11-05'), 14)).toBe('due'); // = the due date
    expect(urgencyOf(dates, d('2026-10-22'), 14)).toBe('due'); // 10-22 + 14 = 11-05
    expect(urgencyOf(dates, d('2026-10-21'), 14)).toBe('ok');
  });
  it('overdue by how many days', () => {
    expect(daysOverdue('2026-11-05', d('2026-11-11'))).toBe(6); // Nov 11 − Nov 5
    expect(daysOverdue('2026-11-05', d('2026-11-05'))).toBe(0);
    expect(daysOverdue('2026-11-05', d('2026-11-01'))).toBe(0);
  });
  it('a pump with no alarm or empty date (turned off at 0 rate, or a constant-flow pump without alarm) is never empty or alarming', () => {
    expect(urgencyOf({ emptyDate: null, alarmDate: null, nextDue: '2026-01-01' }, d('2030-01-01'), 14)).toBe('overdue');
    expect(urgencyOf({ emptyDate: null, alarmDate: null, nextDue: null }, d('2030-01-01'), 14)).toBe('ok');
  });
  it('property: the urgency is the worst that applies, and it only gets worse as the as-of date moves on', () => {
    const day = fc.integer({ min: 0, max: 400 }).map((n) => addDays(d('2026-01-01'), n));
    fc.assert(
      fc.property(fc.option(day), fc.option(day), fc.option(day), day, fc.integer({ min: 0, max: 30 }), (e, a, n, asOf, w) => {
        const u = urgencyOf({ emptyDate: e, alarmDate: a, nextDue: n }, asOf, w);
        if (e !== null && e <= asOf) expect(u).toBe('empty');
        else if (a !== null && a <= asOf) expect(u).toBe('alarm');
        else expect(u).toBe(n === null ? 'ok' : classifyRefill(n, asOf, w));
        const next = urgencyOf({ emptyDate: e, alarmDate: a, nextDue: n }, addDays(asOf, 1), w);
        expect(URGENCIES.indexOf(next)).toBeLessThanOrEqual(URGENCIES.indexOf(u)); // URGENCIES is worst first
      }),
    );
  });
});

describe('attentionRank: the worklist order', () => {
  it('empty, alarm, a severe open event, overdue, due, ok', () => {
    const order: [Urgency, boolean][] = [
      ['empty', false],
      ['alarm', false],
      ['ok', true], // a severe open event on a pump on schedule
      ['overdue', false],
      ['due', false],
      ['ok', false],
    ];
    const ranks = order.map(([u, severe]) => attentionRank(u, severe));
    expect(ranks).toEqual([...ranks].sort((x, y) => x - y));
    expect(new Set(ranks).size).toBe(ranks.length);
  });
  it('a severe open event is never below a merely due or overdue pump; never above an empty or alarming one', () => {
    for (const u of URGENCIES) {
      expect(attentionRank(u, true)).toBeLessThanOrEqual(attentionRank('overdue', false));
      expect(attentionRank(u, true)).toBeLessThanOrEqual(attentionRank(u, false));
    }
    expect(attentionRank('empty', true)).toBe(attentionRank('empty', false));
    expect(attentionRank('alarm', false)).toBeLessThan(attentionRank('due', true));
  });
});
