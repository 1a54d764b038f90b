import { describe, expect, it } from 'vitest';
import { createServices } from './app';
import { seedDemoClinic } from './demo';
import { tempDir } from './testing/temp';
import type { Worklist } from '../../shared/contract/record';

describe('demo clinic', () => {
  it('is built through the services and gives the same worklist for the same date', async () => {
    const tmp = tempDir();
    try {
      const lists: Worklist[] = [];
      for (const name of ['a.db', 'b.db']) {
        const r = createServices({ databasePath: tmp.file(name), shell: 'browser', now: () => Date.UTC(2026, 10, 24, 12), seed: seedDemoClinic });
        if (!r.ok) throw new Error(r.error.message);
        const wl = await r.value.dispatch('worklist.get', {});
        r.value.close();
        if (!wl.ok) throw new Error(wl.error.message);
        lists.push(wl.value as Worklist);
      }
      expect(lists[0]).toEqual(lists[1]);
      const wl = lists[0]!;
      expect(wl.asOf).toBe('2026-11-24');
      // Something in every worklist section, and the reversed and explanted pumps are not listed.
      expect(wl.counts).toEqual({ overdue: 1, due: 2, replacementDue: 1, flagged: 1, openAdverseEvents: 1 });
      expect(wl.rows.map((r) => r.serial)).not.toContain('NGP203344H'); // turned off (reversal)
      expect(wl.rows.map((r) => r.serial)).not.toContain('NGP190001H'); // explanted
      // Baclofen raised to 500 mcg/day (0.25 mL/day) 30 days ago with 14.15 mL left:
      // (14.15 − 2) / 0.25 = 48.6 → alarm 48 days later = 2026-12-12, due 7 days before.
      expect(wl.rows.find((r) => r.serial === 'NGP207781H')).toMatchObject({ dailyVolumeMl: 0.25, alarmDate: '2026-12-12', nextDue: '2026-12-05', status: 'due' });
    } finally {
      tmp.cleanup();
    }
  });
});
