/**
 * Wall-clock check that a refused sign-in takes about as long whatever the reason (the structural
 * check — one derivation at the same cost on every path — is in lockout.test.ts). Coarse on
 * purpose: the machine is shared, so medians of interleaved runs, and a factor of 2 allowed.
 */
import { describe, expect, it } from 'vitest';
import type { SessionSlot } from '../app';
import { TEST_PASSWORD, useTestServices } from '../testing/services';

const COST = { N: 1 << 14, r: 8, p: 1 }; // ~50 ms a derivation here: well above the database's share
const t = useTestServices(Date.UTC(2026, 2, 1, 9), { passwordCost: COST });

const login = (username: string, password: string) => t.raw.dispatch('session.login', { username, password }, { id: null } satisfies SessionSlot);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe('sign-in timing', () => {
  it('unknown user, wrong password and locked account take comparable time (medians within a factor of 2)', async () => {
    for (let i = 0; i < 5; i++) await login('clinician', `wrong password ${i}`); // locked
    let wrongs = 0;
    const paths = {
      unknown: () => login('nobody-at-all', TEST_PASSWORD),
      // Two users, so that neither reaches 5 failures in 7 rounds.
      wrongPassword: () => login(++wrongs % 2 === 0 ? 'staff' : 'auditor', 'not the password'),
      locked: () => login('clinician', TEST_PASSWORD),
    };
    const times: Record<keyof typeof paths, number[]> = { unknown: [], wrongPassword: [], locked: [] };
    for (let round = 0; round < 7; round++) {
      for (const [path, attempt] of Object.entries(paths) as Array<[keyof typeof paths, () => Promise<unknown>]>) {
        const start = performance.now();
        const r = await attempt();
        times[path].push(performance.now() - start);
        expect(r).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
      }
    }
    const m = { unknown: median(times.unknown), wrongPassword: median(times.wrongPassword), locked: median(times.locked) };
    const values = Object.values(m);
    expect(Math.max(...values) / Math.min(...values), JSON.stringify(m)).toBeLessThan(2);
  });
});
