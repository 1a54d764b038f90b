import { describe, expect, it } from 'vitest';
import { pumpsNewestFirst, refillsNewestFirst } from './record-order';

const pump = (id: number, implantDate: string, status: 'active' | 'off' | 'explanted') => ({ pump: { id, implantDate, status } });

describe('pumps and refills newest first (the refill tables)', () => {
  it('puts the pump in place first, then the removed pumps latest implant first', () => {
    const first = pump(1, '2015-03-01', 'explanted');
    const second = pump(2, '2019-06-10', 'explanted');
    const current = pump(3, '2024-01-05', 'active');
    expect(pumpsNewestFirst([first, second, current]).map((p) => p.pump.id)).toEqual([3, 2, 1]);
  });
  it('a pump turned off but still in place stays first, even if a removed one was implanted later (data entered late)', () => {
    expect(pumpsNewestFirst([pump(1, '2026-01-01', 'explanted'), pump(2, '2025-01-01', 'off')]).map((p) => p.pump.id)).toEqual([2, 1]);
  });
  it('orders refills newest first, the later recorded first on one date', () => {
    const rows = [
      { id: 1, date: '2026-01-05' },
      { id: 3, date: '2026-03-01' },
      { id: 2, date: '2026-03-01' },
      { id: 4, date: '2025-12-01' },
    ];
    expect(refillsNewestFirst(rows).map((r) => r.id)).toEqual([3, 2, 1, 4]);
  });
});
