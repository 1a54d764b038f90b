import { describe, expect, it } from 'vitest';
import { calendarDate } from './calendar';
import { classifyRefill } from './worklist';

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
