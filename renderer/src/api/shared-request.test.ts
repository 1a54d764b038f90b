import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Result } from '../../../shared/contract/result';
import { SharedRequest } from './shared-request';

afterEach(() => vi.useRealTimers());

/** A request that counts how often it is made and answers `answers` in turn. */
function counting(...answers: Result<string>[]) {
  const made = { n: 0 };
  const request = () => Promise.resolve(answers[Math.min(made.n++, answers.length - 1)]!);
  return { made, request };
}

describe('SharedRequest (the clinic settings asked once by the charts, the forms and the signatures)', () => {
  it('answers callers within its freshness from one request, and asks again after it', async () => {
    vi.useFakeTimers({ now: 0 });
    const { made, request } = counting({ ok: true, value: 'first' }, { ok: true, value: 'second' });
    const shared = new SharedRequest(request, 10_000);
    const [a, b] = await Promise.all([shared.get(), shared.get()]);
    vi.setSystemTime(9_999);
    const c = await shared.get();
    expect([a, b, c]).toEqual([{ ok: true, value: 'first' }, { ok: true, value: 'first' }, { ok: true, value: 'first' }]);
    expect(made.n).toBe(1);
    vi.setSystemTime(10_000);
    expect(await shared.get()).toEqual({ ok: true, value: 'second' });
    expect(made.n).toBe(2);
  });

  it('does not keep a refusal or a failure: the next caller asks again', async () => {
    const { made, request } = counting({ ok: false, error: { code: 'unauthorized', message: 'Sign in' } }, { ok: true, value: 'after sign-in' });
    const shared = new SharedRequest(request, 10_000);
    expect(await shared.get()).toMatchObject({ ok: false });
    expect(await shared.get()).toEqual({ ok: true, value: 'after sign-in' });
    let calls = 0;
    const failing = new SharedRequest<string>(() => (calls++ === 0 ? Promise.reject(new Error('down')) : Promise.resolve({ ok: true, value: 'up' })), 10_000);
    await expect(failing.get()).rejects.toThrow('down');
    expect(await failing.get()).toEqual({ ok: true, value: 'up' });
    expect(made.n).toBe(2);
  });

  it('peeks at a fresh answer once it has arrived (the charts draw with it at once), never at a refusal or a stale one', async () => {
    vi.useFakeTimers({ now: 0 });
    const shared = new SharedRequest(counting({ ok: true, value: 'settings' }).request, 10_000);
    expect(shared.peek()).toBeNull();
    const asked = shared.get();
    expect(shared.peek()).toBeNull(); // not arrived yet
    await asked;
    expect(shared.peek()).toBe('settings');
    vi.setSystemTime(10_000);
    expect(shared.peek()).toBeNull();
    const refusing = new SharedRequest(counting({ ok: false, error: { code: 'unauthorized', message: 'Sign in' } }).request, 10_000);
    await refusing.get();
    expect(refusing.peek()).toBeNull();
  });

  it('asks afresh after forget (the settings were saved)', async () => {
    const { made, request } = counting({ ok: true, value: 'old' }, { ok: true, value: 'new' });
    const shared = new SharedRequest(request, 10_000);
    expect(await shared.get()).toEqual({ ok: true, value: 'old' });
    shared.forget();
    expect(await shared.get()).toEqual({ ok: true, value: 'new' });
    expect(made.n).toBe(2);
  });
});
