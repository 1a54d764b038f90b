import { afterEach, describe, expect, it, vi } from 'vitest';
import { EarlyRequest } from './early';

afterEach(() => vi.useRealTimers());

describe('EarlyRequest (a record requested before its screen renders)', () => {
  it('hands the early answer to the screen once; the next take makes a new request', async () => {
    const early = new EarlyRequest<number, string>(5_000);
    let made = 0;
    const request = (v: string) => () => (made++, Promise.resolve(v));
    early.start(7, request('early'));
    expect(early.peek(7)).toBeNull(); // not arrived yet
    await Promise.resolve();
    expect(early.peek(7)).toBe('early');
    expect(await early.take(7, request('late'))).toBe('early');
    expect(await early.take(7, request('late'))).toBe('late');
    expect(made).toBe(2);
  });

  it('does not use one for another key, a dropped one, or one older than its freshness', async () => {
    vi.useFakeTimers({ now: 0 });
    const early = new EarlyRequest<number, string>(5_000);
    early.start(1, () => Promise.resolve('patient 1'));
    expect(await early.take(2, () => Promise.resolve('patient 2'))).toBe('patient 2');
    early.start(1, () => Promise.resolve('patient 1'));
    early.drop();
    expect(await early.take(1, () => Promise.resolve('again'))).toBe('again');
    early.start(1, () => Promise.resolve('old'));
    await Promise.resolve();
    vi.setSystemTime(5_000);
    expect(early.peek(1)).toBeNull();
    expect(await early.take(1, () => Promise.resolve('fresh'))).toBe('fresh');
  });
});
